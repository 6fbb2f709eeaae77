"""Pooling: loops vs vectorised vs TensorFlow, hand-computed values, masks, gradient checks."""

import numpy as np
import pytest

from course_cnn.week1 import (
    create_mask_from_window,
    distribute_value,
    pool_backward,
    pool_backward_loops,
    pool_forward,
    pool_forward_loops,
)
from tests.week1 import _tf_reference as ref

# (m, n_H_prev, n_W_prev, n_C, f, stride)
CASES = [
    (2, 4, 4, 3, 2, 2),  # the usual 2x2 / stride 2
    (2, 5, 7, 3, 2, 2),  # leftover last row and column
    (2, 6, 6, 2, 3, 1),  # overlapping windows
    (3, 7, 8, 2, 3, 2),  # overlapping and leftover
    (1, 5, 5, 2, 1, 1),  # f = 1, m = 1: the identity
    (2, 4, 4, 3, 4, 4),  # one window covers the whole input
]
IDS = ["2x2s2", "leftover", "overlap", "overlap-leftover", "f1-m1", "global"]
MODES = ["max", "average"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_pool_forward_matches_loops_and_tensorflow(case, mode):
    rng = np.random.default_rng(0)
    m, n_H_prev, n_W_prev, n_C, f, stride = case
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C))
    hparameters = {"f": f, "stride": stride}
    A, cache = pool_forward(A_prev, hparameters, mode=mode)
    A_loops, _ = pool_forward_loops(A_prev, hparameters, mode=mode)
    assert A.shape == (m, (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1, n_C)
    np.testing.assert_allclose(A, A_loops, rtol=0, atol=1e-10)
    assert cache[0] is A_prev and cache[1] is hparameters
    if mode == "average":
        np.testing.assert_allclose(A, ref.pool(A_prev, f, stride, mode), rtol=0, atol=1e-10)
    else:
        # TensorFlow's float64 max_pool2d on this CPU build sometimes returns float32-rounded values
        # (observed, error ~5e-8), so compare in float32, where a maximum is an exact copy of an input
        A32 = A_prev.astype(np.float32)
        np.testing.assert_array_equal(pool_forward(A32, hparameters, mode)[0], ref.pool(A32, f, stride, mode))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_pool_backward_matches_loops_and_tensorflow(case, mode):
    rng = np.random.default_rng(0)
    m, n_H_prev, n_W_prev, n_C, f, stride = case
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C))  # continuous values: no ties
    A, cache = pool_forward(A_prev, {"f": f, "stride": stride}, mode=mode)
    dA = rng.standard_normal(A.shape)
    dA_prev = pool_backward(dA, cache, mode=mode)
    assert dA_prev.shape == A_prev.shape
    np.testing.assert_allclose(dA_prev, pool_backward_loops(dA, cache, mode=mode), rtol=0, atol=1e-10)
    if mode == "average":
        np.testing.assert_allclose(dA_prev, ref.pool_grad(A_prev, f, stride, mode, dA), rtol=0, atol=1e-10)
    else:  # in float32, see test_pool_forward_matches_loops_and_tensorflow
        A32, dA32 = A_prev.astype(np.float32), dA.astype(np.float32)
        _, cache32 = pool_forward(A32, {"f": f, "stride": stride})
        np.testing.assert_allclose(pool_backward(dA32, cache32), ref.pool_grad(A32, f, stride, mode, dA32), rtol=0, atol=1e-6)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("f, stride", [(2, 2), (3, 1), (3, 2)])
def test_pool_backward_numerical_gradient(mode, f, stride):
    rng = np.random.default_rng(0)
    A_prev = rng.standard_normal((2, 6, 5, 2))
    hparameters = {"f": f, "stride": stride}
    A, cache = pool_forward(A_prev, hparameters, mode=mode)
    G = rng.standard_normal(A.shape)  # J = sum(G * A)

    def J():
        return float(np.sum(G * pool_forward(A_prev, hparameters, mode=mode)[0]))

    np.testing.assert_allclose(pool_backward(G, cache, mode=mode), ref.numerical_gradient(J, A_prev), rtol=1e-6, atol=1e-7)


