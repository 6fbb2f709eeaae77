r"""Week 1's Keras models: the course's two graded networks and a LeNet-style classifier.

Each is built from named layers (``happyModel`` with ``keras.Sequential``,
the others with the functional API, as the course teaches them), so that
``model.summary()`` reads like the lecture's diagram and the model
round-trips through ``model.save("x.keras")``. A convolutional layer of
$n_C$ filters $f \times f \times n_{C,prev}$ has $(f^2 n_{C,prev} + 1) n_C$
parameters (``course_cnn.week1.conv_parameter_count``); pooling has none.

References
----------
Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-based learning applied
to document recognition", Proc. IEEE, 1998 (LeNet-5).
"""

from __future__ import annotations

import keras
from keras import layers

from course_cnn import _checks

__all__ = ["happyModel", "convolutional_model", "lenet_style_model"]


def _image_shape(input_shape, name: str = "input_shape") -> tuple[int, int, int]:
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise _checks.fail(name, "be a tuple (n_H, n_W, n_C)", _checks.describe(input_shape) if not isinstance(input_shape, (tuple, list)) else repr(tuple(input_shape)))
    return tuple(_checks.check_size(n, f"{name}[{k}]", _checks.MAX_IMAGE_SIDE) for k, n in enumerate(input_shape))


def happyModel():
    r"""The course's "happy house" binary classifier for 64x64x3 faces, as a ``keras.Sequential``.

    ``ZeroPadding2D(3) -> Conv2D(32, 7x7) -> BatchNormalization -> ReLU ->
    MaxPool2D(2) -> Flatten -> Dense(1, sigmoid)``: 37,633 parameters
    ($7 \cdot 7 \cdot 3 \cdot 32 + 32 = 4{,}736$ for the convolution,
    $4 \cdot 32 = 128$ for batch normalisation, of which 64 are not trained,
    and $32 \cdot 32 \cdot 32 + 1 = 32{,}769$ for the dense layer).

    Why Sequential here and functional in `convolutional_model`: the course
    teaches the two Keras APIs with these two models. A plain stack of
    layers, one input and one output, is exactly what ``keras.Sequential``
    is for; the SIGNS model is written with the functional API, which also
    builds graphs that branch and merge (the ResNet blocks of week 2). The
    course's tests read ``model.layers``, whose first entry is therefore the
    ``ZeroPadding2D`` layer (a Sequential model lists no ``InputLayer``).

    Returns
    -------
    keras.Sequential
        Not compiled; the course compiles it with
        ``optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"]``.

    Examples
    --------
    >>> model = happyModel()
    >>> model.count_params(), model.output_shape
    (37633, (None, 1))
    >>> [type(layer).__name__ for layer in model.layers][:3]
    ['ZeroPadding2D', 'Conv2D', 'BatchNormalization']
    """
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3), name="image"),
            layers.ZeroPadding2D(padding=3, name="zero_pad"),  # (70, 70, 3)
            layers.Conv2D(32, 7, strides=1, name="conv0"),  # (64, 64, 32)
            layers.BatchNormalization(axis=3, name="bn0"),
            layers.ReLU(name="relu0"),
            layers.MaxPool2D(name="max_pool0"),  # (32, 32, 32)
            layers.Flatten(name="flatten"),  # (32768,)
            layers.Dense(1, activation="sigmoid", name="fc"),
        ],
        name="happy_model",
    )


