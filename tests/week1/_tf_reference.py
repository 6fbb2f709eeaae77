"""TensorFlow references for the numpy layers (tests only)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf


def conv(A_prev, W, b, stride, pad):
    """tf.nn.conv2d on the explicitly zero-padded input, plus the bias: Z as numpy."""
    padding = [[0, 0], [pad, pad], [pad, pad], [0, 0]]
    return (tf.nn.conv2d(A_prev, W, strides=stride, padding=padding) + b).numpy()


def conv_grads(A_prev, W, b, stride, pad, dZ):
    """(dA_prev, dW, db) of the same convolution from tf.GradientTape with upstream gradient dZ."""
    A_t, W_t, b_t = (tf.constant(x) for x in (A_prev, W, b))
    padding = [[0, 0], [pad, pad], [pad, pad], [0, 0]]
    with tf.GradientTape() as tape:
        tape.watch([A_t, W_t, b_t])
        Z = tf.nn.conv2d(A_t, W_t, strides=stride, padding=padding) + b_t
    return [g.numpy() for g in tape.gradient(Z, [A_t, W_t, b_t], output_gradients=tf.constant(dZ))]


def pool(A_prev, f, stride, mode):
    op = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    return op(A_prev, ksize=f, strides=stride, padding="VALID").numpy()


def pool_grad(A_prev, f, stride, mode, dA):
    op = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    A_t = tf.constant(A_prev)
    with tf.GradientTape() as tape:
        tape.watch(A_t)
        A = op(A_t, ksize=f, strides=stride, padding="VALID")
    return tape.gradient(A, A_t, output_gradients=tf.constant(dA)).numpy()


def numerical_gradient(J, x, eps=1e-6):
    """Central differences of the scalar function J() with respect to every entry of x (changed in place)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        plus = J()
        x[idx] = old - eps
        minus = J()
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * eps)
    return grad
