r"""U-Net: a contracting path, an expanding path, and skip connections between them.

Semantic segmentation gives every pixel a class. U-Net (Ronneberger et al.,
2015) shrinks the image with blocks of two 3x3 convolutions and a 2x2 max
pooling, each halving the height and width and doubling the filters
($n, 2n, 4n, 8n$, then a bottleneck of $16n$), and grows it back with
transposed convolutions of stride 2:

$$n_H^{[\text{up}]} = n_{H,prev}\, s = 2\, n_{H,prev}$$

Each up step is concatenated, on the channel axis, with the activations of
the down block of the same size (the *skip connection*, taken before that
block's pooling), so that the fine detail lost by pooling comes back:

$$A^{[\text{up}]} = \big[\, \operatorname{ConvT}(A^{[\ell]}) \;\big\|\; A^{[\text{skip}]} \,\big]$$

A final 1x1 convolution gives ``n_classes`` logits per pixel; the predicted
mask is their argmax over classes (`create_mask`).

The builders keep the course's names, arguments, defaults and layers, so
that the course's layer-summary tests pass; every layer is named after its
block (``down1_conv1``, ``up6_transpose``, ...).

References
----------
O. Ronneberger, P. Fischer, T. Brox, "U-Net: Convolutional networks for
biomedical image segmentation", MICCAI 2015.
"""

from __future__ import annotations

import keras
import numpy as np

from course_cnn import _checks

__all__ = ["conv_block", "upsampling_block", "unet_model", "create_mask", "display"]

#: Most filters a block may ask for (16 * n_filters in the bottleneck).
MAX_FILTERS = 2**14


def _block_name(name, prefix):
    if name is None:
        return f"{prefix}_{keras.backend.get_uid(prefix)}"
    if not isinstance(name, str) or not name:
        raise _checks.fail("name", "be a non-empty str (the layers' name prefix)", _checks.describe(name), TypeError)
    return name


def _conv3x3(x, n_filters, name):
    # the course's convolution: 3x3, same padding, ReLU, He-normal initialisation
    return keras.layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal",
                               name=name)(x)


def _check_symbolic(x, name):
    shape = getattr(x, "shape", None)
    if shape is None or len(shape) != 4:
        raise _checks.fail(name, "be a 4-D Keras tensor (batch, n_H, n_W, n_C), e.g. `keras.Input((96, 128, 3))`",
                           _checks.describe(x), TypeError if shape is None else ValueError)
    return tuple(shape)


def conv_block(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True, *, name=None):
    r"""One step of U-Net's contracting path (the course's ``conv_block``).

    Two 3x3 same-padded ReLU convolutions with He-normal initialisation,
    an optional dropout, and an optional 2x2 max pooling *after* the skip
    connection is taken:

    $$n_H^{[\text{next}]} = n_H / 2 \quad\text{(with pooling)}$$

    Parameters
    ----------
    inputs : Keras tensor of shape (batch, n_H, n_W, n_C)
        The block's input.
    n_filters : int, default 32
        Filters of both convolutions.
    dropout_prob : float, default 0
        Dropout rate in [0, 1); 0 adds no dropout layer.
    max_pooling : bool, default True
        Whether to add the 2x2 max pooling.
    name : str, optional
        Prefix of the layers' names; default ``conv_block_<k>``.

    Returns
    -------
    next_layer : Keras tensor of shape (batch, n_H / 2, n_W / 2, n_filters)
        The pooled output (the unpooled one when ``max_pooling`` is False).
    skip_connection : Keras tensor of shape (batch, n_H, n_W, n_filters)
        The output before pooling, for the matching up block.

    Raises
    ------
    TypeError
        For ``inputs`` that is not a Keras tensor.
    ValueError
        For ``n_filters`` < 1 or a ``dropout_prob`` outside [0, 1).

    Examples
    --------
    >>> next_layer, skip = conv_block(keras.Input((96, 128, 3)), 32, name="demo_down")
    >>> tuple(next_layer.shape), tuple(skip.shape)
    ((None, 48, 64, 32), (None, 96, 128, 32))
    """
    _check_symbolic(inputs, "inputs")
    n_filters = _checks.check_int(n_filters, "n_filters", 1, MAX_FILTERS)
    dropout_prob = _checks.check_number(dropout_prob, "dropout_prob", 0, 1, high_inclusive=False)
    name = _block_name(name, "conv_block")
    conv = _conv3x3(inputs, n_filters, f"{name}_conv1")
    conv = _conv3x3(conv, n_filters, f"{name}_conv2")
    if dropout_prob > 0:
        conv = keras.layers.Dropout(dropout_prob, name=f"{name}_dropout")(conv)
    skip_connection = conv  # before pooling: the full-resolution detail the up path needs
    next_layer = keras.layers.MaxPooling2D(pool_size=(2, 2), name=f"{name}_pool")(conv) if max_pooling else conv
    return next_layer, skip_connection


