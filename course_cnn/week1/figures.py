"""Figures for week 1: what edge filters and a convolutional layer's filters respond to."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from course_cnn import _checks
from course_cnn.plots import new_figure, save_figure
from course_cnn.week1.edges import detect_edges, horizontal_edge_filter, scharr_filter, sobel_filter, vertical_edge_filter

__all__ = ["plot_edge_responses", "plot_feature_maps"]


def _default_filters():
    return {
        "vertical": vertical_edge_filter(),
        "horizontal": horizontal_edge_filter(),
        "Sobel (vertical)": sobel_filter("vertical"),
        "Scharr (vertical)": scharr_filter("vertical"),
    }


def plot_edge_responses(image, filters=None, path=None, title=None):
    """Show an image next to the response of each edge filter (absolute value, brighter = stronger edge).

    Parameters
    ----------
    image : ndarray of shape (n_H, n_W) or (n_H, n_W, 3)
        Grayscale or RGB image (uint8 or float).
    filters : dict of str to ndarray of shape (f, f), optional
        Named filters; by default the four of the lectures: vertical,
        horizontal, Sobel and Scharr (the last two for vertical edges).
    path : str or os.PathLike, optional
        Where to save the figure.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel for the image and one per filter.

    Raises
    ------
    ValueError
        For an image or filter ``detect_edges`` rejects, or an empty ``filters``.

    Examples
    --------
    >>> x = np.tile(np.array([10, 10, 10, 0, 0, 0]), (6, 1))
    >>> len(plot_edge_responses(x).axes)
    5
    """
    if filters is not None and not isinstance(filters, Mapping):
        raise _checks.fail("filters", "be a dict of name -> (f, f) filter, or None for the lectures' four",
                           _checks.describe(filters), TypeError)
    filters = _default_filters() if filters is None else dict(filters)
    if not filters:
        raise _checks.fail("filters", "name at least one filter", "an empty dict")
    responses = {name: detect_edges(image, kernel) for name, kernel in filters.items()}  # validates both
    image = np.asarray(image)
    fig, axes = new_figure(1, len(filters) + 1, figsize=(3.0 * (len(filters) + 1), 3.3))
    axes[0].imshow(image, cmap="gray" if image.ndim == 2 else None)
    axes[0].set_title("image")
    for ax, (name, response) in zip(axes[1:], responses.items()):
        ax.imshow(np.abs(response), cmap="magma")
        ax.set_title(name)
    for ax in axes:
        ax.axis("off")
    if title:
        fig.suptitle(title)
    if path is not None:
        save_figure(fig, path)
    return fig


def plot_feature_maps(model, image, layer_name, max_maps=16, path=None):
    """Show the activations ("feature maps") one layer of a Keras model computes for one image.

    Parameters
    ----------
    model : keras.Model
        A functional model.
    image : ndarray of shape (n_H, n_W, n_C)
        One input, already scaled as the model expects.
    layer_name : str
        The layer whose output to show (e.g. ``"relu1"``).
    max_maps : int, default 16
        Show at most this many channels.
    path : str or os.PathLike, optional
        Where to save the figure.

    Returns
    -------
    matplotlib.figure.Figure
        The input image first, then one panel per channel shown; the
        title says how many of the layer's channels are shown.

    Raises
    ------
    ValueError
        For an unknown layer, a layer whose output is not (batch, n_H, n_W, n_C),
        or an image whose shape differs from the model's input.

    Examples
    --------
    >>> from course_cnn.week1 import convolutional_model
    >>> model = convolutional_model((16, 16, 3))
    >>> len(plot_feature_maps(model, np.zeros((16, 16, 3)), "relu1").axes)  # the input, then 8 channels
    9
    """
    import keras

    model = _checks.check_model(model)
    names = [layer.name for layer in model.layers]
    _checks.check_choice(layer_name, "layer_name", names)
    output = model.get_layer(layer_name).output
    if len(output.shape) != 4:
        raise _checks.fail("layer_name", "name a layer with output (batch, n_H, n_W, n_C)", f"{layer_name!r} with output shape {tuple(output.shape)}")
    image = _checks.check_array(image, "image", kinds="iuf", finite=True)
    _checks.check_shape(image, "image", tuple(model.input_shape[1:]))
    max_maps = _checks.check_positive_int(max_maps, "max_maps")
    probe = keras.Model(model.inputs[0] if len(model.inputs) == 1 else model.inputs, output)
    maps = np.asarray(probe(image[None].astype(np.float32), training=False))[0]  # (n_H, n_W, n_C)
    n = min(max_maps, maps.shape[-1])
    ncols = min(n + 1, 9)  # the input, then the maps
    nrows = -(-(n + 1) // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(1.6 * ncols, 1.7 * nrows + 0.5))
    axes = np.atleast_1d(axes).ravel()
    for k, ax in enumerate(axes):
        ax.axis("off")
        if k == 0:
            shown = image[..., 0] if image.shape[-1] == 1 else image / max(float(image.max()), 1e-12)
            ax.imshow(shown, cmap="gray" if image.shape[-1] == 1 else None)
            ax.set_title(f"input {image.shape[0]}x{image.shape[1]}", fontsize=7)
        elif k <= n:
            ax.imshow(maps[:, :, k - 1], cmap="viridis")
            ax.set_title(f"{layer_name}[{k - 1}]", fontsize=7)
    shown_maps = f"all {n} channels" if n == maps.shape[-1] else f"the first {n} of {maps.shape[-1]} channels"
    fig.suptitle(f"feature maps of {layer_name} ({maps.shape[0]}x{maps.shape[1]}x{maps.shape[2]}): {shown_maps}")
    if path is not None:
        save_figure(fig, path)
    return fig
