"""Check suites for week 1: the numpy convolution and pooling layers, step by step.

Inputs are drawn from ``numpy.random.default_rng(seed)`` for several seeds,
with the edge cases of each layer: ``pad = 0``, ``stride > 1`` with rows left
over, ``f = 1``, ``m = 1``, and pooling's two modes.
"""

from __future__ import annotations

import re
import traceback

import numpy as np

from course_cnn.grading._models import compare_models, layer_kinds
from course_cnn.grading._suite import Case, Hint, Suite, any_of, error_matches, same_as, same_outcome
from course_cnn.grading._week1_mistakes import conv_backward_loops, conv_ceil, pool_backward_assigned, pool_ceil

W1 = "course_cnn.week1"


def _normal(seed: int, *shapes: tuple) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes]


def _reference(name: str):
    import importlib

    return getattr(importlib.import_module(W1), name)


# numpy 2 refuses float() of an array with dimensions: float(b) for b of shape (1, 1, 1) raises
# "only 0-dimensional arrays can be converted to Python scalars" (older numpy: "only size-1 arrays ...").
FLOAT_OF_ARRAY = error_matches(r"only (0-dimensional|size-1|length-1) arrays can be converted to Python scalars")
FLOAT_B_TEXT = ("float(b) fails for b of shape (1, 1, 1) on numpy 2 (\"only 0-dimensional arrays can be converted to "
                "Python scalars\"): take its value with b.item() (or np.squeeze(b)), e.g. Z = Z + b.item().")


# ---- zero_pad -------------------------------------------------------------------------------------------------

def _zero_pad_cases():
    specs = [(0, (4, 3, 3, 2), 3), (1, (2, 5, 4, 3), 1), (2, (1, 3, 3, 1), 0), (3, (3, 2, 6, 4), 2)]
    return [
        Case(f"seed {seed}, X {shape}, pad {pad}", lambda seed=seed, shape=shape, pad=pad: (
            {"X": _normal(seed, shape)[0], "pad": pad}, {}))
        for seed, shape, pad in specs
    ]


ZERO_PAD = Suite(
    "week1.zero_pad", f"{W1}:zero_pad", _zero_pad_cases,
    summary="pad the height and width of a batch of images with zeros",
    hints=(
        Hint("Pad only the height and width axes: "
             "np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant', constant_values=0).",
             any_of(same_as(lambda d: np.pad(d.args["X"], d.args["pad"])),  # every axis padded
                    same_as(lambda d: np.pad(d.args["X"], [(d.args["pad"],) * 2] * 3 + [(0, 0)])))),
    ),
)


# ---- conv_single_step -----------------------------------------------------------------------------------------

def _single_step_inputs(seed, f, c):
    return dict(zip(("a_slice_prev", "W", "b"), _normal(seed, (f, f, c), (f, f, c), (1, 1, 1))))


def _single_step_cases():
    specs = [(0, 4, 3), (1, 3, 1), (2, 1, 5), (3, 2, 2)]
    return [Case(f"seed {seed}, f {f}, n_C_prev {c}", lambda spec=(seed, f, c): (_single_step_inputs(*spec), {}))
            for seed, f, c in specs]


CONV_SINGLE_STEP = Suite(
    "week1.conv_single_step", f"{W1}:conv_single_step", _single_step_cases,
    summary="one filter on one slice: sum(a_slice_prev * W) + b",
    hints=(
        Hint("Add the bias: Z = np.sum(a_slice_prev * W) + b.item().",
             same_as(lambda d: d.reference(d.args["a_slice_prev"], d.args["W"], np.zeros((1, 1, 1))))),
        Hint("Return a number, not an array: b has shape (1, 1, 1), so add b.item() (or np.squeeze(b)).",
             same_as(lambda d: np.reshape(d.expected, (1, 1, 1)))),
        Hint(FLOAT_B_TEXT, FLOAT_OF_ARRAY),
    ),
)


# ---- conv_forward ---------------------------------------------------------------------------------------------

