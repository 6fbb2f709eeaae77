"""Small experiments behind the docs and the tour: synthesis, transfer and multi-task learning.

Each ``run_*`` function trains tiny Keras models on Fashion-MNIST (or on
generated shapes), returns its numbers as a dict and draws one figure. The
``quick`` versions take seconds and only show the mechanics; the full ones
produced the numbers quoted in the docs (``benchmarks/strategy_experiments.py``).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from course_cnn._checks import CourseCNNWarning

FASHION = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def small_cnn(input_shape, n_outputs, name, width=1.0, activation="softmax", pooled=False):
    """A LeNet-sized functional CNN: conv-pool-conv-pool-dense-output, ``width`` scales the filters.

    ``pooled=True`` replaces flatten-dense by a third convolution and global average pooling
    (position-free features: "is there a ring anywhere?").
    """
    import keras

    f1, f2, d = max(2, int(16 * width)), max(2, int(32 * width)), max(4, int(64 * width))
    inputs = keras.Input(input_shape, name=f"{name}_input")
    x = keras.layers.Conv2D(f1, 3, padding="same", activation="relu", name=f"{name}_conv1")(inputs)
    x = keras.layers.MaxPooling2D(2, name=f"{name}_pool1")(x)
    x = keras.layers.Conv2D(f2, 3, padding="same", activation="relu", name=f"{name}_conv2")(x)
    x = keras.layers.MaxPooling2D(2, name=f"{name}_pool2")(x)
    if pooled:
        x = keras.layers.Conv2D(d, 3, padding="same", activation="relu", name=f"{name}_conv3")(x)
        x = keras.layers.GlobalAveragePooling2D(name=f"{name}_dense")(x)
    else:
        x = keras.layers.Flatten(name=f"{name}_flatten")(x)
        x = keras.layers.Dense(d, activation="relu", name=f"{name}_dense")(x)
    outputs = keras.layers.Dense(n_outputs, activation=activation, name=f"{name}_head")(x)
    return keras.Model(inputs, outputs, name=name)


def _fit_classifier(model, X, y, epochs, lr=1e-3, batch_size=64):
    import keras

    model.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=True)
    return model


def error_rate(model, X, y):
    """Classification error in percent."""
    pred = np.argmax(model.predict(X, verbose=0, batch_size=512), axis=1)
    return float(100.0 * np.mean(pred != y))


def fashion(n_train, n_test, seed=0, classes=None):
    """A random Fashion-MNIST subset as float32 (m, 28, 28, 1) images in [0, 1]."""
    from course_cnn.datasets import load_fashion_mnist

    (x_tr, y_tr), (x_te, y_te) = load_fashion_mnist(download=False)
    rng = np.random.default_rng(seed)

    def pick(x, y, n):
        keep = np.flatnonzero(np.isin(y, classes)) if classes is not None else np.arange(len(y))
        idx = rng.choice(keep, size=min(n, len(keep)), replace=False)
        return (x[idx, :, :, None] / 255.0).astype(np.float32), y[idx].astype(np.int64)

    return pick(x_tr, y_tr, n_train), pick(x_te, y_te, n_test)


# ----------------------------------------------------------------------------
# Artificial data synthesis: a foggy dev set
# ----------------------------------------------------------------------------
def run_synthesis(out_dir, quick=True, seed=0):
    """Dev error on a foggy (mismatched) Fashion-MNIST dev set, trained on clean vs synthesised images."""
    import keras

    from course_cnn.plots import image_grid, new_figure, save_figure
    from course_cnn.strategy.synthesis import make_perturbation_pool, synthesize

    out = Path(out_dir)
    n_train, epochs = (2000, 2) if quick else (12000, 4)
    (X, y), (X_dev, y_dev) = fashion(n_train, 500 if quick else 3000, seed=seed)
    dev_fog = make_perturbation_pool("fog", 200, (28, 28, 1), seed=1000 + seed)  # the target's fog
    X_dev_foggy = synthesize(X_dev, dev_fog, mode="blend", strength=(0.5, 0.75), seed=1)
    results = {}
    variants = {"clean training data": None, "synthesised fog (pool of 500)": 500}
    if not quick:
        variants["synthesised fog (pool of 1)"] = 1
    for k, (label, pool_size) in enumerate(variants.items()):
        X_train = X
        if pool_size is not None:
            train_fog = make_perturbation_pool("fog", pool_size, (28, 28, 1), seed=seed)  # not the dev fields
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CourseCNNWarning)  # the pool of 1 warns, on purpose
                foggy = synthesize(X, train_fog, mode="blend", strength=(0.4, 0.8), seed=seed)
            half = np.random.default_rng(seed).random(len(X)) < 0.5
            X_train = np.where(half[:, None, None, None], foggy, X)
        keras.utils.set_random_seed(seed)
        model = _fit_classifier(small_cnn((28, 28, 1), 10, f"synth{k}"), X_train, y, epochs)
        results[label] = {"clean dev": error_rate(model, X_dev, y_dev),
                          "foggy dev": error_rate(model, X_dev_foggy, y_dev)}
    fig, ax = new_figure(figsize=(6.4, 3.4))
    names = list(results)
    xs = np.arange(len(names))
    ax.bar(xs - 0.18, [results[n]["clean dev"] for n in names], 0.36, label="clean dev", color="#9ecae1")
    ax.bar(xs + 0.18, [results[n]["foggy dev"] for n in names], 0.36, label="foggy dev (target)", color="#fd8d3c")
    ax.set_xticks(xs, [n.replace(" (", "\n(") for n in names], fontsize=8)
    ax.set_ylabel("error (%)")
    ax.legend(fontsize=8)
    ax.set_title(f"Fashion-MNIST, {n_train} training images, {epochs} epochs", fontsize=9)
    files = [save_figure(fig, out / "synthesis_dev_error.png")]
    image_grid(np.concatenate([X_dev[:8], X_dev_foggy[:8], X_train[:8]]), ncols=8, path=out / "synthesis_examples.png",
               suptitle="rows: clean dev, foggy dev (target), training mix")
    files.append(out / "synthesis_examples.png")
    return {"n_train": n_train, "epochs": epochs, "errors": results}, files


# ----------------------------------------------------------------------------
# Transfer learning: 8 classes -> the other 2 with 100 examples
# ----------------------------------------------------------------------------
SOURCE_CLASSES = (1, 2, 3, 4, 5, 7, 8, 9)
TARGET_CLASSES = (0, 6)  # T-shirt/top vs Shirt: the hardest pair of Fashion-MNIST


def run_transfer(out_dir, quick=True, seed=0):
    """Pre-train on 8 classes, fine-tune on T-shirt vs Shirt with 100 examples, against training from scratch."""
    import keras

    from course_cnn.plots import new_figure, save_figure
    from course_cnn.strategy.transfer import pretrain_then_finetune

    out = Path(out_dir)
    n_source, src_epochs = (3000, 1) if quick else (24000, 3)
    repeats, ft_epochs = (1, 15) if quick else (3, 40)
    (Xa, ya), _ = fashion(n_source, 0, seed=seed, classes=SOURCE_CLASSES)
    ya = np.searchsorted(SOURCE_CLASSES, ya)  # labels 0..7
    (_, _), (Xb_test, yb_test) = fashion(0, 2000, seed=seed, classes=TARGET_CLASSES)
    yb_test = (yb_test == TARGET_CLASSES[1]).astype(np.int64)
    keras.utils.set_random_seed(seed)
    source = small_cnn((28, 28, 1), len(SOURCE_CLASSES), "source")
    _fit_classifier(source, Xa, ya, src_epochs)
    source_weights = source.get_weights()
    rows = {"from scratch": [], "transfer, frozen body": [], "transfer, fine-tune all": []}
    for r in range(repeats):
        (Xb, yb), _ = fashion(100, 0, seed=100 + r, classes=TARGET_CLASSES)
        yb = (yb == TARGET_CLASSES[1]).astype(np.int64)
        keras.utils.set_random_seed(r)
        scratch = _fit_classifier(small_cnn((28, 28, 1), 2, f"scratch{r}"), Xb, yb, ft_epochs, batch_size=32)
        rows["from scratch"].append(error_rate(scratch, Xb_test, yb_test))
        for label, freeze, lr in (("transfer, frozen body", "body", 3e-3), ("transfer, fine-tune all", "none", 3e-4)):
            source.set_weights(source_weights)
            for layer in source.layers:
                layer.trainable = True
            keras.utils.set_random_seed(r)
            result = pretrain_then_finetune(source, (Xa, ya), (Xb, yb), 2, freeze=freeze, pretrain_epochs=0,
                                            finetune_epochs=ft_epochs, finetune_learning_rate=lr, batch_size=32)
            rows[label].append(error_rate(result.model, Xb_test, yb_test))
    summary = {k: {"mean": float(np.mean(v)), "runs": v} for k, v in rows.items()}
    fig, ax = new_figure(figsize=(5.6, 3.2))
    names = list(summary)
    ax.bar(range(3), [summary[n]["mean"] for n in names], color=["#bdbdbd", "#74c476", "#31a354"])
    for i, n in enumerate(names):
        ax.plot([i] * len(rows[n]), rows[n], "k.", ms=4)
        ax.text(i, summary[n]["mean"] + 0.5, f"{summary[n]['mean']:.1f}%", ha="center", fontsize=8)
    ax.set_xticks(range(3), [n.replace(", ", ",\n") for n in names], fontsize=8)
    ax.set_ylabel("test error, T-shirt vs Shirt (%)")
    ax.set_title(f"100 target examples; source: {n_source} images of 8 other classes", fontsize=9)
    files = [save_figure(fig, out / "transfer_error.png")]
    return {"n_source": n_source, "source_epochs": src_epochs, "finetune_epochs": ft_epochs, "repeats": repeats,
            "errors": summary}, files


# ----------------------------------------------------------------------------
# Multi-task learning: 4 kinds of objects, a quarter of the labels missing
# ----------------------------------------------------------------------------
def make_shapes(m, size=32, seed=0):
    """Images with up to four kinds of objects (square, ring, bar, cross) and their (m, 4) presence labels."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.1, 0.05, (m, size, size)).astype(np.float32)
    Y = (rng.random((m, 4)) < 0.5).astype(np.float32)
    yy, xx = np.mgrid[:size, :size]
    for i in range(m):
        for kind in np.flatnonzero(Y[i]):
            r = rng.integers(3, 6)
            cy, cx = rng.integers(r, size - r, size=2)
            if kind == 0:    # filled square
                shape = (abs(yy - cy) <= r) & (abs(xx - cx) <= r)
            elif kind == 1:  # ring
                d = np.hypot(yy - cy, xx - cx)
                shape = (d <= r) & (d >= r - 1.5)
            elif kind == 2:  # horizontal bar
                shape = (abs(yy - cy) <= 1) & (abs(xx - cx) <= r + 2)
            else:            # diagonal cross
                shape = ((abs((yy - cy) - (xx - cx)) <= 1) | (abs((yy - cy) + (xx - cx)) <= 1)) & \
                        (abs(yy - cy) <= r) & (abs(xx - cx) <= r)
            X[i][shape] = rng.uniform(0.6, 1.0)
    return np.clip(X, 0, 1)[..., None], Y  # (m, size, size, 1), (m, 4)


