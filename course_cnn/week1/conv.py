r"""The convolutional layer, forward pass: one step, the loops, and im2col.

Every output value is a filter laid on one window of the padded input,
multiplied elementwise, summed, plus the filter's bias:

$$Z[i, h, w, c] = \sum_{u=0}^{f-1} \sum_{v=0}^{f-1} \sum_{k=0}^{n_{C,prev}-1}
A_{\text{pad}}[i,\, h s + u,\, w s + v,\, k]\; W[u, v, k, c] + b[c]$$

with output size $n_H = \lfloor (n_{H,prev} + 2p - f)/s \rfloor + 1$ (and the
same for $n_W$). ``conv_forward_loops`` writes this with four nested
loops, as the course does; ``conv_forward`` computes the same numbers with
*im2col*: every window becomes one row of a matrix ``cols`` of shape
``(m * n_H * n_W, f * f * n_C_prev)`` and the whole layer is the matrix
product ``cols @ W.reshape(f * f * n_C_prev, n_C)``. The batch is cut into
chunks of about 2 MiB of ``cols`` (a few examples each), handed to a
few threads that each pad their examples, run im2col and a single-threaded
matrix product: memory stays bounded, each block stays in cache, and every
idle core gets work.

References
----------
K. Chellapilla, S. Puri, P. Simard, "High performance convolutional neural
networks for document processing", 2006 (the im2col idea).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from course_cnn import _checks
from course_cnn import _parallel
from course_cnn.week1 import _validate
from course_cnn.week1.padding import _zero_pad

__all__ = ["conv_single_step", "conv_forward", "conv_forward_loops"]


def conv_single_step(a_slice_prev, W, b):
    r"""Apply one filter to one window: elementwise product, sum, plus bias.

    $$z = \sum_{u, v, k} a[u, v, k]\, W[u, v, k] + b$$

    Parameters
    ----------
    a_slice_prev : ndarray of shape (f, f, n_C_prev)
        One window of the (padded) input.
    W : ndarray of shape (f, f, n_C_prev)
        One filter.
    b : ndarray of shape (1, 1, 1)
        Its bias.

    Returns
    -------
    Z : numpy.float64 or numpy.float32
        The scalar result (float32 only when every float input is float32).

    Raises
    ------
    ValueError
        For shapes that differ, ``b`` not of shape (1, 1, 1), or non-finite values.

    Examples
    --------
    >>> a = np.arange(8.0).reshape(2, 2, 2)
    >>> conv_single_step(a, np.ones((2, 2, 2)), np.full((1, 1, 1), 0.5))  # 0+1+...+7 = 28
    np.float64(28.5)
    """
    a_slice_prev = _checks.check_array(a_slice_prev, "a_slice_prev", ndim=3, kinds="iuf")
    _validate.finite(a_slice_prev, "a_slice_prev")
    W = _checks.check_array(W, "W", kinds="iuf")
    _checks.check_shape(W, "W", a_slice_prev.shape)
    _validate.finite(W, "W")
    b = _checks.check_array(b, "b", shape=(1, 1, 1), kinds="iuf")
    _validate.finite(b, "b")
    dtype = _validate.float_dtype(a_slice_prev, W, b)
    return _conv_single_step(a_slice_prev.astype(dtype, copy=False), W.astype(dtype, copy=False), b.astype(dtype, copy=False))


def _conv_single_step(a_slice_prev: np.ndarray, W: np.ndarray, b: np.ndarray):
    # s = a * W elementwise, then Z = sum(s) + b
    s = a_slice_prev * W
    return np.sum(s) + b.reshape(())[()]


def _check_conv(A_prev, W, b, hparameters):
    """Validate the forward pass's arguments; return them with stride, pad and the compute dtype."""
    A_prev = _validate.activations(A_prev, "A_prev", "(m, n_H_prev, n_W_prev, n_C_prev)")
    W, b = _validate.conv_weights(A_prev, W, b)
    hp = _validate.hparameters(hparameters, ("stride", "pad"))
    f = W.shape[0]
    _validate.window_fits(A_prev.shape[1], A_prev.shape[2], f, hp["pad"], "W", f"filters of size f = {f}")
    return A_prev, W, b, hp["stride"], hp["pad"], _validate.float_dtype(A_prev, W, b)


