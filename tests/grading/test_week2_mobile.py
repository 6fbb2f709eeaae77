"""The depthwise-convolution suite: the reference passes, a stub is "not implemented", each mistake gets its hint.

The wrong implementations are written the way a learner writes them (the
course's four loops, adapted to one filter per channel), each with one
classic mistake; each must get its own hint and no other.
"""

import numpy as np
import pytest

from course_cnn.grading import exercises, get_suite, grade

KEY = "week2.depthwise_conv_forward"


def test_suite_is_registered():
    assert KEY in exercises("week2")
    assert get_suite("depthwise_conv_forward").key == KEY
    assert len(get_suite(KEY).cases()) >= 5


def test_reference_scores_one():
    report = grade(get_suite(KEY).load_reference(), KEY)
    assert report.score == 1.0, str(report)


def test_stub_is_not_implemented():
    def stub(A_prev, W, b, hparameters):
        raise NotImplementedError

    assert grade(stub, KEY).status == "not implemented"


def depthwise_learner(A_prev, W, b, hparameters, mistake=None):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    stride, pad = hparameters["stride"], hparameters["pad"]
    if mistake == "no_pad":
        pad = 0
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    step = 1 if mistake == "no_stride" else stride
    W_used = W[::-1, ::-1] if mistake == "flipped" else W
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C_prev))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                window = A_prev_pad[i, h * step:h * step + f, w * step:w * step + f, :]  # (f, f, n_C_prev)
                for c in range(n_C_prev):
                    bias = 0.0 if mistake == "no_bias" else b[0, 0, 0, c]
                    if mistake == "sum_all_channels":
                        Z[i, h, w, c] = np.sum(window * W_used) + bias  # conv_single_step copied from week 1
                    elif mistake == "normal_conv":
                        Z[i, h, w, c] = np.sum(window * W_used[:, :, c:c + 1]) + bias  # filter c on every channel
                    else:
                        Z[i, h, w, c] = np.sum(window[:, :, c] * W_used[:, :, c]) + bias
    cache = (A_prev, W) if mistake == "short_cache" else (A_prev, W, b, hparameters)
    return Z, cache


def test_learner_loops_pass():
    assert grade(depthwise_learner, KEY).score == 1.0


@pytest.mark.parametrize(
    "key, mistake, hint",
    [
        ("week2.depthwise_conv_forward", "sum_all_channels", "np.sum(a_slice_prev * W) adds up all the channels"),
        ("week2.depthwise_conv_forward", "normal_conv", "Filter c must see channel c only"),
        ("week2.depthwise_conv_forward", "no_bias", "Add the bias of each channel"),
        ("week2.depthwise_conv_forward", "no_stride", "Multiply by the stride"),
        ("week2.depthwise_conv_forward", "no_pad", "Pad A_prev first"),
        ("week2.depthwise_conv_forward", "flipped", "not flipped"),
        ("week2.depthwise_conv_forward", "short_cache", "Return cache = (A_prev, W, b, hparameters)"),
    ],
)
def test_each_mistake_gets_its_own_hint(key, mistake, hint):
    report = grade(lambda A_prev, W, b, hparameters: depthwise_learner(A_prev, W, b, hparameters, mistake), key)
    assert report.score < 1.0
    assert len(report.hints) == 1 and hint in report.hints[0], report.hints


def test_a_normal_conv_signature_gets_the_channels_hint():
    def with_filter_axis(A_prev, W, b, hparameters):
        (f, f, n_C_prev, n_C) = W.shape  # the week 1 line: W has no filter axis here
        return None

    report = grade(with_filter_axis, KEY)
    assert any("no axis of filters" in h for h in report.hints), report.hints


def test_a_wrong_answer_with_no_known_mistake_gets_no_hint():
    def off_by_a_bit(A_prev, W, b, hparameters):
        Z, cache = depthwise_learner(A_prev, W, b, hparameters)
        return Z + 0.01, cache

    report = grade(off_by_a_bit, KEY)
    assert report.score == 0.0 and report.hints == ()
