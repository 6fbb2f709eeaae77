"""Bad input: every message of the numpy layers, pinned."""

import re

import numpy as np
import pytest

from course_cnn.week1 import (
    conv_backward,
    conv_backward_loops,
    conv_forward,
    conv_forward_loops,
    conv_single_step,
    create_mask_from_window,
    distribute_value,
    pool_backward,
    pool_backward_loops,
    pool_forward,
    pool_forward_loops,
    zero_pad,
)

CONV_FORWARD = [conv_forward, conv_forward_loops]
CONV_BACKWARD = [conv_backward, conv_backward_loops]
POOL_FORWARD = [pool_forward, pool_forward_loops]
POOL_BACKWARD = [pool_backward, pool_backward_loops]
HP = {"stride": 1, "pad": 1}


def _layer(rng, m=2, n=5, n_C_prev=3, f=3, n_C=4):
    return rng.standard_normal((m, n, n, n_C_prev)), rng.standard_normal((f, f, n_C_prev, n_C)), np.zeros((1, 1, 1, n_C))


@pytest.mark.parametrize("forward", CONV_FORWARD)
def test_conv_wrong_rank(forward):
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng)
    msg = "`A_prev` must have 4 dimensions (m, n_H_prev, n_W_prev, n_C_prev); got shape (5, 5, 3)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        forward(A_prev[0], W, b, HP)
    with pytest.raises(ValueError, match=re.escape("`W` must have 4 dimensions (f, f, n_C_prev, n_C); got shape (3, 3, 3).")):
        forward(A_prev, W[..., 0], b, HP)


@pytest.mark.parametrize("forward", CONV_FORWARD)
def test_conv_mismatched_channels(forward):
    rng = np.random.default_rng(0)
    A_prev, _, b = _layer(rng)
    W = rng.standard_normal((3, 3, 2, 4))
    msg = "`W` must have n_C_prev = 3 input channels (axis 2) to match `A_prev` of shape (2, 5, 5, 3); got shape (3, 3, 2, 4)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        forward(A_prev, W, b, HP)


def test_conv_non_square_filter_and_bad_bias():
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng)
    with pytest.raises(ValueError, match=re.escape("`W` must hold square f x f filters, shape (f, f, n_C_prev, n_C); got shape (3, 2, 3, 4).")):
        conv_forward(A_prev, W[:, :2], b, HP)
    with pytest.raises(ValueError, match=re.escape("`b` must have shape (1, 1, 1, 4); got shape (4,).")):
        conv_forward(A_prev, W, np.zeros(4), HP)


@pytest.mark.parametrize("forward", CONV_FORWARD)
def test_conv_filter_larger_than_padded_input(forward):
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng, n=4, f=7)
    # 4 + 2*1 = 6 < 7
    msg = "`W` must fit inside the padded input (filters of size f = 7: f <= min(n_H_prev, n_W_prev) + 2 * pad = 6); got f = 7."
    with pytest.raises(ValueError, match=re.escape(msg)):
        forward(A_prev, W, b, {"stride": 1, "pad": 1})


@pytest.mark.parametrize("forward", CONV_FORWARD)
@pytest.mark.parametrize(
    "hparameters, error, msg",
    [
        ({"stride": 0, "pad": 1}, ValueError, "`hparameters['stride']` must be a positive int; got 0."),
        ({"stride": -2, "pad": 1}, ValueError, "`hparameters['stride']` must be a positive int; got -2."),
        ({"stride": 1, "pad": -1}, ValueError, "`hparameters['pad']` must be a non-negative int; got -1."),
        ({"stride": 1.5, "pad": 0}, TypeError, "`hparameters['stride']` must be a positive int; got 1.5."),
        ({"stride": 1}, ValueError, "`hparameters` must be a dict with keys 'stride' and 'pad'; got a dict with keys ['stride']."),
        ([1, 1], TypeError, "`hparameters` must be a dict with keys 'stride' and 'pad'; got list [1, 1]."),
    ],
)
def test_conv_bad_hparameters(forward, hparameters, error, msg):
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng)
    with pytest.raises(error, match=re.escape(msg)):
        forward(A_prev, W, b, hparameters)


@pytest.mark.parametrize("forward", CONV_FORWARD)
def test_conv_non_finite_and_non_numeric(forward):
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng)
    A_prev[0, 1, 1, 0] = np.nan
    with pytest.raises(ValueError, match=re.escape("`A_prev` must contain only finite values; got 1 NaN or infinite entry.")):
        forward(A_prev, W, b, HP)
    A_prev[0, 1, 1, 0] = 0.0
    W[0, 0, 0, 0], W[1, 0, 0, 0] = np.inf, -np.inf  # inf + (-inf) = nan: still caught
    with pytest.raises(ValueError, match=re.escape("`W` must contain only finite values; got 2 NaN or infinite entries.")):
        forward(A_prev, W.copy(), b, HP)
    with pytest.raises(TypeError, match=re.escape("`A_prev` must have an int, unsigned int or float dtype; got dtype bool.")):
        forward(A_prev > 0, W, b, HP)


def test_large_finite_values_are_accepted():
    # float32 values whose sum overflows to inf are still finite
    A_prev = np.full((1, 3, 3, 1), 3e38, dtype=np.float32)
    Z, _ = conv_forward(A_prev, np.full((1, 1, 1, 1), 0.5, np.float32), np.zeros((1, 1, 1, 1), np.float32), {"stride": 1, "pad": 0})
    np.testing.assert_array_equal(Z, np.full((1, 3, 3, 1), 1.5e38, dtype=np.float32))