def _joint_errors(X, Y_missing, X_test, Y_test, width, epochs, seed):
    """Train one multi-task net (pooled trunk at ``width``); per-task test errors (%) and its parameter count."""
    import keras

    from course_cnn.strategy.multitask import MaskedBinaryCrossentropy, multitask_model

    keras.utils.set_random_seed(seed)
    trunk = small_cnn((32, 32, 1), 1, "trunk", width=width, pooled=True)
    trunk = keras.Model(trunk.inputs, trunk.get_layer("trunk_dense").output, name="trunk")
    joint = multitask_model(trunk, 4)
    joint.compile(optimizer="adam", loss=MaskedBinaryCrossentropy())
    joint.fit(X, Y_missing, epochs=epochs, batch_size=32, verbose=0)
    errors = 100 * np.mean((joint.predict(X_test, verbose=0) > 0.5) != (Y_test > 0.5), axis=0)
    return [float(e) for e in errors], int(joint.count_params())


def _separate_errors(X, Y, Y_missing, X_test, Y_test, width, epochs, seed):
    """Train one single-task net per task on the images where its label is present."""
    import keras

    errors, params = [], 0
    for t in range(Y.shape[1]):
        keep = ~np.isnan(Y_missing[:, t])
        keras.utils.set_random_seed(seed + t)
        single = small_cnn((32, 32, 1), 1, f"task{t}", width=width, activation="sigmoid", pooled=True)
        single.compile(optimizer="adam", loss="binary_crossentropy")
        single.fit(X[keep], Y[keep, t], epochs=epochs, batch_size=32, verbose=0)
        params += single.count_params()
        errors.append(float(100 * np.mean((single.predict(X_test, verbose=0)[:, 0] > 0.5) != (Y_test[:, t] > 0.5))))
    return errors, int(params)


