"""Depthwise and depthwise-separable convolutions: loops vs vectorised vs TensorFlow, and their costs."""

import numpy as np
import pytest
import tensorflow as tf

import course_cnn.week2._depthwise_kernels as depthwise_kernels
from course_cnn.week2 import (
    conv_multiplications,
    depthwise_conv_forward,
    depthwise_conv_forward_loops,
    depthwise_separable_conv_forward,
    depthwise_separable_conv_forward_loops,
    depthwise_separable_multiplications,
)
from course_cnn.week1 import conv_forward

# (m, n_H_prev, n_W_prev, n_C_prev, f, stride, pad)
CASES = [
    (2, 5, 7, 3, 3, 1, 1),  # "same", non-square input
    (2, 8, 8, 4, 3, 2, 0),  # stride 2, floor((8-3)/2)+1 = 3: row and column 7 left over
    (1, 6, 6, 2, 1, 1, 0),  # f = 1, m = 1: a per-channel scale
    (3, 9, 10, 2, 4, 3, 2),  # even f, stride 3, pad 2
    (1, 4, 4, 5, 4, 1, 0),  # the filter covers the whole input: 1x1 output
    (2, 7, 8, 3, 2, 3, 0),  # stride 3 > f = 2: windows skip a column
]
IDS = ["same", "stride2-leftover", "f1-m1", "stride3-pad2-even-f", "f-equals-input", "stride-above-f"]


def _layer(rng, m, n_H_prev, n_W_prev, n_C_prev, f, dtype=np.float64):
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev)).astype(dtype)
    W = rng.standard_normal((f, f, n_C_prev)).astype(dtype)
    b = rng.standard_normal((1, 1, 1, n_C_prev)).astype(dtype)
    return A_prev, W, b


def _tf_depthwise(A_prev, W, b, stride, pad):
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    return tf.nn.depthwise_conv2d(padded, W[:, :, :, None], [1, stride, stride, 1], "VALID").numpy() + b


def test_depthwise_by_hand():
    # channel 0 of a 3x3x2 input is 0, 2, ..., 16; a 2x2 filter of ones sums its windows: 0+2+6+8 = 16, ...
    A_prev = np.arange(18.0).reshape(1, 3, 3, 2)
    W = np.stack([np.ones((2, 2)), np.zeros((2, 2))], axis=-1)  # channel 1's filter is all zeros
    Z, cache = depthwise_conv_forward(A_prev, W, np.array([0.0, 0.5]).reshape(1, 1, 1, 2), {"stride": 1, "pad": 0})
    np.testing.assert_array_equal(Z[0, :, :, 0], [[16.0, 24.0], [40.0, 48.0]])
    np.testing.assert_array_equal(Z[0, :, :, 1], np.full((2, 2), 0.5))  # only its bias: channels never mix
    assert cache[0] is A_prev and cache[3] == {"stride": 1, "pad": 0}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_depthwise_matches_loops_and_tensorflow_float64(case):
    rng = np.random.default_rng(0)
    m, n_H_prev, n_W_prev, n_C_prev, f, stride, pad = case
    A_prev, W, b = _layer(rng, m, n_H_prev, n_W_prev, n_C_prev, f)
    hp = {"stride": stride, "pad": pad}
    Z, _ = depthwise_conv_forward(A_prev, W, b, hp)
    Z_loops, _ = depthwise_conv_forward_loops(A_prev, W, b, hp)
    assert Z.shape == (m, (n_H_prev + 2 * pad - f) // stride + 1, (n_W_prev + 2 * pad - f) // stride + 1, n_C_prev)
    assert Z.dtype == np.float64
    np.testing.assert_allclose(Z, Z_loops, rtol=0, atol=1e-10)
    np.testing.assert_allclose(Z, _tf_depthwise(A_prev, W, b, stride, pad), rtol=0, atol=1e-10)


def test_depthwise_float32_stays_float32_and_matches_tensorflow():
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng, 3, 9, 9, 8, 3, np.float32)
    Z, _ = depthwise_conv_forward(A_prev, W, b, {"stride": 2, "pad": 1})
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z, _tf_depthwise(A_prev, W, b, 2, 1), rtol=1e-5, atol=1e-5)


def test_depthwise_ints_are_computed_in_float64():
    A_prev = np.arange(2 * 4 * 4 * 2).reshape(2, 4, 4, 2)
    W, b = np.ones((3, 3, 2), dtype=np.int64), np.zeros((1, 1, 1, 2), dtype=np.int32)
    Z, _ = depthwise_conv_forward(A_prev, W, b, {"stride": 1, "pad": 1})
    assert Z.dtype == np.float64
    np.testing.assert_array_equal(Z, depthwise_conv_forward_loops(A_prev, W, b, {"stride": 1, "pad": 1})[0])