@pytest.mark.parametrize("backward", CONV_BACKWARD)
def test_conv_backward_dZ_must_match_cache(backward):
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng)
    Z, cache = conv_forward(A_prev, W, b, HP)
    msg = "`dZ` must have shape (2, 5, 5, 4), the output shape of the forward pass stored in `cache`; got shape (2, 5, 5, 3)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        backward(np.zeros((2, 5, 5, 3)), cache)
    with pytest.raises(TypeError, match=re.escape("`cache` must be the tuple (A_prev, W, b, hparameters) returned by the forward pass; got tuple")):
        backward(Z, cache[:3])
    dZ = np.ones_like(Z)
    dZ[1, 2, 3, 0] = np.inf
    with pytest.raises(ValueError, match=re.escape("`dZ` must contain only finite values; got 1 NaN or infinite entry.")):
        backward(dZ, cache)


def test_zero_pad_errors():
    with pytest.raises(ValueError, match=re.escape("`pad` must be a non-negative int; got -1.")):
        zero_pad(np.zeros((1, 2, 2, 1)), -1)
    with pytest.raises(TypeError, match=re.escape("`pad` must be a non-negative int; got 1.0.")):
        zero_pad(np.zeros((1, 2, 2, 1)), 1.0)
    with pytest.raises(ValueError, match=re.escape("`X` must have 4 dimensions (m, n_H, n_W, n_C); got shape (2, 2).")):
        zero_pad(np.zeros((2, 2)), 1)


def test_conv_single_step_errors():
    with pytest.raises(ValueError, match=re.escape("`W` must have shape (2, 2, 3); got shape (2, 2, 2).")):
        conv_single_step(np.zeros((2, 2, 3)), np.zeros((2, 2, 2)), np.zeros((1, 1, 1)))
    with pytest.raises(ValueError, match=re.escape("`b` must have shape (1, 1, 1); got shape ().")):
        conv_single_step(np.zeros((2, 2, 3)), np.zeros((2, 2, 3)), np.float64(1.0))
    with pytest.raises(ValueError, match=re.escape("`a_slice_prev` must have 3 dimensions; got shape (2, 2).")):
        conv_single_step(np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((1, 1, 1)))


@pytest.mark.parametrize("forward", POOL_FORWARD)
def test_pool_errors(forward):
    A_prev = np.zeros((2, 4, 4, 3))
    with pytest.raises(ValueError, match=re.escape("`mode` must be one of 'max', 'average'; got 'min'.")):
        forward(A_prev, {"f": 2, "stride": 2}, mode="min")
    msg = "`hparameters['f']` must be at most the input's height and width (pooling has no padding: min(n_H_prev, n_W_prev) = 4); got 5."
    with pytest.raises(ValueError, match=re.escape(msg)):
        forward(A_prev, {"f": 5, "stride": 1})
    with pytest.raises(ValueError, match=re.escape("`hparameters['stride']` must be a positive int; got 0.")):
        forward(A_prev, {"f": 2, "stride": 0})
    with pytest.raises(ValueError, match=re.escape("`hparameters` must be a dict with keys 'f' and 'stride'; got a dict with keys ['pad', 'stride'].")):
        forward(A_prev, {"stride": 2, "pad": 0})
    with pytest.raises(ValueError, match=re.escape("`A_prev` must have 4 dimensions (m, n_H_prev, n_W_prev, n_C); got shape (4, 4, 3).")):
        forward(A_prev[0], {"f": 2, "stride": 2})


@pytest.mark.parametrize("backward", POOL_BACKWARD)
def test_pool_backward_errors(backward):
    A, cache = pool_forward(np.zeros((2, 5, 5, 3)), {"f": 2, "stride": 2})
    msg = "`dA` must have shape (2, 2, 2, 3), the output shape of the forward pass stored in `cache`; got shape (2, 3, 3, 3)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        backward(np.zeros((2, 3, 3, 3)), cache)
    with pytest.raises(ValueError, match=re.escape("`mode` must be one of 'max', 'average'; got 'mean'.")):
        backward(A, cache, mode="mean")
    with pytest.raises(TypeError, match=re.escape("`cache` must be the tuple (A_prev, hparameters) returned by the forward pass")):
        backward(A, (cache[0],))


def test_mask_and_distribute_errors():
    with pytest.raises(ValueError, match=re.escape("`x` must contain only finite values; got 1 NaN or infinite entry.")):
        create_mask_from_window(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match=re.escape("`x` must be a non-empty window; got shape (0, 2).")):
        create_mask_from_window(np.zeros((0, 2)))
    with pytest.raises(ValueError, match=re.escape("`shape` must be a pair (n_H, n_W); got 2.")):
        distribute_value(1.0, 2)
    with pytest.raises(ValueError, match=re.escape("`shape[1]` must be a positive int; got 0.")):
        distribute_value(1.0, (2, 0))
    with pytest.raises(ValueError, match=re.escape("`dz` must be a finite real number; got inf.")):
        distribute_value(np.inf, (2, 2))


def test_a_huge_pad_is_refused_before_allocating():
    from course_cnn.week1 import zero_pad

    with pytest.raises(ValueError, match=re.escape("`pad` must be at most 16384 (the largest image side); got 1000000000.")):
        zero_pad(np.zeros((1, 2, 2, 1)), 10**9)