def test_pool_forward_by_hand():
    A_prev = np.array([[1, 3, 2, 1, 3], [2, 9, 1, 1, 5], [1, 3, 2, 3, 2], [8, 3, 5, 1, 0], [5, 6, 1, 2, 9]], float)
    A_prev = A_prev.reshape(1, 5, 5, 1)
    A, _ = pool_forward(A_prev, {"f": 3, "stride": 1})
    # the lecture's max pooling example: 3x3 windows with stride 1 over the 5x5 input
    np.testing.assert_array_equal(A[0, :, :, 0], [[9, 9, 5], [9, 9, 5], [8, 6, 9]])
    avg, _ = pool_forward(A_prev, {"f": 2, "stride": 2}, mode="average")
    # (1+3+2+9)/4 = 3.75, (2+1+1+1)/4 = 1.25, (1+3+8+3)/4 = 3.75, (2+3+5+1)/4 = 2.75; last row/col left over
    np.testing.assert_array_equal(avg[0, :, :, 0], [[3.75, 1.25], [3.75, 2.75]])


def test_pool_keeps_channels_and_pools_each_separately():
    A_prev = np.stack([np.arange(16.0).reshape(4, 4), -np.arange(16.0).reshape(4, 4)], axis=-1)[None]
    A, _ = pool_forward(A_prev, {"f": 2, "stride": 2})
    assert A.shape == (1, 2, 2, 2)
    np.testing.assert_array_equal(A[0, :, :, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(A[0, :, :, 1], [[0, -2], [-8, -10]])


def test_pool_float32_and_int_dtypes():
    rng = np.random.default_rng(0)
    A32 = rng.standard_normal((2, 4, 4, 3)).astype(np.float32)
    A, cache = pool_forward(A32, {"f": 2, "stride": 2})
    assert A.dtype == np.float32
    assert pool_backward(np.ones_like(A), cache).dtype == np.float32
    A_int, cache = pool_forward(np.arange(16).reshape(1, 4, 4, 1), {"f": 2, "stride": 2}, mode="average")
    assert A_int.dtype == np.float64
    np.testing.assert_array_equal(A_int[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]])  # (0+1+4+5)/4 = 2.5, ...


def test_create_mask_from_window():
    x = np.array([[1.0, 4.0], [-2.0, 3.0]])
    np.testing.assert_array_equal(create_mask_from_window(x), [[False, True], [False, False]])


def test_create_mask_ties_all_get_the_gradient():
    # the course's mask x == max(x): both 4s are True, so both get dA (TensorFlow picks one)
    x = np.array([[4.0, 4.0], [1.0, 0.0]])
    np.testing.assert_array_equal(create_mask_from_window(x), [[True, True], [False, False]])
    _, cache = pool_forward(x.reshape(1, 2, 2, 1), {"f": 2, "stride": 2})
    dA = np.full((1, 1, 1, 1), 3.0)
    expected = [[3.0, 3.0], [0.0, 0.0]]
    np.testing.assert_array_equal(pool_backward(dA, cache)[0, :, :, 0], expected)
    np.testing.assert_array_equal(pool_backward_loops(dA, cache)[0, :, :, 0], expected)


def test_distribute_value():
    # 2 spread over a 2x2 window: 2 / 4 = 0.5 each
    np.testing.assert_array_equal(distribute_value(2.0, (2, 2)), np.full((2, 2), 0.5))
    a = distribute_value(3, (1, 3))
    np.testing.assert_allclose(a, [[1.0, 1.0, 1.0]])
    assert a.sum() == 3.0


def test_max_pool_backward_routes_to_the_maximum_only():
    A_prev = np.array([[1.0, 2.0, 0.0, 5.0], [7.0, 3.0, 1.0, 1.0]]).reshape(1, 2, 4, 1)
    _, cache = pool_forward(A_prev, {"f": 2, "stride": 2})
    dA = np.array([[10.0, 20.0]]).reshape(1, 1, 2, 1)
    expected = [[0.0, 0.0, 0.0, 20.0], [10.0, 0.0, 0.0, 0.0]]  # max 7 at (1, 0), max 5 at (0, 3)
    np.testing.assert_array_equal(pool_backward(dA, cache)[0, :, :, 0], expected)