def upsampling_block(expansive_input, contractive_input, n_filters=32, *, name=None):
    r"""One step of U-Net's expanding path (the course's ``upsampling_block``).

    A 3x3 transposed convolution with stride 2 and same padding doubles the
    height and width, its output is concatenated with the skip connection on
    the channel axis, and two 3x3 ReLU convolutions follow:

    $$A = \operatorname{Conv}\Big(\operatorname{Conv}\big(\big[\operatorname{ConvT}_{s=2}(A_{\text{exp}}) \,\big\|\, A_{\text{skip}}\big]\big)\Big)$$

    Parameters
    ----------
    expansive_input : Keras tensor of shape (batch, n_H, n_W, n_C)
        The output of the block below.
    contractive_input : Keras tensor of shape (batch, 2 n_H, 2 n_W, n_C_skip)
        The skip connection from the down block of the same size.
    n_filters : int, default 32
        Filters of the transposed convolution and of both convolutions.
    name : str, optional
        Prefix of the layers' names; default ``upsampling_block_<k>``.

    Returns
    -------
    Keras tensor of shape (batch, 2 n_H, 2 n_W, n_filters)
        The block's output.

    Raises
    ------
    ValueError
        For a skip connection whose height and width are not twice the
        input's (the message shows both shapes), or ``n_filters`` < 1.
    TypeError
        For inputs that are not Keras tensors.

    Examples
    --------
    >>> up = upsampling_block(keras.Input((12, 16, 256)), keras.Input((24, 32, 128)), 32, name="demo_up")
    >>> tuple(up.shape)
    (None, 24, 32, 32)
    """
    expansive_shape = _check_symbolic(expansive_input, "expansive_input")
    contractive_shape = _check_symbolic(contractive_input, "contractive_input")
    wanted = tuple(None if n is None else 2 * n for n in expansive_shape[1:3])
    if any(w is not None and c is not None and w != c for w, c in zip(wanted, contractive_shape[1:3])):
        raise _checks.fail(
            "contractive_input",
            f"have twice the height and width of `expansive_input` (shape {expansive_shape}), i.e. {wanted}",
            f"shape {contractive_shape}")
    n_filters = _checks.check_int(n_filters, "n_filters", 1, MAX_FILTERS)
    name = _block_name(name, "upsampling_block")
    up = keras.layers.Conv2DTranspose(n_filters, 3, strides=(2, 2), padding="same",
                                      name=f"{name}_transpose")(expansive_input)  # (batch, 2 n_H, 2 n_W, n_filters)
    merge = keras.layers.Concatenate(axis=3, name=f"{name}_concat")([up, contractive_input])  # channels add up
    conv = _conv3x3(merge, n_filters, f"{name}_conv1")
    return _conv3x3(conv, n_filters, f"{name}_conv2")


