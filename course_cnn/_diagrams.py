"""Drawing helpers for the docs' concept diagrams (grids, volumes, blocks, arrows).

Every docs diagram is drawn at the width of the site's content column
(:data:`WIDTH` inches, saved at :data:`DPI`), so one point of font is one
point on the reader's screen; :func:`save` writes a palette PNG a few tens of
kilobytes large. Sizes written on a diagram come from the package's own
functions (``conv_output_shape``, ``conv_parameter_count``, a Keras model's
``output.shape``), never from typed numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: Width of a docs figure in inches: the 688-px content column at 100 dpi.
WIDTH = 6.9
#: Resolution of the saved PNG (1.4x the column, sharp on high-density screens).
DPI = 140
#: Fill colours used across the diagrams.
COLORS = {"input": "#cfe2f3", "filter": "#f9cb9c", "output": "#b6d7a8", "pad": "#e6e6e6",
          "act": "#d9d2e9", "pool": "#fff2cc", "dense": "#f4cccc", "unread": "#ea9999"}


def figure(height, width=WIDTH, nrows=1, ncols=1, **subplot_kw):
    """A figure of the column's width (``plots.new_figure`` with a fixed width)."""
    from course_cnn.plots import new_figure

    return new_figure(nrows, ncols, figsize=(width, height), **subplot_kw)


def blank(ax, xlim=None, ylim=None):
    """Turn ``ax`` into a drawing canvas: equal aspect, no ticks or frame."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    if xlim is not None:
        ax.set_xlim(*xlim)
    if ylim is not None:
        ax.set_ylim(*ylim)
    return ax


def grid(ax, n_rows, n_cols, x0=0.0, y0=0.0, cell=1.0, fill=None, values=None, fontsize=10, edge="#555555"):
    """Draw an ``n_rows x n_cols`` grid whose top-left corner is ``(x0, y0)`` (y grows upwards).

    ``fill`` is one colour or an ``(n_rows, n_cols)`` array of colours;
    ``values`` an array of numbers or strings written in the cells.
    """
    from matplotlib.patches import Rectangle

    for r in range(n_rows):
        for c in range(n_cols):
            colour = fill if fill is None or isinstance(fill, str) else fill[r][c]
            ax.add_patch(Rectangle(cell_xy(r, c, x0, y0, cell), cell, cell, facecolor=colour or "white",
                                   edgecolor=edge, linewidth=0.6))
            if values is not None and str(values[r][c]) != "":
                x, y = cell_xy(r, c, x0, y0, cell)
                ax.text(x + cell / 2, y + cell / 2, str(values[r][c]), ha="center", va="center", fontsize=fontsize)


def cell_xy(r, c, x0=0.0, y0=0.0, cell=1.0):
    """Lower-left corner of cell ``(r, c)`` of a grid whose top-left corner is ``(x0, y0)``."""
    return x0 + c * cell, y0 - (r + 1) * cell


def window(ax, r, c, f, x0=0.0, y0=0.0, cell=1.0, color="#cc0000", inset=0.0, lw=2.0, ls="-"):
    """Outline the ``f x f`` window whose top-left cell is ``(r, c)``."""
    from matplotlib.patches import Rectangle

    x, y = cell_xy(r + f - 1, c, x0, y0, cell)
    ax.add_patch(Rectangle((x + inset, y + inset), f * cell - 2 * inset, f * cell - 2 * inset, fill=False,
                           edgecolor=color, linewidth=lw, linestyle=ls))


def cuboid(ax, x, y, w, h, d, color, label=None, fontsize=10, slices=1, edge="#333333", label_below=True):
    """A volume ``w`` wide, ``h`` high and ``d`` deep, its front face's lower-left at ``(x, y)``.

    Depth is drawn at 45 degrees up and to the right; ``slices`` draws
    the channel boundaries. ``label`` is written under the front face.
    Returns the top-right-back corner, useful to place the next element.
    """
    from matplotlib.patches import Polygon

    dx, dy = d * 0.6, d * 0.6
    kw = {"edgecolor": edge, "linewidth": 0.8}
    shade = _shade(color)
    ax.add_patch(Polygon([(x, y + h), (x + dx, y + h + dy), (x + w + dx, y + h + dy), (x + w, y + h)],
                         facecolor=_shade(color, 0.92), **kw))
    ax.add_patch(Polygon([(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)],
                         facecolor=shade, **kw))
    ax.add_patch(Polygon([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], facecolor=color, **kw))
    for k in range(1, slices):
        t = k / slices
        ax.plot([x + t * dx, x + w + t * dx, x + w + t * dx], [y + h + t * dy, y + h + t * dy, y + t * dy],
                color=edge, linewidth=0.5)
    if label:
        ty = y - 0.15 * max(h, 1) if label_below else y + h + dy + 0.1 * max(h, 1)
        ax.text(x + w / 2 + (0 if label_below else dx / 2), ty, label, ha="center",
                va="top" if label_below else "bottom", fontsize=fontsize)
    return x + w + dx, y + h + dy


def _shade(color, factor=0.8):
    from matplotlib.colors import to_rgb

    return tuple(factor * v for v in to_rgb(color))


def box(ax, x, y, w, h, text, color="#eeeeee", fontsize=10, edge="#333333", rounded=True):
    """A labelled block centred on ``(x, y)``."""
    from matplotlib.patches import FancyBboxPatch

    style = "round,pad=0.02,rounding_size=0.08" if rounded else "square,pad=0.0"
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=style, facecolor=color,
                                edgecolor=edge, linewidth=0.9))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def arrow(ax, start, end, text=None, fontsize=10, color="#333333", connectionstyle="arc3", text_offset=(0, 0.15)):
    """An arrow from ``start`` to ``end`` with an optional label above its middle."""
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.2, "shrinkA": 0, "shrinkB": 0,
                            "connectionstyle": connectionstyle})
    if text:
        ax.text((start[0] + end[0]) / 2 + text_offset[0], (start[1] + end[1]) / 2 + text_offset[1], text,
                ha="center", va="bottom", fontsize=fontsize)


def window_counts(n, f, stride, pad=0):
    """How many ``f x f`` windows (stride ``stride``) read each cell of an ``n x n`` input padded by ``pad``.

    Returns an ``(n + 2 pad, n + 2 pad)`` int array; the number of windows
    per side comes from :func:`course_cnn.week1.conv_output_shape`.
    """
    from course_cnn.week1 import conv_output_shape

    n_out = conv_output_shape((n, n, 1), f, 1, stride=stride, pad=pad)[0]
    counts = np.zeros((n + 2 * pad, n + 2 * pad), dtype=int)
    for i in range(n_out):
        for j in range(n_out):
            counts[i * stride:i * stride + f, j * stride:j * stride + f] += 1
    return counts


def save(fig, path, colors=96):
    """Save ``fig`` at :data:`DPI` as a palette PNG (``colors`` colours) and return the path."""
    from PIL import Image

    from course_cnn.plots import save_figure

    path = save_figure(fig, Path(path), dpi=DPI)
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    return path
