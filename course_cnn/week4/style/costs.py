r"""The costs of neural style transfer (Gatys, Ecker & Bethge, 2015).

A generated image $G$ should have the *content* of a content image $C$ and
the *style* of a style image $S$. Both are measured on the activations of a
pretrained ConvNet (VGG-19):

* content: one deep layer's activations should match,
  $J_{content} = \frac{1}{4 n_H n_W n_C}\sum (a^{(C)} - a^{(G)})^2$;
* style: the correlations between channels (the Gram matrix
  $G = A A^\top$ of the unrolled activations $A$ of shape
  $(n_C, n_H n_W)$) should match on several layers,
  $J_{style}^{[l]} = \frac{1}{4 n_C^2 (n_H n_W)^2}\sum (G^{(S)} - G^{(G)})^2$,
  $J_{style} = \sum_l \lambda^{[l]} J_{style}^{[l]}$;
* total: $J(G) = \alpha J_{content} + \beta J_{style}$.

Every size is read from the tensors themselves, never from globals (the
classic bug of a notebook where `n_H` was set for another image).

References
----------
L. A. Gatys, A. S. Ecker, M. Bethge, "A Neural Algorithm of Artistic Style",
arXiv:1508.06576, 2015.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from course_cnn import _checks

__all__ = [
    "STYLE_LAYERS",
    "CONTENT_LAYER",
    "compute_content_cost",
    "gram_matrix",
    "compute_layer_style_cost",
    "compute_style_cost",
    "total_cost",
    "total_variation_cost",
]

#: The course's style layers and their weights $\lambda^{[l]}$ (they sum to 1).
STYLE_LAYERS = [
    ("block1_conv1", 0.2),
    ("block2_conv1", 0.2),
    ("block3_conv1", 0.2),
    ("block4_conv1", 0.2),
    ("block5_conv1", 0.2),
]

#: The course's content layer, as a one-element list like ``STYLE_LAYERS``.
CONTENT_LAYER = [("block5_conv4", 1)]


def _as_activation(a, name):
    """Check a layer output of shape (m, n_H, n_W, n_C) and return it as float32.

    ``m`` is 1 in style transfer; like the course's formulas, a larger ``m``
    is summed over (the course's tests only use 1).
    """
    _checks.check_dtype_kind(a, name, "iuf")
    _checks.check_ndim(a, name, 4, "(m, n_H, n_W, n_C)")
    _checks.check_finite_values(a, name)  # eager values only: inside a tf.function NaN propagates
    return tf.cast(a, tf.float32)


_OUTPUTS = "a list of layer outputs, a stack of them of shape (k, m, n_H, n_W, n_C) or one output (m, n_H, n_W, n_C)"


def _last_output(outputs, name):
    """``outputs[-1]`` as the course takes it, for a list or a rank-5 stack; a rank-4 tensor is one output."""
    if isinstance(outputs, (list, tuple)):
        if not outputs:
            raise _checks.fail(name, f"be {_OUTPUTS}", "an empty list")
        return outputs[-1]
    shape = getattr(outputs, "shape", None)
    if shape is None:
        raise _checks.fail(name, f"be {_OUTPUTS}", _checks.describe(outputs), TypeError)
    if len(shape) == 5:
        return outputs[-1]  # (m, n_H, n_W, n_C): the last output of the stack
    if len(shape) != 4:
        raise _checks.fail(name, f"be {_OUTPUTS}", f"shape {tuple(shape)}")
    return outputs


def compute_content_cost(content_output, generated_output):
    r"""Content cost between the content and the generated image.

    $$
    J_{content}(C, G) = \frac{1}{4 \, n_H \, n_W \, n_C}
    \sum_{\text{all entries}} \left(a^{(C)} - a^{(G)}\right)^2
    $$

    Like the course, the activations used are ``content_output[-1]`` and
    ``generated_output[-1]``: the *last* of the layer outputs (the content
    layer comes after the style layers), from a list or from a stack of
    outputs (the course's test passes one tensor of shape (1, 1, 4, 4, 3)).
    A single activation of shape (m, n_H, n_W, n_C) is used as it is.

    Parameters
    ----------
    content_output : list of tensors, tensor of shape (k, m, n_H, n_W, n_C) or (m, n_H, n_W, n_C)
        Layer outputs for the content image; the last one is $a^{(C)}$.
    generated_output : list of tensors, tensor of shape (k, m, n_H, n_W, n_C) or (m, n_H, n_W, n_C)
        Layer outputs for the generated image; the last one is $a^{(G)}$.

    Returns
    -------
    tf.Tensor
        A float32 scalar, $J_{content}$.

    Raises
    ------
    ValueError
        For an empty list, activations that are not of shape
        (m, n_H, n_W, n_C), different shapes for $a^{(C)}$ and $a^{(G)}$, or
        NaN/infinite activations (checked when the values are at hand, not
        inside a ``tf.function``).
    TypeError
        For outputs that are neither a list nor a tensor.

    Examples
    --------
    >>> a_C = tf.ones((1, 2, 2, 3))
    >>> a_G = tf.zeros((1, 2, 2, 3))
    >>> float(compute_content_cost([a_C], [a_G]))  # 12 * 1 / (4 * 2 * 2 * 3)
    0.25
    """
    a_C = _as_activation(_last_output(content_output, "content_output"), "content_output")
    a_G = _as_activation(_last_output(generated_output, "generated_output"), "generated_output")
    if tuple(a_C.shape) != tuple(a_G.shape):
        raise _checks.fail(
            "generated_output", f"have the content activations' shape {tuple(a_C.shape)}", f"shape {tuple(a_G.shape)}"
        )
    # Dimensions from the generated tensor itself.
    _, n_H, n_W, n_C = a_G.shape
    # J_content = sum((a_C - a_G)^2) / (4 n_H n_W n_C)
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * n_H * n_W * n_C)


def gram_matrix(A):
    r"""Gram matrix (style matrix) of unrolled activations.

    $$
    G_A = A A^\top, \qquad G_{kk'} = \sum_{i} A_{k i} A_{k' i}
    $$

    Entry $(k, k')$ measures how much channels $k$ and $k'$ fire together.

    Parameters
    ----------
    A : tensor of shape (n_C, n_H * n_W)
        One row per channel.

    Returns
    -------
    tf.Tensor of shape (n_C, n_C)
        The symmetric matrix $A A^\top$, float32.

    Raises
    ------
    ValueError
        When ``A`` does not have 2 dimensions.

    Examples
    --------
    >>> gram_matrix([[1.0, 2.0], [3.0, 4.0]]).numpy()  # [[1+4, 3+8], [3+8, 9+16]]
    array([[ 5., 11.],
           [11., 25.]], dtype=float32)
    """
    _checks.check_dtype_kind(A, "A", "iuf")
    _checks.check_ndim(A, "A", 2, "(n_C, n_H * n_W)")
    _checks.check_finite_values(A, "A")
    A = tf.cast(A, tf.float32)
    return tf.matmul(A, A, transpose_b=True)  # (n_C, n_C)


def _unrolled(a):
    """(1, n_H, n_W, n_C) -> (n_C, n_H * n_W), the course's unrolling."""
    n_C = tf.shape(a)[-1]
    return tf.transpose(tf.reshape(a, (-1, n_C)))  # (n_C, n_H * n_W)


def compute_layer_style_cost(a_S, a_G):
    r"""Style cost of one layer.

    $$
    J_{style}^{[l]}(S, G) = \frac{1}{4 \, n_C^2 \, (n_H n_W)^2}
    \sum_{k, k'} \left(G^{(S)}_{kk'} - G^{(G)}_{kk'}\right)^2
    $$

    with $G^{(S)}$, $G^{(G)}$ the Gram matrices of the unrolled activations.
    All dimensions come from the tensors. When the style image has another
    spatial size than the generated one, each Gram matrix is divided by its
    own $n_H n_W$ first, which is the same formula when the sizes agree.

    Parameters
    ----------
    a_S : tensor of shape (1, n_H, n_W, n_C)
        The style image's activations at the layer.
    a_G : tensor of shape (1, n_H, n_W, n_C)
        The generated image's activations at the layer (same $n_C$).

    Returns
    -------
    tf.Tensor
        A float32 scalar, $J_{style}^{[l]}$.

    Raises
    ------
    ValueError
        For activations not of shape (m, n_H, n_W, n_C) or different channel
        counts.

    Examples
    --------
    >>> a_S = tf.ones((1, 1, 2, 1))   # A = [[1, 1]], G = [[2]]
    >>> a_G = tf.zeros((1, 1, 2, 1))  # G = [[0]]
    >>> float(compute_layer_style_cost(a_S, a_G))  # (2 - 0)^2 / (4 * 1 * 2^2)
    0.25
    """
    a_S = _as_activation(a_S, "a_S")
    a_G = _as_activation(a_G, "a_G")
    if a_S.shape[-1] != a_G.shape[-1]:
        raise _checks.fail("a_G", f"have the style activations' {a_S.shape[-1]} channels", f"shape {tuple(a_G.shape)}")
    _, n_H, n_W, n_C = a_G.shape
    _, n_H_S, n_W_S, _ = a_S.shape
    # Gram matrices, each divided by its own n_H * n_W.
    gram_S = gram_matrix(_unrolled(a_S)) / float(n_H_S * n_W_S)  # (n_C, n_C)
    gram_G = gram_matrix(_unrolled(a_G)) / float(n_H * n_W)  # (n_C, n_C)
    # J = sum((G_S - G_G)^2) / (4 n_C^2 (n_H n_W)^2), the (n_H n_W)^2 already divided out.
    return tf.reduce_sum(tf.square(gram_S - gram_G)) / (4.0 * n_C**2)


def compute_style_cost(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    r"""Weighted style cost over several layers.

    $$
    J_{style}(S, G) = \sum_{l} \lambda^{[l]} J_{style}^{[l]}(S, G)
    $$

    Like the course, every output but the last (the content layer's) is a
    style layer, in the order of ``STYLE_LAYERS``.

    Parameters
    ----------
    style_image_output : list of tensors of shape (1, n_H, n_W, n_C)
        Outputs of the style layers for the style image, then the content
        layer's (ignored).
    generated_image_output : list of tensors of shape (1, n_H, n_W, n_C)
        The same outputs for the generated image.
    STYLE_LAYERS : list of (str, float), default STYLE_LAYERS
        Layer names and weights $\lambda^{[l]}$; only the weights are used.

    Returns
    -------
    tf.Tensor
        A float32 scalar, $J_{style}$.

    Raises
    ------
    ValueError
        When the lists do not hold ``len(STYLE_LAYERS) + 1`` outputs.

    Examples
    --------
    >>> outputs_S = [tf.ones((1, 1, 2, 1)), tf.ones((1, 1, 1, 1))]
    >>> outputs_G = [tf.zeros((1, 1, 2, 1)), tf.zeros((1, 1, 1, 1))]
    >>> float(compute_style_cost(outputs_S, outputs_G, [("block1_conv1", 0.5)]))  # 0.5 * 0.25
    0.125
    """
    n_layers = len(STYLE_LAYERS)
    for name, outputs in (("style_image_output", style_image_output), ("generated_image_output", generated_image_output)):
        if not isinstance(outputs, (list, tuple)) or len(outputs) != n_layers + 1:
            got = f"{len(outputs)} outputs" if isinstance(outputs, (list, tuple)) else _checks.describe(outputs)
            raise _checks.fail(name, f"be a list of {n_layers + 1} layer outputs (style layers, then content)", got)
    J_style = tf.constant(0.0)
    for a_S, a_G, (_, weight) in zip(style_image_output[:-1], generated_image_output[:-1], STYLE_LAYERS):
        # lambda^[l] * J_style^[l]
        J_style += weight * compute_layer_style_cost(a_S, a_G)
    return J_style


def total_cost(J_content, J_style, alpha=10, beta=40):
    r"""Total cost of style transfer.

    $$
    J(G) = \alpha \, J_{content}(C, G) + \beta \, J_{style}(S, G)
    $$

    Parameters
    ----------
    J_content : float or scalar tensor of shape ()
        The content cost (a Python float, a numpy scalar or a tensor, as the
        course's test passes them).
    J_style : float or scalar tensor of shape ()
        The style cost.
    alpha : float, default 10
        Weight of the content cost (any finite real, as in the course).
    beta : float, default 40
        Weight of the style cost.

    Returns
    -------
    tf.Tensor
        A float32 scalar, $J(G)$.

    Raises
    ------
    ValueError
        For a non-finite ``alpha`` or ``beta``, or costs that are not
        scalars (an array would silently give an array of costs).
    TypeError
        For costs that are not numbers.

    Examples
    --------
    >>> float(total_cost(1.0, 2.0))  # 10 * 1 + 40 * 2
    90.0
    """
    alpha = _checks.check_number(alpha, "alpha")
    beta = _checks.check_number(beta, "beta")
    for name, cost in (("J_content", J_content), ("J_style", J_style)):
        _checks.check_dtype_kind(cost, name, "iuf")
        shape = tuple(cost.shape) if hasattr(cost, "shape") else np.shape(cost)  # static: works in a tf.function
        if len(shape) != 0:
            raise _checks.fail(name, "be a scalar cost (a float or a tensor of shape ())", f"shape {shape}")
        _checks.check_finite_values(cost, name)
    # J(G) = alpha J_content + beta J_style
    return alpha * tf.cast(J_content, tf.float32) + beta * tf.cast(J_style, tf.float32)


def total_variation_cost(image):
    r"""Total variation of an image, a smoothness penalty.

    $$
    J_{TV}(G) = \frac{1}{n_H n_W n_C} \sum_{i, j, c}
    \left|G_{i+1, j, c} - G_{i, j, c}\right| + \left|G_{i, j+1, c} - G_{i, j, c}\right|
    $$

    Not part of the course's cost; adding a small multiple of it removes the
    high-frequency speckle that optimising pixels directly tends to create.

    Parameters
    ----------
    image : tensor of shape (m, n_H, n_W, n_C)
        The generated image (``m`` is 1 in style transfer; a batch is summed).

    Returns
    -------
    tf.Tensor
        A float32 scalar.

    Raises
    ------
    ValueError
        When ``image`` does not have 4 dimensions.

    Examples
    --------
    >>> image = tf.constant([[[[0.0], [1.0]], [[0.0], [1.0]]]])  # 2x2, columns 0 and 1
    >>> float(total_variation_cost(image))  # two horizontal jumps of 1, over 4 entries
    0.5
    """
    image = _as_activation(image, "image")
    _, n_H, n_W, n_C = image.shape
    return tf.reduce_sum(tf.image.total_variation(image)) / float(n_H * n_W * n_C)