def _output_size(n_prev: int, f: int, stride: int, pad: int) -> int:
    # n = floor((n_prev + 2p - f) / s) + 1
    return (n_prev + 2 * pad - f) // stride + 1


def conv_forward(A_prev, W, b, hparameters):
    r"""Forward pass of a convolutional layer (vectorised: im2col + one matmul).

    $$Z[i, h, w, c] = \sum_{u, v, k} A_{\text{pad}}[i, h s + u, w s + v, k]\, W[u, v, k, c] + b[c]$$

    $$n_H = \left\lfloor \frac{n_{H,prev} + 2p - f}{s} \right\rfloor + 1$$

    The same numbers as ``conv_forward_loops``, computed as
    ``cols @ W.reshape(f * f * n_C_prev, n_C)`` where each row of ``cols``
    is one window (see ``_im2col``), a chunk of examples per task on a few
    threads. Rows and columns a stride leaves
    over at the bottom/right are never read, as in the formula.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Activations of the previous layer (ints are computed in float64).
    W : ndarray of shape (f, f, n_C_prev, n_C)
        The ``n_C`` filters.
    b : ndarray of shape (1, 1, 1, n_C)
        One bias per filter.
    hparameters : dict
        ``{"stride": s, "pad": p}`` with ``s >= 1`` and ``p >= 0``.

    Returns
    -------
    Z : ndarray of shape (m, n_H, n_W, n_C)
        The layer's output (before any activation), float32 when every input
        is float32, float64 otherwise.
    cache : tuple
        ``(A_prev, W, b, hparameters)``, what ``conv_backward`` needs.

    Raises
    ------
    ValueError
        For a wrong rank, ``W`` whose channels differ from ``A_prev``'s, a
        ``b`` not of shape (1, 1, 1, n_C), a filter larger than the padded
        input, a stride < 1, a pad < 0, or non-finite values.
    TypeError
        For non-numeric arrays, or ``hparameters`` that is not a dict.

    Examples
    --------
    >>> A_prev = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> W = np.ones((2, 2, 1, 1)); b = np.zeros((1, 1, 1, 1))
    >>> Z, cache = conv_forward(A_prev, W, b, {"stride": 2, "pad": 0})
    >>> Z[0, :, :, 0]  # 0+1+4+5 = 10, 2+3+6+7 = 18, ...
    array([[10., 18.],
           [42., 50.]])
    """
    A_prev, W, b, stride, pad, dtype = _check_conv(A_prev, W, b, hparameters)
    Z = _conv_forward(A_prev.astype(dtype, copy=False), W.astype(dtype, copy=False), b.astype(dtype, copy=False), stride, pad)
    return Z, (A_prev, W, b, hparameters)


def _im2col(A_pad: np.ndarray, f: int, stride: int, n_H: int, n_W: int) -> np.ndarray:
    """Windows of the padded input as rows: (m * n_H * n_W, f * f * n_C_prev), columns in (u, v, k) order."""
    m, n_C_prev = A_pad.shape[0], A_pad.shape[3]
    A_pad = np.ascontiguousarray(A_pad)
    s_i, s_h, s_w, s_k = _c_strides(A_pad)
    # row u of window (i, h, w) is one run of f * n_C_prev values, A_pad[i, h*s + u, w*s : w*s + f, :]:
    # a view of every window, no copy: (m, n_H, n_W, f, f * n_C_prev)
    windows = as_strided(A_pad, shape=(m, n_H, n_W, f, f * n_C_prev),
                         strides=(s_i, stride * s_h, stride * s_w, s_h, s_k), writeable=False)
    cols = np.empty((m * n_H * n_W, f * f * n_C_prev), dtype=A_pad.dtype)
    np.copyto(cols.reshape(windows.shape), windows)  # the one copy, in runs of f * n_C_prev values
    return cols


def _c_strides(X: np.ndarray) -> tuple[int, ...]:
    """Byte strides of a C-contiguous ``X`` from its shape (numpy may report any stride for a length-1 axis)."""
    strides, step = [], X.itemsize
    for n in reversed(X.shape):
        strides.append(step)
        step *= n
    return tuple(reversed(strides))


