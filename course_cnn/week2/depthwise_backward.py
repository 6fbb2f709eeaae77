r"""Depthwise convolution, backward pass: the three gradients of one f x f filter per channel.

From the forward pass $Z[i, h, w, c] = \sum_{u, v} A_{\text{pad}}[i, h s + u, w s + v, c]\, W[u, v, c] + b[c]$
and the upstream gradient $dZ = \partial J / \partial Z$, each channel $c$
is its own small convolution, so the gradients are week 1's with the sum over
input channels removed:

$$db[c] = \sum_{i, h, w} dZ[i, h, w, c]$$

$$dW[u, v, c] = \sum_{i, h, w} A_{\text{pad}}[i, h s + u, w s + v, c]\; dZ[i, h, w, c]$$

$$dA_{\text{pad}}[i, h s + u, w s + v, c] \mathrel{+}= W[u, v, c]\; dZ[i, h, w, c]$$

and $dA_{prev}$ is $dA_{\text{pad}}$ without its border of $p$ zeros.
``depthwise_conv_backward_loops`` writes these with loops;
``depthwise_conv_backward`` runs one vectorised step per filter position
$(u, v)$, as the forward pass does.
"""

from __future__ import annotations

import numpy as np

from course_cnn.week1 import _validate
from course_cnn.week1.padding import _zero_pad
from course_cnn.week2 import _depthwise_checks

__all__ = ["depthwise_conv_backward", "depthwise_conv_backward_loops"]


def _check_backward(dZ, cache):
    A_prev, W, b, hparameters = _validate.cache_tuple(cache, 4, "(A_prev, W, b, hparameters)")
    A_prev, W, b, stride, pad = _depthwise_checks.depthwise_layer(A_prev, W, b, hparameters)
    f = W.shape[0]
    n_H = (A_prev.shape[1] + 2 * pad - f) // stride + 1
    n_W = (A_prev.shape[2] + 2 * pad - f) // stride + 1
    dZ = _validate.upstream(dZ, "dZ", (A_prev.shape[0], n_H, n_W, A_prev.shape[3]))
    dtype = _validate.float_dtype(A_prev, W, b, dZ)
    return [x.astype(dtype, copy=False) for x in (dZ, A_prev, W)], stride, pad


def depthwise_conv_backward(dZ, cache):
    r"""Backward pass of a depthwise convolution (vectorised): ``(dA_prev, dW, db)``.

    $$dW[u, v, c] = \sum_{i, h, w} A_{\text{pad}}[i, h s + u, w s + v, c]\, dZ[i, h, w, c]$$

    $$dA_{\text{pad}}[:, u :: s, v :: s, :] \mathrel{+}= dZ \odot W[u, v, :], \qquad db[c] = \sum_{i, h, w} dZ[i, h, w, c]$$

    One step per filter position $(u, v)$: a product of the shifted view of
    the padded input with $dZ$, summed over examples and positions, and
    $dZ \cdot W[u, v]$ added into the shifted view of $dA_{\text{pad}}$.

    Parameters
    ----------
    dZ : ndarray of shape (m, n_H, n_W, n_C_prev)
        Gradient of the cost with respect to the output ``Z``.
    cache : tuple
        ``(A_prev, W, b, hparameters)`` from ``depthwise_conv_forward``.

    Returns
    -------
    dA_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
    dW : ndarray of shape (f, f, n_C_prev)
    db : ndarray of shape (1, 1, 1, n_C_prev)

    Raises
    ------
    ValueError, TypeError
        For a ``cache`` that is not the forward pass's 4-tuple, or a ``dZ``
        whose shape differs from the forward pass's output.

    Examples
    --------
    >>> from course_cnn.week2 import depthwise_conv_forward
    >>> A_prev = np.arange(18.0).reshape(1, 3, 3, 2)
    >>> Z, cache = depthwise_conv_forward(A_prev, np.ones((2, 2, 2)), np.zeros((1, 1, 1, 2)), {"stride": 1, "pad": 0})
    >>> dA_prev, dW, db = depthwise_conv_backward(np.ones_like(Z), cache)
    >>> dA_prev[0, :, :, 0]  # how many 2x2 windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> dW[:, :, 0]  # window sums of channel 0 (0, 2, ..., 16) at each filter position
    array([[16., 24.],
           [40., 48.]])
    """
    (dZ, A_prev, W), stride, pad = _check_backward(dZ, cache)
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = W.shape[0]
    _, n_H, n_W, _ = dZ.shape
    h_span, w_span = stride * (n_H - 1) + 1, stride * (n_W - 1) + 1
    A_pad = _zero_pad(A_prev, pad)  # (m, n_H_prev + 2p, n_W_prev + 2p, n_C)
    dA_pad = np.zeros_like(A_pad)
    dW = np.empty_like(W)
    for u in range(f):
        for v in range(f):
            window = A_pad[:, u:u + h_span:stride, v:v + w_span:stride]  # (m, n_H, n_W, n_C), a view
            dW[u, v] = np.einsum("ihwc,ihwc->c", window, dZ)  # sum over examples and positions, per channel
            dA_pad[:, u:u + h_span:stride, v:v + w_span:stride] += dZ * W[u, v]
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    return dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :].copy(), dW, db


