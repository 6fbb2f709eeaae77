"""The style-transfer costs against hand arithmetic and plain numpy."""

import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week4.style import (
    CONTENT_LAYER,
    STYLE_LAYERS,
    compute_content_cost,
    compute_layer_style_cost,
    compute_style_cost,
    gram_matrix,
    total_cost,
    total_variation_cost,
)


# ------------------------------------------------------------------ numpy references
def np_content_cost(a_C, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return np.sum((a_C - a_G) ** 2) / (4 * n_H * n_W * n_C)


def np_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    A_S = a_S.reshape(n_H * n_W, n_C).T  # (n_C, n_H n_W)
    A_G = a_G.reshape(n_H * n_W, n_C).T
    G_S, G_G = A_S @ A_S.T, A_G @ A_G.T
    return np.sum((G_S - G_G) ** 2) / (4 * n_C**2 * (n_H * n_W) ** 2)


# ------------------------------------------------------------------ constants
def test_course_layers():
    assert STYLE_LAYERS == [
        ("block1_conv1", 0.2), ("block2_conv1", 0.2), ("block3_conv1", 0.2),
        ("block4_conv1", 0.2), ("block5_conv1", 0.2),
    ]
    assert CONTENT_LAYER == [("block5_conv4", 1)]


# ------------------------------------------------------------------ content cost
def test_content_cost_by_hand():
    # a_C - a_G = [1, 2, 3, 4] over (1, 1, 2, 2): squares 1+4+9+16 = 30; 30 / (4*1*2*2) = 1.875
    a_C = tf.constant([[[[1.0, 2.0], [3.0, 4.0]]]])
    a_G = tf.zeros((1, 1, 2, 2))
    assert float(compute_content_cost([a_C], [a_G])) == pytest.approx(1.875)


@pytest.mark.parametrize("shape", [(1, 4, 4, 3), (1, 5, 7, 2), (1, 1, 1, 8)])
def test_content_cost_matches_numpy_and_uses_last_output(shape):
    rng = np.random.default_rng(0)
    a_C, a_G = rng.normal(size=shape).astype(np.float32), rng.normal(size=shape).astype(np.float32)
    decoy = tf.constant(rng.normal(size=(1, 2, 2, 2)), tf.float32)  # earlier layers are ignored
    got = compute_content_cost([decoy, tf.constant(a_C)], [decoy * 3, tf.constant(a_G)])
    np.testing.assert_allclose(float(got), np_content_cost(a_C, a_G), rtol=1e-5)


def test_content_cost_zero_for_identical():
    a = tf.constant(np.random.default_rng(0).normal(size=(1, 3, 3, 4)), tf.float32)
    assert float(compute_content_cost([a], [a])) == 0.0


def test_content_cost_errors():
    with pytest.raises(ValueError, match=r"`generated_output` must have the content activations' shape \(1, 2, 2, 1\); got shape \(1, 3, 3, 1\)\."):
        compute_content_cost([tf.zeros((1, 2, 2, 1))], [tf.zeros((1, 3, 3, 1))])
    with pytest.raises(ValueError, match=r"`content_output` must have 4 dimensions \(m, n_H, n_W, n_C\); got shape \(2, 2\)\."):
        compute_content_cost([tf.zeros((2, 2))], [tf.zeros((1, 2, 2, 1))])
    with pytest.raises(ValueError, match=r"`content_output` must be a list of layer outputs, a stack of them of shape \(k, m, n_H, n_W, n_C\) or one output \(m, n_H, n_W, n_C\); got an empty list\."):
        compute_content_cost([], [tf.zeros((1, 2, 2, 1))])
    with pytest.raises(ValueError, match=r"`generated_output` must be a list of layer outputs, .*; got shape \(2, 2\)\."):
        compute_content_cost([tf.zeros((1, 2, 2, 1))], tf.zeros((2, 2)))
    with pytest.raises(TypeError, match=r"`content_output` must be a list of layer outputs, .*; got None\."):
        compute_content_cost(None, [tf.zeros((1, 2, 2, 1))])


# ------------------------------------------------------------------ Gram matrix
def test_gram_matrix_by_hand():
    # A = [[1, 0, 2], [0, 3, 1]]: G = A A^T
    # G00 = 1+0+4 = 5, G01 = 0+0+2 = 2, G11 = 0+9+1 = 10
    A = [[1.0, 0.0, 2.0], [0.0, 3.0, 1.0]]
    np.testing.assert_array_equal(gram_matrix(A).numpy(), [[5.0, 2.0], [2.0, 10.0]])


@pytest.mark.parametrize("n_C, n_HW", [(1, 1), (3, 16), (8, 5)])
def test_gram_matrix_symmetric_psd_and_numpy(n_C, n_HW):
    rng = np.random.default_rng(0)
    A = rng.normal(size=(n_C, n_HW)).astype(np.float32)
    G = gram_matrix(A).numpy()
    assert G.shape == (n_C, n_C)
    # float32 rounding in entry (k, k') scales with sum_i |A_ki A_k'i|, not with the entry itself,
    # and the matmul kernel may sum (k, k') and (k', k) in different orders: compare on G's scale
    np.testing.assert_allclose(G, G.T, rtol=0, atol=1e-6 * np.abs(G).max())
    np.testing.assert_allclose(G, A @ A.T, rtol=1e-5, atol=1e-5)
    assert np.linalg.eigvalsh(G.astype(np.float64)).min() > -1e-4  # a Gram matrix is positive semi-definite


def test_gram_matrix_error():
    with pytest.raises(ValueError, match=r"`A` must have 2 dimensions \(n_C, n_H \* n_W\); got shape \(1, 2, 2\)\."):
        gram_matrix(np.zeros((1, 2, 2)))


# ------------------------------------------------------------------ style cost
def test_layer_style_cost_by_hand():
    # a_S over (1, 1, 2, 2): positions p0 = (1, 0), p1 = (0, 2) -> A_S = [[1, 0], [0, 2]], G_S = [[1, 0], [0, 4]]
    # a_G zero -> G_G = 0; sum of squares 1 + 16 = 17; / (4 * 2^2 * 2^2) = 17 / 64
    a_S = tf.constant([[[[1.0, 0.0], [0.0, 2.0]]]])
    assert float(compute_layer_style_cost(a_S, tf.zeros((1, 1, 2, 2)))) == pytest.approx(17 / 64)


@pytest.mark.parametrize("shape", [(1, 4, 4, 3), (1, 6, 3, 5), (1, 1, 1, 1)])
def test_layer_style_cost_matches_numpy(shape):
    rng = np.random.default_rng(0)
    a_S, a_G = rng.normal(size=shape).astype(np.float32), rng.normal(size=shape).astype(np.float32)
    got = float(compute_layer_style_cost(tf.constant(a_S), tf.constant(a_G)))
    np.testing.assert_allclose(got, np_layer_style_cost(a_S, a_G), rtol=1e-4)


def test_layer_style_cost_reads_dims_from_tensors():
    # The same activations at two sizes: no global n_H/n_W may leak from one call to the next.
    rng = np.random.default_rng(0)
    small = rng.normal(size=(1, 2, 2, 3)).astype(np.float32)
    large = rng.normal(size=(1, 8, 5, 3)).astype(np.float32)
    zeros_small, zeros_large = np.zeros_like(small), np.zeros_like(large)
    np.testing.assert_allclose(float(compute_layer_style_cost(small, zeros_small)), np_layer_style_cost(small, zeros_small), rtol=1e-5)
    np.testing.assert_allclose(float(compute_layer_style_cost(large, zeros_large)), np_layer_style_cost(large, zeros_large), rtol=1e-5)


def test_layer_style_cost_different_sizes_normalises_each_gram():
    # A texture tiled twice has the same per-position Gram: G/(n_H n_W) equal -> cost 0.
    rng = np.random.default_rng(0)
    tile = rng.normal(size=(1, 3, 3, 4)).astype(np.float32)
    tiled = np.concatenate([tile, tile], axis=2)  # (1, 3, 6, 4)
    assert float(compute_layer_style_cost(tile, tiled)) == pytest.approx(0.0, abs=1e-6)


def test_layer_style_cost_symmetric_and_zero():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 1, 3, 3, 2)).astype(np.float32)
    assert float(compute_layer_style_cost(a, a)) == 0.0
    assert float(compute_layer_style_cost(a, b)) == pytest.approx(float(compute_layer_style_cost(b, a)))


