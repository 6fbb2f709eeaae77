"""The convolutional layer: loops vs vectorised vs TensorFlow, hand-computed values, gradient checks."""

import numpy as np
import pytest

from course_cnn.week1 import (
    conv_backward,
    conv_backward_loops,
    conv_forward,
    conv_forward_loops,
    conv_single_step,
    zero_pad,
)
from tests.week1 import _tf_reference as ref

# (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad)
CASES = [
    (2, 5, 7, 3, 3, 4, 1, 1),  # "same" convolution, non-square input
    (2, 8, 8, 3, 3, 2, 2, 0),  # stride 2, floor((8-3)/2)+1 = 3: row and column 7 left over; pad 0
    (1, 6, 6, 2, 1, 3, 1, 0),  # f = 1, m = 1
    (3, 9, 10, 2, 4, 3, 3, 2),  # stride 3, even f, pad 2: (9+4-4)/3+1 = 4, (10+4-4)/3 -> 3 + 1 = 4 with leftover
    (1, 4, 4, 1, 4, 1, 1, 0),  # the filter covers the whole input: output 1x1
    (2, 5, 5, 3, 5, 2, 2, 2),  # f = 5 on 5x5 with pad 2, stride 2
    (2, 7, 8, 2, 2, 3, 3, 0),  # stride 3 > f = 2: windows skip a column, (8-2)/3+1 = 3
]
IDS = ["same", "stride2-leftover", "f1-m1", "stride3-pad2", "f-equals-input", "f5-pad2-stride2", "stride-above-f"]


def _random_layer(rng, m, n_H_prev, n_W_prev, n_C_prev, f, n_C, dtype=np.float64):
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev)).astype(dtype)
    W = rng.standard_normal((f, f, n_C_prev, n_C)).astype(dtype)
    b = rng.standard_normal((1, 1, 1, n_C)).astype(dtype)
    return A_prev, W, b


def test_zero_pad_borders_and_centre():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 3, 3, 2))
    X_pad = zero_pad(X, 3)
    assert X_pad.shape == (4, 9, 9, 2)  # 3 + 2*3 = 9
    np.testing.assert_array_equal(X_pad[:, 3:6, 3:6, :], X)
    assert np.count_nonzero(X_pad) == X.size  # everything else is 0
    np.testing.assert_array_equal(zero_pad(X, 0), X)
    assert zero_pad(X, 0) is not X  # a new array, as np.pad returns


def test_zero_pad_keeps_int_dtype():
    X = np.arange(4, dtype=np.int32).reshape(1, 2, 2, 1)
    assert zero_pad(X, 1).dtype == np.int32


def test_conv_single_step_by_hand():
    a = np.array([[[1.0], [2.0]], [[3.0], [4.0]]])  # (2, 2, 1)
    W = np.array([[[1.0], [0.0]], [[0.0], [-1.0]]])
    # 1*1 + 2*0 + 3*0 + 4*(-1) = -3, plus b = 0.5
    Z = conv_single_step(a, W, np.array([[[0.5]]]))
    assert Z == -2.5
    assert isinstance(Z, np.float64)


def test_conv_single_step_float32_stays_float32():
    rng = np.random.default_rng(0)
    a, W = (rng.standard_normal((3, 3, 2)).astype(np.float32) for _ in range(2))
    Z = conv_single_step(a, W, np.ones((1, 1, 1), np.float32))
    assert isinstance(Z, np.float32)
    np.testing.assert_allclose(Z, np.sum(a.astype(np.float64) * W) + 1.0, rtol=1e-5)


def test_conv_forward_by_hand_with_padding():
    # 2x2 input [[1, 2], [3, 4]], pad 1, 2x2 filter of ones, stride 1 -> 3x3 output of window sums
    A_prev = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    Z, _ = conv_forward(A_prev, np.ones((2, 2, 1, 1)), np.full((1, 1, 1, 1), 10.0), {"stride": 1, "pad": 1})
    expected = np.array([[1, 1 + 2, 2], [1 + 3, 1 + 2 + 3 + 4, 2 + 4], [3, 3 + 4, 4]]) + 10.0
    np.testing.assert_array_equal(Z[0, :, :, 0], expected)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_conv_forward_matches_loops_and_tensorflow(case):
    rng = np.random.default_rng(0)
    m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad = case
    A_prev, W, b = _random_layer(rng, m, n_H_prev, n_W_prev, n_C_prev, f, n_C)
    hparameters = {"stride": stride, "pad": pad}
    Z, cache = conv_forward(A_prev, W, b, hparameters)
    Z_loops, _ = conv_forward_loops(A_prev, W, b, hparameters)
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    assert Z.shape == (m, n_H, n_W, n_C) and Z.dtype == np.float64
    np.testing.assert_allclose(Z, Z_loops, rtol=0, atol=1e-10)
    np.testing.assert_allclose(Z, ref.conv(A_prev, W, b, stride, pad), rtol=0, atol=1e-10)
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b and cache[3] is hparameters


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_conv_backward_matches_loops_and_tensorflow(case):
    rng = np.random.default_rng(0)
    m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad = case
    A_prev, W, b = _random_layer(rng, m, n_H_prev, n_W_prev, n_C_prev, f, n_C)
    Z, cache = conv_forward(A_prev, W, b, {"stride": stride, "pad": pad})
    dZ = rng.standard_normal(Z.shape)
    grads = conv_backward(dZ, cache)
    grads_loops = conv_backward_loops(dZ, cache)
    grads_tf = ref.conv_grads(A_prev, W, b, stride, pad, dZ)
    for name, g, g_loops, g_tf, like in zip(("dA_prev", "dW", "db"), grads, grads_loops, grads_tf, (A_prev, W, b)):
        assert g.shape == like.shape, name
        np.testing.assert_allclose(g, g_loops, rtol=0, atol=1e-10, err_msg=name)
        np.testing.assert_allclose(g, g_tf, rtol=0, atol=1e-10, err_msg=name)


