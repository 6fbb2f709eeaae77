r"""The transposed convolution, forward pass: the lecture's picture, then vectorised.

A convolution with stride $s$ shrinks; a *transposed* convolution grows. The
lecture draws it like this: every input value multiplies the whole
$f \times f$ filter, and the product is *added* into the output at the
input's position times the stride, so that neighbouring copies overlap when
$f > s$. The border of $p$ rows and columns is then cropped from every side:

$$Z_{\text{full}}[i,\, h s + u,\, w s + v,\, c] \mathrel{+}= \sum_{k} A_{prev}[i, h, w, k]\; W[u, v, k, c]$$

$$Z[i, y, x, c] = Z_{\text{full}}[i,\, y + p,\, x + p,\, c] + b[c]$$

$$n_H = (n_{H,prev} - 1)\, s + f - 2p$$

(the same for $n_W$). With ``pad="same"`` the output is $n_{H,prev}\, s$ and
the crop is TensorFlow's: $p_{\text{total}} = \max(f - s, 0)$ split as
$\lfloor p_{\text{total}} / 2 \rfloor$ at the top/left and the rest at the
bottom/right (when $f < s$ the full output is shorter than
$n_{H,prev} s$ and its missing bottom/right rows are zeros plus $b$).

``W`` is ``(f, f, n_C_prev, n_C)`` as in week 1's ``conv_forward``:
``tf.nn.conv2d_transpose`` takes the same filters as ``(f, f, n_C, n_C_prev)``
(``W.transpose(0, 1, 3, 2)``), because it is the gradient of ``conv2d`` with
those filters.

``conv_transpose_forward_loops`` is the lecture's picture, one input value
at a time. ``conv_transpose_forward`` does one matrix product per filter
position $(u, v)$, ``A_prev @ W[u, v]`` of shape (m, n_H_prev, n_W_prev, n_C),
and adds it into the output's strided slice ``[u::s, v::s]`` (the *col2im*
half of week 1's im2col): $f^2$ products and adds, whatever the batch size.

References
----------
V. Dumoulin, F. Visin, "A guide to convolution arithmetic for deep
learning", 2016. O. Ronneberger, P. Fischer, T. Brox, "U-Net", 2015.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from course_cnn import _checks, _parallel
from course_cnn.week1 import _validate
from course_cnn.week1.conv import _batch_chunks

__all__ = ["conv_transpose_forward", "conv_transpose_forward_loops", "conv_transpose_output_size"]

#: Largest output (values per example times m) the numpy layer agrees to build.
MAX_OUTPUT_VALUES = 2**31
#: Largest size, filter or stride `conv_transpose_output_size` accepts.
MAX_SIDE = 2**20


def _same_crop(n_prev: int, f: int, stride: int) -> tuple[int, int]:
    """TensorFlow's "SAME" for the transposed convolution: (crop before, output size)."""
    pad_total = max(f - stride, 0)
    return pad_total // 2, n_prev * stride


def _output_geometry(n_prev: int, f: int, stride: int, pad) -> tuple[int, int, int]:
    """(full size, crop before, output size) along one axis."""
    n_full = (n_prev - 1) * stride + f  # every copy of the filter laid down
    if pad == "same":
        crop, n_out = _same_crop(n_prev, f, stride)
    else:
        crop, n_out = pad, n_full - 2 * pad
    return n_full, crop, n_out


