r"""Plain and residual networks of any depth, for the "deeper is not always better" experiment.

The lecture's figure: in theory a deeper plain network can only fit the
training set better, but in practice its *training* error goes up once it is
deep enough, because it gets harder to optimise. A residual network adds the
block's input back before the last activation,

$$a^{[l+2]} = g\left(z^{[l+2]} + a^{[l]}\right),$$

so each block can fall back to the identity (set $W^{[l+2]}, b^{[l+2]}$ to 0),
and its training error keeps falling with depth.

`resnet` builds both kinds, CIFAR-style (He et al. 2016, section 4.2):
a 3x3 stem conv, then stages of *basic blocks* (two 3x3 convs), the first
stage at full resolution and every later one halving $n_H, n_W$ while doubling
the filters, then global average pooling and a softmax. ``depth`` counts the
weighted layers: $\text{depth} = 2 \cdot n_{\text{blocks}} \cdot n_{\text{stages}} + 2$.

References
----------
He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016.
"""

from __future__ import annotations

import keras

from course_cnn import _checks
from course_cnn.week2._validate import check_image_shape

__all__ = ["apply_basic_block", "resnet"]


def apply_basic_block(x, filters, stride=1, residual=True, name="block"):
    r"""Two 3x3 conv-BN layers, with the input added back when ``residual``.

    Residual: $a^{[l+1]} = \mathrm{ReLU}(\mathrm{BN}(W_1 * a^{[l]}))$ and
    $a^{[l+2]} = \mathrm{ReLU}(\mathrm{BN}(W_2 * a^{[l+1]}) + \mathrm{shortcut}(a^{[l]}))$;
    plain: the same without the shortcut term. When the stride or the number
    of channels changes, the shortcut is a 1x1 conv (stride ``stride``) + BN
    (He et al.'s option B) so the shapes of the two terms match.

    Parameters
    ----------
    x : KerasTensor of shape (m, n_H, n_W, n_C_prev)
        Input activations.
    filters : int
        Number of filters of both convs (n_C of the output).
    stride : int, default 1
        Stride of the first conv (2 halves n_H and n_W).
    residual : bool, default True
        Add the shortcut (a residual block) or not (a plain block).
    name : str, default "block"
        Prefix of every layer's name.

    Returns
    -------
    KerasTensor of shape (m, ceil(n_H / stride), ceil(n_W / stride), filters)

    Raises
    ------
    TypeError, ValueError
        For a non-positive ``filters`` or ``stride``.

    Examples
    --------
    >>> x = keras.Input((8, 8, 4))
    >>> tuple(apply_basic_block(x, 16, stride=2).shape)
    (None, 4, 4, 16)
    """
    x = _checks.check_tensor(x, "x", ndim=4, dims="(m, n_H, n_W, n_C)")
    filters = _checks.check_size(filters, "filters", _checks.MAX_UNITS)
    stride = _checks.check_size(stride, "stride", _checks.MAX_IMAGE_SIDE)
    shortcut = x
    y = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False,
                            kernel_initializer="he_normal", name=f"{name}_conv1")(x)
    y = keras.layers.BatchNormalization(axis=3, name=f"{name}_bn1")(y)
    y = keras.layers.Activation("relu", name=f"{name}_relu1")(y)
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False,
                            kernel_initializer="he_normal", name=f"{name}_conv2")(y)
    y = keras.layers.BatchNormalization(axis=3, name=f"{name}_bn2")(y)
    if residual:
        if stride != 1 or x.shape[-1] != filters:
            # projection shortcut: 1x1 conv so that a^[l] has the shape of z^[l+2]
            shortcut = keras.layers.Conv2D(filters, 1, strides=stride, use_bias=False,
                                           kernel_initializer="he_normal", name=f"{name}_shortcut_conv")(x)
            shortcut = keras.layers.BatchNormalization(axis=3, name=f"{name}_shortcut_bn")(shortcut)
        # a^[l+2] = g(z^[l+2] + a^[l])
        y = keras.layers.Add(name=f"{name}_add")([y, shortcut])
    return keras.layers.Activation("relu", name=f"{name}_out")(y)


def resnet(depth=20, input_shape=(28, 28, 1), classes=10, residual=True, filters=(16, 32, 64), name=None):
    r"""A CIFAR-style residual (or plain) network with ``depth`` weighted layers.

    Layout: 3x3 conv (``filters[0]``) - BN - ReLU, then one stage per entry of
    ``filters`` with $n = (\text{depth} - 2) / (2 \cdot \text{len(filters)})$
    basic blocks each (the first stage keeps $n_H, n_W$, each later one halves
    them), global average pooling, a softmax dense layer.

    Parameters
    ----------
    depth : int, default 20
        Number of conv + dense layers (shortcut convs not counted); must be
        ``2 * n * len(filters) + 2`` for some n >= 1 (8, 14, 20, 26, 32, ... for
        three stages).
    input_shape : tuple of int, default (28, 28, 1)
        ``(n_H, n_W, n_C)`` of one image.
    classes : int, default 10
        Number of classes of the softmax.
    residual : bool, default True
        Residual blocks (True) or the same network without shortcuts (False,
        the "plain" network of the lecture's figure).
    filters : sequence of int, default (16, 32, 64)
        Filters of each stage.
    name : str, optional
        Model name; default ``"resnet{depth}"`` or ``"plain{depth}"``.

    Returns
    -------
    keras.Model
        Input ``(m, *input_shape)``, output ``(m, classes)`` probabilities.

    Raises
    ------
    TypeError, ValueError
        For a depth that does not fit the pattern, bad shapes or filters.

    Examples
    --------
    >>> model = resnet(8, classes=10)
    >>> model.name, model.output_shape
    ('resnet8', (None, 10))
    >>> resnet(8, residual=False).name
    'plain8'

    References
    ----------
    He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016.
    """
    depth = _checks.check_int(depth, "depth", 4, _checks.MAX_DEPTH)  # before any layer is built
    input_shape = check_image_shape(input_shape)
    classes = _checks.check_size(classes, "classes", _checks.MAX_CLASSES)
    if isinstance(filters, (str, bytes)) or not hasattr(filters, "__len__") or len(filters) == 0:
        raise _checks.fail("filters", "be a non-empty sequence of positive ints", _checks.describe(filters), TypeError)
    filters = tuple(_checks.check_size(f, "filters", _checks.MAX_UNITS) for f in filters)
    per_block = 2 * len(filters)
    if (depth - 2) % per_block:
        raise _checks.fail("depth", f"be 2 * n * {len(filters)} + 2 for an int n >= 1 with {len(filters)} stages "
                           f"(e.g. {per_block + 2}, {2 * per_block + 2}, {3 * per_block + 2})", repr(depth))
    n_blocks = (depth - 2) // per_block  # "same" convs never shrink below 1x1: ceil(1 / 2) = 1
    kind = "resnet" if residual else "plain"
    inputs = keras.Input(input_shape, name="image")
    x = keras.layers.Conv2D(filters[0], 3, padding="same", use_bias=False, kernel_initializer="he_normal",
                            name="stem_conv")(inputs)
    x = keras.layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = keras.layers.Activation("relu", name="stem_relu")(x)
    for stage, n_C in enumerate(filters, start=1):
        for block in range(1, n_blocks + 1):
            stride = 2 if (stage > 1 and block == 1) else 1
            x = apply_basic_block(x, n_C, stride, residual, name=f"stage{stage}_block{block}")
    x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=name or f"{kind}{depth}")
