"""Input checks of the depthwise layers (private): shapes, channels and hyperparameters, named as the caller wrote them."""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.week1 import _validate

DEPTHWISE_DIMS = "(f, f, n_C_prev)"


def depthwise_weights(A_prev: np.ndarray, W, b, W_name: str, b_name: str):
    """``W`` of shape (f, f, n_C_prev) matching ``A_prev``'s channels and ``b`` of shape (1, 1, 1, n_C_prev)."""
    W = _checks.check_array(W, W_name, kinds="iuf")
    n_C_prev = A_prev.shape[3]
    requirement = (f"have shape (f, f, n_C_prev = {n_C_prev}), one f x f filter per channel of `A_prev` "
                   f"of shape {A_prev.shape}")
    if W.ndim == 4 and W.shape[3] == 1:  # TensorFlow's depthwise layout, channel multiplier 1
        requirement += f" (a TensorFlow depthwise filter of shape (f, f, n_C_prev, 1) is `{W_name}[:, :, :, 0]`)"
    if W.ndim != 3 or W.shape[2] != n_C_prev:
        raise _checks.fail(W_name, requirement, f"shape {W.shape}")
    if W.shape[0] != W.shape[1]:
        raise _checks.fail(W_name, f"hold square f x f filters, shape {DEPTHWISE_DIMS}", f"shape {W.shape}")
    _validate.finite(W, W_name)
    b = _checks.check_array(b, b_name, kinds="iuf")
    _checks.check_shape(b, b_name, (1, 1, 1, n_C_prev))
    _validate.finite(b, b_name)
    return W, b


def depthwise_layer(A_prev, W, b, hparameters, W_name="W", b_name="b"):
    """Validate a depthwise layer's arguments; return them with stride and pad."""
    A_prev = _validate.activations(A_prev, "A_prev", "(m, n_H_prev, n_W_prev, n_C_prev)")
    W, b = depthwise_weights(A_prev, W, b, W_name, b_name)
    hp = _validate.hparameters(hparameters, ("stride", "pad"))
    f = W.shape[0]
    _validate.window_fits(A_prev.shape[1], A_prev.shape[2], f, hp["pad"], W_name, f"filters of size f = {f}")
    return A_prev, W, b, hp["stride"], hp["pad"]


def separable_layer(A_prev, W_depthwise, b_depthwise, W_pointwise, b_pointwise, hparameters):
    """Validate a depthwise-separable layer's arguments; return them, stride, pad and the compute dtype."""
    A_prev, W_depthwise, b_depthwise, stride, pad = depthwise_layer(
        A_prev, W_depthwise, b_depthwise, hparameters, "W_depthwise", "b_depthwise")
    n_C_prev = A_prev.shape[3]
    W_pointwise = _checks.check_array(W_pointwise, "W_pointwise", kinds="iuf")
    if W_pointwise.ndim != 4 or W_pointwise.shape[:3] != (1, 1, n_C_prev):
        raise _checks.fail("W_pointwise", f"have shape (1, 1, n_C_prev = {n_C_prev}, n_C), 1x1 filters over "
                           f"the channels of `A_prev` of shape {A_prev.shape}", f"shape {W_pointwise.shape}")
    _validate.finite(W_pointwise, "W_pointwise")
    b_pointwise = _checks.check_array(b_pointwise, "b_pointwise", kinds="iuf")
    _checks.check_shape(b_pointwise, "b_pointwise", (1, 1, 1, W_pointwise.shape[3]))
    _validate.finite(b_pointwise, "b_pointwise")
    dtype = _validate.float_dtype(A_prev, W_depthwise, b_depthwise, W_pointwise, b_pointwise)
    return (A_prev, W_depthwise, b_depthwise, W_pointwise, b_pointwise), stride, pad, dtype


def n_out_pair(n_out):
    """``(n_H, n_W)`` from a side ``n_out`` or a pair."""
    if isinstance(n_out, (tuple, list)):
        if len(n_out) != 2:
            raise _checks.fail("n_out", "be a positive int or a pair (n_H, n_W) of positive ints", repr(n_out))
        return tuple(_checks.check_positive_int(n, "n_out") for n in n_out)
    n = _checks.check_positive_int(n_out, "n_out")
    return n, n