def conv_transpose_output_size(n_prev, f, stride, pad):
    r"""Output size of a transposed convolution along one axis.

    $$n = (n_{prev} - 1)\, s + f - 2p$$

    $$n_{\text{same}} = n_{prev}\, s$$

    Parameters
    ----------
    n_prev : int
        Input height (or width), at least 1.
    f : int
        Filter size, at least 1.
    stride : int
        Stride, at least 1.
    pad : int or "same"
        Rows cropped from each side, or TensorFlow's ``"same"``.

    Returns
    -------
    int
        The output size (at least 1).

    Raises
    ------
    ValueError
        For sizes < 1, a negative pad, or a pad that crops everything.

    Examples
    --------
    >>> conv_transpose_output_size(2, 3, 2, 1)  # (2 - 1) * 2 + 3 - 2 = 3
    3
    >>> conv_transpose_output_size(2, 3, 2, "same")  # 2 * 2
    4
    """
    n_prev = _checks.check_int(n_prev, "n_prev", 1, MAX_SIDE)
    f = _checks.check_int(f, "f", 1, MAX_SIDE)
    stride = _checks.check_int(stride, "stride", 1, MAX_SIDE)
    pad = _check_pad(pad, "pad")
    n_out = _output_geometry(n_prev, f, stride, pad)[2]
    if n_out < 1:
        raise _checks.fail("pad", f"leave at least one row: 2 * pad < (n_prev - 1) * stride + f = {n_out + 2 * pad}", f"{pad}")
    return n_out


def _check_pad(pad, name):
    if isinstance(pad, str):
        return _checks.check_choice(pad.lower(), name, ("same",))
    return _checks.check_non_negative_int(pad, name)


def _check_hparameters(hp) -> tuple[int, int | str]:
    if not isinstance(hp, Mapping) or not all(k in hp for k in ("stride", "pad")):
        got = f"a dict with keys {sorted(map(str, hp))}" if isinstance(hp, Mapping) else _checks.describe(hp)
        raise _checks.fail("hparameters", "be a dict with keys 'stride' and 'pad'", got,
                           ValueError if isinstance(hp, Mapping) else TypeError)
    stride = _checks.check_positive_int(hp["stride"], "hparameters['stride']")
    if stride > 2**16:
        raise _checks.fail("hparameters['stride']", "be at most 65536", f"{stride}")
    return stride, _check_pad(hp["pad"], "hparameters['pad']")


def _check_conv_transpose(A_prev, W, b, hparameters):
    """Validate the arguments; return them with stride, pad and the compute dtype."""
    A_prev = _validate.activations(A_prev, "A_prev", "(m, n_H_prev, n_W_prev, n_C_prev)")
    W, b = _validate.conv_weights(A_prev, W, b)
    stride, pad = _check_hparameters(hparameters)
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    n_H = _output_geometry(n_H_prev, f, stride, pad)[2]
    n_W = _output_geometry(n_W_prev, f, stride, pad)[2]
    if min(n_H, n_W) < 1:
        n_full = (min(n_H_prev, n_W_prev) - 1) * stride + f
        raise _checks.fail("hparameters['pad']",
                           f"leave at least one row and column: 2 * pad < (n_prev - 1) * stride + f = {n_full}", f"{pad}")
    if m * (n_H + f) * (n_W + f) * n_C > MAX_OUTPUT_VALUES:
        raise _checks.fail("A_prev", f"give an output of at most {MAX_OUTPUT_VALUES} values (m * n_H * n_W * n_C)",
                           f"shape {A_prev.shape} -> ({m}, {n_H}, {n_W}, {n_C})")
    return A_prev, W, b, stride, pad, _validate.float_dtype(A_prev, W, b)


def _crop(Z_full: np.ndarray, n_H_prev, n_W_prev, f, stride, pad) -> np.ndarray:
    """Crop (or, for "same" with f < s, zero-extend) the full output to the layer's size."""
    _, crop_h, n_H = _output_geometry(n_H_prev, f, stride, pad)
    _, crop_w, n_W = _output_geometry(n_W_prev, f, stride, pad)
    return Z_full[:, crop_h:crop_h + n_H, crop_w:crop_w + n_W, :]


def _full_size(n_prev, f, stride, pad):
    # the array written into: the full output, or n_prev * s when "same" asks for more (f < s)
    n_full, crop, n_out = _output_geometry(n_prev, f, stride, pad)
    return max(n_full, crop + n_out)


