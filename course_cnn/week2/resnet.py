r"""ResNet-50 as in the course: identity blocks, convolutional blocks, five stages.

A residual block adds its input $a^{[l]}$ to the pre-activation two (here
three) layers later, before the ReLU:

$$a^{[l+2]} = g\left(z^{[l+2]} + a^{[l]}\right) = g\left(W^{[l+2]} a^{[l+1]} + b^{[l+2]} + a^{[l]}\right).$$

If weight decay pushes $W^{[l+2]}, b^{[l+2]}$ to 0, then
$a^{[l+2]} = g(a^{[l]}) = a^{[l]}$ (ReLU outputs are already $\ge 0$), so
adding a residual block cannot make the function the network can represent
worse: the identity is easy to learn, and the block only has to learn the
*residual* on top of it.

* `identity_block`: shortcut is the input itself; needs
  $n_C(a^{[l]}) = F_3$.
* `convolutional_block`: the shortcut goes through a 1x1 conv (stride
  ``s``) + BatchNorm so that its shape matches the main path.
* `ResNet50`: the course's model for the 64x64x3 SIGNS images (6
  classes), 23,600,006 parameters.

References
----------
He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016.
"""

from __future__ import annotations

import keras
from keras.initializers import glorot_uniform, random_uniform

from course_cnn import _checks
from course_cnn.week2._validate import ShapeTracker, check_filters, check_image_shape

# random_uniform and glorot_uniform (the course's default initializers, Keras classes) are importable from here too.
__all__ = ["identity_block", "convolutional_block", "ResNet50"]


def _block_name(name, prefix):
    return name if name is not None else f"{prefix}_{keras.backend.get_uid(prefix)}"


def _check_block_args(X, f, filters, training, initializer):
    if len(getattr(X, "shape", ())) != 4:
        raise _checks.fail("X", "have 4 dimensions (m, n_H, n_W, n_C)", _checks.describe(X))
    f = _checks.check_size(f, "f", _checks.MAX_IMAGE_SIDE)
    filters = check_filters(filters, "filters", 3)
    if not isinstance(training, (bool, type(None))):
        raise _checks.fail("training", "be True, False or None", _checks.describe(training), TypeError)
    if not callable(initializer):
        raise _checks.fail("initializer", "be a callable called as initializer(seed=0), e.g. "
                           "keras.initializers.glorot_uniform or lambda seed=0: constant(1)",
                           _checks.describe(initializer), TypeError)
    return f, filters


def _conv_bn(X, n_filters, kernel, stride, padding, initializer, training, name, relu=True):
    """Conv2D -> BatchNormalization(axis=3) [-> ReLU], every layer named after ``name``."""
    X = keras.layers.Conv2D(n_filters, kernel, strides=stride, padding=padding,
                            kernel_initializer=initializer(seed=0), name=f"{name}_conv")(X)
    X = keras.layers.BatchNormalization(axis=3, name=f"{name}_bn")(X, training=training)
    if relu:
        X = keras.layers.Activation("relu", name=f"{name}_relu")(X)
    return X