def depthwise_conv_backward_loops(dZ, cache):
    r"""Backward pass of a depthwise convolution with explicit loops (the reference).

    For every example $i$, output position $(h, w)$ and channel $c$, with
    the window ``a_slice = a_prev_pad[h*s : h*s + f, w*s : w*s + f, c]``:

    $$da_{\text{pad}}[\text{window}, c] \mathrel{+}= W[:, :, c]\, dZ[i, h, w, c], \qquad dW[:, :, c] \mathrel{+}= a_{slice}\, dZ[i, h, w, c]$$

    Same parameters, returns and errors as ``depthwise_conv_backward``.

    Parameters
    ----------
    dZ : ndarray of shape (m, n_H, n_W, n_C_prev)
        Gradient of the cost with respect to ``Z``.
    cache : tuple
        ``(A_prev, W, b, hparameters)`` from the forward pass.

    Returns
    -------
    dA_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
    dW : ndarray of shape (f, f, n_C_prev)
    db : ndarray of shape (1, 1, 1, n_C_prev)

    Raises
    ------
    ValueError, TypeError
        As ``depthwise_conv_backward``.

    Examples
    --------
    >>> from course_cnn.week2 import depthwise_conv_forward
    >>> Z, cache = depthwise_conv_forward(np.ones((1, 3, 3, 1)), np.ones((2, 2, 1)), np.zeros((1, 1, 1, 1)),
    ...                                   {"stride": 1, "pad": 0})
    >>> depthwise_conv_backward_loops(np.ones_like(Z), cache)[2]  # db: the sum of dZ, 4 ones
    array([[[[4.]]]])
    """
    (dZ, A_prev, W), stride, pad = _check_backward(dZ, cache)
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = W.shape[0]
    _, n_H, n_W, _ = dZ.shape
    A_pad = _zero_pad(A_prev, pad)
    dA_pad, dW, db = np.zeros_like(A_pad), np.zeros_like(W), np.zeros((1, 1, 1, n_C), dtype=dZ.dtype)
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            for w in range(n_W):
                horiz_start = w * stride
                for c in range(n_C):
                    rows, cols = slice(vert_start, vert_start + f), slice(horiz_start, horiz_start + f)
                    dA_pad[i, rows, cols, c] += W[:, :, c] * dZ[i, h, w, c]
                    dW[:, :, c] += A_pad[i, rows, cols, c] * dZ[i, h, w, c]
                    db[0, 0, 0, c] += dZ[i, h, w, c]
    return dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db