def test_depthwise_chunks_and_row_tiles_give_the_same_numbers(monkeypatch):
    # one example per task, and W repeated over one row instead of the whole image: same output
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng, 5, 11, 9, 4, 3)
    hp = {"stride": 2, "pad": 1}
    expected, _ = depthwise_conv_forward_loops(A_prev, W, b, hp)
    monkeypatch.setattr(depthwise_kernels, "TASK_BYTES", 1)
    monkeypatch.setattr(depthwise_kernels, "TILE_BYTES", 1)
    Z, _ = depthwise_conv_forward(A_prev, W, b, hp)
    np.testing.assert_allclose(Z, expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize("period_values", [1, 4096], ids=["W-over-each-row", "W-over-rows"])
@pytest.mark.parametrize("f, pad", [(3, 1), (2, 2), (4, 0)])
def test_depthwise_stride_1_windows_over_padded_rows_give_the_same_numbers(monkeypatch, period_values, f, pad):
    # stride 1 sums over whole padded rows (f - 1 extra columns, dropped at the end): same output, float32 too
    rng = np.random.default_rng(0)
    monkeypatch.setattr(depthwise_kernels, "TASK_BYTES", 1)
    monkeypatch.setattr(depthwise_kernels, "PERIOD_VALUES", period_values)
    for dtype, tol in ((np.float64, 1e-10), (np.float32, 1e-5)):
        A_prev, W, b = _layer(rng, 3, 6, 9, 5, f, dtype)
        Z, _ = depthwise_conv_forward(A_prev, W, b, {"stride": 1, "pad": pad})
        assert Z.dtype == dtype and Z.flags.c_contiguous
        np.testing.assert_allclose(Z, _tf_depthwise(A_prev, W, b, 1, pad), rtol=tol, atol=tol)


def test_depthwise_is_a_normal_conv_with_a_diagonal_filter():
    # W_full[u, v, k, c] = W[u, v, c] if k == c else 0: channel c of the output sees channel c only
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng, 2, 6, 6, 3, 3)
    W_full = np.einsum("uvc,kc->uvkc", W, np.eye(3))  # (3, 3, 3, 3), zero off the channel diagonal
    hp = {"stride": 1, "pad": 1}
    np.testing.assert_allclose(depthwise_conv_forward(A_prev, W, b, hp)[0], conv_forward(A_prev, W_full, b, hp)[0],
                               rtol=0, atol=1e-10)


def _separable(rng, m, n_H_prev, n_W_prev, n_C_prev, f, n_C, dtype=np.float64):
    A_prev, W_dw, b_dw = _layer(rng, m, n_H_prev, n_W_prev, n_C_prev, f, dtype)
    W_pw = rng.standard_normal((1, 1, n_C_prev, n_C)).astype(dtype)
    b_pw = rng.standard_normal((1, 1, 1, n_C)).astype(dtype)
    return A_prev, W_dw, b_dw, W_pw, b_pw


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_separable_matches_loops_and_tensorflow(case):
    rng = np.random.default_rng(0)
    m, n_H_prev, n_W_prev, n_C_prev, f, stride, pad = case
    A_prev, W_dw, b_dw, W_pw, b_pw = _separable(rng, m, n_H_prev, n_W_prev, n_C_prev, f, 5)
    hp = {"stride": stride, "pad": pad}
    Z, (cache_dw, cache_pw) = depthwise_separable_conv_forward(A_prev, W_dw, b_dw, W_pw, b_pw, hp)
    Z_loops, _ = depthwise_separable_conv_forward_loops(A_prev, W_dw, b_dw, W_pw, b_pw, hp)
    np.testing.assert_allclose(Z, Z_loops, rtol=0, atol=1e-10)
    # tf.nn.separable_conv2d has no biases: the depthwise bias passes through the 1x1 filters as b_dw @ W_pw
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z_tf = tf.nn.separable_conv2d(padded, W_dw[:, :, :, None], W_pw, [1, stride, stride, 1], "VALID").numpy()
    Z_tf += b_dw.reshape(-1) @ W_pw[0, 0] + b_pw.reshape(-1)
    np.testing.assert_allclose(Z, Z_tf, rtol=0, atol=1e-10)
    assert cache_dw[0] is A_prev and cache_dw[3] is hp
    np.testing.assert_allclose(cache_pw[0], depthwise_conv_forward(A_prev, W_dw, b_dw, hp)[0], atol=1e-12)
    assert cache_pw[3] == {"stride": 1, "pad": 0}


def test_separable_float32():
    rng = np.random.default_rng(0)
    arrays = _separable(rng, 2, 8, 8, 4, 3, 6, np.float32)
    Z, _ = depthwise_separable_conv_forward(*arrays, {"stride": 1, "pad": 1})
    assert Z.dtype == np.float32 and Z.shape == (2, 8, 8, 6)