#: Size of one task's im2col block, in bytes: a few examples of a typical
#: layer, small enough to stay in cache (see ``_parallel``).
TASK_BYTES = 2 * 2**20


def _batch_chunks(m: int, bytes_per_example: int) -> list[slice]:
    """Split m examples into balanced chunks whose im2col block is about TASK_BYTES (one example at least)."""
    n_chunks = min(m, max(1, -(-m * bytes_per_example // TASK_BYTES)))  # ceil, at least one example each
    bounds = np.linspace(0, m, n_chunks + 1).astype(int)
    return [slice(int(start), int(stop)) for start, stop in zip(bounds[:-1], bounds[1:])]


def _conv_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int, pad: int) -> np.ndarray:
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, n_C_prev, n_C = W.shape
    n_H, n_W = _output_size(n_H_prev, f, stride, pad), _output_size(n_W_prev, f, stride, pad)
    W_2d = W.reshape(f * f * n_C_prev, n_C)  # (f * f * n_C_prev, n_C)
    # b repeated over one example's positions: one long add per example instead of a short one per position
    b_example = np.tile(b.reshape(n_C), n_H * n_W)  # (n_H * n_W * n_C,)
    Z = np.empty((m, n_H, n_W, n_C), dtype=A_prev.dtype)

    def forward_chunk(chunk: slice) -> None:
        A_pad = _zero_pad(A_prev[chunk], pad)  # (m_chunk, n_H_prev + 2p, n_W_prev + 2p, n_C_prev)
        cols = _im2col(A_pad, f, stride, n_H, n_W)  # (m_chunk * n_H * n_W, f * f * n_C_prev)
        Z_chunk = Z[chunk]  # a view of Z: (m_chunk, n_H, n_W, n_C)
        np.matmul(cols, W_2d, out=Z_chunk.reshape(-1, n_C))  # Z = cols W + b
        Z_chunk.reshape(-1, b_example.size)[:] += b_example

    _parallel.run(forward_chunk, _batch_chunks(m, n_H * n_W * f * f * n_C_prev * A_prev.dtype.itemsize))
    return Z


def conv_forward_loops(A_prev, W, b, hparameters):
    r"""Forward pass of a convolutional layer with explicit loops (the course's version).

    Loops over examples $i$, output rows $h$, output columns $w$ and filters
    $c$, and calls ``conv_single_step`` on the window
    ``a_prev_pad[h*s : h*s + f, w*s : w*s + f, :]``:

    $$Z[i, h, w, c] = \sum_{u, v, k} A_{\text{pad}}[i, h s + u, w s + v, k]\, W[u, v, k, c] + b[c]$$

    Slow (four Python loops), kept for reading and as the reference the
    vectorised ``conv_forward`` is tested against. Same parameters,
    returns and errors as ``conv_forward``.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Activations of the previous layer.
    W : ndarray of shape (f, f, n_C_prev, n_C)
        The filters.
    b : ndarray of shape (1, 1, 1, n_C)
        The biases.
    hparameters : dict
        ``{"stride": s, "pad": p}``.

    Returns
    -------
    Z : ndarray of shape (m, n_H, n_W, n_C)
        The layer's output.
    cache : tuple
        ``(A_prev, W, b, hparameters)``.

    Raises
    ------
    ValueError, TypeError
        As ``conv_forward``.

    Examples
    --------
    >>> A_prev = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> Z, _ = conv_forward_loops(A_prev, np.ones((2, 2, 1, 1)), np.zeros((1, 1, 1, 1)), {"stride": 2, "pad": 0})
    >>> Z[0, :, :, 0]
    array([[10., 18.],
           [42., 50.]])
    """
    A_prev, W, b, stride, pad, dtype = _check_conv(A_prev, W, b, hparameters)
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    n_H, n_W = _output_size(n_H_prev, f, stride, pad), _output_size(n_W_prev, f, stride, pad)
    W_, b_ = W.astype(dtype, copy=False), b.astype(dtype, copy=False)
    A_prev_pad = _zero_pad(A_prev.astype(dtype, copy=False), pad)
    Z = np.zeros((m, n_H, n_W, n_C), dtype=dtype)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]  # (f, f, n_C_prev)
                for c in range(n_C):
                    Z[i, h, w, c] = _conv_single_step(a_slice_prev, W_[:, :, :, c], b_[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)
