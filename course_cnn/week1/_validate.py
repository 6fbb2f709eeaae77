"""Private input checks shared by the numpy layers of week 1.

Public functions call these at the edge and then run private kernels that
assume valid input. Every message follows the package template
``"`name` must <requirement>; got <received>."`` (see ``course_cnn._checks``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from course_cnn import _checks

ACTIVATION_DIMS = "(m, n_H, n_W, n_C)"
WEIGHT_DIMS = "(f, f, n_C_prev, n_C)"


def float_dtype(*arrays: np.ndarray) -> np.dtype:
    """The float dtype to compute in: float inputs keep theirs, ints count as float64."""
    return np.result_type(*(a.dtype if a.dtype.kind == "f" else np.float64 for a in arrays))


def activations(x, name: str, dims: str = ACTIVATION_DIMS) -> np.ndarray:
    """A finite numeric array of rank 4 (int or float), returned as is."""
    arr = _checks.check_array(x, name, kinds="iuf")
    _checks.check_ndim(arr, name, 4, dims)
    finite(arr, name)
    return arr


def finite(arr: np.ndarray, name: str) -> None:
    """Reject NaN/inf; one fast reduction first, the exact count only when the sum is not finite."""
    if arr.dtype.kind != "f":
        return
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(arr)
    if not np.isfinite(total):
        _checks.check_finite(arr, name)  # a finite sum may still overflow: this decides


def conv_weights(A_prev: np.ndarray, W, b) -> tuple[np.ndarray, np.ndarray]:
    """``W`` of shape (f, f, n_C_prev, n_C) matching ``A_prev`` and ``b`` of shape (1, 1, 1, n_C)."""
    W = activations(W, "W", WEIGHT_DIMS)
    if W.shape[0] != W.shape[1]:
        raise _checks.fail("W", f"hold square f x f filters, shape {WEIGHT_DIMS}", f"shape {W.shape}")
    n_C_prev = A_prev.shape[3]
    if W.shape[2] != n_C_prev:
        raise _checks.fail(
            "W",
            f"have n_C_prev = {n_C_prev} input channels (axis 2) to match `A_prev` of shape {A_prev.shape}",
            f"shape {W.shape}",
        )
    b = _checks.check_array(b, "b", kinds="iuf")
    _checks.check_shape(b, "b", (1, 1, 1, W.shape[3]))
    finite(b, "b")
    return W, b


def hparameters(hp, keys: tuple[str, ...]) -> dict:
    """A mapping with exactly the needed keys, each a valid int."""
    if not isinstance(hp, Mapping) or not all(k in hp for k in keys):
        wanted = " and ".join(repr(k) for k in keys)
        got = f"a dict with keys {sorted(map(str, hp))}" if isinstance(hp, Mapping) else _checks.describe(hp)
        raise _checks.fail("hparameters", f"be a dict with keys {wanted}", got, TypeError if not isinstance(hp, Mapping) else ValueError)
    out = {}
    for key in keys:
        check = _checks.check_non_negative_int if key == "pad" else _checks.check_positive_int
        out[key] = check(hp[key], f"hparameters['{key}']")
    return out


def window_fits(n_H: int, n_W: int, f: int, pad: int, name: str, what: str) -> None:
    """Require an f x f filter to fit inside the padded input (convolution)."""
    if f > min(n_H, n_W) + 2 * pad:
        raise _checks.fail(
            name,
            f"fit inside the padded input ({what}: f <= min(n_H_prev, n_W_prev) + 2 * pad = {min(n_H, n_W) + 2 * pad})",
            f"f = {f}",
        )


def pool_window_fits(n_H: int, n_W: int, f: int) -> None:
    """Require an f x f pooling window to fit inside the input (pooling has no padding)."""
    if f > min(n_H, n_W):
        raise _checks.fail(
            "hparameters['f']",
            f"be at most the input's height and width (pooling has no padding: min(n_H_prev, n_W_prev) = {min(n_H, n_W)})",
            f"{f}",
        )


def upstream(dZ, name: str, expected: tuple[int, ...]) -> np.ndarray:
    """The upstream gradient, finite and of the shape the cached forward pass produced."""
    dZ = activations(dZ, name)
    if dZ.shape != tuple(expected):
        raise _checks.fail(
            name,
            f"have shape {tuple(expected)}, the output shape of the forward pass stored in `cache`",
            f"shape {dZ.shape}",
        )
    return dZ


def cache_tuple(cache, n: int, layout: str) -> tuple:
    """``cache`` as the tuple the forward pass returned."""
    if not isinstance(cache, (tuple, list)) or len(cache) != n:
        raise _checks.fail("cache", f"be the tuple {layout} returned by the forward pass", _checks.describe(cache), TypeError)
    return tuple(cache)
