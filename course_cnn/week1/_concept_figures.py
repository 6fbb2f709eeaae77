"""Concept diagrams of docs/week1/ (padding, stride, volumes, one layer, why convolutions).

Run ``python -m course_cnn.docs_figures week1_concepts`` (or this module) to
redraw them. Every size on a figure comes from ``conv_output_shape``,
``conv_parameter_count`` and ``dense_parameter_count``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from course_cnn import _diagrams as D


def _counts_panel(ax, n, f, stride, pad, title, windows):
    """One input grid with, in each cell, how many windows read it; ``windows`` are outlined."""
    counts = D.window_counts(n, f, stride, pad)
    size = n + 2 * pad
    fill = [[D.COLORS["pad"] if min(r, c) < pad or max(r, c) >= n + pad else
             (D.COLORS["unread"] if counts[r, c] == 0 else D.COLORS["input"]) for c in range(size)]
            for r in range(size)]
    values = [[("" if min(r, c) < pad or max(r, c) >= n + pad else counts[r, c]) for c in range(size)]
              for r in range(size)]
    D.grid(ax, size, size, fill=fill, values=values, fontsize=10)
    palette = ["#cc0000", "#1155cc", "#38761d", "#b45f06"]
    for k, (r, c) in enumerate(windows):
        D.window(ax, r, c, f, color=palette[k % 4], inset=0.06 + 0.07 * (k % 4), lw=2.2)
    ax.set_title(title, fontsize=10)
    D.blank(ax, (-0.3, size + 0.3), (-size - 0.3, 0.3))


def padding_figure(path):
    """Valid vs same padding of a 6x6 input by a 3x3 filter, with each pixel's window count."""
    from course_cnn.week1 import conv_output_shape, same_padding

    n, f = 6, 3
    p = same_padding(f)
    fig, axes = D.figure(3.9, ncols=2)
    for ax, pad, name in ((axes[0], 0, "valid"), (axes[1], p, "same")):
        n_out = conv_output_shape((n, n, 1), f, 1, pad=pad)[0]
        last = n + 2 * pad - f
        _counts_panel(ax, n, f, 1, pad, f"{name}: p = {pad}, output {n_out}x{n_out}", [(0, 0), (last, last)])
    fig.suptitle(f"{n}x{n} input, {f}x{f} filter, stride 1: number in a cell = windows that read it "
                 "(grey: zero padding)", fontsize=10)
    return D.save(fig, path)


def stride_figure(path):
    """Stride 1 vs stride 2 on a 6x6 input: stride 2 never reads the last row and column."""
    from course_cnn.week1 import conv_output_shape

    n, f = 6, 3
    fig, axes = D.figure(3.9, ncols=2)
    for ax, s in zip(axes, (1, 2)):
        n_out = conv_output_shape((n, n, 1), f, 1, stride=s)[0]
        first_row = [(0, j * s) for j in range(n_out)]
        windows = first_row if s == 1 else [(i * s, j * s) for i in range(n_out) for j in range(n_out)]
        title = f"stride {s}: floor(({n} - {f})/{s}) + 1 = {n_out}, output {n_out}x{n_out}"
        _counts_panel(ax, n, f, s, 0, title, windows)
    fig.suptitle("numbers: windows that read each pixel; red cells: read by no window", fontsize=10)
    return D.save(fig, path)


def _slices(ax, x, y, side, n_C, colors, label, step=0.5):
    """``n_C`` square slices of ``side`` cells, each offset up-right: one channel each."""
    from matplotlib.patches import Rectangle

    for k in reversed(range(n_C)):
        ax.add_patch(Rectangle((x + k * step, y + k * step), side, side, facecolor=colors[k % len(colors)],
                               edgecolor="#333333", linewidth=0.8))
        for t in range(1, side):
            ax.plot([x + k * step + t, x + k * step + t], [y + k * step, y + k * step + side], color="#777777", lw=0.3)
            ax.plot([x + k * step, x + k * step + side], [y + k * step + t, y + k * step + t], color="#777777", lw=0.3)
    ax.text(x + side / 2 + (n_C - 1) * step / 2, y - 0.5, label, ha="center", va="top", fontsize=10)


