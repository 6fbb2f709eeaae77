"""Week 4b's tour demos: style transfer, what ConvNets learn, 1D/3D convolutions.

Style transfer needs VGG-19's ImageNet weights, which do not exist offline:
the demo uses them only when Keras already has them cached. Otherwise it
says so in its summary and figure title, and shows what is still true of an
untrained VGG-19: what each cost alone builds from noise, next to the one
command (`REAL_STYLE_COMMAND`) that gives the real result.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course_cnn.tour import Demo, DemoResult


#: The one command that gives the real result once VGG-19's ImageNet weights are at hand.
REAL_STYLE_COMMAND = "course-cnn style china texture --weights imagenet --size 256 --iterations 300"
_UNTRAINED = "UNTRAINED VGG-19 (random weights; no ImageNet weights cached)"

# What each demo trains or shows, with --quick and without; the test suite shrinks them to check the wiring fast.
QUICK = dict(
    transfer=dict(size=96, steps=8, snapshot_every=None),        # with VGG-19's ImageNet weights cached
    costs_alone=dict(size=64, steps=40),                         # offline: each cost alone, from noise
    probe=dict(n_train=4000, epochs=1, n_test=2000, units=4),   # max-activating patches of a trained probe
    conv_1d_3d=dict(n_signals=600, epochs_1d=6, n_volumes=400, epochs_3d=12, n_val_signals=300, n_val_volumes=150),
)
FULL = dict(
    transfer=dict(size=256, steps=300, snapshot_every=100),
    costs_alone=dict(size=128, steps=200),
    probe=dict(n_train=20000, epochs=3, n_test=2000, units=6),
    conv_1d_3d=dict(n_signals=2000, epochs_1d=10, n_volumes=800, epochs_3d=15, n_val_signals=300, n_val_volumes=150),
)


def run_style_transfer(out_dir: Path, quick: bool) -> DemoResult:
    """Style transfer on china.jpg with ImageNet weights when cached; else what each cost alone builds."""
    from course_cnn.datasets import load_photo
    from course_cnn.week4.style import (
        StyleTransfer,
        make_style_texture,
        plot_cost_history,
        plot_side_by_side,
        save_image,
        vgg19_weights_cache,
    )

    if not vgg19_weights_cache().is_file():
        return _run_costs_alone(out_dir, quick)
    budget = (QUICK if quick else FULL)["transfer"]
    size, steps = budget["size"], budget["steps"]
    label = "VGG-19 ImageNet weights (Keras cache)"
    transfer = StyleTransfer(load_photo("china"), make_style_texture(256), size=size, weights="imagenet", verbose=0,
                             snapshot_every=budget["snapshot_every"])
    result = transfer.run(steps)
    title = f"{steps} steps at {size} px, {label}"
    files = [save_image(result, out_dir / "result.png"), out_dir / "side_by_side.png", out_dir / "cost.png"]
    plot_side_by_side(transfer.content, transfer.style, result, path=files[1], title=title)
    plot_cost_history(transfer.history, path=files[2], title=title)
    costs = transfer.history["cost"]
    summary = f"style transfer, {label}: cost {costs[0]:.3g} -> {costs[-1]:.3g} in {steps} steps ({transfer.seconds:.1f} s)"
    return DemoResult(summary, files)


def _from_noise(content, style, steps, seed, vgg, **settings):
    """Run StyleTransfer from uniform noise (not from the content image) and return (image, its transfer)."""
    import keras

    from course_cnn.week4.style import StyleTransfer

    # outputs of the one untrained VGG-19 `vgg` (by layer name): the style layers, then the content layer
    names = [name for name, _ in settings["style_layers"]] + [settings["content_layer"]]
    features = keras.Model(vgg.inputs, [vgg.get_layer(name).output for name in names])
    transfer = StyleTransfer(content, style, learning_rate=0.05, verbose=0, seed=seed, feature_model=features, **settings)
    noise = np.random.default_rng(seed).uniform(size=transfer.generated.shape)  # (1, n_H, n_W, 3)
    transfer.generated.assign(noise.astype(np.float32))
    return transfer.run(steps), transfer


def _run_costs_alone(out_dir: Path, quick: bool) -> DemoResult:
    """Offline: each cost alone, from noise, on an untrained VGG-19 (what its features and Gram matrices keep)."""
    from course_cnn.datasets import load_photo
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week4.style import STYLE_LAYERS, make_style_texture, vgg19_features

    budget = (QUICK if quick else FULL)["costs_alone"]
    size, steps = budget["size"], budget["steps"]
    content, style = load_photo("china"), make_style_texture(256)
    vgg = vgg19_features(["block5_conv4"], weights=None, seed=0)  # untrained; built once, read at several layers
    only_content = dict(size=size, alpha=1, beta=0, style_layers=[("block1_conv1", 1.0)])  # beta = 0: style unused
    shallow, shallow_run = _from_noise(content, style, steps, 0, vgg, content_layer="block2_conv2", **only_content)
    deep, deep_run = _from_noise(content, style, steps, 0, vgg, content_layer="block5_conv4", **only_content)
    # alpha = 0: the style cost alone, the course's five layers, on a grey "content" that is not used
    texture, style_run = _from_noise(np.full((size, size, 3), 0.5, np.float32), style, steps, 0, vgg, size=size,
                                     alpha=0, beta=1, style_layers=STYLE_LAYERS, content_layer="block1_conv1")
    drop = [run.history[key][0] / max(run.history[key][-1], 1e-30)
            for run, key in ((shallow_run, "content"), (deep_run, "content"), (style_run, "style"))]
    fig, axes = new_figure(2, 3, figsize=(10.5, 6.6))
    panels = [
        (shallow_run.content, "content image"),
        (shallow, "content cost alone at block2_conv2"),
        (deep, "content cost alone at block5_conv4\n(the course's layer)"),
        (style_run.style, "style image"),
        (texture, "style cost alone: Gram matrices\nof the course's 5 layers"),
    ]
    for ax, (image, title) in zip(axes.flat, panels):
        ax.imshow(np.clip(np.squeeze(image), 0, 1))
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    axes[1, 2].axis("off")
    axes[1, 2].text(0.0, 0.5, f"Each image starts from noise and follows\none cost alone for {steps} Adam steps.\n\n"
                    f"Each cost falls {min(drop):.0f} to {max(drop):.0f}-fold, but\nonly random shallow features keep the photo;\n"
                    "random deep ones and random filters' Gram\nmatrices are matched by near-noise: they\n"
                    "miss the objects and the strokes. Trained\nfilters are what transfer a style.\n\n"
                    "The real result, with ImageNet weights:\n"
                    + REAL_STYLE_COMMAND.replace(" --weights", "\n    --weights"),
                    fontsize=8, va="center", family="monospace", transform=axes[1, 2].transAxes)
    fig.suptitle(f"{_UNTRAINED}: what each cost builds from noise ({size} px)", fontsize=10)
    path = save_figure(fig, out_dir / "costs_alone.png")
    summary = (f"style transfer, {_UNTRAINED}: from noise, the content cost at block2_conv2 rebuilds the photo "
               f"(cost / {drop[0]:.0f}), at block5_conv4 it does not (cost / {drop[1]:.0f}), nor does the style cost "
               f"build strokes (cost / {drop[2]:.0f}); real result: {REAL_STYLE_COMMAND}")
    return DemoResult(summary, [path])


def train_probe(quick: bool, seed=0):
    """probe_convnet trained on Fashion-MNIST (a subset when quick); returns (model, x_test, accuracy)."""
    import keras

    from course_cnn.datasets import load_fashion_mnist
    from course_cnn.week4.style import probe_convnet

    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
    budget = (QUICK if quick else FULL)["probe"]
    n_train, epochs, n_test = budget["n_train"], budget["epochs"], budget["n_test"]
    x_train = (x_train[:n_train, ..., None] / 255.0).astype(np.float32)
    x_test = (x_test[:n_test, ..., None] / 255.0).astype(np.float32)
    keras.utils.set_random_seed(seed)
    model = probe_convnet(seed=seed)
    model.fit(x_train, y_train[:n_train], epochs=epochs, batch_size=64, verbose=0)
    accuracy = model.evaluate(x_test, y_test[:n_test], verbose=0)[1]
    return model, x_test, accuracy


def run_convnet_features(out_dir: Path, quick: bool) -> DemoResult:
    """Max-activating patches of a small ConvNet trained here on Fashion-MNIST."""
    from course_cnn.plots import save_figure
    from course_cnn.week4.style import max_activating_patches, plot_max_activating_patches

    model, x_test, accuracy = train_probe(quick)
    files = []
    layers = ("conv1", "conv3", "conv5")
    for layer in layers:
        result = max_activating_patches(model, layer, x_test, units=(QUICK if quick else FULL)["probe"]["units"], k=9)
        path = out_dir / f"patches_{layer}.png"
        fig = plot_max_activating_patches(result, max_value=1.0)
        n_rows = len(result.units)
        # 688 px wide, the docs' column: shown at its own size, the unit labels stay readable
        fig.set_size_inches(6.88, 0.76 * n_rows + 0.35)
        save_figure(fig, path, dpi=100)
        files.append(path)
    summary = (f"a 5-conv network trained here (test accuracy {accuracy:.2f}): top-9 patches of "
               f"{', '.join(layers)}, receptive fields 3, 10 and 24 px")
    return DemoResult(summary, files)


def _object_depth(volume):
    """Index along the last axis of the slice holding most of the object (its centre), for a (n, n, n) volume."""
    return int(np.argmax(np.clip(volume, 0, None).sum(axis=(0, 1))))  # the shape is 1 inside, noise outside


def run_conv_1d_3d(out_dir: Path, quick: bool) -> DemoResult:
    """Conv1D on generated waveforms, Conv3D on generated cubes and balls."""
    import keras

    from course_cnn.plots import image_grid, new_figure, save_figure
    from course_cnn.week4.style import (
        SIGNAL_CLASSES,
        VOLUME_CLASSES,
        conv1d_model,
        conv3d_model,
        make_signals,
        make_volumes,
    )

    keras.utils.set_random_seed(0)
    budget = (QUICK if quick else FULL)["conv_1d_3d"]
    n_sig, epochs_1d, n_vol, epochs_3d = (budget[k] for k in ("n_signals", "epochs_1d", "n_volumes", "epochs_3d"))
    X, y = make_signals(n_sig, seed=0)
    X_val, y_val = make_signals(budget["n_val_signals"], seed=1)
    net1 = conv1d_model(input_length=X.shape[1])
    net1.fit(X, y, epochs=epochs_1d, batch_size=32, verbose=0)
    acc1 = net1.evaluate(X_val, y_val, verbose=0)[1]
    V, v = make_volumes(n_vol, seed=0)
    V_val, v_val = make_volumes(budget["n_val_volumes"], seed=1)
    net3 = conv3d_model(input_size=V.shape[1])
    net3.fit(V, v, epochs=epochs_3d, batch_size=32, verbose=0)
    acc3 = net3.evaluate(V_val, v_val, verbose=0)[1]
    fig, axes = new_figure(1, 3, figsize=(12, 2.8))
    for kind, ax in enumerate(axes):
        ax.plot(X_val[np.flatnonzero(y_val == kind)[0], :, 0])
        ax.set_title(f"{SIGNAL_CLASSES[kind]} (Conv1D input)")
    signals = save_figure(fig, out_dir / "signals.png")
    examples = [V_val[np.flatnonzero(v_val == kind)[0], ..., 0] for kind in range(2)]  # (n_D, n_H, n_W) each
    depths = [_object_depth(volume) for volume in examples]
    volumes = out_dir / "volume_slices.png"
    image_grid(np.stack([volume[:, :, z] for volume, z in zip(examples, depths)]), ncols=2, path=volumes,
               titles=[f"{name}, centre slice {z}" for name, z in zip(VOLUME_CLASSES, depths)])
    summary = (f"Conv1D on waveforms: validation accuracy {acc1:.2f} (chance 0.33); "
               f"Conv3D on cubes vs balls: {acc3:.2f} (chance 0.5)")
    return DemoResult(summary, [signals, volumes])


DEMOS = [
    Demo("week4-style-transfer", "Week 4: neural style transfer", run_style_transfer),
    Demo("week4-convnet-features", "Week 4: what deep ConvNets learn (max-activating patches)", run_convnet_features),
    Demo("week4-conv-1d-3d", "Week 4: 1D and 3D convolutions", run_conv_1d_3d),
]
