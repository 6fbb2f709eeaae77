"""Depthwise convolution backward pass: loops vs vectorised vs tf.GradientTape, and a numerical check."""

import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week2 import depthwise_conv_backward, depthwise_conv_backward_loops, depthwise_conv_forward
from tests.week2.test_depthwise import CASES, IDS, _layer


def _tape_grads(A_prev, W, b, stride, pad, dZ):
    A_t, W_t, b_t = (tf.constant(x) for x in (A_prev, W, b))
    with tf.GradientTape() as tape:
        tape.watch([A_t, W_t, b_t])
        padded = tf.pad(A_t, [[0, 0], [pad, pad], [pad, pad], [0, 0]])
        Z = tf.nn.depthwise_conv2d(padded, W_t[:, :, :, None], [1, stride, stride, 1], "VALID") + b_t
    return [g.numpy() for g in tape.gradient(Z, [A_t, W_t, b_t], output_gradients=tf.constant(dZ))]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_backward_matches_loops_and_gradient_tape(case):
    rng = np.random.default_rng(0)
    m, n_H_prev, n_W_prev, n_C_prev, f, stride, pad = case
    A_prev, W, b = _layer(rng, m, n_H_prev, n_W_prev, n_C_prev, f)
    hp = {"stride": stride, "pad": pad}
    Z, cache = depthwise_conv_forward(A_prev, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    grads = depthwise_conv_backward(dZ, cache)
    grads_loops = depthwise_conv_backward_loops(dZ, cache)
    grads_tape = _tape_grads(A_prev, W, b, stride, pad, dZ)
    for name, ours, loops, tape, shape in zip(("dA_prev", "dW", "db"), grads, grads_loops, grads_tape,
                                              (A_prev.shape, W.shape, b.shape)):
        assert ours.shape == loops.shape == shape, name
        np.testing.assert_allclose(ours, loops, rtol=0, atol=1e-10, err_msg=name)
        np.testing.assert_allclose(ours, tape, rtol=0, atol=1e-10, err_msg=name)


def test_backward_numerical_gradient_of_W():
    # J = sum(Z * G) for a fixed G: dJ/dW by central differences equals dW with dZ = G
    rng = np.random.default_rng(1)
    A_prev, W, b = _layer(rng, 2, 5, 5, 2, 3)
    hp = {"stride": 2, "pad": 1}
    Z, cache = depthwise_conv_forward(A_prev, W, b, hp)
    G = rng.standard_normal(Z.shape)
    numerical = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        W_plus, W_minus = W.copy(), W.copy()
        W_plus[idx] += 1e-6
        W_minus[idx] -= 1e-6
        J_plus = np.sum(depthwise_conv_forward(A_prev, W_plus, b, hp)[0] * G)
        J_minus = np.sum(depthwise_conv_forward(A_prev, W_minus, b, hp)[0] * G)
        numerical[idx] = (J_plus - J_minus) / 2e-6
    np.testing.assert_allclose(depthwise_conv_backward(G, cache)[1], numerical, rtol=1e-6, atol=1e-6)


def test_backward_float32():
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng, 2, 6, 6, 3, 3, np.float32)
    Z, cache = depthwise_conv_forward(A_prev, W, b, {"stride": 1, "pad": 1})
    grads = depthwise_conv_backward(np.ones_like(Z), cache)
    assert [g.dtype for g in grads] == [np.float32] * 3


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda c: depthwise_conv_backward(np.zeros((1, 4, 4, 2)), c), ValueError,
         r"^`dZ` must have shape \(1, 6, 6, 2\), the output shape of the forward pass stored in `cache`; "
         r"got shape \(1, 4, 4, 2\)\.$"),
        (lambda c: depthwise_conv_backward_loops(np.zeros((1, 6, 6, 2)), c[:3]), TypeError,
         r"^`cache` must be the tuple \(A_prev, W, b, hparameters\) returned by the forward pass"),
    ],
)
def test_bad_input(call, error, match):
    _, cache = depthwise_conv_forward(np.zeros((1, 6, 6, 2)), np.zeros((3, 3, 2)), np.zeros((1, 1, 1, 2)),
                                      {"stride": 1, "pad": 1})
    with pytest.raises(error, match=match):
        call(cache)