def volume_figure(path):
    """A 6x6x3 input convolved with two 3x3x3 filters: the filter's depth is the input's channels."""
    from course_cnn.week1 import conv_output_shape, conv_parameter_count

    n, n_C_prev, f, n_filters = 6, 3, 3, 2
    n_out, _, n_C = conv_output_shape((n, n, n_C_prev), f, n_filters)
    rgb = ["#f4cccc", "#d9ead3", "#cfe2f3"]
    fig, ax = D.figure(3.3)
    _slices(ax, 0, 0, n, n_C_prev, rgb, f"input {n}x{n}x{n_C_prev}\n(R, G, B)")
    ax.text(8.6, 3, "*", fontsize=20, ha="center", va="center")
    _slices(ax, 9.6, 3.4, f, n_C_prev, rgb, "")
    _slices(ax, 9.6, -0.6, f, n_C_prev, ["#f9cb9c"] * 3, "")
    ax.text(11.6, -1.2, f"{n_filters} filters {f}x{f}x{n_C_prev}\ndepth = input channels", ha="center",
            va="top", fontsize=10)
    ax.text(15.2, 3, "=", fontsize=20, ha="center", va="center")
    _slices(ax, 16.5, 0.5, n_out, n_C, ["#b6d7a8", "#93c47d"], f"output {n_out}x{n_out}x{n_C}\none channel per filter")
    params = conv_parameter_count(f, n_C_prev, n_filters)
    ax.text(11.6, 8.4, f"each output number: {f}x{f}x{n_C_prev} = {f * f * n_C_prev} products + bias;"
            f"  {params} parameters in all", ha="center", fontsize=10)
    D.blank(ax, (-0.5, 22.5), (-3.2, 9.2))
    return D.save(fig, path)


def one_layer_figure(path):
    """One conv layer's shapes: a[l-1] -> W*a + b -> ReLU -> a[l], with its parameter count."""
    from course_cnn.week1 import conv_output_shape, conv_parameter_count

    n, n_C_prev, f, n_filters = 6, 3, 3, 2
    n_out, _, n_C = conv_output_shape((n, n, n_C_prev), f, n_filters)
    fig, ax = D.figure(2.9)
    D.cuboid(ax, 0, 0, 3.0, 3.0, 1.5, D.COLORS["input"], f"a[l-1]\n{n}x{n}x{n_C_prev}", slices=n_C_prev)
    D.arrow(ax, (4.2, 1.5), (6.6, 1.5), f"* {n_filters} filters\n{f}x{f}x{n_C_prev}", fontsize=10)
    D.cuboid(ax, 7.0, 0.5, 2.0, 2.0, 1.0, D.COLORS["output"], f"W*a + b = z[l]\n{n_out}x{n_out}x{n_C}",
             slices=n_C)
    D.arrow(ax, (9.9, 1.5), (12.1, 1.5), "ReLU", fontsize=10)
    D.cuboid(ax, 12.5, 0.5, 2.0, 2.0, 1.0, D.COLORS["act"], f"a[l] = g(z[l])\n{n_out}x{n_out}x{n_C}", slices=n_C)
    small = conv_parameter_count(f, n_C_prev, n_filters)
    lecture = conv_parameter_count(f, n_C_prev, 10)
    ax.text(8.0, 4.6, f"parameters: {n_filters} x ({f}*{f}*{n_C_prev} + 1) = {small};  with 10 filters: {lecture},"
            " whatever the image size", ha="center", fontsize=10)
    D.blank(ax, (-0.5, 16.5), (-2.1, 5.2))
    return D.save(fig, path)


