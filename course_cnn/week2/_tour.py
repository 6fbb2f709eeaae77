"""Week 2's tour demos: the architectures side by side, and augmented samples of a photo."""

from __future__ import annotations

import csv
from pathlib import Path

from course_cnn.tour import Demo, DemoResult


def _architectures(out_dir: Path, quick: bool) -> DemoResult:
    from course_cnn.week2.inception import conv_multiplications
    from course_cnn.week2.summary import ARCHITECTURES, architecture_table

    names = [n for n in ARCHITECTURES if not (quick and n in ("AlexNet", "VGG-16", "MobileNetV2 base"))]
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

    size = 96 if quick else 160
    china = load_photo("china")  # an asymmetric scene: mirroring and crops are visible (a centred flower hid them)
    side = min(china.shape[:2])
    square = china[:side, (china.shape[1] - side) // 2:(china.shape[1] + side) // 2]
    photo = np.asarray(Image.fromarray(square).resize((size, size))).astype("float32") / 255.0
    n = 4 if quick else 8
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


DEMOS = [
    Demo("week2-architectures", "Week 2: case-study architectures side by side", _architectures),
    Demo("week2-augmentation", "Week 2: data augmentation", _augmentation),
]