# ---- costs ----------------------------------------------------------------------------------------------------

def test_lecture_example_costs():
    # 6x6x3 input, 3x3 filters, 5 filters, 4x4x5 output
    normal = conv_multiplications((6, 6, 3), 3, 5, pad="valid")
    assert normal == (4 * 4 * 5) * (3 * 3 * 3) == 2160  # 80 outputs, each a 27-long dot product
    depthwise, pointwise = depthwise_separable_multiplications(4, 3, 3, 5)
    assert depthwise == (4 * 4 * 3) * (3 * 3) == 432  # 48 depthwise outputs, each 9 products
    assert pointwise == (4 * 4 * 5) * 3 == 240  # 80 pointwise outputs, each 3 products
    assert depthwise + pointwise == 672
    assert (depthwise + pointwise) / normal == pytest.approx(1 / 5 + 1 / 3**2)  # 0.3111
    assert round((depthwise + pointwise) / normal, 3) == 0.311


def test_real_mobilenet_layer_costs():
    # MobileNet v1's conv_dw_8 + conv_pw_8: 14x14x512 -> 14x14x512, 3x3 depthwise, stride 1
    normal = conv_multiplications((14, 14, 512), 3, 512)
    assert normal == 14 * 14 * 512 * 9 * 512 == 462_422_016
    depthwise, pointwise = depthwise_separable_multiplications(14, 3, 512, 512)
    assert (depthwise, pointwise) == (14 * 14 * 512 * 9, 14 * 14 * 512 * 512) == (903_168, 51_380_224)
    assert (depthwise + pointwise) / normal == pytest.approx(1 / 512 + 1 / 9)  # 0.113: about 8.8x fewer
    # a strided layer (conv_dw_6: 28x28x256 -> 14x14x512, stride 2): same ratio on the output's grid
    assert conv_multiplications((28, 28, 256), 3, 512, stride=2) == 14 * 14 * 512 * 9 * 256
    assert depthwise_separable_multiplications((14, 14), 3, 256, 512) == (14 * 14 * 256 * 9, 14 * 14 * 256 * 512)


def test_separable_cost_matches_a_counted_loop():
    # count one multiplication per term of the two formulas, output 2x3, f = 3, 4 -> 5 channels
    n_H, n_W, f, n_C_prev, n_C = 2, 3, 3, 4, 5
    depthwise = sum(1 for _ in range(n_H * n_W) for _ in range(n_C_prev) for _ in range(f * f))
    pointwise = sum(1 for _ in range(n_H * n_W) for _ in range(n_C) for _ in range(n_C_prev))
    assert depthwise_separable_multiplications((n_H, n_W), f, n_C_prev, n_C) == (depthwise, pointwise)


@pytest.mark.parametrize(
    "kwargs, n_out",
    [({}, 28), ({"pad": "valid"}, 24), ({"pad": 1}, 26), ({"stride": 2}, 14), ({"stride": 2, "pad": "valid"}, 12)],
)
def test_conv_multiplications_stride_and_pad(kwargs, n_out):
    # 28x28x3 -> n_out x n_out x 4 with 5x5 filters: (28 + 2p - 5) // s + 1, "same" = ceil(28 / s)
    assert conv_multiplications((28, 28, 3), 5, 4, **kwargs) == n_out * n_out * 4 * 5 * 5 * 3


def test_conv_multiplications_strided_bottleneck():
    # the 1x1 runs at 28x28, the 3x3 stride-2 conv at 14x14
    assert conv_multiplications((28, 28, 192), 3, 32, bottleneck=16, stride=2) == 28 * 28 * 16 * 192 + 14 * 14 * 32 * 9 * 16


# ---- bad input --------------------------------------------------------------------------------------------------