def why_convolutions_figure(path):
    """Parameters of a conv layer vs a dense layer for the lecture's 32x32x3 -> 28x28x6, and one output's inputs."""
    from matplotlib.patches import Rectangle

    from course_cnn.week1 import conv_output_shape, conv_parameter_count, dense_parameter_count

    in_shape, f, n_filters = (32, 32, 3), 5, 6
    out_shape = conv_output_shape(in_shape, f, n_filters)
    n_in, n_out = int(np.prod(in_shape)), int(np.prod(out_shape))
    conv, dense = conv_parameter_count(f, in_shape[-1], n_filters), dense_parameter_count(n_in, n_out)
    fig, (ax, ax2) = D.figure(3.2, ncols=2, width_ratios=[1, 1.1])
    bars = ax.bar(["conv 5x5, 6 filters", "dense layer"], [conv, dense], color=[D.COLORS["output"], D.COLORS["dense"]],
                  edgecolor="#333333")
    ax.set_yscale("log")
    ax.set_ylim(10, dense * 30)
    for bar, value in zip(bars, (conv, dense)):
        ax.text(bar.get_x() + bar.get_width() / 2, value * 1.3, f"{value:,}", ha="center", va="bottom", fontsize=10)
    ax.set_ylabel("parameters (log scale)", fontsize=10)
    ax.set_title("{}x{}x{} -> {}x{}x{}".format(*in_shape, *out_shape), fontsize=10)
    ax.tick_params(labelsize=10)
    # sparse connections: one output number reads one 3x3 window of a 6x6 input
    D.grid(ax2, 6, 6, x0=0, y0=6, fill=D.COLORS["input"])
    D.window(ax2, 1, 2, 3, x0=0, y0=6, color="#cc0000")
    D.grid(ax2, 4, 4, x0=8.5, y0=5, fill=D.COLORS["output"])
    out_x, out_y = D.cell_xy(1, 2, 8.5, 5)
    for r in range(1, 4):
        for c in range(2, 5):
            x, y = D.cell_xy(r, c, 0, 6)
            ax2.plot([x + 0.5, out_x + 0.5], [y + 0.5, out_y + 0.5], color="#cc0000", lw=0.6)
    ax2.add_patch(Rectangle((out_x, out_y), 1, 1, facecolor="#cc0000", alpha=0.5))
    ax2.set_title("sparse: one output reads 9 of 36 inputs\nshared: same 9 weights at every position",
                  fontsize=10)
    D.blank(ax2, (-0.3, 12.8), (-0.5, 6.3))
    return D.save(fig, path)


def edge_example_figure(path):
    """The lecture's 6x6 image (10s then 0s) convolved with the vertical-edge filter, every number shown."""
    from course_cnn.week1 import detect_edges, vertical_edge_filter

    image = np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=float)
    kernel = vertical_edge_filter()
    edges = detect_edges(image, kernel)  # (4, 4)
    fig, ax = D.figure(2.9)
    grey = [["#f2f2f2" if v > 0 else "#9e9e9e" for v in row] for row in image]
    D.grid(ax, 6, 6, x0=0, y0=6, fill=grey, values=image.astype(int), fontsize=10)
    D.window(ax, 0, 1, 3, x0=0, y0=6, color="#cc0000")
    ax.text(7.0, 3, "*", fontsize=20, ha="center", va="center")
    D.grid(ax, 3, 3, x0=8.0, y0=4.5, fill=D.COLORS["filter"], values=kernel.astype(int), fontsize=10)
    ax.text(12.0, 3, "=", fontsize=20, ha="center", va="center")
    out_fill = [["#ffffff" if v > 0 else "#9e9e9e" for v in row] for row in edges]
    D.grid(ax, 4, 4, x0=13.0, y0=5, fill=out_fill, values=edges.astype(int), fontsize=10)
    D.window(ax, 0, 1, 1, x0=13.0, y0=5, color="#cc0000")
    ax.text(3, -0.4, "6x6 image: bright | dark", ha="center", va="top", fontsize=10)
    ax.text(9.5, 1.1, "vertical-edge filter", ha="center", va="top", fontsize=10)
    ax.text(15, 0.6, f"{edges.shape[0]}x{edges.shape[1]} output", ha="center", va="top", fontsize=10)
    ax.text(10.0, 6.5, "red window: 3x10 - 3x0 = 30", ha="center", fontsize=10, color="#cc0000")
    D.blank(ax, (-0.3, 17.3), (-1.2, 7.1))
    return D.save(fig, path)


FIGURES = {
    "padding_windows.png": padding_figure,
    "stride_windows.png": stride_figure,
    "volume_convolution.png": volume_figure,
    "one_layer_shapes.png": one_layer_figure,
    "conv_vs_dense_parameters.png": why_convolutions_figure,
    "edge_example_numbers.png": edge_example_figure,
}


def main(out_dir="docs/week1/img"):
    """Draw every figure of :data:`FIGURES` into ``out_dir`` and return the paths."""
    out = Path(out_dir)
    return [make(out / name) for name, make in FIGURES.items()]


if __name__ == "__main__":
    for written in main(*sys.argv[1:]):
        print(written)
