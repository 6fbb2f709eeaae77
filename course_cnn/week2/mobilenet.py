r"""MobileNet v1 and v2 blocks, and a small MobileNet for 28x28 images.

**MobileNet v1** replaces every normal convolution by a depthwise-separable
one (see ``course_cnn.week2.depthwise``): a 3x3 depthwise convolution, batch
normalisation and ReLU, then a 1x1 pointwise convolution, batch
normalisation and ReLU. For an $n_{out} \times n_{out} \times n_C$ output it
costs a fraction $\frac{1}{n_C} + \frac{1}{f^2}$ of the normal convolution's
multiplications (13 such blocks in the paper).

**MobileNet v2** wraps the depthwise convolution in an *inverted
residual* (bottleneck) block: a 1x1 *expansion* to $t \cdot n_{C,prev}$
channels ($t = 6$ in the paper), the 3x3 depthwise convolution at that
width, then a 1x1 *projection* back down to $n_C$ channels with **no**
activation (a "linear bottleneck": a ReLU in a narrow layer would destroy
information), and the block's input added back when the shapes match:

$$a^{[out]} = a^{[in]} + \mathrm{BN}\big(W_{project} * \mathrm{ReLU6}(\mathrm{BN}(W_{dw} \circledast
\mathrm{ReLU6}(\mathrm{BN}(W_{expand} * a^{[in]}))))\big)$$

where $\circledast$ is the depthwise convolution and $\mathrm{ReLU6}(z) = \min(\max(z, 0), 6)$.
The block's input and output are narrow; only the inside is wide, so the
memory between blocks stays small while the depthwise step works on many
channels. Parameters, with $n = n_{C,prev}$, $t n$ expanded channels and
4 per channel of each batch normalisation:

$$t n \cdot n + 4 t n \;+\; 9 t n + 4 t n \;+\; t n \cdot n_C + 4 n_C$$

(the convolutions have no bias: the batch normalisation after each has its own $\beta$).

References
----------
A. G. Howard et al., "MobileNets: Efficient convolutional neural networks for mobile vision applications", 2017.
M. Sandler et al., "MobileNetV2: Inverted residuals and linear bottlenecks", CVPR 2018.
"""

from __future__ import annotations

import keras

from course_cnn import _checks

__all__ = ["mobilenet_v1_block", "mobilenet_v2_block", "small_mobilenet"]

# Batch normalisation: Keras' default epsilon, as its MobileNet applications, and momentum 0.9 (PyTorch's
# default) where they use 0.999 for ImageNet's long training. Inference uses the moving statistics, which start
# at mean 0, variance 1: measured on Fashion-MNIST after 94 steps at 0.99, the moving variances were 5-200
# times the real ones (39% of the initial 1 left, real variances of 0.005-0.5), and the network predicted one
# class for every test image (10% accuracy, 73% in training mode). At 0.9 they settle within a few dozen steps.
_BN = {"epsilon": 1e-3, "momentum": 0.9}


def _check_block_args(x, filters, stride):
    x = _checks.check_tensor(x, "x", ndim=4, dims="(m, n_H, n_W, n_C_prev)")
    filters = _checks.check_size(filters, "filters", _checks.MAX_UNITS)
    stride = _checks.check_int(stride, "stride", 1, 2)
    return x, filters, stride


