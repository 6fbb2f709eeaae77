r"""Pooling layers, forward and backward: max and average, no parameters.

Pooling slides an $f \times f$ window with stride $s$ over every channel on
its own (no padding, the channel count is unchanged) and keeps the window's
maximum or mean:

$$A[i, h, w, c] = \max_{0 \le u, v < f} A_{prev}[i, hs + u, ws + v, c]
\quad\text{or}\quad \frac{1}{f^2} \sum_{u, v} A_{prev}[i, hs + u, ws + v, c]$$

with $n_H = \lfloor (n_{H,prev} - f)/s \rfloor + 1$. There is nothing to
learn: $f$, $s$ and the mode are hyperparameters. Backward, max pooling
routes each gradient to the window's maximum (``create_mask_from_window``)
and average pooling spreads it evenly (``distribute_value``).

The vectorised versions loop over the $f^2$ offsets $(u, v)$ of the window
(each a strided view of the whole batch) instead of over output pixels.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.week1 import _validate

__all__ = [
    "pool_forward",
    "pool_forward_loops",
    "create_mask_from_window",
    "distribute_value",
    "pool_backward",
    "pool_backward_loops",
]

_MODES = ("max", "average")


def _check_pool(A_prev, hparameters, mode, name="A_prev"):
    A_prev = _validate.activations(A_prev, name, "(m, n_H_prev, n_W_prev, n_C)")
    hp = _validate.hparameters(hparameters, ("f", "stride"))
    _checks.check_choice(mode, "mode", _MODES)
    _validate.pool_window_fits(A_prev.shape[1], A_prev.shape[2], hp["f"])
    dtype = _validate.float_dtype(A_prev)
    return A_prev.astype(dtype, copy=False), hp["f"], hp["stride"]


def _pool_shape(A_prev: np.ndarray, f: int, stride: int) -> tuple[int, int, int, int]:
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    # n_H = floor((n_H_prev - f) / s) + 1, no padding
    return m, (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1, n_C


def _offset_view(A_prev: np.ndarray, u: int, v: int, stride: int, n_H: int, n_W: int) -> np.ndarray:
    """Element (u, v) of every window: A_prev[:, h*s + u, w*s + v, :] for all (h, w), shape (m, n_H, n_W, n_C)."""
    return A_prev[:, u : u + stride * (n_H - 1) + 1 : stride, v : v + stride * (n_W - 1) + 1 : stride, :]


def pool_forward(A_prev, hparameters, mode="max"):
    r"""Forward pass of a pooling layer (vectorised over the window offsets).

    $$\begin{aligned}
    A[i, h, w, c] &= \max_{u, v < f} A_{prev}[i, hs + u, ws + v, c] \\
    \text{or}\quad A[i, h, w, c] &= \frac{1}{f^2} \sum_{u, v < f} A_{prev}[i, hs + u, ws + v, c],
    \end{aligned}$$

    $$n_H = \left\lfloor \frac{n_{H,prev} - f}{s} \right\rfloor + 1$$

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C)
        Input activations (ints are computed in float64).
    hparameters : dict
        ``{"f": f, "stride": s}``, both positive ints, ``f`` at most the input's height and width.
    mode : {"max", "average"}, default "max"
        Keep each window's maximum or its mean.

    Returns
    -------
    A : ndarray of shape (m, n_H, n_W, n_C)
        The pooled activations.
    cache : tuple
        ``(A_prev, hparameters)``, what ``pool_backward`` needs.

    Raises
    ------
    ValueError
        For a wrong rank, non-finite values, ``f`` or ``stride`` < 1, a window
        larger than the input, or an unknown ``mode``.
    TypeError
        For ``hparameters`` that is not a dict or non-int ``f``/``stride``.

    Examples
    --------
    >>> A_prev = np.array([[1., 3., 2., 1.], [4., 6., 5., 0.], [3., 2., 1., 2.], [1., 2., 3., 4.]]).reshape(1, 4, 4, 1)
    >>> A, _ = pool_forward(A_prev, {"f": 2, "stride": 2})
    >>> A[0, :, :, 0]
    array([[6., 5.],
           [3., 4.]])
    >>> pool_forward(A_prev, {"f": 2, "stride": 2}, mode="average")[0][0, :, :, 0]  # (1+3+4+6)/4 = 3.5, ...
    array([[3.5, 2. ],
           [2. , 2.5]])
    """
    A_prev_f, f, stride = _check_pool(A_prev, hparameters, mode)
    return _pool_forward(A_prev_f, f, stride, mode), (np.asarray(A_prev), hparameters)


def _pool_forward(A_prev: np.ndarray, f: int, stride: int, mode: str) -> np.ndarray:
    _, n_H, n_W, _ = _pool_shape(A_prev, f, stride)
    A = _offset_view(A_prev, 0, 0, stride, n_H, n_W).copy()  # (m, n_H, n_W, n_C), offset (0, 0)
    combine = np.maximum if mode == "max" else np.add
    for u in range(f):
        for v in range(f):
            if u or v:
                combine(A, _offset_view(A_prev, u, v, stride, n_H, n_W), out=A)
    if mode == "average":
        A /= f * f  # mean = sum / f^2
    return A


def pool_forward_loops(A_prev, hparameters, mode="max"):
    r"""Forward pass of a pooling layer with explicit loops (the course's version).

    Loops over examples, output rows, output columns and channels, and takes
    ``np.max`` or ``np.mean`` of ``a_prev[h*s : h*s + f, w*s : w*s + f, c]``.
    Same parameters, returns and errors as ``pool_forward``.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C)
        Input activations.
    hparameters : dict
        ``{"f": f, "stride": s}``.
    mode : {"max", "average"}, default "max"
        Maximum or mean of each window.

    Returns
    -------
    A : ndarray of shape (m, n_H, n_W, n_C)
        The pooled activations.
    cache : tuple
        ``(A_prev, hparameters)``.

    Raises
    ------
    ValueError, TypeError
        As ``pool_forward``.

    Examples
    --------
    >>> A_prev = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> pool_forward_loops(A_prev, {"f": 3, "stride": 1})[0][0, :, :, 0]
    array([[10., 11.],
           [14., 15.]])
    """
    A_prev_f, f, stride = _check_pool(A_prev, hparameters, mode)
    m, n_H, n_W, n_C = _pool_shape(A_prev_f, f, stride)
    reduce = np.max if mode == "max" else np.mean
    A = np.zeros((m, n_H, n_W, n_C), dtype=A_prev_f.dtype)
    for i in range(m):
        for h in range(n_H):
            vert_start, vert_end = h * stride, h * stride + f
            for w in range(n_W):
                horiz_start, horiz_end = w * stride, w * stride + f
                for c in range(n_C):
                    A[i, h, w, c] = reduce(A_prev_f[i, vert_start:vert_end, horiz_start:horiz_end, c])
    return A, (np.asarray(A_prev), hparameters)


def create_mask_from_window(x):
    r"""Mask of the window's maximum: where max pooling sends the gradient.

    $$\text{mask}[u, v] = \big(x[u, v] = \max x\big)$$

    As in the course, every entry equal to the maximum is ``True``, so a
    window with a tie passes the full gradient to each tied entry
    (TensorFlow's ``max_pool2d`` gradient picks one). With real-valued
    activations ties are rare.

    Parameters
    ----------
    x : ndarray of shape (f, f)
        One window of one channel.

    Returns
    -------
    mask : ndarray of shape (f, f), bool
        ``True`` at the maximum.

    Raises
    ------
    ValueError
        For an empty array or non-finite values.
    TypeError
        For a non-numeric array.

    Examples
    --------
    >>> create_mask_from_window(np.array([[1., 3.], [4., 2.]]))
    array([[False, False],
           [ True, False]])
    """
    x = _checks.check_array(x, "x", kinds="iuf")
    if x.size == 0:
        raise _checks.fail("x", "be a non-empty window", f"shape {x.shape}")
    _validate.finite(x, "x")
    return x == np.max(x)


def distribute_value(dz, shape):
    r"""Spread ``dz`` evenly over a window: where average pooling sends the gradient.

    $$\text{da}[u, v] = \frac{dz}{n_H\, n_W}$$

    Parameters
    ----------
    dz : float
        The gradient of one average-pooled output.
    shape : tuple of int
        ``(n_H, n_W)``, the window's shape (``(f, f)``).

    Returns
    -------
    a : ndarray of shape (n_H, n_W)
        ``dz / (n_H * n_W)`` everywhere, float64.

    Raises
    ------
    ValueError
        For a non-finite ``dz`` or a shape that is not two positive ints.
    TypeError
        For a non-numeric ``dz``.

    Examples
    --------
    >>> distribute_value(2.0, (2, 2))
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    dz = _checks.check_number(dz, "dz")
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise _checks.fail("shape", "be a pair (n_H, n_W)", _checks.describe(shape))
    n_H = _checks.check_positive_int(shape[0], "shape[0]")
    n_W = _checks.check_positive_int(shape[1], "shape[1]")
    if max(n_H, n_W) > _checks.MAX_IMAGE_SIDE:  # a pooling window is never larger than an image
        raise _checks.fail("shape", f"hold sides of at most {_checks.MAX_IMAGE_SIDE}", repr(tuple(shape)))
    average = dz / (n_H * n_W)  # each of the n_H * n_W entries got the same share
    return np.full((n_H, n_W), average)


def _check_pool_backward(dA, cache, mode):
    A_prev, hparameters = _validate.cache_tuple(cache, 2, "(A_prev, hparameters)")
    A_prev, f, stride = _check_pool(A_prev, hparameters, mode, name="cache[0]")
    dA = _validate.upstream(dA, "dA", _pool_shape(A_prev, f, stride))
    dtype = _validate.float_dtype(A_prev, dA)
    return A_prev.astype(dtype, copy=False), dA.astype(dtype, copy=False), f, stride


def pool_backward(dA, cache, mode="max"):
    r"""Backward pass of a pooling layer (vectorised over the window offsets).

    $$\begin{aligned}
    dA_{prev}[i, hs+u, ws+v, c] &\mathrel{+}= dA[i, h, w, c] \cdot m, \\
    m &= \begin{cases} \big(A_{prev}[i, hs+u, ws+v, c] = A[i, h, w, c]\big) & \text{max} \\
    1/f^2 & \text{average} \end{cases}
    \end{aligned}$$

    Overlapping windows (``stride < f``) add their contributions. Ties in max
    mode follow ``create_mask_from_window`` (each tied entry gets the gradient).

    Parameters
    ----------
    dA : ndarray of shape (m, n_H, n_W, n_C)
        Gradient with respect to the pooling layer's output.
    cache : tuple
        ``(A_prev, hparameters)`` as returned by ``pool_forward``.
    mode : {"max", "average"}, default "max"
        The mode of the forward pass.

    Returns
    -------
    dA_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C)
        Gradient with respect to the pooling layer's input.

    Raises
    ------
    ValueError
        When ``dA`` does not have the output shape the cached forward pass
        produced, for an unknown ``mode``, or anything ``pool_forward`` rejects.
    TypeError
        When ``cache`` is not a pair.

    Examples
    --------
    >>> A_prev = np.array([[1., 3.], [4., 2.]]).reshape(1, 2, 2, 1)
    >>> A, cache = pool_forward(A_prev, {"f": 2, "stride": 2})
    >>> pool_backward(np.full((1, 1, 1, 1), 5.0), cache)[0, :, :, 0]
    array([[0., 0.],
           [5., 0.]])
    """
    A_prev, dA, f, stride = _check_pool_backward(dA, cache, mode)
    _, n_H, n_W, _ = dA.shape
    dA_prev = np.empty(A_prev.shape, dtype=dA.dtype)
    dA_prev.fill(0)  # written at once: np.zeros's lazily zeroed pages would fault one by one in the strided adds
    if mode == "max":
        A = _pool_forward(A_prev, f, stride, "max")  # each window's maximum, (m, n_H, n_W, n_C)
    for u in range(f):
        for v in range(f):
            target = _offset_view(dA_prev, u, v, stride, n_H, n_W)  # a writable view of dA_prev
            if mode == "max":
                # the mask of offset (u, v) in every window at once
                target += (_offset_view(A_prev, u, v, stride, n_H, n_W) == A) * dA
            else:
                target += dA / (f * f)
    return dA_prev


def pool_backward_loops(dA, cache, mode="max"):
    r"""Backward pass of a pooling layer with explicit loops (the course's version).

    For every example, output position and channel, adds
    ``create_mask_from_window(window) * dA[i, h, w, c]`` (max) or
    ``distribute_value(dA[i, h, w, c], (f, f))`` (average) onto the window.
    Same parameters, returns and errors as ``pool_backward``.

    Parameters
    ----------
    dA : ndarray of shape (m, n_H, n_W, n_C)
        Gradient with respect to the output.
    cache : tuple
        ``(A_prev, hparameters)``.
    mode : {"max", "average"}, default "max"
        The forward pass's mode.

    Returns
    -------
    dA_prev : ndarray of shape (m, n_H_prev, n_W_prev, n_C)
        Gradient with respect to the input.

    Raises
    ------
    ValueError, TypeError
        As ``pool_backward``.

    Examples
    --------
    >>> A_prev = np.arange(4.0).reshape(1, 2, 2, 1)
    >>> _, cache = pool_forward(A_prev, {"f": 2, "stride": 2}, mode="average")
    >>> pool_backward_loops(np.full((1, 1, 1, 1), 2.0), cache, mode="average")[0, :, :, 0]
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    A_prev, dA, f, stride = _check_pool_backward(dA, cache, mode)
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape, dtype=dA.dtype)
    for i in range(m):
        a_prev = A_prev[i]
        for h in range(n_H):
            vert_start, vert_end = h * stride, h * stride + f
            for w in range(n_W):
                horiz_start, horiz_end = w * stride, w * stride + f
                for c in range(n_C):
                    if mode == "max":
                        mask = a_prev[vert_start:vert_end, horiz_start:horiz_end, c] == np.max(
                            a_prev[vert_start:vert_end, horiz_start:horiz_end, c]
                        )  # create_mask_from_window, without re-checking its input
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += dA[i, h, w, c] / (f * f)
    return dA_prev
