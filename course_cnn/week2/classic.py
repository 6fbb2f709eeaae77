r"""Classic networks: LeNet-5, AlexNet and VGG-16 as Keras functional models.

The three share the pattern the lecture points out: going deeper, the height
and width $n_H, n_W$ shrink (pooling, strides) while the number of channels
$n_C$ grows, and a few fully connected layers sit on top.

* LeNet-5 (1998): about 60 thousand parameters; tanh and average pooling.
* AlexNet (2012): about 60 million parameters; ReLU, max pooling, dropout.
* VGG-16 (2015): 138 million parameters; every conv is 3x3, stride 1,
  "same" padding, every pool is 2x2, stride 2, and the filters double
  64 -> 128 -> 256 -> 512 from block to block.

A conv layer with an $f \times f$ window, $n_{C,prev}$ input and $n_C$ output
channels has $(f \cdot f \cdot n_{C,prev} + 1) \cdot n_C$ parameters; a dense
layer $(n_{in} + 1) \cdot n_{out}$.

References
----------
LeCun, Bottou, Bengio, Haffner, "Gradient-based learning applied to document recognition", Proc. IEEE 1998.
Krizhevsky, Sutskever, Hinton, "ImageNet classification with deep convolutional neural networks", NeurIPS 2012.
Simonyan, Zisserman, "Very deep convolutional networks for large-scale image recognition", ICLR 2015.
"""

from __future__ import annotations

import keras

from course_cnn import _checks
from course_cnn.week2._validate import ShapeTracker, check_image_shape

__all__ = ["lenet5", "alexnet", "apply_vgg_block", "vgg16"]


def _check_dropout(dropout):
    return _checks.check_number(dropout, "dropout", 0.0, 1.0, high_inclusive=False)


def lenet5(input_shape=(32, 32, 1), classes=10):
    r"""LeNet-5 in the layout of the 1998 paper, with today's full connectivity.

    C1 conv 6@5x5 (tanh) -> S2 avg-pool 2x2/2 -> C3 conv 16@5x5 (tanh) ->
    S4 avg-pool 2x2/2 -> C5 conv 120@5x5 (tanh) -> F6 dense 84 (tanh) ->
    dense ``classes`` (softmax). Shapes for 32x32x1: 28x28x6, 14x14x6,
    10x10x16, 5x5x16, 1x1x120, 84, 10.

    Parameters: $156 + 2416 + 48120 + 10164 + 850 = 61{,}706$ for 10 classes.
    The paper's network has 60,840: its S2/S4 subsampling layers have a
    trainable coefficient and bias per map (12 and 32), its C3 connects each
    map to only some of S2's maps (1,516 instead of 2,416), and its output
    layer is 10 RBF units without bias (840 instead of 850).

    Parameters
    ----------
    input_shape : tuple of int, default (32, 32, 1)
        ``(n_H, n_W, n_C)``; at least 32x32 (C5 needs a 5x5 input).
    classes : int, default 10
        Number of softmax outputs.

    Returns
    -------
    keras.Model
        Named ``"lenet5"``.

    Raises
    ------
    ValueError
        For an input too small (naming the layer that would go below 1x1).

    Examples
    --------
    >>> lenet5().count_params()
    61706

    References
    ----------
    LeCun et al., "Gradient-based learning applied to document recognition", 1998.
    """
    input_shape = check_image_shape(input_shape)
    classes = _checks.check_size(classes, "classes", _checks.MAX_CLASSES)
    tracker = ShapeTracker(input_shape)
    for layer, f in (("c1", 5), ("s2", 2), ("c3", 5), ("s4", 2), ("c5", 5)):
        tracker.layer(layer, f, 2 if layer.startswith("s") else 1)
    inputs = keras.Input(input_shape, name="image")
    x = keras.layers.Conv2D(6, 5, activation="tanh", name="c1")(inputs)  # (m, 28, 28, 6)
    x = keras.layers.AveragePooling2D(2, name="s2")(x)  # (m, 14, 14, 6)
    x = keras.layers.Conv2D(16, 5, activation="tanh", name="c3")(x)  # (m, 10, 10, 16)
    x = keras.layers.AveragePooling2D(2, name="s4")(x)  # (m, 5, 5, 16)
    x = keras.layers.Conv2D(120, 5, activation="tanh", name="c5")(x)  # (m, 1, 1, 120)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(84, activation="tanh", name="f6")(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="lenet5")


