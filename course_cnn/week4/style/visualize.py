r"""What deep ConvNets learn: the image patches that excite a unit most.

Zeiler and Fergus's first visualisation: pick a unit (a channel) of a hidden
layer, run many images through the network, and show the $k$ image patches
where that unit's activation was largest. A unit at position $(i, j)$ of a
layer only sees a window of the input, its *receptive field*
(`course_cnn.week4.style.receptive_field`, which derives its size, jump and
start): the patch shown is that window.

References
----------
M. D. Zeiler, R. Fergus, "Visualizing and Understanding Convolutional
Networks", ECCV 2014, arXiv:1311.2901.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_cnn import _checks
from course_cnn.week4.style.receptive_field import ReceptiveField, receptive_field

__all__ = [
    "MaxActivatingPatches",
    "max_activating_patches",
    "plot_max_activating_patches",
    "probe_convnet",
]


@dataclass(frozen=True)
class MaxActivatingPatches:
    """Result of `max_activating_patches`.

    Attributes
    ----------
    layer_name : str
        The layer.
    units : tuple of int
        The channels looked at.
    patches : ndarray of shape (n_units, k, r_H, r_W, n_C)
        The receptive-field patches, strongest first (zero outside the image).
    activations : ndarray of shape (n_units, k)
        The unit's activation at each patch.
    image_index : ndarray of shape (n_units, k), int
        The image each patch comes from.
    boxes : ndarray of shape (n_units, k, 4), int
        Each patch's window ``(y1, x1, y2, x2)`` in its image.
    field : ReceptiveField
        The layer's receptive field.
    """

    layer_name: str
    units: tuple
    patches: np.ndarray
    activations: np.ndarray
    image_index: np.ndarray
    boxes: np.ndarray
    field: ReceptiveField


def _crop(image, box):
    """Crop ``box`` = (y1, x1, y2, x2) from (n_H, n_W, n_C), zero outside the image."""
    y1, x1, y2, x2 = box
    patch = np.zeros((y2 - y1, x2 - x1, image.shape[-1]), dtype=image.dtype)
    ys, xs = max(y1, 0), max(x1, 0)
    ye, xe = min(y2, image.shape[0]), min(x2, image.shape[1])
    if ye > ys and xe > xs:
        patch[ys - y1: ye - y1, xs - x1: xe - x1] = image[ys:ye, xs:xe]
    return patch


def max_activating_patches(model, layer_name, images, units, k=9, batch_size=256):
    """The ``k`` image patches that activate each unit of a layer most.

    For every image the unit's strongest position is found; the ``k`` images
    with the largest such activations give one patch each (so nine patches
    are nine different images, not nine neighbouring windows of one).

    Parameters
    ----------
    model : keras.Model
        A network whose path from the input to ``layer_name`` is a chain of
        Conv2D, pooling and element-wise layers (see `receptive_field`).
    layer_name : str
        The layer to look at.
    images : array_like of shape (m, n_H, n_W, n_C)
        The images to search, as the model takes them.
    units : int or sequence of int
        An int ``n`` means the first ``n`` channels; or the channel indices.
    k : int, default 9
        Patches per unit (at most ``m``).
    batch_size : int, default 256
        Images per forward pass.

    Returns
    -------
    MaxActivatingPatches
        Patches, activations, source images and windows per unit.

    Raises
    ------
    ValueError
        For a bad layer, unit index, ``k`` larger than the number of images,
        or images of the wrong rank.

    Examples
    --------
    >>> import keras
    >>> inputs = keras.Input((6, 6, 1))
    >>> conv = keras.layers.Conv2D(1, 3, use_bias=False, kernel_initializer="ones", name="conv")(inputs)
    >>> images = np.zeros((2, 6, 6, 1), np.float32); images[1, 4, 1] = 1.0
    >>> result = max_activating_patches(keras.Model(inputs, conv), "conv", images, units=1, k=1)
    >>> result.image_index.tolist(), result.patches.shape
    ([[1]], (1, 1, 3, 3, 1))
    """
    import keras

    model = _checks.check_model(model)
    images = _checks.check_array(images, "images", ndim=4, finite=True)
    k = _checks.check_positive_int(k, "k")
    if k > len(images):
        raise _checks.fail("k", f"be at most the number of images ({len(images)})", repr(k))
    field = receptive_field(model, layer_name)
    layer = model.get_layer(layer_name)
    n_C = int(layer.output.shape[-1])
    batch_size = _checks.check_positive_int(batch_size, "batch_size")
    if isinstance(units, (int, np.integer)) and not isinstance(units, bool):
        units = tuple(range(min(_checks.check_positive_int(units, "units"), n_C)))
    elif isinstance(units, (str, bytes)) or not hasattr(units, "__iter__"):
        raise _checks.fail("units", "be a count or a sequence of channel indices", _checks.describe(units), TypeError)
    units = tuple(_checks.check_non_negative_int(u, "units") for u in units)
    if not units or min(units) < 0 or max(units) >= n_C:
        raise _checks.fail("units", f"be channel indices in [0, {n_C})", repr(units))
    sub = keras.Model(model.inputs, layer.output)
    acts = sub.predict(images, batch_size=batch_size, verbose=0)[..., list(units)]  # (m, n_H_l, n_W_l, n_units)
    m, n_H_l, n_W_l, n_units = acts.shape
    flat = acts.reshape(m, n_H_l * n_W_l, n_units)
    best_pos = flat.argmax(axis=1)  # (m, n_units): strongest position in each image
    best_val = np.take_along_axis(flat, best_pos[:, None, :], axis=1)[:, 0, :]  # (m, n_units)
    order = np.argsort(-best_val, axis=0, kind="stable")[:k].T  # (n_units, k)
    patches, boxes = [], []
    for u in range(n_units):
        for idx in order[u]:
            i, j = divmod(int(best_pos[idx, u]), n_W_l)
            box = field.window(i, j)
            boxes.append(box)
            patches.append(_crop(images[idx], box))
    r_H, r_W = field.size
    return MaxActivatingPatches(
        layer_name=layer_name,
        units=units,
        patches=np.stack(patches).reshape(n_units, k, r_H, r_W, images.shape[-1]),
        activations=np.take_along_axis(best_val.T, order, axis=1),
        image_index=order,
        boxes=np.array(boxes).reshape(n_units, k, 4),
        field=field,
    )


def plot_max_activating_patches(result, path=None, max_value=None):
    """One row per unit, its ``k`` patches side by side.

    Parameters
    ----------
    result : MaxActivatingPatches
        From `max_activating_patches`.
    path : str or os.PathLike, optional
        Where to save the figure.
    max_value : float, optional
        Pixel value shown as white (default: the patches' maximum).

    Returns
    -------
    matplotlib.figure.Figure
        The grid.

    Examples
    --------
    >>> patches = np.zeros((2, 3, 4, 4, 1))
    >>> result = MaxActivatingPatches("conv", (0, 1), patches, np.ones((2, 3)), np.zeros((2, 3), int),
    ...                               np.zeros((2, 3, 4), int), ReceptiveField((4, 4), (1, 1), (0, 0)))
    >>> len(plot_max_activating_patches(result).axes)
    6
    """
    from course_cnn.plots import image_grid

    if not isinstance(result, MaxActivatingPatches):
        raise _checks.fail("result", "be the MaxActivatingPatches that max_activating_patches returns",
                           _checks.describe(result), TypeError)
    if max_value is not None:
        max_value = _checks.check_number(max_value, "max_value", 0, low_inclusive=False)
    n_units, k = result.patches.shape[:2]
    patches = result.patches.reshape(n_units * k, *result.patches.shape[2:]).astype(np.float64)
    scale = max_value if max_value is not None else max(float(patches.max()), 1e-8)
    titles = [f"unit {u}" if j == 0 else "" for u in result.units for j in range(k)]
    r_H, r_W = result.field.size
    return image_grid(
        patches / scale, titles=titles, ncols=k, path=path,
        suptitle=f"{result.layer_name}: top-{k} patches ({r_H}x{r_W} receptive field)",
    )


def probe_convnet(input_shape=(28, 28, 1), n_classes=10, seed=0):
    """A small ConvNet to look inside (functional, every layer named).

    Three stages of growing receptive field: ``conv1`` (3x3), ``conv2``
    (5x5), ``pool1``, ``conv3`` (10x10), ``conv4`` (14x14), ``pool2``,
    ``conv5`` (24x24 on a 28x28 input), then global average pooling and a
    softmax. All convolutions use ``"same"`` padding and ReLU.

    Parameters
    ----------
    input_shape : tuple of int, default (28, 28, 1)
        ``(n_H, n_W, n_C)`` of the images.
    n_classes : int, default 10
        Softmax outputs.
    seed : int, default 0
        Seed of the initial weights.

    Returns
    -------
    keras.Model
        Compiled with Adam and sparse categorical cross-entropy.

    Examples
    --------
    >>> model = probe_convnet()
    >>> receptive_field(model, "conv5").size
    (24, 24)
    """
    import keras

    input_shape = _checks.check_input_shape(input_shape)
    n_classes = _checks.check_size(n_classes, "n_classes", _checks.MAX_CLASSES)
    seed = _checks.check_seed(seed, allow_none=False)
    layers = keras.layers
    x = inputs = keras.Input(input_shape, name="image")
    for i, filters in enumerate((16, 16, 32, 32, 64), 1):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu",
                          kernel_initializer=keras.initializers.HeNormal(seed=seed + i), name=f"conv{i}")(x)
        if i in (2, 4):
            x = layers.MaxPooling2D(2, name=f"pool{i // 2}")(x)
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    outputs = layers.Dense(n_classes, activation="softmax",
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed), name="classes")(x)
    model = keras.Model(inputs, outputs, name="probe_convnet")
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