_CONV_SPECS = [
    # (seed, A_prev shape, f, n_C, pad, stride, what)
    (0, (2, 5, 7, 4), 3, 8, 1, 2, "the course's test"),
    (1, (2, 4, 4, 3), 2, 5, 0, 1, "pad 0"),
    (2, (1, 8, 7, 2), 3, 4, 1, 3, "stride 3 with rows left over"),
    (3, (3, 4, 5, 6), 1, 2, 0, 1, "f 1"),
    (4, (1, 3, 3, 2), 3, 4, 2, 1, "m 1, pad 2"),
    (5, (2, 8, 6, 3), 3, 2, 0, 2, "stride 2 with a row and a column left over"),
]


def _conv_inputs(seed, shape, f, n_C, pad, stride):
    A_prev, W, b = _normal(seed, shape, (f, f, shape[3], n_C), (1, 1, 1, n_C))
    return {"A_prev": A_prev, "W": W, "b": b, "hparameters": {"pad": pad, "stride": stride}}


def _conv_cases():
    return [
        Case(f"seed {seed}, A_prev {shape}, f {f}, pad {pad}, stride {stride} ({what})",
             lambda spec=(seed, shape, f, n_C, pad, stride): (_conv_inputs(*spec), {}))
        for seed, shape, f, n_C, pad, stride, what in _CONV_SPECS
    ]


def _conv_stride_ignored(d):
    hp = d.args["hparameters"]
    Z1 = d.reference(d.args["A_prev"], d.args["W"], d.args["b"], {"pad": hp["pad"], "stride": 1})[0]
    n_H, n_W = d.expected[0].shape[1:3]
    return Z1[:, :n_H, :n_W, :] if hp["stride"] > 1 else None


CONV_FORWARD = Suite(
    "week1.conv_forward", f"{W1}:conv_forward", _conv_cases, output_names=("Z", "cache"),
    summary="forward pass of a convolution layer: (Z, cache)",
    hints=(
        Hint("Add the bias b[:, :, :, c] of each filter (conv_single_step(a_slice_prev, W[..., c], b[..., c])).",
             same_as(lambda d: d.reference(d.args["A_prev"], d.args["W"], 0 * d.args["b"], d.args["hparameters"])[0],
                     part=0)),
        Hint("Multiply by the stride when you place a window: vert_start = h * stride, horiz_start = w * stride.",
             same_as(_conv_stride_ignored, part=0)),
        Hint("Pad A_prev first (A_prev_pad = zero_pad(A_prev, pad)) and take the slices from A_prev_pad: "
             "n_H = int((n_H_prev + 2 * pad - f) / stride) + 1.",
             same_as(lambda d: d.reference(d.args["A_prev"], d.args["W"], d.args["b"],
                                           {**d.args["hparameters"], "pad": 0})[0], part=0)),
        Hint("The output size rounds down: n_H = int((n_H_prev + 2 * pad - f) / stride) + 1 (floor, or //), not "
             "math.ceil: a window that would run past the padded input is not taken.",
             same_outcome(conv_ceil, part=0)),
        Hint("n_H and n_W must be ints: int((n_H_prev + 2 * pad - f) / stride) + 1 (or use //).",
             error_matches("float.*(integer|int)|integer.*float|cannot be interpreted as an integer")),
        Hint(FLOAT_B_TEXT, FLOAT_OF_ARRAY),
        Hint("Return cache = (A_prev, W, b, hparameters), the inputs as they were given.",
             lambda d: isinstance(d.got, tuple) and len(d.got) == 2
             and (not isinstance(d.got[1], (tuple, list)) or len(d.got[1]) != 4)),
    ),
)


# ---- pool_forward ---------------------------------------------------------------------------------------------

_POOL_SPECS = [
    # (seed, A_prev shape, f, stride, mode, what)
    (0, (2, 5, 5, 3), 3, 1, "max", "the course's test"),
    (0, (2, 5, 5, 3), 3, 1, "average", "the course's test"),
    (1, (2, 4, 4, 2), 2, 2, "max", "f = stride"),
    (2, (1, 7, 5, 2), 3, 2, "max", "stride 2 with rows left over"),
    (3, (3, 6, 7, 1), 2, 3, "average", "stride 3 with rows left over"),
]


