"""Week 1 hints: each shows for its mistake, written as a learner writes it, and for nothing else.

The course-style solutions are the course's own code (loops, ``b.item()``
for the bias); each mistake changes one line of it.
"""

import math

import numpy as np
import pytest

from course_cnn.grading import grade

FLOAT_B = "float(b) fails for b of shape (1, 1, 1) on numpy 2"
CEIL_CONV = "The output size rounds down: n_H = int((n_H_prev + 2 * pad - f) / stride) + 1"
CEIL_POOL = "The output size rounds down: n_H = int(1 + (n_H_prev - f) / stride)"
BUILTIN_MAX = "Use np.max(x), not Python's built-in max"


def _hinted(report, start):
    return any(h.startswith(start) for h in report.hints)


# ---- conv_single_step and conv_forward, the course's way ------------------------------------------------------

def conv_single_step_course(a_slice_prev, W, b):
    s = np.multiply(a_slice_prev, W)
    Z = np.sum(s)
    Z = Z + b.item()
    return Z


def conv_single_step_float(a_slice_prev, W, b):
    Z = np.sum(np.multiply(a_slice_prev, W))
    Z = Z + float(b)  # the course's old line: numpy 2 refuses float() of a (1, 1, 1) array
    return Z


def conv_single_step_array(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) + b  # shape (1, 1, 1)


def conv_forward_course(A_prev, W, b, hparameters, step=conv_single_step_course, rounding=math.floor):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = int(rounding((n_H_prev + 2 * pad - f) / stride)) + 1
    n_W = int(rounding((n_W_prev + 2 * pad - f) / stride)) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=(0, 0))
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = stride * h
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = stride * w
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    weights = W[:, :, :, c]
                    biases = b[:, :, :, c]
                    Z[i, h, w, c] = step(a_slice_prev, weights, biases)
    return Z, (A_prev, W, b, hparameters)


def test_course_style_conv_single_step_and_conv_forward_pass():
    assert grade(conv_single_step_course, "week1.conv_single_step").score == 1.0
    assert grade(conv_forward_course, "week1.conv_forward").score == 1.0


def test_float_of_b_is_explained():
    report = grade(conv_single_step_float, "week1.conv_single_step")
    assert report.score == 0.0
    assert "only 0-dimensional arrays can be converted to Python scalars" in str(report)
    assert report.hints == (
        "float(b) fails for b of shape (1, 1, 1) on numpy 2 (\"only 0-dimensional arrays can be converted to Python "
        "scalars\"): take its value with b.item() (or np.squeeze(b)), e.g. Z = Z + b.item().",)
    # the same line inside conv_forward, through the learner's conv_single_step
    report = grade(lambda A, W, b, hp: conv_forward_course(A, W, b, hp, step=conv_single_step_float),
                   "week1.conv_forward")
    assert report.score == 0.0 and _hinted(report, FLOAT_B), str(report)


@pytest.mark.parametrize("message", ["only 0-dimensional arrays can be converted to Python scalars",
                                     "only size-1 arrays can be converted to Python scalars",
                                     "only length-1 arrays can be converted to Python scalars"])
def test_float_of_b_message_of_every_numpy(message):
    def older_numpy(a_slice_prev, W, b):
        raise TypeError(message)

    assert _hinted(grade(older_numpy, "week1.conv_single_step"), FLOAT_B)


def test_bias_as_an_array_gets_the_number_hint_only():
    report = grade(conv_single_step_array, "week1.conv_single_step")
    assert report.hints == ("Return a number, not an array: b has shape (1, 1, 1), so add b.item() "
                            "(or np.squeeze(b)).",)


def test_float_hint_not_for_an_unrelated_error_or_a_wrong_value():
    def index_error(a_slice_prev, W, b):
        return np.sum(a_slice_prev * W) + b[1]

    assert not _hinted(grade(index_error, "week1.conv_single_step"), FLOAT_B)
    report = grade(lambda a, W, b: np.sum(a * W) - b.item(), "week1.conv_single_step")
    assert report.score == 0.0 and report.hints == ()


# ---- output size with ceil ------------------------------------------------------------------------------------

