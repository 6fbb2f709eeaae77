"""Matplotlib helpers shared by every week.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``
and an Agg canvas), never through ``pyplot``'s global state, so they work on
a machine with no display and never pop up a window from a script. In a
notebook a returned ``Figure`` displays itself. Every helper returns the
figure and saves it when given ``path``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from course_cnn import _checks

__all__ = ["new_figure", "save_figure", "image_grid", "training_curves", "draw_boxes_on_image"]

# Upper bounds that catch typos before matplotlib builds anything: a grid of
# more than 10,000 axes takes minutes to lay out; 1,000 inches or 2,400 dpi
# (twice a photo printer's) are beyond any figure a course shows.
MAX_AXES = 10_000
MAX_INCHES = 1_000
MAX_DPI = 2_400


def new_figure(nrows=1, ncols=1, figsize=None, **subplot_kw):
    """Create a figure and its axes without touching ``pyplot``.

    Parameters
    ----------
    nrows, ncols : int, default 1
        Grid of axes.
    figsize : tuple of float, optional
        Width and height in inches; by default 3.2 x 3.2 per axes.
    **subplot_kw
        Passed to ``Figure.subplots`` (e.g. ``sharex=True``).

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure, with an Agg canvas attached.
    axes : matplotlib.axes.Axes or ndarray of Axes
        As ``Figure.subplots`` returns them.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> type(fig).__name__
    'Figure'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    nrows = _checks.check_int(nrows, "nrows", 1, MAX_AXES)
    ncols = _checks.check_int(ncols, "ncols", 1, MAX_AXES)
    if nrows * ncols > MAX_AXES:
        raise _checks.fail("nrows", f"give at most {MAX_AXES} axes with `ncols`", f"{nrows} x {ncols}")
    if figsize is not None:
        if isinstance(figsize, str) or np.ndim(figsize) != 1 or len(figsize) != 2:
            raise _checks.fail("figsize", "be a pair (width, height) in inches", _checks.describe(figsize), TypeError)
        figsize = tuple(_checks.check_number(v, "figsize", 0, MAX_INCHES, low_inclusive=False) for v in figsize)
    fig = Figure(figsize=figsize or (3.2 * ncols, 3.2 * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    return fig, axes


def save_figure(fig, path, dpi=100):
    """Save ``fig`` to ``path`` (creating folders) and return the path.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or os.PathLike
        Destination; the suffix picks the format (``.png``, ``.svg``, ...).
    dpi : int, default 100
        Resolution for raster formats.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> save_figure(fig, "/tmp/course_cnn_doctest.png").name
    'course_cnn_doctest.png'
    """
    if not hasattr(fig, "savefig"):
        raise _checks.fail("fig", "be a matplotlib Figure", _checks.describe(fig), TypeError)
    path = _checks.check_path(path, "path")
    dpi = _checks.check_number(dpi, "dpi", 0, MAX_DPI, low_inclusive=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return path


def _finish(fig, path):
    if path is not None:
        save_figure(fig, path)
    return fig


def image_grid(images, titles=None, ncols=8, cmap=None, path=None, suptitle=None):
    """Show images in a grid, one per axes, without ticks.

    Parameters
    ----------
    images : array_like of shape (m, n_H, n_W) or (m, n_H, n_W, n_C)
        Images; float images are shown in [0, 1] (clipped), uint8 as is,
        single-channel images in gray unless ``cmap`` says otherwise.
    titles : sequence of str, optional
        One title per image.
    ncols : int, default 8
        Images per row.
    cmap : str, optional
        Colour map for single-channel images (default ``"gray"``).
    path : str or os.PathLike, optional
        Where to save the figure.
    suptitle : str, optional
        A title for the whole grid.

    Returns
    -------
    matplotlib.figure.Figure
        The grid.

    Raises
    ------
    ValueError
        For a wrong number of dimensions or of titles.

    Examples
    --------
    >>> fig = image_grid(np.zeros((3, 8, 8)), titles=["a", "b", "c"])
    >>> len(fig.axes)
    3
    """
    images = _checks.check_array(images, "images", finite=True)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]  # (m, n_H, n_W)
    if images.ndim not in (3, 4):
        raise _checks.fail("images", "have shape (m, n_H, n_W) or (m, n_H, n_W, n_C)", f"shape {images.shape}")
    m = len(images)
    if titles is not None:
        titles = _checks.check_strings(titles, "titles")
    if titles is not None and len(titles) != m:
        raise _checks.fail("titles", f"have one title per image ({m})", f"{len(titles)} titles")
    ncols = min(_checks.check_positive_int(ncols, "ncols"), max(m, 1))
    nrows = max(1, -(-m // ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(1.6 * ncols, 1.6 * nrows + (0.3 if suptitle else 0)))
    axes = np.atleast_1d(axes).ravel()
    for i, ax in enumerate(axes):
        ax.axis("off")
        if i >= m:
            continue
        image = images[i]
        if image.dtype.kind == "f":
            image = np.clip(image, 0.0, 1.0)
        ax.imshow(image, cmap=(cmap or "gray") if image.ndim == 2 else None)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=8)
    if suptitle:
        fig.suptitle(suptitle)
    return _finish(fig, path)


def training_curves(history, metrics=("loss",), path=None, title=None):
    """Plot training (and validation) curves per epoch.

    Parameters
    ----------
    history : keras.callbacks.History or mapping of str to sequence of float
        ``model.fit``'s return value, or its ``history`` dict.
    metrics : sequence of str, default ("loss",)
        Metric names; ``val_<name>`` is drawn beside each when present.
    path : str or os.PathLike, optional
        Where to save the figure.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per metric.

    Raises
    ------
    ValueError
        When a metric is not in the history.

    Examples
    --------
    >>> fig = training_curves({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
    >>> len(fig.axes)
    1
    """
    logs: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(logs, Mapping):
        raise _checks.fail("history", "be a dict of metric lists or a keras History", _checks.describe(history), TypeError)
    metrics = _checks.check_strings(metrics, "metrics", min_len=1)
    for metric in metrics:
        if metric not in logs:
            raise _checks.fail("metrics", f"name logged metrics ({', '.join(sorted(logs))})", repr(metric))
    fig, axes = new_figure(1, len(metrics), figsize=(4.0 * len(metrics), 3.0))
    for ax, metric in zip(np.atleast_1d(axes), metrics):
        epochs = np.arange(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], marker="o", label="train")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], marker="o", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    return _finish(fig, path)


def draw_boxes_on_image(image, boxes, labels=None, scores=None, box_format="xyxy", path=None, ax=None, color="lime"):
    """Draw rectangles (with optional labels and scores) on an image.

    Parameters
    ----------
    image : array_like of shape (n_H, n_W) or (n_H, n_W, n_C)
        The image, uint8 or float in [0, 1].
    boxes : array_like of shape (n_boxes, 4)
        Pixel corners, ``(x1, y1, x2, y2)`` when ``box_format="xyxy"`` or
        ``(y1, x1, y2, x2)`` (the YOLO / ``tf.image`` order) when
        ``box_format="yxyx"``.
    labels : sequence of str, optional
        One label per box.
    scores : array_like of shape (n_boxes,), optional
        Drawn after the label as ``label 0.93``.
    box_format : {"xyxy", "yxyx"}, default "xyxy"
        Order of the four coordinates.
    path : str or os.PathLike, optional
        Where to save the figure.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes instead of a new figure.
    color : str, default "lime"
        Box and label colour.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the drawing.

    Raises
    ------
    ValueError
        For boxes not of shape (n_boxes, 4), or labels/scores of another length.

    Examples
    --------
    >>> fig = draw_boxes_on_image(np.zeros((10, 10, 3)), [[1, 1, 5, 5]], labels=["face"], scores=[0.9])
    >>> len(fig.axes[0].patches)
    1
    """
    from matplotlib.patches import Rectangle

    _checks.check_choice(box_format, "box_format", ("xyxy", "yxyx"))
    boxes = _checks.check_array(boxes, "boxes", kinds="iuf", finite=True)
    if boxes.size == 0:
        boxes = boxes.reshape(0, 4)  # no detections: nothing to draw
    _checks.check_shape(boxes, "boxes", (None, 4))
    n_boxes = len(boxes)
    if labels is not None:
        labels = _checks.check_strings(labels, "labels")
    if scores is not None:
        scores = _checks.check_array(scores, "scores", ndim=1, kinds="iuf", finite=True)
    for name, values in (("labels", labels), ("scores", scores)):
        if values is not None and len(values) != n_boxes:
            raise _checks.fail(name, f"have one entry per box ({n_boxes})", f"{len(values)} entries")
    if box_format == "yxyx":
        boxes = boxes[:, [1, 0, 3, 2]]  # (n_boxes, 4) as x1, y1, x2, y2
    image = _checks.check_array(image, "image", finite=True)
    if image.ndim not in (2, 3):
        raise _checks.fail("image", "have shape (n_H, n_W) or (n_H, n_W, n_C)", f"shape {image.shape}")
    if ax is None:
        height, width = image.shape[:2]
        fig, ax = new_figure(figsize=(6.0, 6.0 * height / max(width, 1)))
    else:
        fig = ax.figure
    ax.imshow(np.clip(image, 0, 1) if image.dtype.kind == "f" else image, cmap="gray" if image.ndim == 2 else None)
    ax.axis("off")
    for i, (x1, y1, x2, y2) in enumerate(boxes):
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=color, linewidth=2))
        text = " ".join(
            part for part in (labels[i] if labels is not None else "", f"{scores[i]:.2f}" if scores is not None else "")
            if part
        )
        if text:
            ax.text(x1, y1, text, color="black", fontsize=9, va="bottom", bbox={"facecolor": color, "pad": 1, "lw": 0})
    return _finish(fig, path)
