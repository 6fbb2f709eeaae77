r"""Depthwise and depthwise-separable convolutions (MobileNet's building block), in numpy.

A normal convolution mixes space and channels in one step: each of its
$n_C$ filters spans all $n_{C,prev}$ channels. A *depthwise* convolution
keeps the channels apart: one $f \times f$ filter per input channel, each
applied to its own channel only, so the output has $n_{C,prev}$ channels,

$$Z[i, h, w, c] = \sum_{u=0}^{f-1} \sum_{v=0}^{f-1} A_{\text{pad}}[i,\, h s + u,\, w s + v,\, c]\; W[u, v, c] + b[c]$$

A *depthwise-separable* convolution follows it with a *pointwise* (1x1)
convolution that mixes the channels, $n_{C,prev} \to n_C$:

$$Z'[i, h, w, c'] = \sum_{c=0}^{n_{C,prev}-1} Z[i, h, w, c]\; W'[0, 0, c, c'] + b'[c']$$

For an $n_{out} \times n_{out} \times n_C$ output the two steps cost
$n_{out}^2 f^2 n_{C,prev}$ and $n_{out}^2 n_{C,prev} n_C$ multiplications
where the normal convolution costs $n_{out}^2 f^2 n_{C,prev} n_C$: a
fraction

$$\frac{n_{out}^2 f^2 n_{C,prev} + n_{out}^2 n_{C,prev} n_C}{n_{out}^2 f^2 n_{C,prev} n_C} = \frac{1}{n_C} + \frac{1}{f^2}$$

of it, about 1/9 for 3x3 filters and many channels.

``depthwise_conv_forward_loops`` writes the first formula with loops, as the
course writes ``conv_forward``; ``depthwise_conv_forward`` computes the same
numbers with one multiply-add of a whole shifted view of the input per
filter position $(u, v)$: $f^2$ vectorised passes instead of
$m\, n_H\, n_W\, n_{C,prev}$ Python steps.

References
----------
L. Sifre, "Rigid-motion scattering for image classification", PhD thesis, 2014 (the separable convolution).
A. G. Howard et al., "MobileNets: Efficient convolutional neural networks for mobile vision applications", 2017.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.week1 import _validate
from course_cnn.week2 import _depthwise_checks
from course_cnn.week2._depthwise_kernels import _depthwise_forward
from course_cnn.week1.conv import _conv_forward, _output_size, conv_forward_loops
from course_cnn.week1.padding import _zero_pad

__all__ = [
    "depthwise_conv_forward",
    "depthwise_conv_forward_loops",
    "depthwise_separable_conv_forward",
    "depthwise_separable_conv_forward_loops",
    "depthwise_separable_multiplications",
]

def _as(dtype, *arrays):
    return [a.astype(dtype, copy=False) for a in arrays]


def depthwise_conv_forward(A_prev, W, b, hparameters):
    r"""Forward pass of a depthwise convolution (vectorised): one f x f filter per channel.

    $$Z[i, h, w, c] = \sum_{u=0}^{f-1} \sum_{v=0}^{f-1} A_{\text{pad}}[i, h s + u, w s + v, c]\, W[u, v, c] + b[c]$$

    $$n_H = \left\lfloor \frac{n_{H,prev} + 2p - f}{s} \right\rfloor + 1$$

    The same numbers as ``depthwise_conv_forward_loops``, computed as $f^2$
    passes $Z \mathrel{+}= A_{\text{pad}}[:, u::s, v::s, :] \cdot W[u, v, :]$
    over a few examples at a time, on a few threads. Channel $c$ of the
    output sees channel $c$ of the input only; the output has as many
    channels as the input.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Activations of the previous layer (ints are computed in float64).
    W : ndarray of shape (f, f, n_C_prev)
        One square filter per input channel (``tf.nn.depthwise_conv2d``'s
        filter of shape (f, f, n_C_prev, 1) without its last axis).
    b : ndarray of shape (1, 1, 1, n_C_prev)
        One bias per channel.
    hparameters : dict
        ``{"stride": s, "pad": p}`` with ``s >= 1`` and ``p >= 0``.

    Returns
    -------
    Z : ndarray of shape (m, n_H, n_W, n_C_prev)
        The layer's output, float32 when every input is float32, float64 otherwise.
    cache : tuple
        ``(A_prev, W, b, hparameters)``.

    Raises
    ------
    ValueError
        For a wrong rank, filters whose channels differ from ``A_prev``'s
        (the message names both shapes), non-square filters, a ``b`` not of
        shape (1, 1, 1, n_C_prev), a filter larger than the padded input, a
        stride < 1, a pad < 0, or non-finite values.
    TypeError
        For non-numeric arrays, or ``hparameters`` that is not a dict.

    Examples
    --------
    Two channels, each with its own 2x2 filter (ones, then twos):

    >>> A_prev = np.arange(18.0).reshape(1, 3, 3, 2)  # channel 0: 0, 2, ..., 16; channel 1: 1, 3, ..., 17
    >>> W = np.stack([np.ones((2, 2)), 2 * np.ones((2, 2))], axis=-1)  # (2, 2, 2)
    >>> Z, cache = depthwise_conv_forward(A_prev, W, np.zeros((1, 1, 1, 2)), {"stride": 1, "pad": 0})
    >>> Z[0, :, :, 0]  # 0+2+6+8 = 16, ...
    array([[16., 24.],
           [40., 48.]])
    >>> Z[0, :, :, 1]  # 2 * (1+3+7+9) = 40, ...
    array([[ 40.,  56.],
           [ 88., 104.]])
    """
    A_prev, W, b, stride, pad = _depthwise_checks.depthwise_layer(A_prev, W, b, hparameters)
    dtype = _validate.float_dtype(A_prev, W, b)
    Z = _depthwise_forward(*_as(dtype, A_prev, W, b), stride, pad)
    return Z, (A_prev, W, b, hparameters)


def depthwise_conv_forward_loops(A_prev, W, b, hparameters):
    r"""Forward pass of a depthwise convolution with explicit loops (the reference).

    Loops over examples $i$, output rows $h$, columns $w$ and channels $c$;
    channel $c$'s window is ``a_prev_pad[h*s : h*s + f, w*s : w*s + f, c]``:

    $$Z[i, h, w, c] = \sum_{u, v} A_{\text{pad}}[i, h s + u, w s + v, c]\, W[u, v, c] + b[c]$$

    Slow, kept for reading and as the reference ``depthwise_conv_forward``
    is tested against. Same parameters, returns and errors.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Activations of the previous layer.
    W : ndarray of shape (f, f, n_C_prev)
        One filter per channel.
    b : ndarray of shape (1, 1, 1, n_C_prev)
        One bias per channel.
    hparameters : dict
        ``{"stride": s, "pad": p}``.

    Returns
    -------
    Z : ndarray of shape (m, n_H, n_W, n_C_prev)
        The layer's output.
    cache : tuple
        ``(A_prev, W, b, hparameters)``.

    Raises
    ------
    ValueError, TypeError
        As ``depthwise_conv_forward``.

    Examples
    --------
    >>> A_prev = np.arange(18.0).reshape(1, 3, 3, 2)
    >>> W = np.stack([np.ones((2, 2)), 2 * np.ones((2, 2))], axis=-1)
    >>> Z, _ = depthwise_conv_forward_loops(A_prev, W, np.zeros((1, 1, 1, 2)), {"stride": 1, "pad": 0})
    >>> Z[0, 0, 0]  # channel 0: 0+2+6+8, channel 1: 2 * (1+3+7+9)
    array([16., 40.])
    """
    A_prev, W, b, stride, pad = _depthwise_checks.depthwise_layer(A_prev, W, b, hparameters)
    dtype = _validate.float_dtype(A_prev, W, b)
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = W.shape[0]
    n_H, n_W = _output_size(n_H_prev, f, stride, pad), _output_size(n_W_prev, f, stride, pad)
    W_, b_ = _as(dtype, W, b)
    A_prev_pad = _zero_pad(A_prev.astype(dtype, copy=False), pad)
    Z = np.zeros((m, n_H, n_W, n_C), dtype=dtype)
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            for w in range(n_W):
                horiz_start = w * stride
                for c in range(n_C):
                    a_slice_prev = A_prev_pad[i, vert_start:vert_start + f, horiz_start:horiz_start + f, c]  # (f, f)
                    Z[i, h, w, c] = np.sum(a_slice_prev * W_[:, :, c]) + b_[0, 0, 0, c]
    return Z, (A_prev, W, b, hparameters)


_POINTWISE = {"stride": 1, "pad": 0}


def depthwise_separable_conv_forward(A_prev, W_depthwise, b_depthwise, W_pointwise, b_pointwise, hparameters):
    r"""Forward pass of a depthwise-separable convolution: depthwise f x f, then pointwise 1x1.

    $$Z[i, h, w, c] = \sum_{u, v} A_{\text{pad}}[i, h s + u, w s + v, c]\, W_{dw}[u, v, c] + b_{dw}[c]$$

    $$Z'[i, h, w, c'] = \sum_{c} Z[i, h, w, c]\, W_{pw}[0, 0, c, c'] + b_{pw}[c']$$

    The first step is ``depthwise_conv_forward``; the second is week 1's
    ``conv_forward`` with 1x1 filters, stride 1 and no padding. No
    activation sits between them (``tf.nn.separable_conv2d`` has none
    either; MobileNet puts batch normalisation and a ReLU there, see
    ``mobilenet_v1_block``).

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Activations of the previous layer.
    W_depthwise : ndarray of shape (f, f, n_C_prev)
        One filter per input channel.
    b_depthwise : ndarray of shape (1, 1, 1, n_C_prev)
        The depthwise biases.
    W_pointwise : ndarray of shape (1, 1, n_C_prev, n_C)
        The ``n_C`` 1x1 filters.
    b_pointwise : ndarray of shape (1, 1, 1, n_C)
        The pointwise biases.
    hparameters : dict
        ``{"stride": s, "pad": p}`` of the depthwise step.

    Returns
    -------
    Z : ndarray of shape (m, n_H, n_W, n_C)
        The output.
    cache : tuple
        ``(cache_depthwise, cache_pointwise)``, the two steps' caches
        ``(A_prev, W, b, hparameters)``.

    Raises
    ------
    ValueError, TypeError
        As ``depthwise_conv_forward``, naming ``W_depthwise`` ...; and for a
        ``W_pointwise`` not of shape (1, 1, n_C_prev, n_C) or a ``b_pointwise``
        not of shape (1, 1, 1, n_C).

    Examples
    --------
    The lecture's shapes: 6x6x3 -> depthwise 3x3 -> 4x4x3 -> pointwise 1x1x3, 5 filters -> 4x4x5.

    >>> rng = np.random.default_rng(0)
    >>> A_prev = rng.standard_normal((1, 6, 6, 3))
    >>> Z, (cache_dw, cache_pw) = depthwise_separable_conv_forward(
    ...     A_prev, rng.standard_normal((3, 3, 3)), np.zeros((1, 1, 1, 3)),
    ...     rng.standard_normal((1, 1, 3, 5)), np.zeros((1, 1, 1, 5)), {"stride": 1, "pad": 0})
    >>> Z.shape, cache_pw[0].shape  # the pointwise step's input: the 4x4x3 depthwise output
    ((1, 4, 4, 5), (1, 4, 4, 3))
    """
    arrays, stride, pad, dtype = _depthwise_checks.separable_layer(A_prev, W_depthwise, b_depthwise, W_pointwise,
                                                                   b_pointwise, hparameters)
    A_prev, W_dw, b_dw, W_pw, b_pw = _as(dtype, *arrays)
    Z_depthwise = _depthwise_forward(A_prev, W_dw, b_dw, stride, pad)  # (m, n_H, n_W, n_C_prev)
    Z = _conv_forward(Z_depthwise, W_pw, b_pw, 1, 0)  # week 1's conv_forward kernel, 1x1: (m, n_H, n_W, n_C)
    cache = ((arrays[0], arrays[1], arrays[2], hparameters), (Z_depthwise, arrays[3], arrays[4], dict(_POINTWISE)))
    return Z, cache


def depthwise_separable_conv_forward_loops(A_prev, W_depthwise, b_depthwise, W_pointwise, b_pointwise,
                                           hparameters):
    r"""Depthwise-separable convolution with explicit loops: ``depthwise_conv_forward_loops``, then ``conv_forward_loops``.

    $$\begin{aligned}
    Z'[i, h, w, c'] = \sum_{c} \Big(&\sum_{u, v} A_{\text{pad}}[i, h s + u, w s + v, c]\, W_{dw}[u, v, c] + b_{dw}[c]\Big) \\
    &\times W_{pw}[0, 0, c, c'] + b_{pw}[c']
    \end{aligned}$$

    The reference ``depthwise_separable_conv_forward`` is tested against.
    Same parameters, returns and errors.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Activations of the previous layer.
    W_depthwise : ndarray of shape (f, f, n_C_prev)
        One filter per input channel.
    b_depthwise : ndarray of shape (1, 1, 1, n_C_prev)
        The depthwise biases.
    W_pointwise : ndarray of shape (1, 1, n_C_prev, n_C)
        The 1x1 filters.
    b_pointwise : ndarray of shape (1, 1, 1, n_C)
        The pointwise biases.
    hparameters : dict
        ``{"stride": s, "pad": p}`` of the depthwise step.

    Returns
    -------
    Z : ndarray of shape (m, n_H, n_W, n_C)
        The output.
    cache : tuple
        ``(cache_depthwise, cache_pointwise)``.

    Raises
    ------
    ValueError, TypeError
        As ``depthwise_separable_conv_forward``.

    Examples
    --------
    >>> A_prev = np.ones((1, 3, 3, 2))
    >>> Z, _ = depthwise_separable_conv_forward_loops(
    ...     A_prev, np.ones((3, 3, 2)), np.zeros((1, 1, 1, 2)), np.ones((1, 1, 2, 1)), np.zeros((1, 1, 1, 1)),
    ...     {"stride": 1, "pad": 0})
    >>> Z  # each channel sums its 9 ones, then the 1x1 filter adds the 2 channels
    array([[[[18.]]]])
    """
    arrays, _, _, dtype = _depthwise_checks.separable_layer(A_prev, W_depthwise, b_depthwise, W_pointwise,
                                                            b_pointwise, hparameters)
    A_prev, W_dw, b_dw, W_pw, b_pw = _as(dtype, *arrays)
    Z_depthwise, cache_depthwise = depthwise_conv_forward_loops(A_prev, W_dw, b_dw, hparameters)
    Z, cache_pointwise = conv_forward_loops(Z_depthwise, W_pw, b_pw, dict(_POINTWISE))
    return Z, (cache_depthwise, cache_pointwise)


def depthwise_separable_multiplications(n_out, f, n_C_prev, n_C):
    r"""Multiplications of a depthwise-separable convolution: ``(depthwise, pointwise)``.

    $$\text{depthwise} = n_H\, n_W \cdot f^2 \cdot n_{C,prev}$$

    $$\text{pointwise} = n_H\, n_W \cdot n_{C,prev} \cdot n_C$$

    One $f \times f$ product per output number of the depthwise step
    ($n_H n_W n_{C,prev}$ of them), one $n_{C,prev}$-long dot product per
    output number of the pointwise step ($n_H n_W n_C$). The normal
    convolution with the same output costs
    $n_H n_W \cdot n_C \cdot f^2 n_{C,prev}$ (``conv_multiplications``), so
    the ratio is $\frac{1}{n_C} + \frac{1}{f^2}$. Additions and biases are
    not counted, as in the lecture.

    Parameters
    ----------
    n_out : int or tuple of int
        Output height and width: ``n_out`` for a square ``n_out x n_out``
        output, or ``(n_H, n_W)``.
    f : int
        Depthwise filter size.
    n_C_prev : int
        Input channels (= depthwise output channels).
    n_C : int
        Output channels (pointwise filters).

    Returns
    -------
    tuple of int
        ``(depthwise, pointwise)`` multiplications.

    Raises
    ------
    TypeError, ValueError
        For sizes that are not positive ints.

    Examples
    --------
    The lecture's example, 6x6x3 -> 4x4x5 with 3x3 filters (2,160 for the normal convolution):

    >>> depthwise, pointwise = depthwise_separable_multiplications(4, 3, 3, 5)
    >>> depthwise, pointwise, depthwise + pointwise  # 4*4*9*3 and 4*4*3*5
    (432, 240, 672)
    >>> round((depthwise + pointwise) / 2160, 3), round(1 / 5 + 1 / 3**2, 3)
    (0.311, 0.311)
    """
    n_H, n_W = _depthwise_checks.n_out_pair(n_out)
    f = _checks.check_positive_int(f, "f")
    n_C_prev = _checks.check_positive_int(n_C_prev, "n_C_prev")
    n_C = _checks.check_positive_int(n_C, "n_C")
    depthwise = n_H * n_W * n_C_prev * (f * f)  # one f x f product per depthwise output number
    pointwise = n_H * n_W * n_C * (1 * 1 * n_C_prev)  # one 1x1 x n_C_prev dot product per output number
    return depthwise, pointwise
