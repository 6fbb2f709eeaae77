"""Week 1's classic mistakes, written out: what a learner's loops compute with one line wrong.

The hints of `course_cnn.grading._week1` run these on a case's inputs and
compare the learner's output (or error) with theirs (`same_outcome`), so a
hint shows only when the learner's function did exactly what the mistake does.
"""

from __future__ import annotations

import numpy as np


def n_out(n_prev, f, stride, pad=0, rounding=np.floor):
    """Output size ``rounding((n_prev + 2 pad - f) / stride) + 1`` (the course's formula takes the floor)."""
    return int(rounding((n_prev + 2 * pad - f) / stride)) + 1


def conv_ceil(d):
    """The course's loops with n_H, n_W rounded up (math.ceil): the last windows come out cut short.

    A window cut to one row broadcasts against W and gives a wrong number; one
    cut to more rows raises numpy's broadcasting error, as the learner's does.
    """
    A_prev, W, b, hp = d.args["A_prev"], d.args["W"], d.args["b"], d.args["hparameters"]
    (m, n_H_prev, n_W_prev, _), (f, _, _, n_C) = A_prev.shape, W.shape
    stride, pad = hp["stride"], hp["pad"]
    n_H, n_W = (n_out(n, f, stride, pad, np.ceil) for n in (n_H_prev, n_W_prev))
    if (n_H, n_W) == d.expected[0].shape[1:3]:
        return None
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = np.sum(a_slice * W[..., c]) + b[0, 0, 0, c]
    return Z


def pool_ceil(d):
    """The course's loops with n_H, n_W rounded up: the last windows are cut short (or empty)."""
    A_prev, f, stride = d.args["A_prev"], d.args["hparameters"]["f"], d.args["hparameters"]["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_out(n, f, stride, 0, np.ceil) for n in (n_H_prev, n_W_prev))
    if (n_H, n_W) == d.expected[0].shape[1:3]:
        return None
    reduce = np.max if d.kwargs["mode"] == "max" else np.mean
    A = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            A[:, h, w, :] = reduce(window, axis=(1, 2))
    return A


def conv_backward_loops(d, *, accumulate=True, padded_slices=True):
    """The course's conv_backward loops, with ``=`` instead of ``+=`` or a_slice taken from the unpadded A_prev."""
    dZ, (A_prev, W, b, hp) = d.args["dZ"], d.args["cache"]
    stride, pad, f = hp["stride"], hp["pad"], W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    source = A_prev_pad if padded_slices else A_prev
    dA_prev_pad, dW, db = np.zeros(A_prev_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    a_slice = source[i, vs:vs + f, hs:hs + f, :]
                    if accumulate:
                        dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[..., c] * dZ[i, h, w, c]
                        dW[..., c] += a_slice * dZ[i, h, w, c]
                        db[..., c] += dZ[i, h, w, c]
                    else:
                        dA_prev_pad[i, vs:vs + f, hs:hs + f, :] = W[..., c] * dZ[i, h, w, c]
                        dW[..., c] = a_slice * dZ[i, h, w, c]
                        db[..., c] = dZ[i, h, w, c]
    return dA_prev_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :], dW, db


def pool_backward_assigned(d):
    """The course's pool_backward loops with dA_prev[...] = ... instead of +=."""
    dA, (A_prev, hp), mode = d.args["dA"], d.args["cache"], d.kwargs["mode"]
    f, stride = hp["f"], hp["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        window = A_prev[i, vs:vs + f, hs:hs + f, c]
                        dA_prev[i, vs:vs + f, hs:hs + f, c] = (window == np.max(window)) * dA[i, h, w, c]
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] = dA[i, h, w, c] / (f * f)
    return dA_prev
