r"""The convolutional layer, backward pass.

Each output $Z[i, h, w, c]$ used the window $A_{\text{pad}}[i, hs:hs+f, ws:ws+f, :]$
and the filter $W[:, :, :, c]$, so with $dZ = \partial J / \partial Z$:

$$dA_{\text{pad}}[i, hs:hs+f, ws:ws+f, :] \mathrel{+}= \sum_c W[:, :, :, c]\; dZ[i, h, w, c]$$

$$dW[:, :, :, c] = \sum_{i, h, w} A_{\text{pad}}[i, hs:hs+f, ws:ws+f, :]\; dZ[i, h, w, c]$$

$$db[c] = \sum_{i, h, w} dZ[i, h, w, c]$$

and $dA_{prev}$ is $dA_{\text{pad}}$ without its border. In matrix form, with
``cols`` the im2col matrix of the forward pass: ``dW = cols.T @ dZ`` and
``dcols = dZ @ W.T``, and *col2im* adds every row of ``dcols`` back onto the
window it came from: a few strided adds over whole window rows ($f^2$ of them
at stride 1), instead of one per output pixel.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from course_cnn import _parallel
from course_cnn.week1 import _validate
from course_cnn.week1.conv import _batch_chunks, _c_strides, _check_conv, _im2col, _output_size
from course_cnn.week1.padding import _zero_pad

__all__ = ["conv_backward", "conv_backward_loops"]

_CACHE_LAYOUT = "(A_prev, W, b, hparameters)"


def _check_backward(dZ, cache):
    """Validate ``cache`` like the forward pass did and ``dZ`` against the output shape it implies."""
    A_prev, W, b, hparameters = _validate.cache_tuple(cache, 4, _CACHE_LAYOUT)
    A_prev, W, b, stride, pad, _ = _check_conv(A_prev, W, b, hparameters)
    f, n_C = W.shape[0], W.shape[3]
    n_H, n_W = _output_size(A_prev.shape[1], f, stride, pad), _output_size(A_prev.shape[2], f, stride, pad)
    dZ = _validate.upstream(dZ, "dZ", (A_prev.shape[0], n_H, n_W, n_C))
    dtype = _validate.float_dtype(A_prev, W, b, dZ)
    return A_prev.astype(dtype, copy=False), W.astype(dtype, copy=False), dZ.astype(dtype, copy=False), stride, pad


def conv_backward(dZ, cache):
    r"""Backward pass of a convolutional layer (vectorised: im2col, two matmuls, col2im).

    $$dW = \text{cols}^\top dZ, \qquad db_c = \sum_{i,h,w} dZ[i,h,w,c], \qquad
    dA_{\text{pad}} = \text{col2im}(dZ\, W^\top)$$

    where ``cols`` is the ``(m * n_H * n_W, f * f * n_C_prev)`` matrix of
    input windows and col2im adds each window's gradient back where the
    window was read (windows overlap when ``stride < f``, so contributions
    add up).

    Parameters
    ----------
    dZ : ndarray of shape (m, n_H, n_W, n_C)
        Gradient of the cost with respect to the layer's output ``Z``.
    cache : tuple
        ``(A_prev, W, b, hparameters)`` as returned by ``conv_forward``.

    Returns
    -------
    dA_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Gradient with respect to the layer's input (rows and columns a
        stride left unread get 0).
    dW : ndarray of shape (f, f, n_C_prev, n_C)
        Gradient with respect to the filters.
    db : ndarray of shape (1, 1, 1, n_C)
        Gradient with respect to the biases.

    Raises
    ------
    ValueError
        When ``dZ`` does not have the output shape the cached forward pass
        produced, or for anything ``conv_forward`` rejects in ``cache``.
    TypeError
        When ``cache`` is not a 4-tuple.

    Examples
    --------
    >>> from course_cnn.week1 import conv_forward
    >>> A_prev = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> Z, cache = conv_forward(A_prev, np.ones((2, 2, 1, 1)), np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0})
    >>> dA_prev, dW, db = conv_backward(np.ones_like(Z), cache)
    >>> dA_prev[0, :, :, 0]  # how many 2x2 windows hold each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> dW[:, :, 0, 0]  # sum of each window position: 0+1+3+4 = 8, ...
    array([[ 8., 12.],
           [20., 24.]])
    >>> db.ravel()
    array([4.])
    """
    A_prev, W, dZ, stride, pad = _check_backward(dZ, cache)
    return _conv_backward(A_prev, W, dZ, stride, pad)


def _conv_backward(A_prev: np.ndarray, W: np.ndarray, dZ: np.ndarray, stride: int, pad: int):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, n_C_prev, n_C = W.shape
    _, n_H, n_W, _ = dZ.shape
    W_2d = W.reshape(f * f * n_C_prev, n_C)  # (f * f * n_C_prev, n_C)
    dA_prev = np.empty(A_prev.shape, dtype=A_prev.dtype)  # (m, n_H_prev, n_W_prev, n_C_prev)

    def backward_chunk(chunk: slice) -> tuple[np.ndarray, np.ndarray]:
        A_pad = _zero_pad(A_prev[chunk], pad)  # (m_chunk, n_H_prev + 2p, n_W_prev + 2p, n_C_prev)
        dZ_2d = dZ[chunk].reshape(-1, n_C)  # (m_chunk * n_H * n_W, n_C)
        cols = _im2col(A_pad, f, stride, n_H, n_W)  # (m_chunk * n_H * n_W, f * f * n_C_prev)
        # dcols = dZ W^T: the gradient of every window, (m_chunk, n_H, n_W, f, f * n_C_prev)
        dcols = (dZ_2d @ W_2d.T).reshape(-1, n_H, n_W, f, f * n_C_prev)
        dA_pad = _zeros(A_pad.shape, A_prev.dtype)
        _col2im_add(dA_pad, dcols, stride)
        dA_prev[chunk] = dA_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :]  # strip the border
        # this chunk's share of dW = cols^T dZ (every window times the gradient of the output it produced)
        # and of db = sum of dZ over examples and positions
        return cols.T @ dZ_2d, dZ_2d.sum(axis=0)

    parts = _parallel.run(backward_chunk, _batch_chunks(m, n_H * n_W * f * f * n_C_prev * A_prev.dtype.itemsize))
    dW_2d = sum((dW_part for dW_part, _ in parts), np.zeros_like(W_2d))  # in chunk order: deterministic
    db = sum((db_part for _, db_part in parts), np.zeros(n_C, dtype=A_prev.dtype))
    return dA_prev, dW_2d.reshape(f, f, n_C_prev, n_C), db.reshape(1, 1, 1, n_C)


def _zeros(shape: tuple, dtype) -> np.ndarray:
    """Like np.zeros, but written at once: calloc's lazily zeroed pages would fault one by one in the strided adds."""
    out = np.empty(shape, dtype=dtype)
    out.fill(0)
    return out