def test_layer_style_cost_channel_mismatch():
    with pytest.raises(ValueError, match=r"`a_G` must have the style activations' 3 channels; got shape \(1, 2, 2, 4\)\."):
        compute_layer_style_cost(tf.zeros((1, 2, 2, 3)), tf.zeros((1, 2, 2, 4)))


def test_style_cost_weighted_sum():
    rng = np.random.default_rng(0)
    shapes = [(1, 4, 4, 2), (1, 2, 2, 3)]
    outs_S = [rng.normal(size=s).astype(np.float32) for s in shapes] + [np.zeros((1, 1, 1, 1), np.float32)]
    outs_G = [rng.normal(size=s).astype(np.float32) for s in shapes] + [np.ones((1, 1, 1, 1), np.float32)]
    layers = [("block1_conv1", 0.3), ("block2_conv1", 0.7)]
    expected = 0.3 * np_layer_style_cost(outs_S[0], outs_G[0]) + 0.7 * np_layer_style_cost(outs_S[1], outs_G[1])
    got = compute_style_cost([tf.constant(a) for a in outs_S], [tf.constant(a) for a in outs_G], layers)
    np.testing.assert_allclose(float(got), expected, rtol=1e-5)
    assert float(compute_style_cost(outs_S, outs_S, layers)) == 0.0


