"""Week 2's tour demos: the architectures side by side, and augmented samples of a photo."""

from __future__ import annotations

import csv
from pathlib import Path

from course_cnn.tour import Demo, DemoResult

# What each demo builds or shows, with --quick and without; the test suite shrinks them to check the wiring fast.
QUICK = dict(
    skipped=("AlexNet", "VGG-16", "MobileNetV2 base"),  # architectures not built (the biggest, seconds each)
    augmentation=dict(size=96, samples=4),               # photo side (px) and samples per augmenter
    depthwise_channels=64,                               # n_C of the layer timed in numpy
)
FULL = dict(skipped=(), augmentation=dict(size=160, samples=8), depthwise_channels=None)  # None: the real layer's


def _architectures(out_dir: Path, quick: bool) -> DemoResult:
    from course_cnn.week2.inception import conv_multiplications
    from course_cnn.week2.summary import ARCHITECTURES, architecture_table

    names = [n for n in ARCHITECTURES if n not in (QUICK if quick else FULL)["skipped"]]
    rows = architecture_table(names)
    table = out_dir / "architectures.csv"
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    text = out_dir / "architectures.txt"
    lines = [f"{'architecture':<26}{'parameters':>14}{'conv+dense':>12}  output   (conv+dense counts shortcut convs)"]
    lines += [f"{r['name']:<26}{r['params']:>14,}{r['weighted_layers']:>12}  {r['output']}" for r in rows]
    direct = conv_multiplications((28, 28, 192), 5, 32)
    bottleneck = conv_multiplications((28, 28, 192), 5, 32, bottleneck=16)
    lines += ["", f"5x5 conv 28x28x192 -> 28x28x32: {direct:,} multiplications directly, "
              f"{bottleneck:,} through a 16-channel 1x1 bottleneck ({direct / bottleneck:.1f}x fewer)"]
    if quick:
        lines.append("(quick run: AlexNet, VGG-16 and MobileNetV2 skipped; run without --quick to build them)")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    figure = _parameter_chart([r["name"] for r in rows], [r["params"] for r in rows], quick, out_dir / "parameters.png")
    biggest = max(rows, key=lambda r: r["params"])
    return DemoResult(f"{len(rows)} architectures built; largest {biggest['name']} with {biggest['params']:,} "
                      f"parameters; 1x1 bottleneck cuts {direct / 1e6:.0f}M to {bottleneck / 1e6:.1f}M multiplications",
                      [text, table, figure])


def _parameter_chart(names, params, quick, path):
    """Horizontal bars of parameter counts, largest on top, on a labelled log axis."""
    from matplotlib.ticker import LogLocator

    from course_cnn.plots import new_figure, save_figure

    order = sorted(range(len(names)), key=lambda k: params[k])  # barh draws bottom-up: largest on top
    fig, ax = new_figure(figsize=(7.5, 0.45 * len(names) + 1.6))
    ax.barh([names[k] for k in order], [params[k] for k in order], color="tab:blue")
    for y, k in enumerate(order):
        ax.text(params[k] * 1.15, y, f"{params[k] / 1e6:.2f}M" if params[k] >= 1e5 else f"{params[k]:,}", va="center",
                fontsize=8)
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10))
    ax.set_xlim(right=max(params) * 8)
    ax.set_xlabel("trainable + non-trainable parameters (log scale: each tick is 10x)")
    title = "Parameters of the week 2 architectures as built here"
    if quick:
        title += "\n(quick run: AlexNet, VGG-16 and MobileNetV2 skipped; drop --quick to add them)"
    ax.set_title(title, fontsize=10)
    return save_figure(fig, path)