def _col2im_add(dA_pad: np.ndarray, dcols: np.ndarray, stride: int) -> None:
    """Add each window's gradient back onto the padded input, in place.

    Row ``u`` of window ``(h, w)`` is one run of ``f * n_C_prev`` values,
    ``dA_pad[i, h*s + u, w*s : w*s + f, :]``. Windows ``step`` columns apart
    (``step * s >= f``) do not overlap, so for each ``u`` and each starting
    column ``r < step`` one strided add does all of them: ``f * step`` adds
    in all (9 for a 3x3 filter at stride 1), each over whole runs.
    """
    m, n_H, n_W, f, run = dcols.shape  # run = f * n_C_prev
    s_i, s_h, s_w, s_k = _c_strides(dA_pad)  # dA_pad is a fresh C-contiguous array
    step = -(-f // stride)  # ceil(f / s)
    for u in range(f):
        for r in range(min(step, n_W)):
            n_runs = len(range(r, n_W, step))
            # the runs of the windows w = r, r + step, ...: (m, n_H, n_runs, f * n_C_prev), none shared
            target = as_strided(dA_pad[:, u:, r * stride:, :], shape=(m, n_H, n_runs, run),
                                strides=(s_i, stride * s_h, step * stride * s_w, s_k))
            target += dcols[:, :, r::step, u, :]


def conv_backward_loops(dZ, cache):
    r"""Backward pass of a convolutional layer with explicit loops (the course's version).

    For every example $i$, output position $(h, w)$ and filter $c$:

    $$dA_{\text{pad}}[i, hs:hs+f, ws:ws+f, :] \mathrel{+}= W[:, :, :, c]\, dZ[i,h,w,c]$$

    $$\begin{aligned}
    dW[:, :, :, c] &\mathrel{+}= A_{\text{pad}}[i, hs:hs+f, ws:ws+f, :]\, dZ[i,h,w,c], \\
    db[c] &\mathrel{+}= dZ[i,h,w,c]
    \end{aligned}$$

    Unlike the course's notebook, the border is stripped with
    ``[pad : pad + n_H_prev]`` so that ``pad = 0`` works (``[pad:-pad]``
    would return an empty array).

    Parameters
    ----------
    dZ : ndarray of shape (m, n_H, n_W, n_C)
        Gradient with respect to the output ``Z``.
    cache : tuple
        ``(A_prev, W, b, hparameters)`` from the forward pass.

    Returns
    -------
    dA_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Gradient with respect to the input.
    dW : ndarray of shape (f, f, n_C_prev, n_C)
        Gradient with respect to the filters.
    db : ndarray of shape (1, 1, 1, n_C)
        Gradient with respect to the biases.

    Raises
    ------
    ValueError, TypeError
        As ``conv_backward``.

    Examples
    --------
    >>> from course_cnn.week1 import conv_forward_loops
    >>> A_prev = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> Z, cache = conv_forward_loops(A_prev, np.ones((2, 2, 1, 1)), np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0})
    >>> dA_prev, dW, db = conv_backward_loops(np.ones_like(Z), cache)
    >>> dA_prev[0, :, :, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    A_prev, W, dZ, stride, pad = _check_backward(dZ, cache)
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    _, n_H, n_W, _ = dZ.shape
    A_prev_pad = _zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape, dtype=A_prev.dtype)
    dW = np.zeros(W.shape, dtype=A_prev.dtype)
    db = np.zeros((1, 1, 1, n_C), dtype=A_prev.dtype)
    for i in range(m):
        a_prev_pad, da_prev_pad = A_prev_pad[i], dA_prev_pad[i]
        for h in range(n_H):
            vert_start, vert_end = h * stride, h * stride + f
            for w in range(n_W):
                horiz_start, horiz_end = w * stride, w * stride + f
                a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]  # (f, f, n_C_prev)
                for c in range(n_C):
                    da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :]
    return np.ascontiguousarray(dA_prev), dW, db