def conv_transpose_forward(A_prev, W, b, hparameters):
    r"""Forward pass of a transposed convolution (vectorised: one product per filter position).

    $$Z_{\text{full}}[i,\, h s + u,\, w s + v,\, c] \mathrel{+}= \sum_{k} A_{prev}[i, h, w, k]\; W[u, v, k, c]$$

    $$n_H = (n_{H,prev} - 1)\, s + f - 2p$$

    The full output is then cropped by ``p`` on every side (or as
    TensorFlow's ``"same"`` crops, to $n_{H,prev}\, s$) and ``b`` is added.
    Equal to ``tf.nn.conv2d_transpose(A_prev, W.transpose(0, 1, 3, 2),
    output_shape, strides=s, padding="VALID")`` cropped by ``p``, and to its
    ``padding="SAME"`` for ``pad="same"``.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Input activations (ints are computed in float64).
    W : ndarray of shape (f, f, n_C_prev, n_C)
        The filters, in week 1's layout.
    b : ndarray of shape (1, 1, 1, n_C)
        One bias per output channel.
    hparameters : dict
        ``{"stride": s, "pad": p}`` with ``s >= 1`` and ``p`` an int >= 0
        (cropped from every side) or ``"same"``.

    Returns
    -------
    Z : ndarray of shape (m, n_H, n_W, n_C)
        The output, float32 when every input is float32, float64 otherwise.
    cache : tuple
        ``(A_prev, W, b, hparameters)``.

    Raises
    ------
    ValueError
        For a wrong rank, channels of ``W`` that differ from ``A_prev``'s, a
        ``b`` not of shape (1, 1, 1, n_C), a stride < 1, a pad that is
        negative, not ``"same"``, or crops the whole output, or non-finite values.
    TypeError
        For non-numeric arrays or ``hparameters`` that is not a dict.

    Examples
    --------
    The lecture's example: a 2x2 input, a 3x3 filter of ones, stride 2, pad 1.

    >>> A_prev = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    >>> W = np.ones((3, 3, 1, 1)); b = np.zeros((1, 1, 1, 1))
    >>> Z, _ = conv_transpose_forward(A_prev, W, b, {"stride": 2, "pad": 1})
    >>> Z[0, :, :, 0]  # the 5x5 full output cropped by 1: the middle row/column hold two copies added
    array([[ 1.,  3.,  2.],
           [ 4., 10.,  6.],
           [ 3.,  7.,  4.]])
    >>> conv_transpose_forward(A_prev, W, b, {"stride": 2, "pad": "same"})[0].shape
    (1, 4, 4, 1)
    """
    A_prev, W, b, stride, pad, dtype = _check_conv_transpose(A_prev, W, b, hparameters)
    Z = _conv_transpose_forward(A_prev.astype(dtype, copy=False), W.astype(dtype, copy=False),
                                b.astype(dtype, copy=False), stride, pad)
    return Z, (A_prev, W, b, hparameters)


def _conv_transpose_forward(A_prev, W, b, stride, pad):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    n_H_full, n_W_full = _full_size(n_H_prev, f, stride, pad), _full_size(n_W_prev, f, stride, pad)
    _, crop_h, n_H = _output_geometry(n_H_prev, f, stride, pad)
    _, crop_w, n_W = _output_geometry(n_W_prev, f, stride, pad)
    h_span, w_span = (n_H_prev - 1) * stride + 1, (n_W_prev - 1) * stride + 1
    Z = np.empty((m, n_H, n_W, n_C), dtype=A_prev.dtype)

    def forward_chunk(chunk: slice) -> None:
        A_chunk = A_prev[chunk]  # (m_chunk, n_H_prev, n_W_prev, n_C_prev)
        m_chunk = A_chunk.shape[0]
        A_2d = A_chunk.reshape(-1, n_C_prev)  # (m_chunk * n_H_prev * n_W_prev, n_C_prev)
        Z_full = np.zeros((m_chunk, n_H_full, n_W_full, n_C), dtype=A_prev.dtype)
        contribution = np.empty((A_2d.shape[0], n_C), dtype=A_prev.dtype)
        for u in range(f):
            for v in range(f):
                # every input position's contribution at filter offset (u, v): A_prev @ W[u, v]
                np.matmul(A_2d, W[u, v], out=contribution)  # (m_chunk * n_H_prev * n_W_prev, n_C)
                # it lands at output rows h*s + u, columns w*s + v: a strided slice (col2im)
                Z_full[:, u:u + h_span:stride, v:v + w_span:stride, :] += contribution.reshape(
                    m_chunk, n_H_prev, n_W_prev, n_C)
        # crop p (or TensorFlow's "same") and add b: Z = Z_full[p : p + n_H, p : p + n_W] + b
        np.add(Z_full[:, crop_h:crop_h + n_H, crop_w:crop_w + n_W, :], b.reshape(n_C), out=Z[chunk])

    bytes_per_example = (n_H_full * n_W_full + n_H_prev * n_W_prev) * n_C * A_prev.dtype.itemsize
    _parallel.run(forward_chunk, _batch_chunks(m, bytes_per_example))
    return Z


