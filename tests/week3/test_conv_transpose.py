"""The transposed convolution: by hand, loops vs vectorised, and against TensorFlow and Keras."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week3 import conv_transpose_forward, conv_transpose_forward_loops, conv_transpose_output_size

STRIDES = [1, 2, 3]
FILTERS = [1, 2, 3, 4]


def _layer(rng, m=2, n_H_prev=3, n_W_prev=4, n_C_prev=2, f=3, n_C=3, dtype=np.float64):
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev)).astype(dtype)
    W = rng.standard_normal((f, f, n_C_prev, n_C)).astype(dtype)
    b = rng.standard_normal((1, 1, 1, n_C)).astype(dtype)
    return A_prev, W, b


def _tf_valid_cropped(A_prev, W, b, stride, pad):
    """tf.nn.conv2d_transpose, "VALID" (the full output), then p cropped from every side, plus b."""
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    full = ((n_H_prev - 1) * stride + f, (n_W_prev - 1) * stride + f)
    Z = tf.nn.conv2d_transpose(A_prev, W.transpose(0, 1, 3, 2), (m, *full, n_C), stride, "VALID").numpy()
    return Z[:, pad:full[0] - pad, pad:full[1] - pad, :] + b.reshape(n_C)


def test_lecture_example_by_hand():
    # 2x2 input, 3x3 filter of ones, stride 2: the four copies overlap on the middle row and column
    A_prev = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    W, b = np.ones((3, 3, 1, 1)), np.zeros((1, 1, 1, 1))
    full, _ = conv_transpose_forward(A_prev, W, b, {"stride": 2, "pad": 0})
    # row 2 = row 2 of the top copies + row 0 of the bottom copies: 1+3, 1+3, 1+2+3+4 = 10, 2+4, 2+4
    np.testing.assert_array_equal(full[0, :, :, 0], [[1, 1, 3, 2, 2],
                                                     [1, 1, 3, 2, 2],
                                                     [4, 4, 10, 6, 6],
                                                     [3, 3, 7, 4, 4],
                                                     [3, 3, 7, 4, 4]])
    Z, _ = conv_transpose_forward(A_prev, W, b, {"stride": 2, "pad": 1})  # (2-1)*2 + 3 - 2*1 = 3
    np.testing.assert_array_equal(Z[0, :, :, 0], full[0, 1:4, 1:4, 0])
    same, _ = conv_transpose_forward(A_prev, W, b, {"stride": 2, "pad": "same"})  # 2*2 = 4, crop 0 top, 1 bottom
    np.testing.assert_array_equal(same[0, :, :, 0], full[0, :4, :4, 0])


def test_bias_and_output_size():
    A_prev = np.zeros((1, 2, 3, 1))
    Z, cache = conv_transpose_forward(A_prev, np.ones((2, 2, 1, 2)), np.array([1.0, -2.0]).reshape(1, 1, 1, 2),
                                      {"stride": 3, "pad": 0})
    assert Z.shape == (1, 5, 8, 2)  # (2-1)*3 + 2 = 5, (3-1)*3 + 2 = 8
    np.testing.assert_array_equal(Z[..., 0], 1.0)
    np.testing.assert_array_equal(Z[..., 1], -2.0)
    assert cache[0] is A_prev
    assert conv_transpose_output_size(5, 4, 3, 2) == 12 + 4 - 4
    assert conv_transpose_output_size(5, 2, 3, "same") == 15


@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("f", FILTERS)
def test_loops_equal_vectorised_and_tensorflow(stride, f):
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng, f=f)
    for pad in range(0, f):
        if (min(A_prev.shape[1:3]) - 1) * stride + f - 2 * pad < 1:
            continue
        hp = {"stride": stride, "pad": pad}
        Z, _ = conv_transpose_forward(A_prev, W, b, hp)
        Z_loops, _ = conv_transpose_forward_loops(A_prev, W, b, hp)
        np.testing.assert_allclose(Z, Z_loops, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(Z, _tf_valid_cropped(A_prev, W, b, stride, pad), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("f", FILTERS)
def test_same_equals_tensorflow_same(stride, f):
    rng = np.random.default_rng(1)
    A_prev, W, b = _layer(rng, f=f)
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    Z, _ = conv_transpose_forward(A_prev, W, b, {"stride": stride, "pad": "same"})
    Z_loops, _ = conv_transpose_forward_loops(A_prev, W, b, {"stride": stride, "pad": "same"})
    expected = tf.nn.conv2d_transpose(A_prev, W.transpose(0, 1, 3, 2), (m, n_H_prev * stride, n_W_prev * stride, 3),
                                      stride, "SAME").numpy() + b.reshape(3)
    assert Z.shape == expected.shape
    np.testing.assert_allclose(Z, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(Z_loops, expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("f", FILTERS)
@pytest.mark.parametrize("padding", ["same", "valid"])
def test_equals_keras_conv2d_transpose(stride, f, padding):
    rng = np.random.default_rng(2)
    A_prev, W, b = _layer(rng, f=f, dtype=np.float32)
    layer = keras.layers.Conv2DTranspose(3, f, strides=stride, padding=padding, name="up")
    layer.build(A_prev.shape)
    layer.set_weights([W.transpose(0, 1, 3, 2), b.reshape(3)])  # Keras stores (f, f, n_C, n_C_prev) too
    expected = keras.ops.convert_to_numpy(layer(A_prev))
    Z, _ = conv_transpose_forward(A_prev, W, b, {"stride": stride, "pad": "same" if padding == "same" else 0})
    assert Z.dtype == np.float32
    if padding == "valid" and f < stride:
        # Keras' "valid" output is n_prev * s, (s - f) rows longer than (n_prev - 1) s + f: zeros plus b there
        np.testing.assert_allclose(expected[:, Z.shape[1]:, :, :], np.broadcast_to(b, expected[:, Z.shape[1]:].shape),
                                   rtol=1e-6)
        expected = expected[:, :Z.shape[1], :Z.shape[2], :]
    np.testing.assert_allclose(Z, expected, rtol=1e-5, atol=1e-5)


def test_float32_stays_float32_and_ints_become_float64():
    rng = np.random.default_rng(3)
    A_prev, W, b = _layer(rng, dtype=np.float32)
    assert conv_transpose_forward(A_prev, W, b, {"stride": 2, "pad": 1})[0].dtype == np.float32
    Z, _ = conv_transpose_forward(np.ones((1, 2, 2, 1), int), np.ones((2, 2, 1, 1), int), np.zeros((1, 1, 1, 1), int),
                                  {"stride": 2, "pad": 0})
    assert Z.dtype == np.float64
    np.testing.assert_array_equal(Z, 1.0)  # stride 2 = f: copies tile the output without overlapping


def test_overlapping_strides_make_a_checkerboard():
    # f = 3, s = 2 on a constant input: cells covered by 1, 2 or 4 copies alternate (the checkerboard)
    Z, _ = conv_transpose_forward(np.ones((1, 4, 4, 1)), np.ones((3, 3, 1, 1)), np.zeros((1, 1, 1, 1)),
                                  {"stride": 2, "pad": 1})
    inner = Z[0, 1:-1, 1:-1, 0]
    assert set(np.unique(inner)) == {1.0, 2.0, 4.0}
    np.testing.assert_array_equal(inner[:2, :2], [[4, 2], [2, 1]])


@pytest.mark.parametrize("hparameters, match", [
    ({"stride": 0, "pad": 0}, r"`hparameters\['stride'\]` must be .*; got 0\."),
    ({"stride": 1, "pad": -1}, r"`hparameters\['pad'\]` must be a non-negative int; got -1\."),
    ({"stride": 1, "pad": "valid"}, r"`hparameters\['pad'\]` must be one of .*'same'.*; got 'valid'\."),
    ({"stride": 1, "pad": 2}, r"`hparameters\['pad'\]` must leave at least one row and column: 2 \* pad < "
                              r"\(n_prev - 1\) \* stride \+ f = 4; got 2\."),
    ({"stride": 1}, r"`hparameters` must be a dict with keys 'stride' and 'pad'; got a dict with keys \['stride'\]\."),
])
def test_bad_hparameters(hparameters, match):
    A_prev, W, b = np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1)), np.zeros((1, 1, 1, 1))
    with pytest.raises(ValueError, match=match):
        conv_transpose_forward(A_prev, W, b, hparameters)


def test_bad_arrays():
    A_prev, W, b = np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1)), np.zeros((1, 1, 1, 1))
    with pytest.raises(ValueError, match=r"`W` must have n_C_prev = 1 input channels .*; got shape \(3, 3, 2, 1\)\."):
        conv_transpose_forward(A_prev, np.ones((3, 3, 2, 1)), b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=r"`A_prev` must have 4 dimensions"):
        conv_transpose_forward(np.ones((2, 2, 1)), W, b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=r"`b` must have shape \(1, 1, 1, 1\)"):
        conv_transpose_forward(A_prev, W, np.zeros(1), {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=r"`A_prev` must .*finite"):
        conv_transpose_forward(np.full((1, 2, 2, 1), np.nan), W, b, {"stride": 1, "pad": 0})
    with pytest.raises(TypeError, match=r"`hparameters` must be a dict"):
        conv_transpose_forward_loops(A_prev, W, b, [2, 0])
    with pytest.raises(ValueError, match=r"`A_prev` must give an output of at most"):
        conv_transpose_forward(A_prev, W, b, {"stride": 60000, "pad": 0})