HP = {"stride": 1, "pad": 0}
A6 = np.zeros((1, 6, 6, 3))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: depthwise_conv_forward(A6, np.zeros((3, 3, 4)), np.zeros((1, 1, 1, 4)), HP), ValueError,
         r"^`W` must have shape \(f, f, n_C_prev = 3\), one f x f filter per channel of `A_prev` of shape "
         r"\(1, 6, 6, 3\); got shape \(3, 3, 4\)\.$"),
        (lambda: depthwise_conv_forward(A6, np.zeros((3, 3, 3, 1)), np.zeros((1, 1, 1, 3)), HP), ValueError,
         r"a TensorFlow depthwise filter of shape \(f, f, n_C_prev, 1\) is `W\[:, :, :, 0\]`\); got shape \(3, 3, 3, 1\)"),
        (lambda: depthwise_conv_forward(A6, np.zeros((3, 2, 3)), np.zeros((1, 1, 1, 3)), HP), ValueError,
         r"^`W` must hold square f x f filters, shape \(f, f, n_C_prev\); got shape \(3, 2, 3\)\.$"),
        (lambda: depthwise_conv_forward(A6, np.zeros((3, 3, 3)), np.zeros((1, 1, 1, 5)), HP), ValueError,
         r"^`b` must have shape \(1, 1, 1, 3\)"),
        (lambda: depthwise_conv_forward(A6, np.zeros((7, 7, 3)), np.zeros((1, 1, 1, 3)), HP), ValueError,
         r"^`W` must fit inside the padded input \(filters of size f = 7: f <= min\(n_H_prev, n_W_prev\) \+ 2 \* pad = 6\); got f = 7\.$"),
        (lambda: depthwise_conv_forward(A6[0], np.zeros((3, 3, 3)), np.zeros((1, 1, 1, 3)), HP), ValueError,
         r"^`A_prev` must have 4 dimensions"),
        (lambda: depthwise_conv_forward(A6, np.zeros((3, 3, 3)), np.zeros((1, 1, 1, 3)), {"stride": 0, "pad": 0}),
         ValueError, r"^`hparameters\['stride'\]` must be a positive int; got 0\.$"),
        (lambda: depthwise_conv_forward(A6, np.zeros((3, 3, 3)), np.zeros((1, 1, 1, 3)), {"stride": 1}), ValueError,
         r"^`hparameters` must be a dict with keys 'stride' and 'pad'; got a dict with keys \['stride'\]\.$"),
        (lambda: depthwise_conv_forward(np.full((1, 6, 6, 3), np.nan), np.zeros((3, 3, 3)), np.zeros((1, 1, 1, 3)), HP),
         ValueError, r"^`A_prev` must contain only finite values; got 108 NaN or infinite entries\.$"),
        (lambda: depthwise_conv_forward_loops(A6, np.zeros((3, 3, 4)), np.zeros((1, 1, 1, 4)), HP), ValueError,
         r"^`W` must have shape \(f, f, n_C_prev = 3\)"),
        (lambda: depthwise_separable_conv_forward(A6, np.zeros((3, 3, 2)), np.zeros((1, 1, 1, 2)),
                                                  np.zeros((1, 1, 3, 5)), np.zeros((1, 1, 1, 5)), HP), ValueError,
         r"^`W_depthwise` must have shape \(f, f, n_C_prev = 3\), one f x f filter per channel of `A_prev` of shape "
         r"\(1, 6, 6, 3\); got shape \(3, 3, 2\)\.$"),
        (lambda: depthwise_separable_conv_forward(A6, np.zeros((3, 3, 3)), np.zeros((1, 1, 1, 3)),
                                                  np.zeros((1, 1, 4, 5)), np.zeros((1, 1, 1, 5)), HP), ValueError,
         r"^`W_pointwise` must have shape \(1, 1, n_C_prev = 3, n_C\), 1x1 filters over the channels of `A_prev` of "
         r"shape \(1, 6, 6, 3\); got shape \(1, 1, 4, 5\)\.$"),
        (lambda: depthwise_separable_conv_forward(A6, np.zeros((3, 3, 3)), np.zeros((1, 1, 1, 3)),
                                                  np.zeros((1, 1, 3, 5)), np.zeros((1, 1, 1, 4)), HP), ValueError,
         r"^`b_pointwise` must have shape \(1, 1, 1, 5\)"),
        (lambda: depthwise_separable_conv_forward_loops(A6, np.zeros((3, 3, 3)), np.zeros((1, 1, 1, 2)),
                                                        np.zeros((1, 1, 3, 5)), np.zeros((1, 1, 1, 5)), HP), ValueError,
         r"^`b_depthwise` must have shape \(1, 1, 1, 3\)"),
        (lambda: depthwise_separable_multiplications(0, 3, 3, 5), ValueError, r"^`n_out` must be a positive int; got 0\.$"),
        (lambda: depthwise_separable_multiplications((4, 4, 4), 3, 3, 5), ValueError,
         r"^`n_out` must be a positive int or a pair \(n_H, n_W\) of positive ints; got \(4, 4, 4\)\.$"),
        (lambda: depthwise_separable_multiplications(4, 3, 3, 2.5), TypeError, r"^`n_C` must be a positive int; got 2\.5\.$"),
        (lambda: conv_multiplications((6, 6, 3), 3, 5, pad="full"), ValueError,
         r"^`pad` must be 'same', 'valid' or a non-negative int; got 'full'\.$"),
        (lambda: conv_multiplications((6, 6, 3), 3, 5, stride=0), ValueError, r"^`stride` must be a positive int; got 0\.$"),
        (lambda: conv_multiplications((6, 6, 3), 9, 5, pad=1), ValueError,
         r"^`f` must fit inside the padded input \(f <= min\(n_H_prev, n_W_prev\) \+ 2 \* pad = 8\); got 9\.$"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