def alexnet(input_shape=(227, 227, 3), classes=1000, dropout=0.5):
    r"""AlexNet as drawn in the lecture (one tower, no local response normalisation).

    conv 96@11x11/4 -> max-pool 3x3/2 -> conv 256@5x5 same -> max-pool 3x3/2
    -> conv 384@3x3 same -> conv 384@3x3 same -> conv 256@3x3 same -> max-pool
    3x3/2 -> flatten (6x6x256 = 9216) -> dense 4096 -> dense 4096 -> softmax.
    Shapes for 227x227x3: 55x55x96, 27x27x96, 27x27x256, 13x13x256,
    13x13x384, 13x13x384, 13x13x256, 6x6x256.

    62,378,344 parameters for 1000 classes, 58.6 million of them in the three
    dense layers.

    Parameters
    ----------
    input_shape : tuple of int, default (227, 227, 3)
        ``(n_H, n_W, n_C)``; at least 67x67.
    classes : int, default 1000
        Number of softmax outputs.
    dropout : float, default 0.5
        Dropout rate after each hidden dense layer, in [0, 1).

    Returns
    -------
    keras.Model
        Named ``"alexnet"``.

    Raises
    ------
    ValueError
        For an input too small, a non-positive ``classes`` or a bad ``dropout``.

    Examples
    --------
    >>> alexnet(classes=1000).count_params()
    62378344

    References
    ----------
    Krizhevsky, Sutskever, Hinton, "ImageNet classification with deep convolutional neural networks", 2012.
    """
    input_shape = check_image_shape(input_shape)
    classes = _checks.check_size(classes, "classes", _checks.MAX_CLASSES)
    dropout = _check_dropout(dropout)
    tracker = ShapeTracker(input_shape)
    for layer, f, s, padding in (("conv1", 11, 4, "valid"), ("pool1", 3, 2, "valid"), ("pool2", 3, 2, "valid"),
                                 ("pool5", 3, 2, "valid")):
        tracker.layer(layer, f, s, padding)
    conv = keras.layers.Conv2D
    inputs = keras.Input(input_shape, name="image")
    x = conv(96, 11, strides=4, activation="relu", name="conv1")(inputs)  # (m, 55, 55, 96)
    x = keras.layers.MaxPooling2D(3, strides=2, name="pool1")(x)  # (m, 27, 27, 96)
    x = conv(256, 5, padding="same", activation="relu", name="conv2")(x)  # (m, 27, 27, 256)
    x = keras.layers.MaxPooling2D(3, strides=2, name="pool2")(x)  # (m, 13, 13, 256)
    x = conv(384, 3, padding="same", activation="relu", name="conv3")(x)  # (m, 13, 13, 384)
    x = conv(384, 3, padding="same", activation="relu", name="conv4")(x)  # (m, 13, 13, 384)
    x = conv(256, 3, padding="same", activation="relu", name="conv5")(x)  # (m, 13, 13, 256)
    x = keras.layers.MaxPooling2D(3, strides=2, name="pool5")(x)  # (m, 6, 6, 256)
    x = keras.layers.Flatten(name="flatten")(x)  # (m, 9216)
    x = keras.layers.Dense(4096, activation="relu", name="fc6")(x)
    x = keras.layers.Dropout(dropout, name="drop6")(x)
    x = keras.layers.Dense(4096, activation="relu", name="fc7")(x)
    x = keras.layers.Dropout(dropout, name="drop7")(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="alexnet")


