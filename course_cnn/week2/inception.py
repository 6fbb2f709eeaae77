r"""1x1 convolutions, the Inception module and GoogLeNet (Inception v1).

A 1x1 convolution with $n_C$ filters applies the same fully connected layer
$n_{C,prev} \to n_C$ at every pixel:

$$z_{h,w,c} = \sum_{k=1}^{n_{C,prev}} a_{h,w,k} \, W_{k,c} + b_c ,$$

so it shrinks (or grows) the number of channels without touching
$n_H, n_W$, and adds a non-linearity ("network in network").

An Inception module runs a 1x1, a 3x3, a 5x5 convolution and a 3x3 max-pool
side by side ("same" padding, stride 1) and concatenates their outputs along
the channels. The 3x3 and 5x5 branches first shrink the channels with a 1x1
*bottleneck*, which is what makes the module affordable: a conv costs

$$n_H \cdot n_W \cdot n_C \cdot (f \cdot f \cdot n_{C,prev})$$

multiplications (one $f \times f \times n_{C,prev}$ dot product per output
number). For 28x28x192 -> 28x28x32 with 5x5 filters that is about 120
million; through a 16-channel 1x1 bottleneck about 2.4 + 10.0 = 12.4 million.

References
----------
Lin, Chen, Yan, "Network in network", ICLR 2014.
Szegedy et al., "Going deeper with convolutions", CVPR 2015.
"""

from __future__ import annotations

import keras

from course_cnn import _checks
from course_cnn.week2._validate import check_image_shape

__all__ = ["one_by_one_conv", "conv_multiplications", "inception_module", "googlenet"]


def one_by_one_conv(x, n_C, activation="relu", name="conv1x1"):
    r"""A 1x1 convolution: the same dense layer $n_{C,prev} \to n_C$ at every pixel.

    $z_{h,w,:} = a_{h,w,:} W + b$ with $W$ of shape $(n_{C,prev}, n_C)$, then
    ``activation``. Parameters: $(n_{C,prev} + 1) \cdot n_C$.

    Parameters
    ----------
    x : KerasTensor or tensor of shape (m, n_H, n_W, n_C_prev)
        Input.
    n_C : int
        Number of output channels (filters).
    activation : str or None, default "relu"
        Activation applied after the convolution.
    name : str, default "conv1x1"
        Name of the Conv2D layer.

    Returns
    -------
    tensor of shape (m, n_H, n_W, n_C)

    Raises
    ------
    TypeError, ValueError
        For a non-positive ``n_C`` or an input that is not 4-D.

    Examples
    --------
    Shrinking 28x28x192 to 28x28x32, as in the lecture:

    >>> x = keras.Input((28, 28, 192))
    >>> tuple(one_by_one_conv(x, 32).shape)
    (None, 28, 28, 32)
    """
    n_C = _checks.check_size(n_C, "n_C", _checks.MAX_UNITS)
    x = _checks.check_tensor(x, "x", ndim=4, dims="(m, n_H, n_W, n_C_prev)")
    return keras.layers.Conv2D(n_C, 1, activation=activation, name=name)(x)


def conv_multiplications(input_shape, f, n_filters, bottleneck=None, stride=1, pad="same"):
    r"""Multiplications of a convolution, optionally through a 1x1 bottleneck.

    One $f \times f \times n_{C,prev}$ dot product per output number:

    $$n_H \cdot n_W \cdot n_{filters} \cdot (f^2 \cdot n_{C,prev})$$

    $$n_H = \left\lfloor \frac{n_{H,prev} + 2p - f}{s} \right\rfloor + 1$$

    With a bottleneck of $n_b$ channels, a 1x1 conv at the input's size
    comes first, $n_{H,prev} n_{W,prev} \cdot n_b \cdot n_{C,prev}$, and the
    $f \times f$ conv then reads $n_b$ channels:
    $n_H n_W \cdot n_{filters} \cdot f^2 n_b$. Additions and biases are not
    counted (as in the lecture).

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_H_prev, n_W_prev, n_C_prev)``.
    f : int
        Filter size.
    n_filters : int
        Output channels.
    bottleneck : int, optional
        Channels of the 1x1 conv in front; ``None`` for the direct conv.
    stride : int, default 1
        The $f \times f$ conv's stride $s$.
    pad : {"same", "valid"} or int, default "same"
        ``"same"``: the output is $\lceil n_{H,prev} / s \rceil$ high (as
        Keras' ``padding="same"``; $n_{H,prev}$ itself at stride 1);
        ``"valid"``: $p = 0$; an int: $p$ zeros on every side.

    Returns
    -------
    int
        The number of multiplications.

    Raises
    ------
    TypeError, ValueError
        For a bad shape, non-positive sizes, an unknown ``pad``, or a filter
        larger than the padded input.

    Examples
    --------
    >>> conv_multiplications((28, 28, 192), 5, 32)  # 28*28*32 * 5*5*192
    120422400
    >>> conv_multiplications((28, 28, 192), 5, 32, bottleneck=16)  # 28*28*16*192 + 28*28*32*5*5*16
    12443648

    The depthwise-separable lecture's normal convolution, 6x6x3 -> 4x4x5 with 3x3 filters:

    >>> conv_multiplications((6, 6, 3), 3, 5, pad="valid")  # 4*4*5 * 3*3*3
    2160
    """
    n_H_prev, n_W_prev, n_C_prev = check_image_shape(input_shape)
    f = _checks.check_positive_int(f, "f")
    n_filters = _checks.check_positive_int(n_filters, "n_filters")
    stride = _checks.check_positive_int(stride, "stride")
    n_H, n_W = _output_hw(n_H_prev, n_W_prev, f, stride, pad)
    if bottleneck is None:
        return n_H * n_W * n_filters * (f * f * n_C_prev)
    n_b = _checks.check_positive_int(bottleneck, "bottleneck")
    reduce_cost = n_H_prev * n_W_prev * n_b * (1 * 1 * n_C_prev)
    conv_cost = n_H * n_W * n_filters * (f * f * n_b)
    return reduce_cost + conv_cost