def conv_transpose_forward_loops(A_prev, W, b, hparameters):
    r"""Forward pass of a transposed convolution with explicit loops: the lecture's picture.

    For every example $i$, input row $h$, column $w$ and input channel $k$,
    the value $A_{prev}[i, h, w, k]$ times the filter slice $W[:, :, k, :]$
    is added into the output window that starts at $(h s, w s)$:

    $$Z_{\text{full}}[i,\, h s : h s + f,\, w s : w s + f,\, :] \mathrel{+}= A_{prev}[i, h, w, k]\; W[:, :, k, :]$$

    then $p$ rows and columns are cropped from every side and $b$ is added.
    Slow, kept for reading and as the reference ``conv_transpose_forward``
    is tested against. Same parameters, returns and errors.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C_prev)
        Input activations.
    W : ndarray of shape (f, f, n_C_prev, n_C)
        The filters.
    b : ndarray of shape (1, 1, 1, n_C)
        The biases.
    hparameters : dict
        ``{"stride": s, "pad": p}``, ``p`` an int or ``"same"``.

    Returns
    -------
    Z : ndarray of shape (m, n_H, n_W, n_C)
        The output.
    cache : tuple
        ``(A_prev, W, b, hparameters)``.

    Raises
    ------
    ValueError, TypeError
        As ``conv_transpose_forward``.

    Examples
    --------
    >>> A_prev = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    >>> Z, _ = conv_transpose_forward_loops(A_prev, np.ones((3, 3, 1, 1)), np.zeros((1, 1, 1, 1)), {"stride": 2, "pad": 0})
    >>> Z[0, :, :, 0]  # the full 5x5 output: (2 - 1) * 2 + 3 = 5
    array([[ 1.,  1.,  3.,  2.,  2.],
           [ 1.,  1.,  3.,  2.,  2.],
           [ 4.,  4., 10.,  6.,  6.],
           [ 3.,  3.,  7.,  4.,  4.],
           [ 3.,  3.,  7.,  4.,  4.]])
    """
    A_prev, W, b, stride, pad, dtype = _check_conv_transpose(A_prev, W, b, hparameters)
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    A_, W_ = A_prev.astype(dtype, copy=False), W.astype(dtype, copy=False)
    Z_full = np.zeros((m, _full_size(n_H_prev, f, stride, pad), _full_size(n_W_prev, f, stride, pad), n_C), dtype=dtype)
    for i in range(m):
        for h in range(n_H_prev):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W_prev):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for k in range(n_C_prev):
                    # one input value times the filter, added where the stride puts it
                    Z_full[i, vert_start:vert_end, horiz_start:horiz_end, :] += A_[i, h, w, k] * W_[:, :, k, :]
    Z = _crop(Z_full, n_H_prev, n_W_prev, f, stride, pad) + b.astype(dtype, copy=False).reshape(n_C)
    return Z, (A_prev, W, b, hparameters)