def run_multitask(out_dir, quick=True, seed=0, n_train=None, epochs=None):
    """One multi-task network vs four separate networks with the same total parameters and epochs.

    Two budgets in the full run: the joint net at width 1 and at width 2,
    the separate nets each at the width that matches the joint net's
    parameter count.
    """
    from course_cnn.plots import image_grid, new_figure, save_figure

    out = Path(out_dir)
    default_n, default_epochs = (400, 4) if quick else (1200, 15)
    n_train, epochs = n_train or default_n, epochs or default_epochs
    X, Y = make_shapes(n_train, seed=seed)
    X_test, Y_test = make_shapes(1000, seed=seed + 1)
    rng = np.random.default_rng(seed)
    Y_missing = np.where(rng.random(Y.shape) < 0.25, np.nan, Y).astype(np.float32)  # a quarter are "?"
    budgets = []
    for joint_width in ((1.0,) if quick else (1.0, 2.0)):
        err_joint, p_joint = _joint_errors(X, Y_missing, X_test, Y_test, joint_width, epochs, seed)
        width = _matching_width(p_joint)
        err_sep, p_sep = _separate_errors(X, Y, Y_missing, X_test, Y_test, width, epochs, seed)
        budgets.append({"joint_width": joint_width, "separate_width": width, "params_multitask": p_joint,
                        "params_separate": p_sep, "error_multitask": err_joint, "error_separate": err_sep})
    fig, axes = new_figure(1, len(budgets), figsize=(4.2 * len(budgets), 3.3), sharey=True)
    xs, names = np.arange(5), ["square", "ring", "bar", "cross", "mean"]
    for ax, b in zip(np.atleast_1d(axes), budgets):
        ax.bar(xs - 0.18, [*b["error_multitask"], np.mean(b["error_multitask"])], 0.36, color="#6baed6",
               label=f"one multi-task net ({b['params_multitask']:,} params)")
        ax.bar(xs + 0.18, [*b["error_separate"], np.mean(b["error_separate"])], 0.36, color="#fdae6b",
               label=f"4 separate nets ({b['params_separate']:,} params)")
        ax.set_xticks(xs, names, fontsize=8)
        ax.legend(fontsize=7)
        ax.set_title(f"budget ~{b['params_multitask'] // 1000}k parameters", fontsize=9)
    np.atleast_1d(axes)[0].set_ylabel(f"test error (%), {n_train} images, {epochs} epochs")
    files = [save_figure(fig, out / "multitask_error.png")]
    image_grid(X[:8], titles=[",".join("?" if np.isnan(v) else str(int(v)) for v in row) for row in Y_missing[:8]],
               ncols=8, path=out / "multitask_examples.png", suptitle="labels (square, ring, bar, cross); ? = missing")
    files.append(out / "multitask_examples.png")
    return {"n_train": n_train, "epochs": epochs, "budgets": budgets}, files


def _matching_width(budget):
    """The width at which four single-output small (pooled) CNNs have about ``budget`` parameters together."""
    best = None
    for width in np.arange(0.25, 2.01, 0.0625):
        params = 4 * small_cnn((32, 32, 1), 1, "probe", width=float(width), pooled=True).count_params()
        if best is None or abs(params - budget) < abs(best[1] - budget):
            best = (float(width), params)
    return best[0]