def test_style_cost_default_layers_and_length_error():
    outs = [tf.ones((1, 2, 2, 1))] * 6
    assert float(compute_style_cost(outs, outs)) == 0.0  # 5 style layers + content
    with pytest.raises(ValueError, match=r"`style_image_output` must be a list of 6 layer outputs \(style layers, then content\); got 2 outputs\."):
        compute_style_cost(outs[:2], outs)


# ------------------------------------------------------------------ total cost
@pytest.mark.parametrize("J_content, J_style, alpha, beta, expected", [
    (1.0, 2.0, 10, 40, 90.0),   # 10*1 + 40*2
    (3.0, 0.5, 1, 0, 3.0),      # 1*3 + 0
    (0.0, 0.25, 0, 4, 1.0),     # 0 + 4*0.25
])
def test_total_cost(J_content, J_style, alpha, beta, expected):
    assert float(total_cost(J_content, J_style, alpha, beta)) == pytest.approx(expected)


def test_total_cost_errors():
    with pytest.raises(ValueError, match=r"`alpha` must be a finite real number; got nan\."):
        total_cost(1.0, 1.0, alpha=float("nan"))
    with pytest.raises(TypeError, match=r"`beta` must be a real number; got 'a'\."):
        total_cost(1.0, 1.0, beta="a")
    # an array of costs would silently give an array of totals
    with pytest.raises(ValueError, match=r"`J_content` must be a scalar cost \(a float or a tensor of shape \(\)\); got shape \(3,\)\."):
        total_cost(np.ones(3), 1.0)
    with pytest.raises(ValueError, match=r"`J_style` must be a scalar cost .*; got shape \(1,\)\."):
        total_cost(1.0, tf.ones((1,)))
    with pytest.raises(TypeError, match=r"`J_content` must have a"):
        total_cost("a", 1.0)


def test_total_variation_by_hand_and_tf():
    # 2x2 one-channel image [[0, 1], [3, 5]]: vertical |3-0| + |5-1| = 7, horizontal |1-0| + |5-3| = 3 -> 10 / 4
    image = tf.constant([[[[0.0], [1.0]], [[3.0], [5.0]]]])
    assert float(total_variation_cost(image)) == pytest.approx(2.5)


def test_layer_style_cost_gradient_closed_form():
    # dE/dA = (G_G - G_S) A / (N^2 M^2), N = n_C, M = n_H n_W, A of shape (n_C, n_H n_W) (Gatys eq. 6)
    rng = np.random.default_rng(0)
    n_H, n_W, n_C = 3, 4, 5
    a_S = rng.normal(size=(1, n_H, n_W, n_C)).astype(np.float64)
    a_G = tf.Variable(rng.normal(size=(1, n_H, n_W, n_C)).astype(np.float32))
    with tf.GradientTape() as tape:
        J = compute_layer_style_cost(a_S, a_G)
    grad = tape.gradient(J, a_G).numpy().reshape(n_H * n_W, n_C).T  # (n_C, n_H n_W)
    A_S = a_S.reshape(n_H * n_W, n_C).T
    A_G = a_G.numpy().astype(np.float64).reshape(n_H * n_W, n_C).T
    expected = (A_G @ A_G.T - A_S @ A_S.T) @ A_G / (n_C**2 * (n_H * n_W) ** 2)
    np.testing.assert_allclose(grad, expected, rtol=1e-4, atol=1e-7)


def test_nan_refused_eagerly_and_propagated_in_a_graph():
    nan = tf.fill((1, 2, 2, 1), float("nan"))
    with pytest.raises(ValueError, match=r"`content_output` must contain only finite values; got 4 NaN or infinite entries\."):
        compute_content_cost(nan, tf.zeros((1, 2, 2, 1)))
    with pytest.raises(ValueError, match=r"`a_G` must contain only finite values; got 4 NaN"):
        compute_layer_style_cost(tf.zeros((1, 2, 2, 1)), nan)
    with pytest.raises(ValueError, match=r"`A` must contain only finite values; got 1 NaN"):
        gram_matrix([[np.inf, 1.0]])
    with pytest.raises(ValueError, match=r"`J_style` must contain only finite values; got 1 NaN"):
        total_cost(1.0, float("nan"))
    # inside a tf.function the values do not exist yet: NaN propagates, as in Keras's own losses
    graph_cost = tf.function(lambda a: compute_content_cost(a, tf.zeros((1, 2, 2, 1))))
    assert np.isnan(graph_cost(nan).numpy())