def identity_block(X, f, filters, training=True, initializer=random_uniform, name=None):
    r"""The ResNet identity block: three conv-BN layers and the input added back.

    Main path: 1x1 conv ($F_1$, valid) - BN - ReLU - $f \times f$ conv
    ($F_2$, same) - BN - ReLU - 1x1 conv ($F_3$, valid) - BN; then
    $a^{[l+3]} = \mathrm{ReLU}(z^{[l+3]} + a^{[l]})$ with ``Add()([X, X_shortcut])``.
    Every kernel is initialised with ``initializer(seed=0)`` (biases with zeros).

    Parameters
    ----------
    X : tensor of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Input (a symbolic ``keras.Input`` or concrete values).
    f : int
        Size of the middle conv's window (even sizes are allowed; Keras' "same"
        padding then pads one more row/column at the bottom/right).
    filters : sequence of 3 int
        ``[F1, F2, F3]``; ``F3`` must equal ``n_C_prev`` for the addition.
    training : bool or None, default True
        Passed to every BatchNormalization (True: batch statistics; False:
        moving statistics). Inside a model, ``model(x, training=...)`` overrides it.
    initializer : callable, default keras.initializers.random_uniform
        Called as ``initializer(seed=0)`` for each kernel (an initializer
        class such as ``random_uniform``, or ``lambda seed=0: constant(1)``).
    name : str, optional
        Prefix of the layers' names; default ``identity_block_<k>``.

    Returns
    -------
    tensor of shape (m, n_H_prev, n_W_prev, F3)

    Raises
    ------
    TypeError, ValueError
        For ``filters`` that are not 3 positive ints, ``f`` < 1, or ``F3`` !=
        ``n_C_prev``.

    Examples
    --------
    >>> X = keras.Input((4, 4, 3))
    >>> tuple(identity_block(X, f=2, filters=[4, 4, 3], name="res_demo").shape)
    (None, 4, 4, 3)

    References
    ----------
    He et al., "Deep Residual Learning for Image Recognition", CVPR 2016.
    """
    f, (F1, F2, F3) = _check_block_args(X, f, filters, training, initializer)
    if X.shape[-1] != F3:
        raise _checks.fail("filters", f"end with F3 = n_C of X ({X.shape[-1]}) so that the shortcut can be added",
                           repr(list(filters)))
    name = _block_name(name, "identity_block")
    X_shortcut = X
    X = _conv_bn(X, F1, 1, 1, "valid", initializer, training, f"{name}_2a")
    X = _conv_bn(X, F2, f, 1, "same", initializer, training, f"{name}_2b")
    X = _conv_bn(X, F3, 1, 1, "valid", initializer, training, f"{name}_2c", relu=False)
    # a^[l+3] = g(z^[l+3] + a^[l])
    X = keras.layers.Add(name=f"{name}_add")([X, X_shortcut])
    return keras.layers.Activation("relu", name=f"{name}_out")(X)


def convolutional_block(X, f, filters, s=2, training=True, initializer=glorot_uniform, name=None):
    r"""The ResNet convolutional block: like the identity block, with a conv on the shortcut.

    Main path: 1x1 conv ($F_1$, stride $s$, valid) - BN - ReLU - $f \times f$
    conv ($F_2$, same) - BN - ReLU - 1x1 conv ($F_3$, valid) - BN. Shortcut:
    1x1 conv ($F_3$, stride $s$, valid) - BN, so both paths have shape
    $(\lfloor (n_H - 1)/s \rfloor + 1, \lfloor (n_W - 1)/s \rfloor + 1, F_3)$.
    Then ``Add()`` and ReLU.

    Parameters
    ----------
    X : tensor of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Input.
    f : int
        Size of the middle conv's window.
    filters : sequence of 3 int
        ``[F1, F2, F3]``.
    s : int, default 2
        Stride of the first 1x1 conv and of the shortcut conv.
    training : bool or None, default True
        Passed to every BatchNormalization.
    initializer : callable, default keras.initializers.glorot_uniform
        Called as ``initializer(seed=0)`` for each kernel.
    name : str, optional
        Prefix of the layers' names; default ``convolutional_block_<k>``.

    Returns
    -------
    tensor of shape (m, (n_H_prev - 1) // s + 1, (n_W_prev - 1) // s + 1, F3)

    Raises
    ------
    TypeError, ValueError
        For ``filters`` that are not 3 positive ints, ``f`` < 1 or ``s`` < 1.

    Examples
    --------
    >>> X = keras.Input((4, 4, 3))
    >>> tuple(convolutional_block(X, f=2, filters=[2, 4, 6], s=2, name="conv_demo").shape)
    (None, 2, 2, 6)
    """
    f, (F1, F2, F3) = _check_block_args(X, f, filters, training, initializer)
    s = _checks.check_size(s, "s", _checks.MAX_IMAGE_SIDE)
    name = _block_name(name, "convolutional_block")
    X_shortcut = X
    X = _conv_bn(X, F1, 1, s, "valid", initializer, training, f"{name}_2a")
    X = _conv_bn(X, F2, f, 1, "same", initializer, training, f"{name}_2b")
    X = _conv_bn(X, F3, 1, 1, "valid", initializer, training, f"{name}_2c", relu=False)
    # shortcut: 1x1 conv with stride s so that it has the main path's shape
    X_shortcut = _conv_bn(X_shortcut, F3, 1, s, "valid", initializer, training, f"{name}_1", relu=False)
    X = keras.layers.Add(name=f"{name}_add")([X, X_shortcut])
    return keras.layers.Activation("relu", name=f"{name}_out")(X)


