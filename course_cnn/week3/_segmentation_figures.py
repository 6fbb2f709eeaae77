"""Regenerate the figures of the week-3 segmentation and region-proposal pages.

Usage (from the repository root; seconds, no training)::

    python -m course_cnn.week3._segmentation_figures [OUT_DIR]

writes PNGs into ``docs/week3/img`` (or OUT_DIR). ``unet_scenes.png`` (a
trained U-Net's masks) comes from ``benchmarks/week3_unet_scenes.py --figure``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def _grid(ax, values, title, cmap="Blues", vmax=None, fmt="{:g}", box=None):
    """A matrix drawn as cells with its numbers written in."""
    values = np.asarray(values, dtype=float)
    ax.imshow(values, cmap=cmap, vmin=0, vmax=vmax if vmax is not None else max(values.max(), 1))
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=8)
    ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="grey", linewidth=0.6)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    if box is not None:  # (r0, c0, r1, c1), exclusive ends: a red frame
        from matplotlib.patches import Rectangle

        r0, c0, r1, c1 = box
        ax.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0, r1 - r0, fill=False, edgecolor="red", linewidth=2))
    ax.set_title(title, fontsize=8)


def transposed_conv_figure(out):
    """The lecture's example: each input value's copy of the filter, their sum, and three crops."""
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3 import conv_transpose_forward

    A_prev = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]])
    zero_b = np.zeros((1, 1, 1, 1))
    fig, axes = new_figure(2, 4, figsize=(11, 5.6))
    for k, (h, w) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        copy = np.zeros((5, 5))
        copy[2 * h:2 * h + 3, 2 * w:2 * w + 3] = A_prev[h, w] * W  # one input value times the filter
        _grid(axes[0, k], copy, f"A[{h},{w}] = {A_prev[h, w]:g} times W, at ({2 * h}, {2 * w})", vmax=16)
    full = conv_transpose_forward(A_prev.reshape(1, 2, 2, 1), W.reshape(3, 3, 1, 1), zero_b, {"stride": 2, "pad": 0})
    full = full[0][0, :, :, 0]
    _grid(axes[1, 0], full, "sum: full 5x5 output, (2-1)*2 + 3 = 5", vmax=16)
    _grid(axes[1, 1], full, "pad = 1 on every side: 3x3\n(2-1)*2 + 3 - 2*1 = 3", vmax=16, box=(1, 1, 4, 4))
    _grid(axes[1, 2], full, "the lecture's 4x4: crop 1 at top/left only", vmax=16, box=(1, 1, 5, 5))
    _grid(axes[1, 3], full, 'pad = "same" (TensorFlow): 2*2 = 4,\ncrop 0 at top/left, 1 at bottom/right', vmax=16,
          box=(0, 0, 4, 4))
    fig.suptitle("Transposed convolution, 2x2 input [[1, 2], [3, 4]], 3x3 filter [[1,2,1],[2,4,2],[1,2,1]], "
                 "stride 2", fontsize=10)
    return save_figure(fig, out / "transposed_conv.png", dpi=80)


def checkerboard_figure(out):
    """How many filter copies land on each output cell, for a constant input: even only when s divides f."""
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3 import conv_transpose_forward

    ones = np.ones((1, 6, 6, 1))
    cases = [(3, 2), (4, 2), (3, 3), (5, 3)]
    fig, axes = new_figure(1, len(cases), figsize=(12, 3.4))
    for ax, (f, s) in zip(axes, cases):
        Z, _ = conv_transpose_forward(ones, np.ones((f, f, 1, 1)), np.zeros((1, 1, 1, 1)), {"stride": s, "pad": "same"})
        counts = Z[0, :, :, 0]
        ax.imshow(counts, cmap="magma", vmin=0, vmax=counts.max(), interpolation="nearest")
        inner = sorted({int(v) for v in counts[2:-2, 2:-2].ravel()})  # away from the cropped border
        ax.set_title(f"f = {f}, stride = {s}\ncopies per cell: {', '.join(map(str, inner))}", fontsize=9)
        ax.axis("off")
    fig.suptitle("A constant 6x6 input through a transposed convolution of ones (\"same\"): "
                 "a checkerboard whenever the stride does not divide f", fontsize=9)
    return save_figure(fig, out / "checkerboard.png", dpi=80)


def scenes_figure(out):
    """Generated training scenes and their exact masks."""
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3 import make_segmentation_arrays

    scenes = make_segmentation_arrays(6, seed=0)
    fig, axes = new_figure(2, 6, figsize=(13, 3.6))
    for i in range(6):
        axes[0, i].imshow(scenes.images[i])
        axes[1, i].imshow(scenes.masks[i, ..., 0], cmap="tab10", vmin=0, vmax=9, interpolation="nearest")
        axes[0, i].axis("off")
        axes[1, i].axis("off")
    names = ", ".join(f"{k} {name}" for k, name in enumerate(scenes.class_names))
    fig.suptitle(f"make_segmentation_scenes: images and exact masks (class ids {names})", fontsize=9)
    return save_figure(fig, out / "segmentation_scenes.png", dpi=70)


def roi_pool_figure(out):
    """A feature map, one box cut into 2x2 bins, and the pooled maxima."""
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3 import roi_pool

    F = np.random.default_rng(3).integers(0, 10, size=(6, 8)).astype(float)
    box = (1, 1, 6, 5)  # x1, y1, x2, y2: 5 columns, 4 rows
    pooled = roi_pool(F[..., None], [box], 2)[0, ..., 0]
    fig, axes = new_figure(1, 2, figsize=(8, 3.4), width_ratios=[2.2, 1])
    _grid(axes[0], F, "feature map; box (x1, y1, x2, y2) = (1, 1, 6, 5)", vmax=12, box=(1, 1, 5, 6))
    # the bins: rows [1, 3), [3, 5); columns [1, 4), [3, 6) (ceil/floor: 5 columns into 2 bins share column 3)
    for c in (3.5,):
        axes[0].plot([c, c], [0.5, 4.5], color="red", linestyle="--", linewidth=1)
    axes[0].plot([2.5, 2.5], [0.5, 4.5], color="red", linestyle=":", linewidth=1)
    axes[0].plot([0.5, 5.5], [2.5, 2.5], color="red", linestyle="--", linewidth=1)
    _grid(axes[1], pooled, "roi_pool(F, box, 2): each bin's max", vmax=12)
    return save_figure(fig, out / "roi_pool.png", dpi=80)


def main(out_dir="docs/week3/img"):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for make in (transposed_conv_figure, checkerboard_figure, scenes_figure, roi_pool_figure):
        print(make(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