def _pool_cases():
    return [
        Case(f"seed {seed}, A_prev {shape}, f {f}, stride {stride}, mode {mode!r} ({what})",
             lambda seed=seed, shape=shape, f=f, stride=stride, mode=mode: (
                 {"A_prev": _normal(seed, shape)[0], "hparameters": {"f": f, "stride": stride}}, {"mode": mode}))
        for seed, shape, f, stride, mode, what in _POOL_SPECS
    ]


def _pool_padded(d):
    """Pooling over A_prev zero-padded by one row and column on each side."""
    A_pad = np.pad(d.args["A_prev"], ((0, 0), (1, 1), (1, 1), (0, 0)))
    return d.reference(A_pad, d.args["hparameters"], mode=d.kwargs["mode"])[0]


def _pool_other_mode(d):
    other = "average" if d.kwargs["mode"] == "max" else "max"
    return d.reference(d.args["A_prev"], d.args["hparameters"], mode=other)[0]


POOL_FORWARD = Suite(
    "week1.pool_forward", f"{W1}:pool_forward", _pool_cases, output_names=("A", "cache"),
    summary="forward pass of a pooling layer, max or average: (A, cache)",
    hints=(
        Hint("Pooling uses no padding: n_H = int(1 + (n_H_prev - f) / stride), and the windows are sliced from "
             "A_prev itself (hparameters has no 'pad').",
             any_of(same_as(_pool_padded, part=0), error_matches("KeyError: 'pad'"))),
        Hint("The output size rounds down: n_H = int(1 + (n_H_prev - f) / stride) (floor, or //), not math.ceil: "
             "a window that would run past A_prev is not taken.", same_outcome(pool_ceil, part=0)),
        Hint("Check the mode: 'max' takes np.max of the window, 'average' takes np.mean.",
             same_as(_pool_other_mode, part=0)),
        Hint("Multiply by the stride when you place a window: vert_start = h * stride.",
             same_as(lambda d: d.reference(d.args["A_prev"], {"f": d.args["hparameters"]["f"], "stride": 1},
                                           mode=d.kwargs["mode"])[0][:, :d.expected[0].shape[1],
                                                                     :d.expected[0].shape[2], :]
                     if d.args["hparameters"]["stride"] > 1 else None, part=0)),
        Hint("Return cache = (A_prev, hparameters).",
             lambda d: isinstance(d.got, tuple) and len(d.got) == 2
             and (not isinstance(d.got[1], (tuple, list)) or len(d.got[1]) != 2)),
    ),
)


# ---- conv_backward --------------------------------------------------------------------------------------------

_CONV_BACK_SPECS = [
    (0, (10, 4, 4, 3), 2, 8, 2, 2, "the course's test"),
    (1, (2, 5, 5, 3), 3, 4, 0, 1, "pad 0"),
    (2, (1, 7, 6, 2), 3, 3, 1, 2, "stride 2 with rows left over"),
    (3, (2, 3, 4, 2), 1, 3, 1, 1, "f 1, pad 1"),
]


def _conv_back_inputs(seed, shape, f, n_C, pad, stride):
    Z, cache = _reference("conv_forward")(**_conv_inputs(seed, shape, f, n_C, pad, stride))
    (dZ,) = _normal(seed + 100, Z.shape)
    return {"dZ": dZ, "cache": cache}


def _conv_back_cases():
    return [
        Case(f"seed {seed}, A_prev {shape}, f {f}, pad {pad}, stride {stride} ({what})",
             lambda spec=(seed, shape, f, n_C, pad, stride): (_conv_back_inputs(*spec), {}))
        for seed, shape, f, n_C, pad, stride, what in _CONV_BACK_SPECS
    ]


def _padded_gradient(d):
    """dA_prev_pad, the gradient with respect to the padded input, left padded (pad > 0)."""
    dZ, (A_prev, W, b, hp) = d.args["dZ"], d.args["cache"]
    pad = hp["pad"]
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    return d.reference(dZ, (A_pad, W, b, {**hp, "pad": 0}))[0] if pad > 0 else None


def _course_unpadding(d):
    """The course's da_prev_pad[pad:-pad, pad:-pad, :], which is empty when pad = 0."""
    A_prev, pad = d.args["cache"][0], d.args["cache"][3]["pad"]
    return np.zeros((A_prev.shape[0], 0, 0, A_prev.shape[3])) if pad == 0 else None


