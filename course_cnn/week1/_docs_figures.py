"""Regenerate the figures of docs/week1/ (run: python -m course_cnn.week1._docs_figures [out_dir]).

The training-curve figure comes from ``benchmarks/week1_lenet_fashion.py --figure``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def pooling_figure(path):
    """The lecture's 4x4 example pooled 2x2/2 with max and with average."""
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week1 import pool_forward

    x = np.array([[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]], dtype=float)
    panels = {
        "input 4x4": x,
        "max pool f=2, s=2": pool_forward(x[None, :, :, None], {"f": 2, "stride": 2})[0][0, :, :, 0],
        "average pool f=2, s=2": pool_forward(x[None, :, :, None], {"f": 2, "stride": 2}, "average")[0][0, :, :, 0],
    }
    fig, axes = new_figure(1, 3, figsize=(6.9, 2.6))
    for ax, (title, values) in zip(axes, panels.items()):
        ax.imshow(values, cmap="Blues", vmin=0, vmax=10)
        for (r, c), value in np.ndenumerate(values):
            ax.text(c, r, f"{value:g}", ha="center", va="center", fontsize=12, color="white" if value > 5 else "black")
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    return save_figure(fig, path)


def main(out_dir="docs/week1/img"):
    from course_cnn.datasets import load_digits_images, load_photo
    from course_cnn.week1 import plot_edge_responses, plot_feature_maps, train_lenet_style

    out = Path(out_dir)
    from course_cnn.plots import save_figure

    photo = load_photo("china")[::2, ::2]  # half size and a low dpi keep the PNG under 200 KB
    fig = plot_edge_responses(photo, title="Edge filters on a photo (|response|)")
    save_figure(fig, out / "edge_responses.png", dpi=60)
    # the 6x6 edge example is drawn with its numbers by _concept_figures.edge_example_figure
    pooling_figure(out / "pooling_example.png")
    result = train_lenet_style("digits", epochs=5, batch_size=32, verbose=0)
    digit = load_digits_images()[0][0]
    plot_feature_maps(result.model, digit, "relu1", path=out / "feature_maps_relu1.png")
    print(f"figures written to {out} (digits model test accuracy {result.test_accuracy:.3f})")


if __name__ == "__main__":
    main(*sys.argv[1:])