def unet_model(input_size=(96, 128, 3), n_filters=32, n_classes=23):
    r"""The course's U-Net: four down blocks, a bottleneck, four up blocks, per-pixel logits.

    Filters $n, 2n, 4n, 8n$ down (dropout 0.3 on the $8n$ block), a
    bottleneck of $16n$ with dropout 0.3 and no pooling, up blocks of
    $8n, 4n, 2n, n$ each joined to its skip connection, a 3x3 ReLU
    convolution and a 1x1 convolution to ``n_classes`` logits. Four poolings
    divide the height and width by $2^4 = 16$:

    $$n_H \bmod 16 = 0, \qquad n_W \bmod 16 = 0$$

    Parameters
    ----------
    input_size : tuple of int, default (96, 128, 3)
        ``(n_H, n_W, n_C)``; height and width divisible by 16.
    n_filters : int, default 32
        Filters of the first block (the course's 32 gives 8.6 million
        weights; 8 trains in minutes on a CPU).
    n_classes : int, default 23
        Output channels, one logit per class (CARLA has 23).

    Returns
    -------
    keras.Model
        Functional model named ``unet``, output of shape
        (batch, n_H, n_W, n_classes): logits, no softmax (train with
        ``SparseCategoricalCrossentropy(from_logits=True)``).

    Raises
    ------
    ValueError
        For a height or width not divisible by 16, ``n_classes`` < 1 or
        ``n_filters`` < 1.

    Examples
    --------
    >>> model = unet_model((32, 32, 3), n_filters=2, n_classes=3)
    >>> model.output_shape
    (None, 32, 32, 3)
    """
    input_size = _check_input_size(input_size)
    n_filters = _checks.check_int(n_filters, "n_filters", 1, MAX_FILTERS // 16)
    n_classes = _checks.check_int(n_classes, "n_classes", 1, 2**16)
    inputs = keras.Input(input_size, name="image")
    cblock1 = conv_block(inputs, n_filters, name="down1")
    cblock2 = conv_block(cblock1[0], n_filters * 2, name="down2")
    cblock3 = conv_block(cblock2[0], n_filters * 4, name="down3")
    cblock4 = conv_block(cblock3[0], n_filters * 8, dropout_prob=0.3, name="down4")
    cblock5 = conv_block(cblock4[0], n_filters * 16, dropout_prob=0.3, max_pooling=False, name="bottleneck")
    ublock6 = upsampling_block(cblock5[0], cblock4[1], n_filters * 8, name="up6")
    ublock7 = upsampling_block(ublock6, cblock3[1], n_filters * 4, name="up7")
    ublock8 = upsampling_block(ublock7, cblock2[1], n_filters * 2, name="up8")
    ublock9 = upsampling_block(ublock8, cblock1[1], n_filters, name="up9")
    conv9 = _conv3x3(ublock9, n_filters, "head_conv")
    conv10 = keras.layers.Conv2D(n_classes, 1, padding="same", name="logits")(conv9)
    return keras.Model(inputs=inputs, outputs=conv10, name="unet")


def _check_input_size(input_size):
    if isinstance(input_size, str) or np.ndim(input_size) != 1 or len(input_size) != 3:
        raise _checks.fail("input_size", "be (n_H, n_W, n_C), three positive ints", _checks.describe(input_size),
                           TypeError if isinstance(input_size, str) or np.ndim(input_size) != 1 else ValueError)
    sizes = tuple(_checks.check_int(n, "input_size", 1, 2**15) for n in input_size)
    if sizes[0] % 16 or sizes[1] % 16:
        raise _checks.fail("input_size", "have a height and width divisible by 16 (four 2x2 poolings halve them)",
                           f"{tuple(input_size)}")
    return sizes


def create_mask(pred_mask):
    r"""The predicted mask: the argmax over classes, with a channel axis kept (the course's ``create_mask``).

    $$\hat{y}[h, w] = \arg\max_c\, Z[h, w, c]$$

    As in the course, a batch gives the mask of its *first* image.

    Parameters
    ----------
    pred_mask : tensor or ndarray of shape (batch, n_H, n_W, n_classes) or (n_H, n_W, n_classes)
        Logits or probabilities.

    Returns
    -------
    tf.Tensor of shape (n_H, n_W, 1), int64
        Class ids.

    Raises
    ------
    ValueError
        For a rank other than 3 or 4, or NaN/inf (when eager).

    Examples
    --------
    >>> logits = np.zeros((1, 2, 2, 3)); logits[0, 0, 0, 2] = 1.0
    >>> create_mask(logits)[..., 0].numpy()
    array([[2, 0],
           [0, 0]])
    """
    import tensorflow as tf

    pred_mask = _checks.check_tensor(pred_mask, "pred_mask", kinds="iuf")
    rank = len(pred_mask.shape)
    if rank not in (3, 4):
        raise _checks.fail("pred_mask", "have shape (batch, n_H, n_W, n_classes) or (n_H, n_W, n_classes)",
                           f"shape {tuple(pred_mask.shape)}")
    if tf.executing_eagerly():
        _checks.check_finite(np.asarray(pred_mask), "pred_mask")
    mask = tf.argmax(pred_mask, axis=-1)[..., tf.newaxis]  # (..., n_H, n_W, 1)
    return mask[0] if rank == 4 else mask


def display(display_list, path=None, *, n_classes=None):
    """Show an image and masks side by side (the course's ``display``), as a figure.

    Parameters
    ----------
    display_list : sequence of arrays
        ``[image, true_mask, pred_mask]`` or any prefix: an image of shape
        (n_H, n_W, 3) with values in [0, 1] (or 0-255), masks of shape
        (n_H, n_W) or (n_H, n_W, 1) of class ids.
    path : str or os.PathLike, optional
        Where to save the figure.
    n_classes : int, optional
        Fixes the colour scale of the masks (by default the largest id shown).

    Returns
    -------
    matplotlib.figure.Figure
        The figure, titled "Input Image", "True Mask", "Predicted Mask".

    Raises
    ------
    ValueError
        For an empty list, more than 3 entries, or arrays of the wrong rank.

    Examples
    --------
    >>> fig = display([np.zeros((4, 4, 3)), np.eye(4)[..., None]])
    >>> [ax.get_title() for ax in fig.axes]
    ['Input Image', 'True Mask']
    """
    from course_cnn.plots import _finish, new_figure

    titles = ["Input Image", "True Mask", "Predicted Mask"]
    if isinstance(display_list, (str, bytes)) or not hasattr(display_list, "__len__"):
        raise _checks.fail("display_list", "be a list [image, true_mask, pred_mask]", _checks.describe(display_list),
                           TypeError)
    if not 1 <= len(display_list) <= 3:
        raise _checks.fail("display_list", "hold 1 to 3 arrays [image, true_mask, pred_mask]",
                           f"{len(display_list)} entries")
    if n_classes is not None:
        n_classes = _checks.check_int(n_classes, "n_classes", 1, 2**16)
    arrays = [_checks.check_array(x, f"display_list[{i}]", kinds="biuf", finite=True) for i, x in enumerate(display_list)]
    masks = [a[..., 0] if a.ndim == 3 and a.shape[-1] == 1 else a for a in arrays]
    top = n_classes - 1 if n_classes is not None else max([int(m.max()) for m in masks if m.ndim == 2] + [1])
    fig, axes = new_figure(1, len(arrays), figsize=(3.2 * len(arrays), 3.0))
    for i, (ax, array) in enumerate(zip(np.atleast_1d(axes), masks)):
        if array.ndim == 3 and array.shape[-1] == 3:
            ax.imshow(array / 255.0 if array.max() > 1 else array)
        elif array.ndim == 2:
            ax.imshow(array, cmap="tab20", vmin=0, vmax=max(top, 1), interpolation="nearest")
        else:
            raise _checks.fail(f"display_list[{i}]", "have shape (n_H, n_W, 3) or (n_H, n_W[, 1])",
                               f"shape {array.shape}")
        ax.set_title(titles[i])
        ax.axis("off")
    return _finish(fig, path)
