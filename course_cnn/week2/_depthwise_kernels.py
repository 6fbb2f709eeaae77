r"""The vectorised depthwise convolution's kernel (private): ``depthwise_conv_forward`` checks, this computes.

$$Z[i, h, w, c] = \sum_{u=0}^{f-1} \sum_{v=0}^{f-1} A_{\text{pad}}[i,\, h s + u,\, w s + v,\, c]\; W[u, v, c] + b[c]$$

as $f^2$ multiply-adds of whole shifted windows of each padded example, a
few examples per task, the tasks on the idle CPUs (``course_cnn._parallel``).
Stride 1 reads each window as one contiguous run of the flattened padded
example; other strides copy a strided view first.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _parallel
from course_cnn.week1.conv import _output_size

#: Examples per task: about this many bytes of output, so that a few tasks keep every CPU busy.
TASK_BYTES = 2**20
#: Largest filter table repeated over a whole output image (f * f * n_H * n_W * n_C values); above it, over one row.
TILE_BYTES = 2 * 2**20
#: Bytes the stride-1 kernel's arrays start at a multiple of: numpy's AVX-512 loops run about twice as fast on
#: arrays aligned to a cache line (64 bytes) as on others (measured: 5.4 against 11 µs for 32K float32 products).
ALIGN = 64
#: Values the stride-1 kernel's repeated filter rows hold at least (16 KiB in float32: the f * f tables stay in cache).
PERIOD_VALUES = 4096


def _aligned_empty(shape, dtype) -> np.ndarray:
    """``np.empty(shape, dtype)`` whose first byte sits at a multiple of ``ALIGN``."""
    n, itemsize = int(np.prod(shape)), np.dtype(dtype).itemsize
    buffer = np.empty(n + ALIGN // itemsize, dtype=dtype)
    start = (-buffer.ctypes.data % ALIGN) // itemsize
    return buffer[start:start + n].reshape(shape)


def _depthwise_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int, pad: int) -> np.ndarray:
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = W.shape[0]
    n_H, n_W = _output_size(n_H_prev, f, stride, pad), _output_size(n_W_prev, f, stride, pad)
    Z = _aligned_empty((m, n_H, n_W, n_C), A_prev.dtype)
    chunk_kernel = _stride_1_chunks if stride == 1 else _strided_chunks
    forward_chunk = chunk_kernel(A_prev, W, b, stride, pad, Z)
    n_chunks = min(m, max(1, -(-m * n_H * n_W * n_C * A_prev.dtype.itemsize // TASK_BYTES)))
    bounds = np.linspace(0, m, n_chunks + 1).astype(int)
    _parallel.run(forward_chunk, [slice(int(i), int(j)) for i, j in zip(bounds[:-1], bounds[1:])])
    return Z


def _stride_1_chunks(A_prev, W, b, stride, pad, Z):
    """Stride 1: every shifted window is one contiguous run of the flattened padded image.

    The sums are computed over whole padded rows, ``n_H x n_W_pad`` positions (the ``f - 1`` extra
    columns of each row are thrown away at the end): window $(u, v)$ then starts ``(u n_W_pad + v) n_C``
    values into ``a_pad`` and is contiguous, so each filter position is one product into a buffer and
    one in-place sum (17 passes over memory per example instead of 26 for copy, product and sum).
    """
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, (_, n_H, n_W, _) = W.shape[0], Z.shape
    n_H_pad, n_W_pad = n_H_prev + 2 * pad, n_W_prev + 2 * pad
    row = n_W_pad * n_C  # values per padded row
    n_out = n_H * row  # output positions over whole padded rows
    # W[u, v] repeated over a few padded rows (the fewest that divide n_H and hold PERIOD_VALUES), broadcast
    # over the rest: a small table that stays in cache, with long inner loops
    period = next(d for d in range(1, n_H + 1) if n_H % d == 0 and (d * row >= PERIOD_VALUES or d == n_H))
    W_tile = _aligned_empty((f, f, period * n_W_pad, n_C), A_prev.dtype)
    W_tile[...] = W[:, :, None, :]
    W_tile = W_tile.reshape(f, f, period * row)
    shape = (n_H // period, period * row)
    b_tile = _aligned_empty((n_H, n_W, n_C), A_prev.dtype)
    b_tile[...] = b.reshape(n_C)

    def forward_chunk(chunk: slice) -> None:
        a_pad = _aligned_empty((n_H_pad + 1, n_W_pad, n_C), A_prev.dtype)  # +1 row: the last window's tail
        a_pad.fill(0)  # borders stay 0
        a_flat = a_pad.reshape(-1)
        z = _aligned_empty((n_H, n_W_pad, n_C), A_prev.dtype)
        z_flat, term = z.reshape(shape), _aligned_empty(shape, A_prev.dtype)
        for i in range(chunk.start, chunk.stop):
            a_pad[pad:pad + n_H_prev, pad:pad + n_W_prev] = A_prev[i]
            for u in range(f):
                for v in range(f):
                    start = (u * n_W_pad + v) * n_C
                    window = a_flat[start:start + n_out].reshape(shape)  # A_pad[u:u + n_H, v:, :], contiguous
                    if u == v == 0:
                        np.multiply(window, W_tile[0, 0], out=z_flat)  # z = A_pad[0:, 0:] * W[0, 0]
                    else:
                        np.multiply(window, W_tile[u, v], out=term)
                        np.add(z_flat, term, out=z_flat)  # z += A_pad[u:, v:] * W[u, v]
            np.add(z[:, :n_W], b_tile, out=Z[i])  # + b, dropping the f - 1 extra columns

    return forward_chunk


def _strided_chunks(A_prev, W, b, stride, pad, Z):
    """Any stride: each shifted window is a strided view, copied into a buffer, then multiplied and summed."""
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, (_, n_H, n_W, _) = W.shape[0], Z.shape
    # rows and columns a stride leaves over are never read: the last window starts at (n_H - 1) * s
    h_span, w_span = stride * (n_H - 1) + 1, stride * (n_W - 1) + 1
    # W[u, v] repeated over the output's rows (or one row): numpy's loops then run over whole rows of
    # n_W * n_C contiguous values, not over n_C values at a time
    rows = n_H if f * f * n_H * n_W * n_C * A_prev.dtype.itemsize <= TILE_BYTES else 1
    W_tile = np.broadcast_to(W[:, :, None, None, :], (f, f, rows, n_W, n_C)).copy()  # (f, f, rows, n_W, n_C)
    b_row = np.broadcast_to(b.reshape(n_C), (n_W, n_C)).copy()  # (n_W, n_C)

    def forward_chunk(chunk: slice) -> None:
        a_prev_pad = np.zeros((n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C), dtype=A_prev.dtype)  # borders stay 0
        term = np.empty((n_H, n_W, n_C), dtype=A_prev.dtype)
        for i in range(chunk.start, chunk.stop):
            a_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev] = A_prev[i]
            z = Z[i]  # a view: (n_H, n_W, n_C)
            for u in range(f):
                for v in range(f):
                    window = a_prev_pad[u:u + h_span:stride, v:v + w_span:stride]  # (n_H, n_W, n_C), a view
                    # term = A_pad[u::s, v::s] * W[u, v]: a copy, then an in-place product (numpy's in-place
                    # loops run about twice as fast as its out-of-place ones here; the copy costs less than that)
                    product = z if u == v == 0 else term
                    np.copyto(product, window)
                    np.multiply(product, W_tile[u, v], out=product)
                    if product is term:
                        np.add(z, term, out=z)  # z += A_pad[u::s, v::s] * W[u, v]
            np.add(z, b_row, out=z)  # + b

    return forward_chunk