def _output_hw(n_H_prev, n_W_prev, f, stride, pad):
    """(n_H, n_W) of a conv: ceil(n / s) for "same", floor((n + 2p - f) / s) + 1 otherwise."""
    if pad == "same":
        return -(-n_H_prev // stride), -(-n_W_prev // stride)
    if pad == "valid":
        pad = 0
    elif isinstance(pad, str):
        raise _checks.fail("pad", "be 'same', 'valid' or a non-negative int", repr(pad))
    pad = _checks.check_non_negative_int(pad, "pad")
    if f > min(n_H_prev, n_W_prev) + 2 * pad:
        raise _checks.fail("f", f"fit inside the padded input (f <= min(n_H_prev, n_W_prev) + 2 * pad = "
                           f"{min(n_H_prev, n_W_prev) + 2 * pad})", f"{f}")
    return (n_H_prev + 2 * pad - f) // stride + 1, (n_W_prev + 2 * pad - f) // stride + 1


def _conv(x, filters, f, name, strides=1):
    return keras.layers.Conv2D(filters, f, strides=strides, padding="same", activation="relu", name=name)(x)


def inception_module(x, filters_1x1, filters_3x3_reduce, filters_3x3, filters_5x5_reduce, filters_5x5,
                     filters_pool_proj, name="inception"):
    r"""An Inception (v1) module: four parallel branches concatenated along the channels.

    Branches (all "same", stride 1, ReLU): 1x1 conv; 1x1 reduce -> 3x3 conv;
    1x1 reduce -> 5x5 conv; 3x3 max-pool -> 1x1 projection. Output channels:
    ``filters_1x1 + filters_3x3 + filters_5x5 + filters_pool_proj``.
    Parameters, with $n = n_{C,prev}$:
    $(n+1)F_{1} + (n+1)R_3 + (9R_3+1)F_3 + (n+1)R_5 + (25R_5+1)F_5 + (n+1)P$.

    Parameters
    ----------
    x : KerasTensor of shape (m, n_H, n_W, n_C_prev)
        Input.
    filters_1x1, filters_3x3_reduce, filters_3x3, filters_5x5_reduce, filters_5x5, filters_pool_proj : int
        The six columns of the GoogLeNet paper's table 1.
    name : str, default "inception"
        Prefix of the layers' names (``inception_3a`` ...).

    Returns
    -------
    KerasTensor of shape (m, n_H, n_W, filters_1x1 + filters_3x3 + filters_5x5 + filters_pool_proj)

    Raises
    ------
    TypeError, ValueError
        For a non-positive filter count.

    Examples
    --------
    Module 3a of GoogLeNet:

    >>> x = keras.Input((28, 28, 192))
    >>> tuple(inception_module(x, 64, 96, 128, 16, 32, 32, name="inception_3a").shape)
    (None, 28, 28, 256)

    References
    ----------
    Szegedy et al., "Going deeper with convolutions", CVPR 2015.
    """
    counts = dict(filters_1x1=filters_1x1, filters_3x3_reduce=filters_3x3_reduce, filters_3x3=filters_3x3,
                  filters_5x5_reduce=filters_5x5_reduce, filters_5x5=filters_5x5,
                  filters_pool_proj=filters_pool_proj)
    x = _checks.check_tensor(x, "x", ndim=4, dims="(m, n_H, n_W, n_C_prev)")
    for arg, value in counts.items():
        _checks.check_size(value, arg, _checks.MAX_UNITS)
    branch_1x1 = _conv(x, filters_1x1, 1, f"{name}_1x1")
    branch_3x3 = _conv(x, filters_3x3_reduce, 1, f"{name}_3x3_reduce")
    branch_3x3 = _conv(branch_3x3, filters_3x3, 3, f"{name}_3x3")
    branch_5x5 = _conv(x, filters_5x5_reduce, 1, f"{name}_5x5_reduce")
    branch_5x5 = _conv(branch_5x5, filters_5x5, 5, f"{name}_5x5")
    branch_pool = keras.layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}_pool")(x)
    branch_pool = _conv(branch_pool, filters_pool_proj, 1, f"{name}_pool_proj")
    # channel concatenation: n_C = F1 + F3 + F5 + P
    return keras.layers.Concatenate(axis=-1, name=f"{name}_concat")([branch_1x1, branch_3x3, branch_5x5, branch_pool])