def _any_gradient_assigned(d):
    """One of dA_prev, dW, db is what assigning (=) instead of accumulating (+=) gives."""
    wrong = conv_backward_loops(d, accumulate=False)
    return any(same_as(lambda d, k=k: wrong[k], part=k)(d) for k in range(3))


def _db_reshaped(d):
    """db with the right sums in another shape: (n_C,), or one number when n_C = 1."""
    got, want = np.asarray(d.got[2]), d.expected[2]
    return got.shape != want.shape and got.size == want.size and np.allclose(got.ravel(), want.ravel())


CONV_BACKWARD = Suite(
    "week1.conv_backward", f"{W1}:conv_backward", _conv_back_cases, output_names=("dA_prev", "dW", "db"),
    summary="backward pass of a convolution layer: (dA_prev, dW, db)",
    hints=(
        Hint("Remove the padding at the end: dA_prev[i] = da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :] "
             "(the course's [pad:-pad, pad:-pad] is empty when pad = 0).",
             any_of(same_as(_padded_gradient, part=0), same_as(_course_unpadding, part=0))),
        Hint("db sums dZ over the examples and positions, per filter: db has shape (1, 1, 1, n_C).", _db_reshaped),
        Hint("Accumulate the gradients with += over every window (windows overlap): "
             "dW[:, :, :, c] += a_slice * dZ[i, h, w, c].", _any_gradient_assigned),
        Hint("Take a_slice from a_prev_pad, the padded input, like the windows of the forward pass: "
             "a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :].",
             same_outcome(lambda d: conv_backward_loops(d, padded_slices=False)[1], part=1)),
    ),
)


# ---- create_mask_from_window, distribute_value, pool_backward ------------------------------------------------

def _mask_cases():
    shapes = [(2, 3), (3, 3), (1, 1), (4, 2), (1, 4)]
    return [Case(f"seed {seed}, x {shape}", lambda seed=seed, shape=shape: ({"x": _normal(seed, shape)[0]}, {}))
            for seed, shape in enumerate(shapes)]


def _bare_max_raised(d):
    """The line that raised calls the built-in max (``if x == np.max(x):`` raises the same error); True when
    nothing was raised or the line's source is not available."""
    frames = traceback.extract_tb(d.error.__traceback__) if d.error is not None else []
    line = frames[-1].line if frames else ""
    return not line or re.search(r"(?<![\w.])max\s*\(", line) is not None


CREATE_MASK = Suite(
    "week1.create_mask_from_window", f"{W1}:create_mask_from_window", _mask_cases,
    summary="boolean mask of the maximum of a window",
    hints=(
        Hint("Return the mask (x == np.max(x)), an array of booleans the shape of x, not the maximum itself.",
             same_as(lambda d: np.max(d.args["x"]))),
        # Python's max iterates over the rows of a 2-D array and compares rows with `>`: several rows of
        # several entries raise "The truth value of an array with more than one element is ambiguous";
        # one row comes back whole, and x == that row is all True.
        Hint("Use np.max(x), not Python's built-in max: on a 2-D array max(x) compares whole rows (\"The truth "
             "value of an array with more than one element is ambiguous\"), or returns the row itself when x has "
             "one row. mask = (x == np.max(x)).",
             lambda d: same_outcome(lambda d: d.args["x"] == max(d.args["x"]))(d) and _bare_max_raised(d)),
    ),
)


def _distribute_cases():
    specs = [(2.0, (2, 2)), (-1.5, (3, 1)), (0.7, (1, 1)), (4.0, (2, 3))]
    return [Case(f"dz {dz}, shape {shape}", lambda dz=dz, shape=shape: ({"dz": dz, "shape": shape}, {}))
            for dz, shape in specs]


DISTRIBUTE_VALUE = Suite(
    "week1.distribute_value", f"{W1}:distribute_value", _distribute_cases,
    summary="spread a gradient evenly over an average-pooling window",
    hints=(Hint("Divide dz by the number of entries of the window: average = dz / (n_H * n_W).",
                same_as(lambda d: np.full(d.args["shape"], d.args["dz"]))),),
)