def _augmentation(out_dir: Path, quick: bool) -> DemoResult:
    import numpy as np
    from PIL import Image

    from course_cnn.datasets import load_photo
    from course_cnn.week2.augmentation import PCAColorAugmentation, augmented_samples, crop_and_mirror, data_augmenter

    budget = (QUICK if quick else FULL)["augmentation"]
    size, n = budget["size"], budget["samples"]
    china = load_photo("china")  # an asymmetric scene: mirroring and crops are visible (a centred flower hid them)
    side = min(china.shape[:2])
    square = china[:side, (china.shape[1] - side) // 2:(china.shape[1] + side) // 2]
    photo = np.asarray(Image.fromarray(square).resize((size, size))).astype("float32") / 255.0
    files = []
    for key, augmenter, title in (
        ("data_augmenter", data_augmenter(seed=0), "course: random flip + rotation (0.2)"),
        ("crop_and_mirror", crop_and_mirror((int(size * 0.6),) * 2, seed=0), "random 60% crops + mirror"),
        ("pca_colour", PCAColorAugmentation(std=1.0, seed=0), "AlexNet PCA colour shift (std 1.0, 10x exaggerated)"),
    ):
        path = out_dir / f"{key}.png"
        augmented_samples(photo, augmenter, n=n, path=path, title=title)
        files.append(path)
    return DemoResult(f"{n} augmented samples each for flip+rotation, crop+mirror and PCA colour", files)


def _depthwise_cost(out_dir: Path, quick: bool) -> DemoResult:
    import time

    import numpy as np

    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week1 import conv_forward
    from course_cnn.week2 import depthwise_separable_conv_forward
    from course_cnn.week2._mobile_figures import LECTURE, REAL_LAYER, cost_bars, layer_costs

    lecture, real = layer_costs(**LECTURE), layer_costs(**REAL_LAYER)
    lines = []
    for row in (lecture, real):
        lines.append(f"{row['name']}: normal {row['normal']:,} multiplications; depthwise {row['depthwise']:,} + "
                     f"pointwise {row['pointwise']:,} = {row['depthwise'] + row['pointwise']:,} "
                     f"(ratio {row['ratio']:.4f} = 1/n_C + 1/f^2 = {row['formula']:.4f})")
    # the same real layer, timed in numpy: week 1's conv_forward vs depthwise + pointwise (fewer channels when quick)
    n_C = (QUICK if quick else FULL)["depthwise_channels"] or REAL_LAYER["n_C"]
    rng = np.random.default_rng(0)
    A_prev = rng.standard_normal((4, 14, 14, n_C)).astype(np.float32)
    W, b = rng.standard_normal((3, 3, n_C, n_C)).astype(np.float32), np.zeros((1, 1, 1, n_C), np.float32)
    W_dw, W_pw = rng.standard_normal((3, 3, n_C)).astype(np.float32), rng.standard_normal((1, 1, n_C, n_C)).astype(np.float32)
    hp, seconds = {"stride": 1, "pad": 1}, {}
    for key, run in (("normal", lambda: conv_forward(A_prev, W, b, hp)),
                     ("separable", lambda: depthwise_separable_conv_forward(A_prev, W_dw, b, W_pw, b, hp))):
        run()
        start = time.perf_counter()
        for _ in range(3):
            run()
        seconds[key] = (time.perf_counter() - start) / 3
    lines.append(f"numpy, 4 images of 14x14x{n_C} -> 14x14x{n_C}: conv_forward {seconds['normal'] * 1e3:.1f} ms, "
                 f"depthwise_separable_conv_forward {seconds['separable'] * 1e3:.1f} ms "
                 f"({seconds['normal'] / seconds['separable']:.1f}x faster; counted: {1 / (1 / n_C + 1 / 9):.1f}x)")
    text = out_dir / "depthwise_cost.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fig, axes = new_figure(1, 2, figsize=(8, 3.4))
    cost_bars(axes[0], lecture)
    cost_bars(axes[1], real)
    figure = save_figure(fig, out_dir / "depthwise_cost.png", dpi=80)
    return DemoResult(f"depthwise-separable: {lecture['depthwise'] + lecture['pointwise']:,} vs {lecture['normal']:,} "
                      f"multiplications (lecture), {real['ratio']:.3f} of a normal conv on a real MobileNet layer",
                      [text, figure])


DEMOS = [
    Demo("week2-architectures", "Week 2: case-study architectures side by side", _architectures),
    Demo("week2-augmentation", "Week 2: data augmentation", _augmentation),
    Demo("week2-depthwise", "Week 2: depthwise-separable vs normal convolution, counted and timed", _depthwise_cost),
]