#: Table 1 of the GoogLeNet paper: module -> (1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj).
GOOGLENET_MODULES = {
    "3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64), "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128), "5b": (384, 192, 384, 48, 128, 128),
}


def _aux_head(x, classes, name):
    x = keras.layers.AveragePooling2D(5, strides=3, name=f"{name}_pool")(x)  # (m, 4, 4, n_C) for 14x14
    x = _conv(x, 128, 1, f"{name}_conv")
    x = keras.layers.Flatten(name=f"{name}_flatten")(x)
    x = keras.layers.Dense(1024, activation="relu", name=f"{name}_fc")(x)
    x = keras.layers.Dropout(0.7, name=f"{name}_dropout")(x)
    return keras.layers.Dense(classes, activation="softmax", name=f"{name}_predictions")(x)


def googlenet(input_shape=(224, 224, 3), classes=1000, aux_heads=False, dropout=0.4):
    r"""GoogLeNet (Inception v1): a stem, nine Inception modules, global average pooling.

    Stem: conv 64@7x7/2 -> max-pool 3x3/2 -> conv 64@1x1 -> conv 192@3x3 ->
    max-pool 3x3/2 (28x28x192 for 224x224 input); then modules 3a, 3b,
    max-pool, 4a-4e, max-pool, 5a, 5b (7x7x1024), global average pooling,
    dropout, dense softmax. The paper's local response normalisation is left
    out. 6,998,552 parameters for 1000 classes without the auxiliary heads.

    Parameters
    ----------
    input_shape : tuple of int, default (224, 224, 3)
        ``(n_H, n_W, n_C)``. Pools use "same" padding, so any size >= 1 works;
        the auxiliary heads need 4a/4d outputs of at least 5x5 (input >= 65x65).
    classes : int, default 1000
        Number of softmax outputs.
    aux_heads : bool, default False
        Add the two auxiliary classifiers (after 4a and 4d); the model then
        has three outputs ``[main, aux1, aux2]``.
    dropout : float, default 0.4
        Dropout before the last dense layer, in [0, 1).

    Returns
    -------
    keras.Model
        Named ``"googlenet"``.

    Raises
    ------
    ValueError
        For a non-positive ``classes``, a bad ``dropout``, or an input too small
        for the auxiliary heads.

    Examples
    --------
    >>> googlenet().count_params()
    6998552

    References
    ----------
    Szegedy et al., "Going deeper with convolutions", CVPR 2015.
    """
    input_shape = check_image_shape(input_shape)
    classes = _checks.check_size(classes, "classes", _checks.MAX_CLASSES)
    dropout = _checks.check_number(dropout, "dropout", 0.0, 1.0, high_inclusive=False)
    if aux_heads and min(-(-input_shape[0] // 16), -(-input_shape[1] // 16)) < 5:
        raise _checks.fail("input_shape", "give 4a/4d outputs of at least 5x5 for the auxiliary heads' 5x5 pool "
                           "(at least 65x65)", repr(input_shape))
    inputs = keras.Input(input_shape, name="image")
    x = _conv(inputs, 64, 7, "conv1_7x7", strides=2)  # (m, 112, 112, 64)
    x = keras.layers.MaxPooling2D(3, strides=2, padding="same", name="pool1")(x)  # (m, 56, 56, 64)
    x = _conv(x, 64, 1, "conv2_reduce")
    x = _conv(x, 192, 3, "conv2_3x3")  # (m, 56, 56, 192)
    x = keras.layers.MaxPooling2D(3, strides=2, padding="same", name="pool2")(x)  # (m, 28, 28, 192)
    aux = []
    for key, filters in GOOGLENET_MODULES.items():
        if key in ("4a", "5a"):
            x = keras.layers.MaxPooling2D(3, strides=2, padding="same", name=f"pool{key[0]}")(x)
        x = inception_module(x, *filters, name=f"inception_{key}")
        if aux_heads and key in ("4a", "4d"):
            aux.append(_aux_head(x, classes, f"aux_{key}"))
    x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)  # (m, 1024)
    x = keras.layers.Dropout(dropout, name="dropout")(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, [outputs, *aux] if aux_heads else outputs, name="googlenet")
