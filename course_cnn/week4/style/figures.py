"""Figures of a style transfer: the three images side by side, the cost curves."""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.plots import new_figure, save_figure

__all__ = ["plot_side_by_side", "plot_cost_history"]


def _hwc(image, name):
    array = _checks.check_array(image, name, kinds="biuf", finite=True)
    if array.ndim == 4 and array.shape[0] == 1:
        array = array[0]
    if array.ndim not in (2, 3):
        raise _checks.fail(name, "have shape (n_H, n_W, 3) or (1, n_H, n_W, 3)", f"shape {array.shape}")
    return np.clip(array, 0, 1) if array.dtype.kind == "f" else array


def plot_side_by_side(content, style, result, path=None, title=None):
    """Content, style and result images in one row.

    Parameters
    ----------
    content, style, result : array_like of shape (n_H, n_W, 3) or (1, n_H, n_W, 3)
        The images (float in [0, 1] or uint8); sizes may differ.
    path : str or os.PathLike, optional
        Where to save the figure.
    title : str, optional
        A title above the row (say there if the network was untrained).

    Returns
    -------
    matplotlib.figure.Figure
        Three axes.

    Examples
    --------
    >>> fig = plot_side_by_side(np.zeros((4, 6, 3)), np.ones((5, 5, 3)), np.zeros((1, 4, 6, 3)))
    >>> [ax.get_title() for ax in fig.axes]
    ['content', 'style', 'result']
    """
    images = [_hwc(content, "content"), _hwc(style, "style"), _hwc(result, "result")]
    fig, axes = new_figure(1, 3, figsize=(12, 4.6 if title else 4))
    for ax, image, label in zip(axes, images, ("content", "style", "result")):
        ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
        ax.set_title(label)
        ax.axis("off")
    if title:
        fig.suptitle(title)
    if path is not None:
        save_figure(fig, path)
    return fig


def plot_cost_history(history, path=None, title=None):
    """Total, content and style cost per step (log scale).

    Parameters
    ----------
    history : dict of str to list of float
        ``StyleTransfer.history``: ``"cost"``, ``"content"``, ``"style"``
        (and ``"tv"``) per step.
    path : str or os.PathLike, optional
        Where to save the figure.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per cost.

    Raises
    ------
    ValueError
        When ``history`` lacks one of the keys or is empty.

    Examples
    --------
    >>> fig = plot_cost_history({"cost": [3.0, 2.0], "content": [1.0, 0.8], "style": [0.05, 0.03]})
    >>> len(fig.axes)
    3
    """
    keys = ("cost", "content", "style")
    if not isinstance(history, dict):
        raise _checks.fail("history", "be StyleTransfer.history, a dict of 'cost', 'content' and 'style' lists",
                           _checks.describe(history), TypeError)
    for key in keys:
        if key not in history or len(history[key]) == 0:
            raise _checks.fail("history", "hold non-empty 'cost', 'content' and 'style' lists", f"keys {sorted(history)}")
    fig, axes = new_figure(1, 3, figsize=(12, 3.4))
    labels = {"cost": "total  J = a Jc + b Js", "content": "content  Jc", "style": "style  Js"}
    for ax, key in zip(axes, keys):
        values = np.asarray(history[key], dtype=float)
        steps = np.arange(1, len(values) + 1)
        ax.plot(steps, values, marker="." if len(values) < 50 else None)
        if np.all(values > 0):
            ax.set_yscale("log")
        ax.set_xlabel("step")
        ax.set_title(labels[key])
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    if path is not None:
        save_figure(fig, path)
    return fig