def convolutional_model(input_shape):
    r"""The course's SIGNS classifier (six hand signs), built with the functional API.

    ``Conv2D(8, 4x4, same) -> ReLU -> MaxPool(8, stride 8, same) ->
    Conv2D(16, 2x2, same) -> ReLU -> MaxPool(4, stride 4, same) -> Flatten ->
    Dense(6, softmax)``. For 64x64x3 inputs: $392 + 528 + 390 = 1{,}310$
    parameters ($(4 \cdot 4 \cdot 3 + 1) 8$, $(2 \cdot 2 \cdot 8 + 1) 16$,
    and $2 \cdot 2 \cdot 16 \cdot 6 + 6$).

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_H, n_W, n_C)``, e.g. ``(64, 64, 3)``.

    Returns
    -------
    keras.Model
        Not compiled; the course uses ``optimizer="adam",
        loss="categorical_crossentropy", metrics=["accuracy"]`` on one-hot labels.

    Raises
    ------
    ValueError, TypeError
        For an ``input_shape`` that is not three positive ints.

    Examples
    --------
    >>> model = convolutional_model((64, 64, 3))
    >>> model.count_params(), model.output_shape
    (1310, (None, 6))
    """
    input_shape = _image_shape(input_shape)
    inputs = keras.Input(shape=input_shape, name="image")
    x = layers.Conv2D(8, 4, strides=1, padding="same", name="conv1")(inputs)  # (64, 64, 8)
    x = layers.ReLU(name="relu1")(x)
    x = layers.MaxPool2D(pool_size=8, strides=8, padding="same", name="pool1")(x)  # (8, 8, 8)
    x = layers.Conv2D(16, 2, strides=1, padding="same", name="conv2")(x)  # (8, 8, 16)
    x = layers.ReLU(name="relu2")(x)
    x = layers.MaxPool2D(pool_size=4, strides=4, padding="same", name="pool2")(x)  # (2, 2, 16)
    x = layers.Flatten(name="flatten")(x)  # (64,)
    outputs = layers.Dense(6, activation="softmax", name="fc")(x)
    return keras.Model(inputs, outputs, name="convolutional_model")


def lenet_style_model(input_shape=(28, 28, 1), n_classes=10, filters=(32, 64), dense_units=128, dropout=0.3):
    r"""A LeNet-style classifier: two conv/pool stages, then fully connected layers.

    ``[Conv2D(filters[k], 3x3, same) -> ReLU -> MaxPool(2)] x 2 -> Flatten ->
    Dense(dense_units, relu) -> Dropout -> Dense(n_classes, softmax)``: the
    height and width halve at each stage while the channels grow, the shape
    the lectures recommend. LeNet-5 used 6 and 16 filters of 5x5 and average
    pooling; this keeps its layout with ReLU, max pooling and more filters.

    Parameters
    ----------
    input_shape : tuple of int, default (28, 28, 1)
        ``(n_H, n_W, n_C)``; Fashion-MNIST is 28x28x1, scikit-learn's digits 8x8x1.
    n_classes : int, default 10
        Output classes.
    filters : tuple of two int, default (32, 64)
        Filters of the two convolutions.
    dense_units : int, default 128
        Units of the hidden dense layer.
    dropout : float, default 0.3
        Dropout rate before the output layer, in [0, 1).

    Returns
    -------
    keras.Model
        Not compiled (use ``loss="sparse_categorical_crossentropy"`` with integer labels).

    Raises
    ------
    ValueError, TypeError
        For shapes or sizes that are not positive ints, an input smaller
        than 4x4, or a dropout rate outside [0, 1).

    Examples
    --------
    >>> model = lenet_style_model((8, 8, 1), filters=(4, 8), dense_units=16)
    >>> model.output_shape
    (None, 10)
    """
    n_H, n_W, n_C = _image_shape(input_shape)
    if min(n_H, n_W) < 4:
        raise _checks.fail("input_shape", "have n_H and n_W >= 4 (two 2x2 poolings)", repr(tuple(input_shape)))
    n_classes = _checks.check_size(n_classes, "n_classes", _checks.MAX_CLASSES)
    if not isinstance(filters, (tuple, list)) or len(filters) != 2:
        raise _checks.fail("filters", "be a pair of ints", _checks.describe(filters))
    filters = [_checks.check_size(n, f"filters[{k}]", _checks.MAX_UNITS) for k, n in enumerate(filters)]
    dense_units = _checks.check_size(dense_units, "dense_units", _checks.MAX_UNITS)
    dropout = _checks.check_number(dropout, "dropout", 0.0, 1.0, high_inclusive=False)
    inputs = keras.Input(shape=(n_H, n_W, n_C), name="image")
    x = inputs
    for k, n_filters in enumerate(filters, 1):
        x = layers.Conv2D(n_filters, 3, padding="same", name=f"conv{k}")(x)  # (n_H, n_W, n_filters)
        x = layers.ReLU(name=f"relu{k}")(x)
        x = layers.MaxPool2D(2, name=f"pool{k}")(x)  # height and width halved
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(dense_units, activation="relu", name="fc1")(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="fc2")(x)
    return keras.Model(inputs, outputs, name="lenet_style")