def mobilenet_v1_block(x, filters, stride=1, name="mobilenet_v1_block"):
    r"""A MobileNet v1 block: depthwise 3x3, BN, ReLU, then pointwise 1x1, BN, ReLU.

    $$a' = \mathrm{ReLU}(\mathrm{BN}(W_{dw} \circledast a)), \qquad a'' = \mathrm{ReLU}(\mathrm{BN}(W_{pw} * a'))$$

    The depthwise step (stride ``stride``, "same" padding) filters each
    channel on its own; the pointwise step mixes the channels into
    ``filters`` outputs. Parameters: $9 n_{C,prev} + 4 n_{C,prev}$ (depthwise
    and its BN) $+\; n_{C,prev} n_C + 4 n_C$ (pointwise and its BN).
    Keras' ``keras.applications.MobileNet`` uses ReLU6 where the paper (and
    this block) uses ReLU; the parameters are the same.

    Parameters
    ----------
    x : KerasTensor of shape (m, n_H, n_W, n_C_prev)
        Input.
    filters : int
        Output channels $n_C$ (pointwise filters).
    stride : {1, 2}, default 1
        Stride of the depthwise step (2 halves $n_H$ and $n_W$).
    name : str, default "mobilenet_v1_block"
        Prefix of the six layers' names (``{name}_dw``, ``{name}_dw_bn``,
        ``{name}_dw_relu``, ``{name}_pw``, ``{name}_pw_bn``, ``{name}_pw_relu``).

    Returns
    -------
    KerasTensor of shape (m, ceil(n_H / stride), ceil(n_W / stride), filters)

    Raises
    ------
    TypeError, ValueError
        For an input that is not 4-D, ``filters`` not in [1, 65536], or a
        stride other than 1 or 2.

    Examples
    --------
    MobileNet v1's second block, 112x112x32 -> 56x56x64, the layer that ``keras.applications.MobileNet`` calls
    ``conv_dw_2`` / ``conv_pw_2``:

    >>> x = keras.Input((112, 112, 32))
    >>> block = keras.Model(x, mobilenet_v1_block(x, 64, stride=2, name="block2"))
    >>> block.output_shape, block.count_params()  # 9*32 + 4*32 + 32*64 + 4*64
    ((None, 56, 56, 64), 2720)
    """
    x, filters, stride = _check_block_args(x, filters, stride)
    layers = keras.layers
    y = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False, name=f"{name}_dw")(x)
    y = layers.BatchNormalization(**_BN, name=f"{name}_dw_bn")(y)
    y = layers.ReLU(name=f"{name}_dw_relu")(y)  # (m, n_H / s, n_W / s, n_C_prev)
    y = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_pw")(y)
    y = layers.BatchNormalization(**_BN, name=f"{name}_pw_bn")(y)
    return layers.ReLU(name=f"{name}_pw_relu")(y)  # (m, n_H / s, n_W / s, filters)


def mobilenet_v2_block(x, expansion, filters, stride=1, name="mobilenet_v2_block"):
    r"""A MobileNet v2 inverted-residual block: expand 1x1, depthwise 3x3, project 1x1 (linear), add.

    $$e = \mathrm{ReLU6}(\mathrm{BN}(W_{expand} * a)) \quad (t \cdot n_{C,prev} \text{ channels})$$

    $$d = \mathrm{ReLU6}(\mathrm{BN}(W_{dw} \circledast e)) \quad (\text{stride } s)$$

    $$a' = \mathrm{BN}(W_{project} * d) + a \quad (\text{the } + a \text{ only when } s = 1 \text{ and } n_C = n_{C,prev})$$

    With ``expansion=1`` there is no expansion layer (MobileNetV2's first
    block, as in Keras). The layer names follow Keras' ``block_{k}_*``
    pattern with ``name`` as the prefix, and the parameter count equals
    Keras' ``keras.applications.MobileNetV2`` block of the same shape.

    Parameters
    ----------
    x : KerasTensor of shape (m, n_H, n_W, n_C_prev)
        Input.
    expansion : int
        The expansion factor $t$ (6 in the paper; 1 for no expansion layer).
    filters : int
        Output channels $n_C$ of the projection.
    stride : {1, 2}, default 1
        Stride of the depthwise step.
    name : str, default "mobilenet_v2_block"
        Prefix of the layers' names (``{name}_expand``, ``{name}_expand_BN``,
        ``{name}_expand_relu``, ``{name}_depthwise``, ``{name}_depthwise_BN``,
        ``{name}_depthwise_relu``, ``{name}_project``, ``{name}_project_BN``,
        ``{name}_add``).

    Returns
    -------
    KerasTensor of shape (m, ceil(n_H / stride), ceil(n_W / stride), filters)

    Raises
    ------
    TypeError, ValueError
        For an input that is not 4-D, ``expansion`` or ``filters`` not in
        [1, 65536], an expanded width above 65536, or a stride other than 1 or 2.

    Examples
    --------
    MobileNetV2's ``block_2`` (56x56x24, expansion 6, 24 filters, stride 1: the residual add is used):

    >>> x = keras.Input((56, 56, 24))
    >>> block = keras.Model(x, mobilenet_v2_block(x, 6, 24, name="block_2"))
    >>> block.output_shape, block.count_params()  # 24*144 + 4*144 + 9*144 + 4*144 + 144*24 + 4*24
    ((None, 56, 56, 24), 9456)
    >>> block.layers[-1].name
    'block_2_add'
    """
    x, filters, stride = _check_block_args(x, filters, stride)
    expansion = _checks.check_size(expansion, "expansion", _checks.MAX_UNITS)
    n_C_prev = int(x.shape[-1])
    if expansion * n_C_prev > _checks.MAX_UNITS:
        raise _checks.fail("expansion", f"keep expansion * n_C_prev <= {_checks.MAX_UNITS} (n_C_prev = {n_C_prev})",
                           repr(expansion))
    layers = keras.layers
    y = x
    if expansion != 1:
        y = layers.Conv2D(expansion * n_C_prev, 1, use_bias=False, name=f"{name}_expand")(y)  # (m, n_H, n_W, t n)
        y = layers.BatchNormalization(**_BN, name=f"{name}_expand_BN")(y)
        y = layers.ReLU(6.0, name=f"{name}_expand_relu")(y)
    y = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False, name=f"{name}_depthwise")(y)
    y = layers.BatchNormalization(**_BN, name=f"{name}_depthwise_BN")(y)
    y = layers.ReLU(6.0, name=f"{name}_depthwise_relu")(y)  # (m, n_H / s, n_W / s, t n)
    y = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_project")(y)
    y = layers.BatchNormalization(**_BN, name=f"{name}_project_BN")(y)  # linear: no activation
    if stride == 1 and n_C_prev == filters:
        y = layers.Add(name=f"{name}_add")([x, y])
    return y