def apply_vgg_block(x, n_convs, filters, name):
    r"""One VGG block: ``n_convs`` convs (3x3, stride 1, same, ReLU) then a 2x2/2 max-pool.

    The convs keep $n_H, n_W$ and set $n_C$ = ``filters``; the pool halves
    $n_H, n_W$. Layers are named ``{name}_conv1 ... {name}_conv{n_convs}``
    and ``{name}_pool`` (the names of ``keras.applications.VGG16``).

    Parameters
    ----------
    x : KerasTensor of shape (m, n_H, n_W, n_C_prev)
        Input.
    n_convs : int
        Number of conv layers (2 or 3 in VGG-16).
    filters : int
        Filters of every conv.
    name : str
        Block name, e.g. ``"block1"``.

    Returns
    -------
    KerasTensor of shape (m, n_H // 2, n_W // 2, filters)

    Raises
    ------
    TypeError, ValueError
        For a non-positive ``n_convs`` or ``filters``, or an input smaller than 2x2.

    Examples
    --------
    >>> x = keras.Input((224, 224, 3))
    >>> tuple(apply_vgg_block(x, 2, 64, "block1").shape)
    (None, 112, 112, 64)
    """
    x = _checks.check_tensor(x, "x", ndim=4, dims="(m, n_H, n_W, n_C)")
    n_convs = _checks.check_size(n_convs, "n_convs", _checks.MAX_DEPTH)
    filters = _checks.check_size(filters, "filters", _checks.MAX_UNITS)
    if x.shape[1] is not None and (x.shape[1] < 2 or x.shape[2] < 2):
        raise _checks.fail("x", f"be at least 2x2 for the 2x2 pool '{name}_pool'", f"shape {tuple(x.shape)}")
    for i in range(1, n_convs + 1):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_conv{i}")(x)
    return keras.layers.MaxPooling2D(2, strides=2, name=f"{name}_pool")(x)


#: (number of convs, filters) of VGG-16's five blocks.
VGG16_BLOCKS = ((2, 64), (2, 128), (3, 256), (3, 512), (3, 512))


def vgg16(input_shape=(224, 224, 3), classes=1000, dropout=0.0):
    r"""VGG-16: five VGG blocks (13 convs) and three dense layers (16 weighted layers).

    Shapes for 224x224x3: 112x112x64, 56x56x128, 28x28x256, 14x14x512,
    7x7x512 -> flatten 25,088 -> 4096 -> 4096 -> ``classes``. Parameters
    for 1000 classes: 14,714,688 in the convs + 102,764,544 + 16,781,312 +
    4,097,000 in the dense layers = 138,357,544, the count of
    ``keras.applications.VGG16(weights=None)``, whose layer names this model
    shares (so its weights load by name).

    Parameters
    ----------
    input_shape : tuple of int, default (224, 224, 3)
        ``(n_H, n_W, n_C)``; at least 32x32 (five 2x2 pools).
    classes : int, default 1000
        Number of softmax outputs.
    dropout : float, default 0.0
        Dropout after each hidden dense layer (the paper used 0.5 in training;
        Keras' VGG16 has none).

    Returns
    -------
    keras.Model
        Named ``"vgg16"``.

    Raises
    ------
    ValueError
        For an input too small, a non-positive ``classes`` or a bad ``dropout``.

    Examples
    --------
    >>> vgg16(input_shape=(32, 32, 3), classes=10).get_layer("block5_pool").output.shape
    (None, 1, 1, 512)

    References
    ----------
    Simonyan, Zisserman, "Very deep convolutional networks for large-scale image recognition", ICLR 2015.
    """
    input_shape = check_image_shape(input_shape)
    classes = _checks.check_size(classes, "classes", _checks.MAX_CLASSES)
    dropout = _check_dropout(dropout)
    tracker = ShapeTracker(input_shape)
    for block in range(1, len(VGG16_BLOCKS) + 1):
        tracker.layer(f"block{block}_pool", 2, 2)
    inputs = keras.Input(input_shape, name="image")
    x = inputs
    for block, (n_convs, filters) in enumerate(VGG16_BLOCKS, start=1):
        x = apply_vgg_block(x, n_convs, filters, f"block{block}")
    x = keras.layers.Flatten(name="flatten")(x)
    for name in ("fc1", "fc2"):
        x = keras.layers.Dense(4096, activation="relu", name=name)(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"{name}_dropout")(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="vgg16")
