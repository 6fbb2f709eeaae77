"""Regenerate the figures of the week-4 style pages into ``docs/week4/style/img``.

Run from the repository root::

    python -m course_cnn.week4.style._make_figures

It trains the small networks of the demos (about a minute of CPU) and runs
100 style-transfer steps on an UNTRAINED VGG-19 (no ImageNet weights exist
offline; the figure titles say so).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from course_cnn.week4.style import _tour

IMG = Path("docs/week4/style/img")


def _style_figures():
    from course_cnn.datasets import load_photo
    from course_cnn.plots import image_grid
    from course_cnn.week4.style import StyleTransfer, make_style_texture, plot_cost_history, plot_side_by_side

    image_grid(make_style_texture(256)[None], titles=["make_style_texture(256, seed=0)"], ncols=1,
               path=IMG / "style_texture.png")
    transfer = StyleTransfer(load_photo("china"), make_style_texture(256), size=160, weights=None, verbose=1,
                             snapshot_every=25)
    result = transfer.run(100)
    title = "100 steps at 160 px on an UNTRAINED VGG-19 (random weights)"
    plot_side_by_side(transfer.content, transfer.style, result, path=IMG / "transfer_untrained.png", title=title)
    plot_cost_history(transfer.history, path=IMG / "cost_untrained.png", title=title)
    steps = [0] + [step for step, _ in transfer.snapshots]
    images = [transfer.content[0]] + [image for _, image in transfer.snapshots]
    image_grid(images, titles=["content"] + [f"step {s}" for s in steps[1:]], ncols=len(images),
               path=IMG / "snapshots_untrained.png", suptitle="generated image during the optimisation (untrained VGG-19)")


def _copy(files, prefix=""):
    for file in files:
        target = IMG / f"{prefix}{Path(file).name}"
        target.write_bytes(Path(file).read_bytes())
        print("wrote", target)


def _shrink(path, max_bytes=200_000):
    """Quantise (then downscale) a PNG until it is under ``max_bytes``: the docs keep figures small."""
    from PIL import Image

    path = Path(path)
    scale = 1.0
    while path.stat().st_size > max_bytes and scale > 0.3:
        with Image.open(path) as img:
            img = img.convert("RGB")
            if scale < 1.0:
                img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
            img.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
        scale -= 0.15


def main():
    IMG.mkdir(parents=True, exist_ok=True)
    _style_figures()
    with tempfile.TemporaryDirectory() as tmp:
        result = _tour.run_convnet_features(Path(tmp), quick=False)
        print(result.summary)
        _copy(result.files)
    with tempfile.TemporaryDirectory() as tmp:
        result = _tour.run_conv_1d_3d(Path(tmp), quick=False)
        print(result.summary)
        _copy(result.files)
    for png in sorted(IMG.glob("*.png")):
        _shrink(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
