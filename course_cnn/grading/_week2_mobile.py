"""Check suites for week 2's depthwise convolution (MobileNet's building block).

Inputs are drawn from ``numpy.random.default_rng(seed)`` with the layer's
edge cases: ``pad = 0``, ``stride > 1`` with rows left over, ``f = 1``,
``m = 1``, one channel. Each hint is shown only when the learner's output
equals what that mistake computes on the same inputs (`same_as`), so a
learner sees the advice that fits what their code actually did.
"""

from __future__ import annotations

import numpy as np

from course_cnn.grading._compare import shape_of
from course_cnn.grading._suite import Case, Hint, Suite, any_of, error_matches, same_as

W2 = "course_cnn.week2"

_DEPTHWISE_SPECS = [
    # (seed, A_prev shape, f, pad, stride, what)
    (0, (2, 5, 7, 4), 3, 1, 2, "pad 1, stride 2"),
    (1, (2, 4, 4, 3), 2, 0, 1, "pad 0"),
    (2, (1, 8, 7, 2), 3, 1, 3, "stride 3 with rows left over"),
    (3, (3, 4, 5, 6), 1, 0, 1, "f 1"),
    (4, (1, 6, 6, 1), 3, 2, 1, "m 1, one channel, pad 2"),
]


def _depthwise_inputs(seed, shape, f, pad, stride):
    rng = np.random.default_rng(seed)
    A_prev = rng.standard_normal(shape)
    W = rng.standard_normal((f, f, shape[3]))
    b = rng.standard_normal((1, 1, 1, shape[3]))
    return {"A_prev": A_prev, "W": W, "b": b, "hparameters": {"pad": pad, "stride": stride}}


def _depthwise_cases():
    return [
        Case(f"seed {seed}, A_prev {shape}, W ({f}, {f}, {shape[3]}), pad {pad}, stride {stride} ({what})",
             lambda spec=(seed, shape, f, pad, stride): (_depthwise_inputs(*spec), {}))
        for seed, shape, f, pad, stride, what in _DEPTHWISE_SPECS
    ]


def _Z(d, A_prev=None, W=None, b=None, hparameters=None):
    """The reference's Z on the case's inputs with some of them replaced (a mistake's output)."""
    args = d.args
    return d.reference(args["A_prev"] if A_prev is None else A_prev, args["W"] if W is None else W,
                       args["b"] if b is None else b, args["hparameters"] if hparameters is None else hparameters)[0]


def _summed_over_channels(d):
    # np.sum(a_slice_prev * W) with the (f, f, n_C_prev) window: every channel gets the sum of all of them
    Z0 = _Z(d, b=np.zeros_like(d.args["b"]))
    return Z0.sum(axis=-1, keepdims=True) + d.args["b"].reshape(-1)


def _one_filter_on_all_channels(d):
    # a normal convolution with filter c over all channels: Z[..., c] = sum_k sum_uv A[..., k] W[u, v, c] + b[c]
    A_prev = d.args["A_prev"]
    channel_sum = np.repeat(A_prev.sum(axis=-1, keepdims=True), A_prev.shape[-1], axis=-1)
    return _Z(d, A_prev=channel_sum)


def _stride_ignored(d):
    hp = d.args["hparameters"]
    if hp["stride"] == 1:
        return None
    n_H, n_W = d.expected[0].shape[1:3]
    return _Z(d, hparameters={"pad": hp["pad"], "stride": 1})[:, :n_H, :n_W, :]


def _Z_part(variant):
    """`same_as` on Z, the first element of ``(Z, cache)``."""
    return same_as(variant, part=0)


DEPTHWISE_CONV_FORWARD = Suite(
    "week2.depthwise_conv_forward", f"{W2}:depthwise_conv_forward", _depthwise_cases, output_names=("Z", "cache"),
    summary="forward pass of a depthwise convolution, one f x f filter per channel: (Z, cache)",
    hints=(
        Hint("Each channel has its own filter and stays on its own: Z[i, h, w, c] = "
             "np.sum(a_slice_prev[:, :, c] * W[:, :, c]) + b[0, 0, 0, c]. np.sum(a_slice_prev * W) adds up all the "
             "channels, as a normal convolution would.", _Z_part(_summed_over_channels)),
        Hint("Filter c must see channel c only: take a_slice_prev[:, :, c], not the whole (f, f, n_C_prev) window "
             "(that is a normal convolution, whose filters span every channel).", _Z_part(_one_filter_on_all_channels)),
        Hint("Add the bias of each channel: + b[0, 0, 0, c].",
             _Z_part(lambda d: _Z(d, b=np.zeros_like(d.args["b"])))),
        Hint("Multiply by the stride when you place a window: vert_start = h * stride, horiz_start = w * stride.",
             _Z_part(_stride_ignored)),
        Hint("Pad A_prev first (np.pad on the height and width axes only) and take the windows from the padded "
             "array: n_H = int((n_H_prev + 2 * pad - f) / stride) + 1.",
             _Z_part(lambda d: _Z(d, hparameters={"pad": 0, "stride": d.args["hparameters"]["stride"]})
                     if d.args["hparameters"]["pad"] > 0 else None)),
        Hint("Use the filter as it is, W[:, :, c], not flipped: a CNN's convolution is a cross-correlation.",
             _Z_part(lambda d: _Z(d, W=d.args["W"][::-1, ::-1]) if d.args["W"].shape[0] > 1 else None)),
        Hint("The output has as many channels as the input: Z = np.zeros((m, n_H, n_W, n_C_prev)); W has shape "
             "(f, f, n_C_prev), with no axis of filters.",
             any_of(lambda d: shape_of(d.got[0])[-1] != d.expected[0].shape[-1],
                    error_matches(r"not enough values to unpack \(expected 4, got 3\)"))),
        Hint("Return cache = (A_prev, W, b, hparameters), the inputs as they were given.",
             lambda d: isinstance(d.got, tuple) and len(d.got) == 2
             and (not isinstance(d.got[1], (tuple, list)) or len(d.got[1]) != 4)),
    ),
)

SUITES = [DEPTHWISE_CONV_FORWARD]
