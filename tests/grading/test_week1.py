"""Week 1 suites: the reference passes, a stub is "not implemented", classic mistakes get their hint.

The wrong implementations are written the way a learner writes them in the
course's notebook (explicit loops), each with one classic mistake.
"""

import numpy as np
import pytest

from course_cnn.grading import exercises, get_suite, grade

KEYS = [k for k in exercises("week1") if k not in ("week1.happyModel", "week1.convolutional_model")]  # test_models


def test_week1_has_a_suite_per_graded_function():
    assert KEYS == ["week1.zero_pad", "week1.conv_single_step", "week1.conv_forward", "week1.pool_forward",
                    "week1.conv_backward", "week1.create_mask_from_window", "week1.distribute_value",
                    "week1.pool_backward"]


@pytest.mark.parametrize("key", KEYS)
def test_reference_scores_one(key):
    report = grade(get_suite(key).load_reference(), key)
    assert report.score == 1.0, str(report)
    assert len(report.cases) >= 4


@pytest.mark.parametrize("key", KEYS)
def test_stub_is_not_implemented(key):
    def stub(*args, **kwargs):
        raise NotImplementedError

    report = grade(stub, key)
    assert report.score == 0.0 and report.status == "not implemented"
    assert "not implemented yet" in str(report)


# ---- learner-style implementations ----------------------------------------------------------------------------

def zero_pad_all_axes(X, pad):
    return np.pad(X, pad)  # pads m and n_C too


def conv_single_step_no_bias(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W)


def conv_forward_course(A_prev, W, b, hparameters, use_stride=True):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    step = stride if use_stride else 1
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * step, w * step
                    a_slice = A_prev_pad[i, vs:vs + f, hs:hs + f, :]
                    Z[i, h, w, c] = np.sum(a_slice * W[:, :, :, c]) + float(b[0, 0, 0, c])
    return Z, (A_prev, W, b, hparameters)


def pool_forward_course(A_prev, hparameters, mode="max", pad=0, swap_modes=False):
    f, stride = hparameters["f"], hparameters["stride"]
    A_prev = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0))) if pad else A_prev
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = int(1 + (n_H_prev - f) / stride), int(1 + (n_W_prev - f) / stride)
    A = np.zeros((m, n_H, n_W, n_C))
    use_max = (mode == "max") != swap_modes
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = np.max(window) if use_max else np.mean(window)
    return A, (A_prev, hparameters)


def conv_backward_course(dZ, cache, unpad=True):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f = W.shape[0]
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, n_C = dZ.shape
    dW, db = np.zeros(W.shape), np.zeros(b.shape)
    pads = ((0, 0), (pad, pad), (pad, pad), (0, 0))
    A_prev_pad, dA_prev_pad = np.pad(A_prev, pads), np.zeros(np.pad(A_prev, pads).shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * stride, w * stride
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, vs:vs + f, hs:hs + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :] if unpad else dA_prev_pad
    return dA_prev, dW, db


def pool_backward_course(dA, cache, mode="max", swap_modes=False, accumulate=True):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    use_max = (mode == "max") != swap_modes
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * stride, w * stride
                    if use_max:
                        window = A_prev[i, vs:vs + f, hs:hs + f, c]
                        grad = (window == np.max(window)) * dA[i, h, w, c]
                    else:
                        grad = np.full((f, f), dA[i, h, w, c] / (f * f))
                    if accumulate:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += grad
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] = grad
    return dA_prev


def test_learner_style_correct_implementations_pass():
    assert grade(conv_forward_course, "week1.conv_forward").score == 1.0
    assert grade(pool_forward_course, "week1.pool_forward").score == 1.0
    assert grade(conv_backward_course, "week1.conv_backward").score == 1.0
    assert grade(pool_backward_course, "week1.pool_backward").score == 1.0


WRONG = [
    ("week1.zero_pad", zero_pad_all_axes, "Pad only the height and width axes"),
    ("week1.conv_single_step", conv_single_step_no_bias, "Add the bias"),
    ("week1.conv_forward", lambda A, W, b, hp: conv_forward_course(A, W, b, hp, use_stride=False),
     "Multiply by the stride when you place a window"),
    ("week1.conv_forward", lambda A, W, b, hp: conv_forward_course(A, W, 0 * b, hp), "Add the bias b[:, :, :, c]"),
    ("week1.pool_forward", lambda A, hp, mode="max": pool_forward_course(A, hp, mode, pad=1),
     "Pooling uses no padding"),
    ("week1.pool_forward", lambda A, hp, mode="max": pool_forward_course(A, hp, mode, swap_modes=True),
     "Check the mode"),
    ("week1.conv_backward", lambda dZ, cache: conv_backward_course(dZ, cache, unpad=False),
     "Remove the padding at the end"),
    ("week1.create_mask_from_window", lambda x: np.max(x), "Return the mask (x == np.max(x))"),
    ("week1.distribute_value", lambda dz, shape: np.full(shape, dz), "Divide dz by the number of entries"),
    ("week1.pool_backward", lambda dA, cache, mode="max": pool_backward_course(dA, cache, mode, swap_modes=True),
     "Check the mode: 'max' routes dA"),
    ("week1.pool_backward", lambda dA, cache, mode="max": pool_backward_course(dA, cache, mode, accumulate=False),
     "Windows overlap when stride < f"),
]


@pytest.mark.parametrize("key, function, hint", WRONG, ids=[f"{k}-{h[:20]}" for k, _, h in WRONG])
def test_classic_mistake_fails_with_its_hint(key, function, hint):
    report = grade(function, key)
    assert report.score < 1.0
    assert any(h.startswith(hint) for h in report.hints), str(report)
    assert f"hint: {hint}" in str(report)


def test_pad_zero_edge_case_catches_the_course_unpadding_slice():
    # the course's `da_prev_pad[pad:-pad, pad:-pad, :]` is empty when pad = 0
    def course_slice(dZ, cache):
        dA_prev_pad, dW, db = conv_backward_course(dZ, cache, unpad=False)
        pad = cache[3]["pad"]
        return dA_prev_pad[:, pad:-pad, pad:-pad, :], dW, db

    report = grade(course_slice, "week1.conv_backward")
    failed = [c.name for c in report.cases if not c.passed]
    assert failed == ["seed 1, A_prev (2, 5, 5, 3), f 3, pad 0, stride 1 (pad 0)"]
    assert "dA_prev: expected shape (2, 5, 5, 3), got (2, 0, 0, 3)" in str(report)
