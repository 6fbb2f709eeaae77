"""Check suites for week 3's segmentation exercises: the transposed convolution and the U-Net builders.

``conv_transpose_forward`` is graded on values (random inputs, strides 1 to
3, int pads and ``"same"``). The U-Net builders return Keras tensors, whose
values depend on the random ``he_normal`` initialisation, so they are graded
on structure, as the course's own tests do: the blocks are called on
``keras.Input`` tensors, a model is built from the inputs to the outputs,
and every layer's kind, output shape, parameter count and (for Conv2D)
padding, activation and initializer are compared as a multiset, with the
output shapes. Each hint builds the mistake itself on the same inputs and
shows only when the learner's structure (or error) is the mistake's.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from course_cnn.grading._report import CheckResult
from course_cnn.grading._suite import Case, Hint, Suite, same_as

W3 = "course_cnn.week3"


# ---- conv_transpose_forward -----------------------------------------------------------------------------------

_CT_SPECS = [
    # (seed, A_prev shape, f, n_C, pad, stride, what)
    (0, (2, 2, 2, 1), 3, 1, 1, 2, "the lecture's 2x2 -> 3x3 (f 3, stride 2, pad 1)"),
    (1, (2, 3, 4, 3), 3, 2, 0, 2, "pad 0: the full output"),
    (2, (1, 4, 3, 2), 2, 3, 0, 3, "stride 3 > f: gaps between copies"),
    (3, (2, 3, 3, 2), 4, 2, 1, 1, "stride 1, f 4"),
    (4, (2, 3, 5, 4), 3, 2, "same", 2, 'pad "same" (TensorFlow\'s): 2 n_prev'),
    (5, (1, 2, 2, 3), 1, 4, 0, 2, "f 1 < stride"),
]


def _ct_inputs(seed, shape, f, n_C, pad, stride):
    rng = np.random.default_rng(seed)
    A_prev = rng.standard_normal(shape)
    W = rng.standard_normal((f, f, shape[3], n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return {"A_prev": A_prev, "W": W, "b": b, "hparameters": {"stride": stride, "pad": pad}}


def _ct_cases():
    return [Case(f"seed {seed}, A_prev {shape}, f {f}, pad {pad}, stride {stride} ({what})",
                 lambda spec=(seed, shape, f, n_C, pad, stride): (_ct_inputs(*spec), {}))
            for seed, shape, f, n_C, pad, stride, what in _CT_SPECS]


def _ct_variant(d, **changes):
    a = d.args
    return d.reference(changes.get("A_prev", a["A_prev"]), changes.get("W", a["W"]), changes.get("b", a["b"]),
                       {**a["hparameters"], **changes.get("hparameters", {})})[0]


CONV_TRANSPOSE_FORWARD = Suite(
    "week3.conv_transpose_forward", f"{W3}:conv_transpose_forward", _ct_cases, output_names=("Z", "cache"),
    summary="transposed convolution: each input value times the filter, added at stride steps, p cropped",
    hints=(
        Hint("Crop the padding: after adding every copy into the full output of (n_prev - 1) * stride + f rows, "
             "keep Z_full[:, pad : n_full - pad, pad : n_full - pad, :].",
             same_as(lambda d: _ct_variant(d, hparameters={"pad": 0}) if d.args["hparameters"]["pad"] != 0 else None,
                     part=0)),
        Hint("Add the bias b[..., c] of each output channel, once per output value (after the copies are summed).",
             same_as(lambda d: _ct_variant(d, b=0 * d.args["b"]), part=0)),
        Hint("Do not flip the filter: a transposed convolution adds A_prev[i, h, w, k] * W[:, :, k, :] as it is "
             "(W[u, v] lands at row h * stride + u, column w * stride + v).",
             same_as(lambda d: _ct_variant(d, W=d.args["W"][::-1, ::-1]), part=0)),
    ),
)


# ---- the U-Net builders: structure -----------------------------------------------------------------------------

def _graph_inputs(tensors):
    """The keras.Input tensors a set of symbolic tensors was computed from (by walking their history)."""
    inputs, seen, stack = [], set(), list(tensors)
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        operation, node_index, _ = tensor._keras_history
        node = operation._inbound_nodes[node_index]
        if node.is_input:
            inputs.append(tensor)
        else:
            stack.extend(node.input_tensors)
    return sorted(inputs, key=lambda t: t.name)


def _as_tensors(output):
    return list(output) if isinstance(output, (tuple, list)) else [output]


def _is_symbolic(x):
    return hasattr(x, "_keras_history") and hasattr(x, "shape")


def _structure(output):
    """(output shapes, multiset of layer rows) of a block's or model's output; None for anything else."""
    import keras

    if isinstance(output, keras.Model):
        model, shapes = output, tuple(tuple(t.shape) for t in output.outputs)
    else:
        tensors = _as_tensors(output)
        if not tensors or not all(_is_symbolic(t) for t in tensors):
            return None
        model = keras.Model(inputs=_graph_inputs(tensors), outputs=tensors)
        shapes = tuple(tuple(t.shape) for t in tensors)
    rows = []
    for layer in model.layers:
        row = (type(layer).__name__, tuple(layer.output.shape), int(layer.count_params()))
        if type(layer) is keras.layers.Conv2D:
            row += (layer.padding, layer.activation.__name__, type(layer.kernel_initializer).__name__)
        elif type(layer) is keras.layers.Dropout:
            row += (float(layer.rate),)
        elif type(layer) is keras.layers.Conv2DTranspose:
            row += (tuple(layer.strides), layer.padding)
        rows.append(row)
    return shapes, Counter(rows)


def _describe_row(row):
    return f"{row[0]} {row[1]} ({row[2]:,} parameters{', ' + ', '.join(map(str, row[3:])) if row[3:] else ''})"


def compare_structure(expected, got, suite=None):
    """Datatype (Keras tensors or model), shape (the outputs') and output (every layer's row) checks."""
    want, have = _structure(expected), _structure(got)
    if have is None:
        fail = CheckResult("datatype", False, f"expected Keras tensors built on the inputs (or a keras.Model), "
                                              f"got {type(got).__name__}")
        return fail, CheckResult("shape", False, "not checked"), CheckResult("output", False, "not checked")
    datatype = CheckResult("datatype", True)
    shape = CheckResult("shape", want[0] == have[0], "" if want[0] == have[0]
                        else f"expected output shapes {list(want[0])}, got {list(have[0])}")
    missing, extra = want[1] - have[1], have[1] - want[1]
    problems = []
    if missing:
        problems.append(f"first missing layer: {_describe_row(next(iter(missing)))}")
    if extra:
        problems.append(f"first unexpected layer: {_describe_row(next(iter(extra)))}")
    return datatype, shape, CheckResult("output", not problems, "; ".join(problems))


def _same_structure_as(build_mistake):
    """Hint test: the learner built (or failed to build) exactly what the mistake builds, and that is not right."""

    def applies(d):
        try:
            wrong = build_mistake(d)
        except Exception as exc:  # the mistake raises: does the learner's function raise the same?
            return d.error is not None and type(exc) is type(d.error) and _shapes_in(exc) == _shapes_in(d.error)
        if d.error is not None or wrong is None:
            return False
        return _structure(d.got) == _structure(wrong) != _structure(d.expected)

    return applies


def _shapes_in(exc):
    import re

    # in order: Concatenate lists [up, skip], and the two U-Net mistakes differ only in which is the larger
    return re.findall(r"\((?:None|\d+)(?:, (?:None|\d+))*\)", str(exc))


def _conv(x, n_filters):
    import keras

    return keras.layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(x)


# ---- conv_block ------------------------------------------------------------------------------------------------

_BLOCK_SPECS = [((96, 128, 3), 32, 0, True, "the course's first test"),
                ((96, 128, 3), 1024, 0.1, True, "the course's second test: dropout 0.1"),
                ((12, 16, 64), 8, 0.3, False, "no pooling (the bottleneck)"),
                ((24, 32, 16), 4, 0, True, "small")]


def _block_cases():
    import keras

    cases = []
    for shape, n_filters, dropout, pooling, what in _BLOCK_SPECS:
        def make(shape=shape, n_filters=n_filters, dropout=dropout, pooling=pooling):
            return {"inputs": keras.Input(shape), "n_filters": n_filters, "dropout_prob": dropout,
                    "max_pooling": pooling}, {}
        cases.append(Case(f"inputs {shape}, n_filters {n_filters}, dropout_prob {dropout}, max_pooling {pooling} "
                          f"({what})", make))
    return cases


def _pooled_skip(d):
    """The skip connection taken after the pooling: (pool, pool)."""
    import keras

    a = d.args
    if not a["max_pooling"]:
        return None
    conv = _conv(_conv(a["inputs"], a["n_filters"]), a["n_filters"])
    if a["dropout_prob"] > 0:
        conv = keras.layers.Dropout(a["dropout_prob"])(conv)
    pool = keras.layers.MaxPooling2D((2, 2))(conv)
    return pool, pool


CONV_BLOCK = Suite(
    "week3.conv_block", f"{W3}:conv_block", _block_cases, compare=compare_structure, timeout=60,
    output_names=("next_layer", "skip_connection"),
    summary="U-Net down block: two 3x3 same ReLU he_normal convs, optional dropout, optional 2x2 max pooling",
    hints=(
        Hint("Take the skip connection before the pooling: skip_connection = conv (after the dropout), then "
             "next_layer = MaxPooling2D(pool_size=(2, 2))(conv). The up path needs the full-size activations.",
             _same_structure_as(_pooled_skip)),
    ),
)


# ---- upsampling_block ------------------------------------------------------------------------------------------

_UP_SPECS = [((12, 16, 256), (24, 32, 128), 32, "the course's test"),
             ((6, 8, 16), (12, 16, 8), 8, "n_filters equal to the skip's channels"),
             ((3, 4, 8), (6, 8, 4), 2, "small")]


def _up_cases():
    import keras

    return [Case(f"expansive_input {e}, contractive_input {c}, n_filters {n} ({what})",
                 lambda e=e, c=c, n=n: ({"expansive_input": keras.Input(e), "contractive_input": keras.Input(c),
                                         "n_filters": n}, {}))
            for e, c, n, what in _UP_SPECS]


def _up_mistake(d, axis=3, strides=(2, 2)):
    import keras

    a = d.args
    up = keras.layers.Conv2DTranspose(a["n_filters"], 3, strides=strides, padding="same")(a["expansive_input"])
    merge = keras.layers.Concatenate(axis=axis)([up, a["contractive_input"]])
    return _conv(_conv(merge, a["n_filters"]), a["n_filters"])


def _wrong_axis(d):
    """Concatenated on the height (axis 1) or the width (axis 2): the same layers, or the same error."""
    return any(_same_structure_as(lambda d, axis=axis: _up_mistake(d, axis=axis))(d) for axis in (1, 2))


UPSAMPLING_BLOCK = Suite(
    "week3.upsampling_block", f"{W3}:upsampling_block", _up_cases, compare=compare_structure, timeout=60,
    summary="U-Net up block: 3x3 transposed conv (stride 2, same), concatenate with the skip, two 3x3 convs",
    hints=(
        Hint("Concatenate on the channel axis: concatenate([up, contractive_input], axis=3). Axes 1 and 2 are the "
             "height and width; the up path and the skip must be stacked channel by channel.", _wrong_axis),
        Hint("Give the transposed convolution strides=(2, 2): it must double the height and width to match the skip "
             "connection (Conv2DTranspose(n_filters, 3, strides=(2, 2), padding='same')).",
             _same_structure_as(lambda d: _up_mistake(d, strides=(1, 1)))),
    ),
)


# ---- unet_model ------------------------------------------------------------------------------------------------

def _unet_cases():
    return [Case(f"input_size {size}, n_filters {n}, n_classes {c} ({what})",
                 lambda size=size, n=n, c=c: ({"input_size": size, "n_filters": n, "n_classes": c}, {}))
            for size, n, c, what in [((96, 128, 3), 32, 23, "the course's defaults"),
                                     ((32, 48, 3), 4, 5, "small, 5 classes")]]


def _unet_mistake(d, pooled_bottleneck=False, pooled_skips=False):
    """The course's U-Net written with plain layers, with one mistake: what a learner's code builds (or raises)."""
    import keras

    def down(x, n_filters, dropout=0.0, pool=True):
        conv = _conv(_conv(x, n_filters), n_filters)
        if dropout:
            conv = keras.layers.Dropout(dropout)(conv)
        return (keras.layers.MaxPooling2D((2, 2))(conv) if pool else conv), conv

    def up(x, skip, n_filters):
        x = keras.layers.Conv2DTranspose(n_filters, 3, strides=(2, 2), padding="same")(x)
        return _conv(_conv(keras.layers.Concatenate(axis=3)([x, skip]), n_filters), n_filters)

    size, n, n_classes = d.args["input_size"], d.args["n_filters"], d.args["n_classes"]
    inputs = keras.Input(size)
    c1 = down(inputs, n)
    c2 = down(c1[0], 2 * n)
    c3 = down(c2[0], 4 * n)
    c4 = down(c3[0], 8 * n, 0.3)
    c5 = down(c4[0], 16 * n, 0.3, pool=pooled_bottleneck)
    skip = 0 if pooled_skips else 1  # cblockN[0] is the pooled output, cblockN[1] the skip connection
    x = up(c5[0], c4[skip], 8 * n)
    x = up(x, c3[skip], 4 * n)
    x = up(x, c2[skip], 2 * n)
    x = up(x, c1[skip], n)
    out = keras.layers.Conv2D(n_classes, 1, padding="same")(_conv(x, n))
    return keras.Model(inputs, out)


UNET_MODEL = Suite(
    "week3.unet_model", f"{W3}:unet_model", _unet_cases, compare=compare_structure, timeout=120,
    summary="the course's U-Net: down blocks n, 2n, 4n, 8n, bottleneck 16n, four up blocks, 3x3 conv, 1x1 logits",
    hints=(
        Hint("The bottleneck has no pooling: conv_block(cblock4[0], n_filters * 16, dropout_prob=0.3, "
             "max_pooling=False); with it the first up block's output no longer matches cblock4's skip.",
             _same_structure_as(lambda d: _unet_mistake(d, pooled_bottleneck=True))),
        Hint("Pass each down block's skip connection (cblockN[1]) to the up block of the same size, and the output "
             "of the block below (cblock5[0], then ublock6, ...) as its expansive_input.",
             _same_structure_as(lambda d: _unet_mistake(d, pooled_skips=True))),
        Hint("End with Conv2D(n_filters, 3, activation='relu', padding='same', kernel_initializer='he_normal') and "
             "Conv2D(n_classes, 1, padding='same'): logits, one channel per class.",
             lambda d: _structure(d.got) is not None and _structure(d.got)[0] != _structure(d.expected)[0]
             and _structure(d.got)[0][0][:3] == _structure(d.expected)[0][0][:3]),
    ),
)

SUITES = [CONV_TRANSPOSE_FORWARD, CONV_BLOCK, UPSAMPLING_BLOCK, UNET_MODEL]