#: (filters, number of blocks, stride of the first block) of ResNet-50's stages 2 to 5.
RESNET50_STAGES = (
    ((64, 64, 256), 3, 1),
    ((128, 128, 512), 4, 2),
    ((256, 256, 1024), 6, 2),
    ((512, 512, 2048), 3, 2),
)


def _check_resnet50_input(input_shape):
    tracker = ShapeTracker(input_shape)
    tracker.layer("conv1 (after zero-padding 3)", 7, 2, pad=3)
    tracker.layer("max_pool", 3, 2)
    for stage, (_, _, stride) in enumerate(RESNET50_STAGES, start=2):
        tracker.layer(f"res{stage}a_2a_conv", 1, stride)
    tracker.layer("avg_pool", 2, 2)


def ResNet50(input_shape=(64, 64, 3), classes=6):
    r"""The course's ResNet-50 (Keras functional model, every layer named).

    ZeroPadding2D(3) - Conv2D(64, 7x7, stride 2) - BN - ReLU - MaxPool(3x3,
    stride 2) - stage 2: conv block [64, 64, 256] (s=1) + 2 identity blocks -
    stage 3: [128, 128, 512] (s=2) + 3 - stage 4: [256, 256, 1024] (s=2) + 5 -
    stage 5: [512, 512, 2048] (s=2) + 2 - AveragePooling2D(2x2) - Flatten -
    Dense(classes, softmax, ``glorot_uniform(seed=0)``).

    For a 64x64x3 input the stage outputs are 15x15x256, 8x8x512, 4x4x1024 and
    2x2x2048 (e.g. $64 + 2 \cdot 3 = 70$, $\lfloor (70 - 7)/2 \rfloor + 1 = 32$,
    $\lfloor (32 - 3)/2 \rfloor + 1 = 15$), and the model has 23,600,006
    parameters (53,120 of them BatchNorm moving statistics).

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
        ``(n_H, n_W, n_C)``; at least 37x37 so that stage 5 is at least 2x2 before the 2x2 average pool (smaller inputs raise a ValueError naming the layer).
    classes : int, default 6
        Number of softmax outputs.

    Returns
    -------
    keras.Model
        Named ``"ResNet50"``; input (m, n_H, n_W, n_C), output (m, classes).

    Raises
    ------
    ValueError
        For an input too small for the network (the message names the layer
        that would shrink it below 1x1) or a non-positive ``classes``.

    Examples
    --------
    >>> model = ResNet50(input_shape=(64, 64, 3), classes=6)
    >>> model.count_params()
    23600006
    >>> model.get_layer("res5c_out").output.shape
    (None, 2, 2, 2048)

    References
    ----------
    He et al., "Deep Residual Learning for Image Recognition", CVPR 2016.
    """
    input_shape = check_image_shape(input_shape)
    classes = _checks.check_size(classes, "classes", _checks.MAX_CLASSES)
    _check_resnet50_input(input_shape)
    X_input = keras.Input(input_shape, name="image")
    X = keras.layers.ZeroPadding2D((3, 3), name="conv1_pad")(X_input)
    X = keras.layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0), name="conv1")(X)
    X = keras.layers.BatchNormalization(axis=3, name="bn_conv1")(X)
    X = keras.layers.Activation("relu", name="conv1_relu")(X)
    X = keras.layers.MaxPooling2D((3, 3), strides=(2, 2), name="max_pool")(X)
    for stage, (filters, n_blocks, s) in enumerate(RESNET50_STAGES, start=2):
        X = convolutional_block(X, f=3, filters=list(filters), s=s, name=f"res{stage}a")
        for block in "bcdef"[: n_blocks - 1]:
            X = identity_block(X, 3, list(filters), name=f"res{stage}{block}")
    X = keras.layers.AveragePooling2D((2, 2), name="avg_pool")(X)
    X = keras.layers.Flatten(name="flatten")(X)
    X = keras.layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0), name="fc")(X)
    return keras.Model(inputs=X_input, outputs=X, name="ResNet50")