def test_ceil_in_conv_forward_gets_the_floor_hint():
    report = grade(lambda A, W, b, hp: conv_forward_course(A, W, b, hp, rounding=math.ceil), "week1.conv_forward")
    failed = {c.name: c for c in report.cases if not c.passed}
    assert list(failed) == ["seed 2, A_prev (1, 8, 7, 2), f 3, pad 1, stride 3 (stride 3 with rows left over)",
                            "seed 5, A_prev (2, 8, 6, 3), f 3, pad 0, stride 2 (stride 2 with a row and a column "
                            "left over)"]
    hint = ("The output size rounds down: n_H = int((n_H_prev + 2 * pad - f) / stride) + 1 (floor, or //), not "
            "math.ceil: a window that would run past the padded input is not taken.")
    # (8 + 2 - 3) / 3 = 2.33: 4 rows instead of 3 ((7 + 2 - 3) / 3 = 2 columns either way); the last window
    # keeps one row, which broadcasts against W and gives a wrong Z
    seed2 = failed["seed 2, A_prev (1, 8, 7, 2), f 3, pad 1, stride 3 (stride 3 with rows left over)"]
    assert seed2.status == "failed" and seed2.hints == (hint,)
    assert "Z: expected shape (1, 3, 3, 4), got (1, 4, 3, 4)" in str(report)
    # (6 - 3) / 2 = 1.5: the window at column 4 keeps 2 of 3 columns, which numpy cannot broadcast
    seed5 = failed["seed 5, A_prev (2, 8, 6, 3), f 3, pad 0, stride 2 (stride 2 with a row and a column left over)"]
    assert seed5.status == "error" and "could not be broadcast together with shapes (3,2,3) (3,3,3)" in seed5.error
    assert seed5.hints == (hint,)


def test_floor_hint_not_for_windows_cut_by_a_missing_pad():
    # slices from A_prev instead of A_prev_pad: windows cut short at the edge too, but not a rounding mistake
    def slices_unpadded(A_prev, W, b, hparameters):
        stride, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
        n_H = int((A_prev.shape[1] + 2 * pad - f) / stride) + 1
        n_W = int((A_prev.shape[2] + 2 * pad - f) / stride) + 1
        Z = np.zeros((A_prev.shape[0], n_H, n_W, W.shape[3]))
        for i in range(A_prev.shape[0]):
            for h in range(n_H):
                for w in range(n_W):
                    for c in range(W.shape[3]):
                        a_slice = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                        Z[i, h, w, c] = conv_single_step_course(a_slice, W[..., c], b[..., c])
        return Z, (A_prev, W, b, hparameters)

    report = grade(slices_unpadded, "week1.conv_forward")
    assert report.score < 1.0 and any(c.status == "error" for c in report.cases)
    assert not _hinted(report, CEIL_CONV), str(report)


def pool_forward_course(A_prev, hparameters, mode="max", rounding=math.floor):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = int(rounding((n_H_prev - f) / stride)) + 1
    n_W = int(rounding((n_W_prev - f) / stride)) + 1
    A = np.zeros((m, n_H, n_W, n_C_prev))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C_prev):
                    a_prev_slice = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = np.max(a_prev_slice) if mode == "max" else np.mean(a_prev_slice)
    return A, (A_prev, hparameters)


def test_course_style_pool_forward_passes_and_ceil_gets_its_hint():
    assert grade(pool_forward_course, "week1.pool_forward").score == 1.0
    report = grade(lambda A, hp, mode="max": pool_forward_course(A, hp, mode, rounding=math.ceil),
                   "week1.pool_forward")
    failed = [c for c in report.cases if not c.passed]
    # (7 - 3) / 2 = 2 but (5 - 3) / 2 = 1: exact; (6 - 2) / 3 = 1.33 and (7 - 2) / 3 = 1.67: rows and columns left over
    assert [c.name for c in failed] == ["seed 3, A_prev (3, 6, 7, 1), f 2, stride 3, mode 'average' "
                                        "(stride 3 with rows left over)"]
    assert failed[0].hints == ("The output size rounds down: n_H = int(1 + (n_H_prev - f) / stride) (floor, or //), "
                               "not math.ceil: a window that would run past A_prev is not taken.",)


def test_floor_hints_not_for_other_mistakes():
    def no_stride(A, W, b, hp):
        return conv_forward_course(A, W, b, {**hp, "stride": 1})

    report = grade(no_stride, "week1.conv_forward")
    assert report.score < 1.0 and not _hinted(report, CEIL_CONV)
    report = grade(lambda A, hp, mode="max": pool_forward_course(A, hp, "average" if mode == "max" else "max"),
                   "week1.pool_forward")
    assert report.score < 1.0 and not _hinted(report, CEIL_POOL)


# ---- create_mask_from_window with Python's max ----------------------------------------------------------------

def create_mask_course(x):
    return x == np.max(x)


def create_mask_builtin_max(x):
    mask = x == max(x)
    return mask


