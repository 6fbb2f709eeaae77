r"""Sliding windows, naive and convolutional.

**Naive.** Crop every ``window x window`` patch at steps of ``stride`` and run
the classifier on each: $\lfloor (n - w)/s \rfloor + 1$ positions per side,
each a full forward pass, with most of the computation repeated between
overlapping windows.

**Convolutional.** A fully connected layer on an $h \times w \times c$ input
is a convolution with $h \times w$ filters (one per unit) and no padding:
its output is $1 \times 1 \times \text{units}$. Later Dense layers become
$1 \times 1$ convolutions. The converted network accepts larger images and
computes all windows in one pass, sharing the overlapping work. With the
lecture's network (14x14x3 input, 5x5 conv, 2x2 max pool, FC 400, FC 400,
softmax 4) a 16x16x3 image gives a 2x2x4 output, one prediction per 14x14
window at stride 2 (the pool's stride).

References
----------
Sermanet et al., "OverFeat: Integrated Recognition, Localization and Detection
using Convolutional Networks", ICLR 2014.
"""

from __future__ import annotations

import keras
import numpy as np

from course_cnn import _checks

__all__ = ["window_classifier", "sliding_window_detect", "dense_to_conv"]


def window_classifier(input_shape=(14, 14, 3), n_classes=4, seed=None):
    """The lecture's small window classifier: conv 5x5x16, max pool 2, FC 400, FC 400, softmax.

    Parameters
    ----------
    input_shape : tuple of 3 int, default (14, 14, 3)
        Window shape.
    n_classes : int, default 4
        Outputs of the softmax.
    seed : int, optional
        Seed of the weight initialisers (reproducible random weights).

    Returns
    -------
    keras.Model
        Functional model ``"window_classifier"``, output ``(None, n_classes)``.

    Examples
    --------
    >>> window_classifier().output_shape
    (None, 4)
    """
    input_shape = _checks.check_input_shape(input_shape)
    n_classes = _checks.check_size(n_classes, "n_classes", _checks.MAX_CLASSES)
    seed = None if seed is None else _checks.check_seed(seed, allow_none=False)

    def init(i):
        return keras.initializers.GlorotUniform(seed=None if seed is None else seed + i)

    inputs = keras.Input(input_shape, name="window")
    x = keras.layers.Conv2D(16, 5, activation="relu", kernel_initializer=init(0), name="conv")(inputs)
    x = keras.layers.MaxPooling2D(2, name="pool")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(400, activation="relu", kernel_initializer=init(1), name="fc1")(x)
    x = keras.layers.Dense(400, activation="relu", kernel_initializer=init(2), name="fc2")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax", kernel_initializer=init(3), name="softmax")(x)
    return keras.Model(inputs, outputs, name="window_classifier")


def sliding_window_detect(classifier, image, window, stride):
    """Run ``classifier`` on every window of ``image`` (the naive way).

    Parameters
    ----------
    classifier : keras.Model or callable
        Maps a batch of windows ``(k, window, window, n_C)`` to ``(k, n_out)``.
    image : array_like of shape (n_H, n_W, n_C)
        The image.
    window : int
        Window side in pixels.
    stride : int
        Step between windows.

    Returns
    -------
    ndarray of shape (n_rows, n_cols, n_out)
        The classifier's output for the window whose top-left corner is
        ``(row * stride, col * stride)``; ``n_rows = (n_H - window) // stride + 1``.

    Raises
    ------
    ValueError
        For a window larger than the image, or bad sizes.

    Examples
    --------
    >>> out = sliding_window_detect(lambda w: w.mean(axis=(1, 2)), np.ones((16, 16, 3)), 14, 2)
    >>> out.shape
    (2, 2, 3)
    """
    if not callable(classifier):
        raise _checks.fail("classifier", "be a Keras model or a callable on a batch of windows",
                           _checks.describe(classifier), TypeError)
    image = _checks.check_array(image, "image", ndim=3, kinds="iuf", finite=True, dtype=np.float32)
    window = _checks.check_positive_int(window, "window")
    stride = _checks.check_positive_int(stride, "stride")
    n_H, n_W = image.shape[:2]
    if window > min(n_H, n_W):
        raise _checks.fail("window", f"be at most the image's smaller side ({min(n_H, n_W)})", repr(window))
    n_rows, n_cols = (n_H - window) // stride + 1, (n_W - window) // stride + 1
    outputs = []
    for row in range(n_rows):  # one forward pass per window, as the naive method does
        for col in range(n_cols):
            top, left = row * stride, col * stride
            crop = image[None, top:top + window, left:left + window]  # (1, window, window, n_C)
            outputs.append(np.asarray(classifier(crop))[0])
    return np.stack(outputs).reshape(n_rows, n_cols, -1)


