r"""Classification with localization: one object, its class and its box.

The lecture's target vector for an image with at most one object is

$$y = [p_c, b_x, b_y, b_h, b_w, c_1, \dots, c_n],$$

$p_c = 1$ if there is an object, $(b_x, b_y)$ its centre and $(b_h, b_w)$ its
height and width, all relative to the image ((0, 0) top-left, (1, 1)
bottom-right), and a one-hot class. With no object only $p_c = 0$ matters;
the other entries are "don't care" ("?"). The squared-error loss is

$$\mathcal{L}(\hat y, y) = \begin{cases} \sum_i (\hat y_i - y_i)^2 & p_c = 1 \\ (\hat y_1 - y_1)^2 & p_c = 0 \end{cases}$$
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from course_cnn import _checks

__all__ = ["localization_label", "localization_loss", "make_localization_data", "localization_model", "box_from_label"]


def localization_label(pc, bx, by, bh, bw, class_id, n_classes):
    r"""Build the lecture's label vector $y = [p_c, b_x, b_y, b_h, b_w, c_1, \dots, c_n]$.

    Parameters
    ----------
    pc : {0, 1}
        Whether there is an object.
    bx, by : float
        Centre, relative to the image (0 to 1); ignored (stored as 0) when ``pc = 0``.
    bh, bw : float
        Height and width relative to the image (0 to 1); ignored when ``pc = 0``.
    class_id : int or None
        Class index in ``[0, n_classes)``; ignored when ``pc = 0``.
    n_classes : int
        Number of classes ``n``.

    Returns
    -------
    ndarray of shape (5 + n_classes,), float32
        The label. For ``pc = 0`` everything but $p_c$ is 0 (the "don't care"
        entries, which `localization_loss` ignores).

    Raises
    ------
    ValueError
        For ``pc`` other than 0/1, coordinates outside [0, 1] or a bad class.

    Examples
    --------
    >>> localization_label(1, 0.5, 0.7, 0.3, 0.4, 1, 3)  # a car (class 2 of 3) in the lower middle
    array([1. , 0.5, 0.7, 0.3, 0.4, 0. , 1. , 0. ], dtype=float32)
    >>> localization_label(0, None, None, None, None, None, 3)
    array([0., 0., 0., 0., 0., 0., 0., 0.], dtype=float32)
    """
    n_classes = _checks.check_positive_int(n_classes, "n_classes")
    pc = _checks.check_int(pc, "pc", 0, 1)
    y = np.zeros(5 + n_classes, np.float32)
    if pc == 0:
        return y
    for name, value in (("bx", bx), ("by", by), ("bh", bh), ("bw", bw)):
        _checks.check_number(value, name, 0.0, 1.0)
    class_id = _checks.check_int(class_id, "class_id", 0, n_classes - 1)
    y[:5] = (1.0, bx, by, bh, bw)
    y[5 + class_id] = 1.0
    return y


@keras.saving.register_keras_serializable(package="course_cnn")
def localization_loss(y_true, y_pred):
    r"""The lecture's squared-error loss, ignoring all but $p_c$ when there is no object.

    $$\mathcal{L} = (\hat p_c - p_c)^2 + p_c \sum_{i \ge 2} (\hat y_i - y_i)^2$$

    A Keras loss: use ``model.compile(loss=localization_loss)``.

    Parameters
    ----------
    y_true : array_like of shape (m, 5 + n)
        Labels from `localization_label`.
    y_pred : array_like of shape (m, 5 + n)
        Predictions.

    Returns
    -------
    Tensor of shape (m,)
        Loss per example.

    Raises
    ------
    TypeError, ValueError
        For a non-numeric input, a rank other than 2, or ``y_pred`` of another
        shape than ``y_true`` (nothing is broadcast).

    Examples
    --------
    >>> y = np.array([[0, 0, 0, 0, 0, 0, 0]], dtype="float32")  # no object
    >>> y_hat = np.array([[0.1, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5]], dtype="float32")
    >>> localization_loss(y, y_hat).numpy().round(4)  # only (0.1 - 0)^2 counts
    array([0.01], dtype=float32)
    """
    # Static checks only (no host copy inside a training graph); NaN propagates as in Keras's own losses.
    y_true = _checks.check_tensor(y_true, "y_true", ndim=2, dims="(m, 5 + n)")
    y_pred = _checks.check_tensor(y_pred, "y_pred", ndim=2, dims="(m, 5 + n)")
    if tuple(y_pred.shape) != tuple(y_true.shape) and None not in tuple(y_pred.shape) + tuple(y_true.shape):
        # never broadcast (1, 8) against (2, 8)
        raise _checks.fail("y_pred", f"have the shape of `y_true` {tuple(y_true.shape)} (nothing is broadcast)",
                           f"shape {tuple(y_pred.shape)}")
    _checks.check_shape(y_pred, "y_pred", tuple(y_true.shape))
    y_true = tf.cast(y_true, tf.float32)
    y_pred = tf.cast(y_pred, tf.float32)
    pc = y_true[:, 0]  # (m,)
    pc_error = tf.square(y_pred[:, 0] - pc)
    rest_error = tf.reduce_sum(tf.square(y_pred[:, 1:] - y_true[:, 1:]), axis=-1)
    return pc_error + pc * rest_error


def make_localization_data(n, image_size=32, n_classes=3, p_object=0.75, seed=0):
    """Generated images holding at most one shape, with lecture-style labels.

    Parameters
    ----------
    n : int
        Number of images.
    image_size : int, default 32
        Side in pixels.
    n_classes : int, default 3
        Shape classes used (square, disc, triangle; 1 to 3).
    p_object : float, default 0.75
        Probability that an image holds a shape.
    seed : int, default 0
        Random seed.

    Returns
    -------
    X : ndarray of shape (n, image_size, image_size, 3), float32
        Images in [0, 1].
    Y : ndarray of shape (n, 5 + n_classes), float32
        Labels ``[p_c, b_x, b_y, b_h, b_w, c_1..c_n]``.

    Examples
    --------
    >>> X, Y = make_localization_data(4, seed=0)
    >>> X.shape, Y.shape
    ((4, 32, 32, 3), (4, 8))
    """
    from course_cnn.week3.detection_data import _shape_mask

    n = _checks.check_size(n, "n", _checks.MAX_EXAMPLES)
    image_size = _checks.check_int(image_size, "image_size", 8, _checks.MAX_IMAGE_SIDE)
    n_classes = _checks.check_int(n_classes, "n_classes", 1, 3)
    p_object = _checks.check_probability(p_object, "p_object")
    rng = np.random.default_rng(_checks.check_seed(seed))
    X = np.clip(rng.uniform(0, 0.4, (n, 1, 1, 3)) + rng.normal(0, 0.04, (n, image_size, image_size, 3)), 0, 1).astype(np.float32)
    Y = np.zeros((n, 5 + n_classes), np.float32)
    for j in range(n):
        if rng.uniform() >= p_object:
            continue
        height, width = rng.integers(image_size // 4, image_size * 3 // 4 + 1, size=2)
        y0, x0 = rng.integers(0, image_size - height + 1), rng.integers(0, image_size - width + 1)
        kind = int(rng.integers(n_classes))
        mask = _shape_mask(kind, height, width)  # (height, width), touching all four sides
        X[j, y0:y0 + height, x0:x0 + width][mask] = rng.uniform(0.6, 1.0, 3)
        Y[j] = localization_label(1, (x0 + width / 2) / image_size, (y0 + height / 2) / image_size,
                                  height / image_size, width / image_size, kind, n_classes)
    return X, Y


def localization_model(input_shape=(32, 32, 3), n_classes=3):
    r"""A small CNN predicting $[p_c, b_x, b_y, b_h, b_w, c_1..c_n]$.

    Sigmoid for $p_c$ and the box (both in [0, 1]), softmax for the classes.

    Parameters
    ----------
    input_shape : tuple of 3 int, default (32, 32, 3)
        Image shape.
    n_classes : int, default 3
        Number of classes.

    Returns
    -------
    keras.Model
        Functional model ``"localization"``, output ``(None, 5 + n_classes)``.

    Examples
    --------
    >>> localization_model().output_shape
    (None, 8)
    """
    input_shape = _checks.check_input_shape(input_shape)
    n_classes = _checks.check_size(n_classes, "n_classes", _checks.MAX_CLASSES)
    inputs = keras.Input(input_shape, name="image")
    x = _apply_small_trunk(inputs)  # (None, 128)
    pc = keras.layers.Dense(1, activation="sigmoid", name="p_c")(x)
    box = keras.layers.Dense(4, activation="sigmoid", name="box")(x)
    classes = keras.layers.Dense(n_classes, activation="softmax", name="classes")(x)
    outputs = keras.layers.Concatenate(name="y_hat")([pc, box, classes])
    return keras.Model(inputs, outputs, name="localization")


def box_from_label(y):
    """Corner box ``(x1, y1, x2, y2)`` (relative) from label vectors ``[p_c, b_x, b_y, b_h, b_w, ...]``.

    Parameters
    ----------
    y : array_like of shape (..., 5 + n)
        Labels or predictions.

    Returns
    -------
    ndarray of shape (..., 4)
        Corners, e.g. to compare with `iou_matrix`.

    Raises
    ------
    ValueError
        For NaN/inf entries or a last dimension under 5.

    Examples
    --------
    >>> box_from_label([1, 0.5, 0.5, 0.2, 0.4, 1])
    array([0.3, 0.4, 0.7, 0.6])
    """
    y = _checks.check_array(y, "y", kinds="iuf", finite=True, dtype=np.float64)
    if y.ndim == 0 or y.shape[-1] < 5:
        raise _checks.fail("y", "have shape (..., 5 + n), [p_c, b_x, b_y, b_h, b_w, ...]", f"shape {y.shape}")
    bx, by, bh, bw = y[..., 1], y[..., 2], y[..., 3], y[..., 4]
    return np.stack([bx - bw / 2, by - bh / 2, bx + bw / 2, by + bh / 2], axis=-1)


def _apply_small_trunk(x):
    """Shared feature extractor of the week's small regression models.

    Three conv 3x3 "same" + ReLU + max-pool 2 stages (16, 32, 64 filters),
    flatten, dense 128 + ReLU; layers named ``conv{i}``, ``pool{i}``,
    ``flatten``, ``fc``. Input (None, n_H, n_W, n_C), output (None, 128).
    """
    for i, filters in enumerate((16, 32, 64)):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv{i}")(x)
        x = keras.layers.MaxPooling2D(2, name=f"pool{i}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.layers.Dense(128, activation="relu", name="fc")(x)