#: The small MobileNets' blocks for 28x28 inputs: (filters, stride) for v1, (expansion, filters, stride) for v2.
SMALL_V1_BLOCKS = ((32, 1), (64, 2), (64, 1), (128, 2), (128, 1))
SMALL_V2_BLOCKS = ((1, 16, 1), (6, 24, 2), (6, 24, 1), (6, 32, 2), (6, 32, 1), (6, 64, 1))


def small_mobilenet(input_shape=(28, 28, 1), classes=10, version=2, dropout=0.2):
    r"""A small MobileNet (v1 or v2 blocks) for small images such as Fashion-MNIST.

    A 3x3 conv stem with 16 filters, BN, ReLU6; then the blocks of
    ``SMALL_V1_BLOCKS`` (v1: 28x28x16 -> 7x7x128) or ``SMALL_V2_BLOCKS``
    (v2: 28x28x16 -> 7x7x64, then a 1x1 conv to 128 channels, BN, ReLU6 as
    MobileNetV2's last layer); global average pooling, dropout and a softmax.
    Each of the two halvings is a stride-2 depthwise step.

    Parameters
    ----------
    input_shape : tuple of int, default (28, 28, 1)
        ``(n_H, n_W, n_C)``; "same" padding everywhere, so any size works
        (28x28 becomes 14x14 and then 7x7).
    classes : int, default 10
        Softmax outputs.
    version : {1, 2}, default 2
        Which block.
    dropout : float, default 0.2
        Dropout before the softmax, in [0, 1).

    Returns
    -------
    keras.Model
        Named ``"small_mobilenet_v1"`` or ``"small_mobilenet_v2"``.

    Raises
    ------
    TypeError, ValueError
        For a bad ``input_shape``, ``classes``, ``version`` or ``dropout``.

    Examples
    --------
    >>> small_mobilenet(version=1).count_params(), small_mobilenet(version=2).count_params()
    (38346, 74026)
    """
    input_shape = _checks.check_input_shape(input_shape)
    classes = _checks.check_size(classes, "classes", _checks.MAX_CLASSES)
    version = _checks.check_int(version, "version", 1, 2)
    dropout = _checks.check_number(dropout, "dropout", 0.0, 1.0, high_inclusive=False)
    layers = keras.layers
    inputs = keras.Input(input_shape, name="image")
    x = layers.Conv2D(16, 3, padding="same", use_bias=False, name="stem_conv")(inputs)  # (m, 28, 28, 16)
    x = layers.BatchNormalization(**_BN, name="stem_BN")(x)
    x = layers.ReLU(6.0, name="stem_relu")(x)
    if version == 1:
        for k, (filters, stride) in enumerate(SMALL_V1_BLOCKS, start=1):
            x = mobilenet_v1_block(x, filters, stride, name=f"block_{k}")  # ... -> (m, 7, 7, 128)
    else:
        for k, (expansion, filters, stride) in enumerate(SMALL_V2_BLOCKS):
            x = mobilenet_v2_block(x, expansion, filters, stride, name=f"block_{k}")  # ... -> (m, 7, 7, 64)
        x = layers.Conv2D(128, 1, use_bias=False, name="head_conv")(x)  # (m, 7, 7, 128)
        x = layers.BatchNormalization(**_BN, name="head_BN")(x)
        x = layers.ReLU(6.0, name="head_relu")(x)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)  # (m, 128)
    x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=f"small_mobilenet_v{version}")