def _pool_back_inputs(seed, shape, f, stride, mode):
    A, cache = _reference("pool_forward")(_normal(seed, shape)[0], {"f": f, "stride": stride}, mode=mode)
    return {"dA": _normal(seed + 100, A.shape)[0], "cache": cache}


def _pool_back_cases():
    specs = [(0, (5, 5, 3, 2), 2, 1, "max"), (0, (5, 5, 3, 2), 2, 1, "average"), (1, (2, 5, 7, 3), 2, 2, "max"),
             (2, (1, 7, 5, 2), 3, 2, "average"), (3, (2, 4, 4, 1), 3, 1, "max")]
    return [Case(f"seed {seed}, A_prev {shape}, f {f}, stride {stride}, mode {mode!r}",
                 lambda spec=(seed, shape, f, stride, mode): (_pool_back_inputs(*spec), {"mode": spec[-1]}))
            for seed, shape, f, stride, mode in specs]


POOL_BACKWARD = Suite(
    "week1.pool_backward", f"{W1}:pool_backward", _pool_back_cases,
    summary="backward pass of a pooling layer",
    hints=(
        Hint("Check the mode: 'max' routes dA through create_mask_from_window, 'average' through distribute_value.",
             same_as(lambda d: d.reference(d.args["dA"], d.args["cache"],
                                           mode="average" if d.kwargs["mode"] == "max" else "max"))),
        Hint("Windows overlap when stride < f: add into dA_prev with += rather than assigning.",
             same_as(pool_backward_assigned)),
    ),
)

SUITES = [ZERO_PAD, CONV_SINGLE_STEP, CONV_FORWARD, POOL_FORWARD, CONV_BACKWARD, CREATE_MASK, DISTRIBUTE_VALUE,
          POOL_BACKWARD]


# ---- the Keras models of the application assignment ----------------------------------------------------------

def _has(kind):
    return lambda d: hasattr(d.got, "layers") and kind not in layer_kinds(d.got)


HAPPY_MODEL = Suite(
    "week1.happyModel", f"{W1}:happyModel", lambda: [Case("happyModel() for 64x64x3 images", lambda: ({}, {}))],
    compare=compare_models, timeout=60,
    summary="ZeroPadding2D(3) -> Conv2D(32, 7x7) -> BatchNorm -> ReLU -> MaxPool -> Flatten -> Dense(1, sigmoid)",
    hints=(
        Hint("Start with ZeroPadding2D(padding=3, input_shape=(64, 64, 3)): without it the conv output is 58x58, "
             "not 64x64.", _has("ZeroPadding2D")),
        Hint("Normalise over the channels: BatchNormalization(axis=3), then ReLU, MaxPool2D, Flatten and "
             "Dense(1, activation='sigmoid').", _has("BatchNormalization")),
    ),
)

def _valid_pooling_changes_the_model(d):
    """A max-pool left with padding='valid', on an input where that changes the model's parameter count."""
    pools = [layer for layer in getattr(d.got, "layers", []) if type(layer).__name__ == "MaxPooling2D"]
    return (any(layer.get_config().get("padding") != "same" for layer in pools)
            and d.got.count_params() != d.expected.count_params())


CONVOLUTIONAL_MODEL = Suite(
    "week1.convolutional_model", f"{W1}:convolutional_model",
    lambda: [Case(f"input_shape {shape}", lambda shape=shape: ({"input_shape": shape}, {}))
             for shape in ((64, 64, 3), (32, 48, 1))],
    compare=compare_models, timeout=60,
    summary="Conv2D(8, 4x4, same) -> ReLU -> MaxPool(8, 8, same) -> Conv2D(16, 2x2, same) -> ReLU -> "
            "MaxPool(4, 4, same) -> Flatten -> Dense(6, softmax)",
    hints=(Hint("Both max-pools use padding='same': MaxPool2D(pool_size=(8, 8), strides=(8, 8), padding='same'), "
                "then pool_size=(4, 4), strides=(4, 4).", _valid_pooling_changes_the_model),),
)

SUITES += [HAPPY_MODEL, CONVOLUTIONAL_MODEL]