def test_conv_backward_leftover_rows_get_zero_gradient():
    rng = np.random.default_rng(0)
    A_prev, W, b = _random_layer(rng, 1, 8, 8, 2, 3, 2)
    Z, cache = conv_forward(A_prev, W, b, {"stride": 2, "pad": 0})  # windows start at 0, 2, 4: row/col 7 unread
    dA_prev, _, _ = conv_backward(rng.standard_normal(Z.shape), cache)
    assert np.all(dA_prev[:, 7, :, :] == 0) and np.all(dA_prev[:, :, 7, :] == 0)
    assert np.all(dA_prev[:, 6, :6, :] != 0)


@pytest.mark.parametrize("stride, pad", [(1, 1), (2, 0), (2, 2)])
def test_conv_backward_numerical_gradient(stride, pad):
    rng = np.random.default_rng(0)
    A_prev, W, b = _random_layer(rng, 2, 5, 4, 2, 3, 2)
    hparameters = {"stride": stride, "pad": pad}
    Z, cache = conv_forward(A_prev, W, b, hparameters)
    G = rng.standard_normal(Z.shape)  # J = sum(G * Z), so dJ/dZ = G

    def J():
        return float(np.sum(G * conv_forward(A_prev, W, b, hparameters)[0]))

    dA_prev, dW, db = conv_backward(G, cache)
    np.testing.assert_allclose(dA_prev, ref.numerical_gradient(J, A_prev), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(dW, ref.numerical_gradient(J, W), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(db, ref.numerical_gradient(J, b), rtol=1e-6, atol=1e-7)


def test_conv_float32_matches_tensorflow_and_stays_float32():
    rng = np.random.default_rng(0)
    A_prev, W, b = _random_layer(rng, 4, 10, 10, 8, 3, 16, dtype=np.float32)
    Z, cache = conv_forward(A_prev, W, b, {"stride": 1, "pad": 1})
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z, ref.conv(A_prev, W, b, 1, 1), rtol=1e-4, atol=1e-4)
    dZ = rng.standard_normal(Z.shape).astype(np.float32)
    for g, g_tf in zip(conv_backward(dZ, cache), ref.conv_grads(A_prev, W, b, 1, 1, dZ)):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, g_tf, rtol=1e-4, atol=1e-3)


def test_conv_integer_inputs_computed_in_float64():
    A_prev = np.arange(16).reshape(1, 4, 4, 1)  # int64
    W = np.ones((2, 2, 1, 1), dtype=np.int32)
    b = np.zeros((1, 1, 1, 1), dtype=np.int64)
    Z, cache = conv_forward(A_prev, W, b, {"stride": 2, "pad": 0})
    assert Z.dtype == np.float64
    np.testing.assert_array_equal(Z[0, :, :, 0], [[0 + 1 + 4 + 5, 2 + 3 + 6 + 7], [8 + 9 + 12 + 13, 10 + 11 + 14 + 15]])
    dA_prev, dW, db = conv_backward(np.ones((1, 2, 2, 1), dtype=np.int64), cache)
    assert dA_prev.dtype == dW.dtype == db.dtype == np.float64
    np.testing.assert_array_equal(dA_prev, np.ones((1, 4, 4, 1)))  # each pixel in exactly one window


def test_conv_backward_pad_zero_keeps_full_size():
    # the course's dA_prev[pad:-pad] would be empty for pad = 0
    rng = np.random.default_rng(0)
    A_prev, W, b = _random_layer(rng, 1, 4, 4, 1, 3, 1)
    Z, cache = conv_forward_loops(A_prev, W, b, {"stride": 1, "pad": 0})
    dA_prev, _, _ = conv_backward_loops(np.ones_like(Z), cache)
    assert dA_prev.shape == (1, 4, 4, 1)
    # corner pixel (0, 0) is only in window (0, 0): its gradient is W[0, 0]
    assert dA_prev[0, 0, 0, 0] == W[0, 0, 0, 0]