def test_builtin_max_in_the_mask_gets_its_hint():
    assert grade(create_mask_course, "week1.create_mask_from_window").score == 1.0
    report = grade(create_mask_builtin_max, "week1.create_mask_from_window")
    by_case = {c.name: c for c in report.cases}
    # several rows of several entries: comparing rows raises; a 1 x 1 window is right by luck; one row: all True
    for name in ("seed 0, x (2, 3)", "seed 1, x (3, 3)", "seed 3, x (4, 2)"):
        assert by_case[name].status == "error"
        assert "The truth value of an array with more than one element is ambiguous" in by_case[name].error
    assert by_case["seed 2, x (1, 1)"].passed
    assert by_case["seed 4, x (1, 4)"].status == "failed"
    for case in report.cases:
        if not case.passed:
            assert case.hints == ("Use np.max(x), not Python's built-in max: on a 2-D array max(x) compares whole "
                                  "rows (\"The truth value of an array with more than one element is ambiguous\"), "
                                  "or returns the row itself when x has one row. mask = (x == np.max(x)).",)


def test_builtin_max_hint_not_for_other_mistakes():
    def ambiguous_if(x):
        if x == np.max(x):  # a different mistake that raises the same error type
            return x
        return x

    assert not _hinted(grade(ambiguous_if, "week1.create_mask_from_window"), BUILTIN_MAX)
    report = grade(lambda x: np.max(x), "week1.create_mask_from_window")
    assert report.hints == ("Return the mask (x == np.max(x)), an array of booleans the shape of x, not the maximum "
                            "itself.",)
    report = grade(lambda x: x == np.min(x), "week1.create_mask_from_window")
    assert report.score < 1.0 and report.hints == ()


# ---- conv_backward --------------------------------------------------------------------------------------------

def conv_backward_course(dZ, cache, accumulate=True, padded_slices=True, db_shape=None):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape
    dA_prev, dW, db = np.zeros(A_prev.shape), np.zeros(W.shape), np.zeros(b.shape)
    pads = ((0, 0), (pad, pad), (pad, pad), (0, 0))
    A_prev_pad, dA_prev_pad = np.pad(A_prev, pads), np.pad(dA_prev, pads)
    for i in range(m):
        a_prev_pad, da_prev_pad = A_prev_pad[i], dA_prev_pad[i]
        a_source = a_prev_pad if padded_slices else A_prev[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start, horiz_start = stride * h, stride * w
                    vert_end, horiz_end = vert_start + f, horiz_start + f
                    a_slice = a_source[vert_start:vert_end, horiz_start:horiz_end, :]
                    if accumulate:
                        da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += W[:, :, :, c] * dZ[i, h, w, c]
                        dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                        db[:, :, :, c] += dZ[i, h, w, c]
                    else:
                        da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] = W[:, :, :, c] * dZ[i, h, w, c]
                        dW[:, :, :, c] = a_slice * dZ[i, h, w, c]
                        db[:, :, :, c] = dZ[i, h, w, c]
        dA_prev[i, :, :, :] = da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, (db if db_shape is None else db.reshape(db_shape))


ACCUMULATE = ("Accumulate the gradients with += over every window (windows overlap): "
              "dW[:, :, :, c] += a_slice * dZ[i, h, w, c].")
FROM_PADDED = ("Take a_slice from a_prev_pad, the padded input, like the windows of the forward pass: "
               "a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :].")
DB_SHAPE = "db sums dZ over the examples and positions, per filter: db has shape (1, 1, 1, n_C)."


def test_conv_backward_hints_each_for_its_mistake():
    assert grade(conv_backward_course, "week1.conv_backward").score == 1.0
    report = grade(lambda dZ, cache: conv_backward_course(dZ, cache, accumulate=False), "week1.conv_backward")
    assert report.score == 0.0 and report.hints == (ACCUMULATE,)
    report = grade(lambda dZ, cache: conv_backward_course(dZ, cache, padded_slices=False), "week1.conv_backward")
    # pad 0 cases are right; with padding, the windows at the edge come out cut short: a wrong dW, or numpy's
    # broadcasting error when a window keeps 2 of 3 rows, as in the simulation of the mistake
    assert report.score < 1.0 and report.hints == (FROM_PADDED,), str(report)
    assert all(c.hints == (FROM_PADDED,) for c in report.cases if not c.passed)
    report = grade(lambda dZ, cache: conv_backward_course(dZ, cache, db_shape=(-1,)), "week1.conv_backward")
    assert report.score == 0.0 and report.hints == (DB_SHAPE,)