_KEPT = (
    keras.layers.Conv2D,
    keras.layers.MaxPooling2D,
    keras.layers.AveragePooling2D,
    keras.layers.Activation,
    keras.layers.ReLU,
    keras.layers.LeakyReLU,
    keras.layers.BatchNormalization,
    keras.layers.Dropout,
)


def dense_to_conv(model):
    """Turn a window classifier into a fully convolutional network.

    The first Dense layer after ``Flatten`` becomes a ``Conv2D`` whose kernel
    covers the whole feature map it reads (kernel ``h x w``, ``units``
    filters, "valid" padding); every later Dense becomes a 1x1 ``Conv2D``.
    Weights are copied (a Dense kernel of shape ``(h*w*c, units)`` reshaped to
    ``(h, w, c, units)``, which is how ``Flatten`` ordered them), so on a
    window-sized input the new model gives the same numbers, shaped
    ``(1, 1, 1, n_out)``.

    Parameters
    ----------
    model : keras.Model
        A chain of layers: convolutions, pools, activations, batch norm,
        dropout, one ``Flatten``, then Dense layers.

    Returns
    -------
    keras.Model
        Functional model ``"<name>_conv"`` with input ``(None, None, None, n_C)``.

    Raises
    ------
    ValueError
        For a layer that cannot be converted (e.g. global pooling) or no Flatten.

    Examples
    --------
    >>> conv = dense_to_conv(window_classifier(seed=0))
    >>> conv.compute_output_shape((1, 16, 16, 3))
    (1, 2, 2, 4)
    """
    model = _checks.check_model(model)
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    flatten_at = [i for i, layer in enumerate(layers) if isinstance(layer, keras.layers.Flatten)]
    if len(flatten_at) != 1:
        raise _checks.fail("model", "have exactly one Flatten layer between the convolutions and the Dense layers", f"{len(flatten_at)}")
    inputs = keras.Input((None, None, model.input_shape[-1]), name="image")
    x, copies = inputs, []
    for i, layer in enumerate(layers):
        if isinstance(layer, keras.layers.Flatten):
            feature_shape = layers[i].input.shape[1:]  # (h, w, c) that Flatten read
            continue
        if isinstance(layer, keras.layers.Dense):
            first = i == flatten_at[0] + 1
            kernel, bias = layer.get_weights()
            size = tuple(feature_shape[:2]) if first else (1, 1)
            new = keras.layers.Conv2D(layer.units, size, activation=layer.activation, name=f"{layer.name}_as_conv")
            copies.append((new, [kernel.reshape(*size, -1, layer.units), bias]))  # (h, w, c, units)
        elif isinstance(layer, _KEPT) and i < flatten_at[0]:
            new = layer.__class__.from_config(layer.get_config())
            copies.append((new, layer.get_weights()))
        else:
            raise _checks.fail("model", "contain only conv, pool, activation, batch-norm, dropout, Flatten and Dense layers in a chain",
                               f"layer {layer.name!r} ({type(layer).__name__})")
        x = new(x)
    converted = keras.Model(inputs, x, name=f"{model.name}_conv")
    for new, weights in copies:
        new.set_weights(weights)
    return converted