@pytest.mark.parametrize("task_bytes, n_chunks", [(1, 5), (6000, 3), (10**9, 1)])
def test_chunked_im2col_gives_the_same_result(monkeypatch, task_bytes, n_chunks):
    # the task size decides the chunks: one example each (1 byte), 2 + 2 + 1 (6000 bytes), one chunk (1 GB)
    from course_cnn.week1 import conv

    rng = np.random.default_rng(0)
    A_prev, W, b = _random_layer(rng, 5, 7, 6, 3, 3, 4)
    hparameters = {"stride": 2, "pad": 1}
    Z_loops, cache = conv_forward_loops(A_prev, W, b, hparameters)
    dZ = rng.standard_normal(Z_loops.shape)
    grads_loops = conv_backward_loops(dZ, cache)
    monkeypatch.setattr(conv, "TASK_BYTES", task_bytes)
    # 4 * 3 output positions * 27 window entries * 8 bytes = 2592 bytes per example; ceil(5 * 2592 / 6000) = 3
    assert len(conv._batch_chunks(5, 2592)) == n_chunks
    np.testing.assert_allclose(conv_forward(A_prev, W, b, hparameters)[0], Z_loops, rtol=0, atol=1e-10)
    for g, g_loops in zip(conv_backward(dZ, cache), grads_loops):
        np.testing.assert_allclose(g, g_loops, rtol=0, atol=1e-10)


def test_batch_chunks_are_balanced_and_cover_the_batch():
    from course_cnn.week1.conv import TASK_BYTES, _batch_chunks

    # 64 examples of 1024 * 144 * 4 bytes (the benchmark's layer): 37.7 MB / 2 MiB -> 18 chunks of 3 or 4 examples
    assert TASK_BYTES == 2 * 2**20
    chunks = _batch_chunks(64, 1024 * 144 * 4)
    assert len(chunks) == 18 and chunks[0].start == 0 and chunks[-1].stop == 64
    assert all(a.stop == b.start for a, b in zip(chunks, chunks[1:]))
    assert {c.stop - c.start for c in chunks} == {3, 4}
    assert _batch_chunks(3, 10) == [slice(0, 3)]  # small: one chunk, no threads
    assert _batch_chunks(2, 2 * TASK_BYTES) == [slice(0, 1), slice(1, 2)]  # never fewer than one example
    assert _batch_chunks(0, 10) == []


def test_empty_batch():
    rng = np.random.default_rng(0)
    A_prev, W, b = _random_layer(rng, 0, 5, 5, 2, 3, 3)
    Z, cache = conv_forward(A_prev, W, b, {"stride": 1, "pad": 1})
    assert Z.shape == (0, 5, 5, 3)
    dA_prev, dW, db = conv_backward(Z, cache)
    assert dA_prev.shape == (0, 5, 5, 2) and np.all(dW == 0) and np.all(db == 0)


def test_length_one_axes_with_any_strides():
    # x[None, :, :, None] has stride 0 on its new axes; im2col must not read those strides
    rng = np.random.default_rng(0)
    image = rng.standard_normal((6, 7))
    A_prev = image[None, :, :, None]
    W, b = rng.standard_normal((3, 3, 1, 2)), rng.standard_normal((1, 1, 1, 2))
    for hparameters in ({"stride": 1, "pad": 0}, {"stride": 2, "pad": 1}):
        Z, cache = conv_forward(A_prev, W, b, hparameters)
        Z_loops, _ = conv_forward_loops(np.ascontiguousarray(A_prev), W, b, hparameters)
        np.testing.assert_allclose(Z, Z_loops, rtol=0, atol=1e-12)
        dZ = rng.standard_normal(Z.shape)[..., :1]
        dZ = np.broadcast_to(dZ, Z.shape)  # stride 0 on the channel axis of dZ too
        for g, g_loops in zip(conv_backward(dZ, cache), conv_backward_loops(np.ascontiguousarray(dZ), cache)):
            np.testing.assert_allclose(g, g_loops, rtol=0, atol=1e-12)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_do_not_depend_on_the_number_of_threads(monkeypatch, workers):
    from course_cnn import _parallel
    from course_cnn.week1 import conv

    rng = np.random.default_rng(0)
    A_prev, W, b = _random_layer(rng, 6, 6, 6, 3, 3, 4)
    monkeypatch.setattr(conv, "TASK_BYTES", 1000)  # 6 chunks of one example
    Z, cache = conv_forward(A_prev, W, b, {"stride": 1, "pad": 1})
    grads = conv_backward(np.ones_like(Z), cache)
    monkeypatch.setattr(_parallel, "n_workers", lambda: workers)
    Z_w, cache_w = conv_forward(A_prev, W, b, {"stride": 1, "pad": 1})
    np.testing.assert_array_equal(Z_w, Z)  # bit for bit
    for g_w, g in zip(conv_backward(np.ones_like(Z), cache_w), grads):
        np.testing.assert_array_equal(g_w, g)
