"""Check suites for week 2: the ResNet identity and convolutional blocks, and ResNet-50.

The blocks run eagerly on random inputs with a seeded initializer passed as
``initializer`` (every kernel ``initializer(seed=0)``, as the course asks),
in training and inference mode, so their values can be compared with our
blocks'. ResNet-50 is compared layer by layer: the kind, output shape and
parameter count of every layer (in any order), the output shape, and the
total parameter count.
"""

from __future__ import annotations

import numpy as np

from course_cnn.grading._compare import outputs_close
from course_cnn.grading._models import compare_models
from course_cnn.grading._report import CheckResult
from course_cnn.grading._suite import Case, Hint, Suite, error_matches, same_as

W2 = "course_cnn.week2"
_TOL = {"rtol": 1e-3, "atol": 1e-4}


def seeded_uniform(seed=0):
    """The initializer the cases pass: uniform in [-0.3, 0.3], the same values for the same seed and shape."""
    import keras

    return keras.initializers.RandomUniform(-0.3, 0.3, seed=seed)


def _block_cases(specs, with_stride):
    cases = []
    for seed, shape, f, filters, s, training in specs:
        def make(seed=seed, shape=shape, f=f, filters=filters, s=s, training=training):
            X = np.random.default_rng(seed).normal(0, 1, shape).astype("float32")
            kwargs = {"training": training, "initializer": seeded_uniform}
            if with_stride:
                kwargs["s"] = s
            return {"X": X, "f": f, "filters": list(filters)}, kwargs

        stride = f", s {s}" if with_stride else ""
        cases.append(Case(f"seed {seed}, X {shape}, f {f}, filters {list(filters)}{stride}, training {training}",
                          make))
    return cases


_IDENTITY_SPECS = [(0, (3, 4, 4, 3), 2, (4, 4, 3), None, False), (0, (3, 4, 4, 3), 2, (4, 4, 3), None, True),
                   (1, (2, 5, 5, 8), 3, (2, 4, 8), None, True), (2, (1, 3, 3, 4), 1, (4, 2, 4), None, False)]
_CONV_SPECS = [(0, (3, 4, 4, 3), 2, (2, 4, 6), 2, False), (1, (2, 6, 6, 3), 3, (4, 4, 8), 2, True),
               (2, (2, 7, 7, 3), 3, (2, 3, 5), 3, True), (3, (1, 5, 5, 4), 2, (3, 3, 6), 1, False)]


def _flipped_training(d):
    return d.reference(*d.args.values(), **{**d.kwargs, "training": not d.kwargs["training"]})


def _main_path(d, relu=True):
    """The block's main path alone, as the learner's layers compute it: what a block without the shortcut returns.

    Same layers, same seeded initializer (so the same kernels), same training
    flag: conv 1x1 (stride s) - BN - ReLU - conv f x f same - BN - ReLU - conv 1x1 - BN [- ReLU].
    """
    from keras.layers import Activation, BatchNormalization, Conv2D

    X, f, (F1, F2, F3) = d.args["X"], d.args["f"], d.args["filters"]
    s, training, initializer = d.kwargs.get("s", 1), d.kwargs["training"], d.kwargs["initializer"]
    for n_filters, size, stride, padding, last in ((F1, 1, s, "valid", False), (F2, f, 1, "same", False),
                                                   (F3, 1, 1, "valid", True)):
        X = Conv2D(n_filters, size, strides=(stride, stride), padding=padding,
                   kernel_initializer=initializer(seed=0))(X)
        X = BatchNormalization(axis=3)(X, training=training)
        if relu or not last:
            X = Activation("relu")(X)
    return X


def _relu_forgotten(d):
    """The output before the final ReLU (negative somewhere): ReLU of it is the right output, or it is the
    main path without shortcut nor ReLU."""
    got = np.asarray(d.got, dtype=np.float64)
    if float(got.min()) >= 0:
        return False
    return outputs_close(np.maximum(got, 0.0), d.expected, **_TOL) or same_as(
        lambda d: _main_path(d, relu=False), **_TOL)(d)


def _block_hints(shortcut_text):
    return (
        Hint("End with the shortcut and the ReLU: X = Add()([X, X_shortcut]) then Activation('relu')(X); the "
             "output of a block is never negative.", _relu_forgotten),
        Hint("Add the shortcut back before the last ReLU: X = Add()([X, X_shortcut]), then Activation('relu')(X); "
             "without it the block is a plain stack of convolutions.", same_as(_main_path, **_TOL)),
        Hint("Pass training on to every BatchNormalization: BatchNormalization(axis=3)(X, training=training).",
             same_as(_flipped_training, **_TOL)),
        Hint(shortcut_text, error_matches("incompatible shapes|shapes must be equal|cannot be broadcast|"
                                          "Inputs have incompatible|must have the same shape")),
    )


IDENTITY_BLOCK = Suite(
    "week2.identity_block", f"{W2}:identity_block", lambda: _block_cases(_IDENTITY_SPECS, False), **_TOL, timeout=30,
    summary="ResNet identity block: 1x1 -> fxf same -> 1x1, BatchNorm, shortcut added before the ReLU",
    hints=_block_hints("The main path must keep the input's shape: the 1x1 convs use padding='valid', the middle "
                       "f x f conv padding='same', and the last conv has F3 = n_C_prev filters."),
)

CONVOLUTIONAL_BLOCK = Suite(
    "week2.convolutional_block", f"{W2}:convolutional_block", lambda: _block_cases(_CONV_SPECS, True), **_TOL,
    timeout=30,
    summary="ResNet convolutional block: strided main path and a 1x1 conv + BatchNorm on the shortcut",
    hints=_block_hints("The shortcut needs its own Conv2D(F3, (1, 1), strides=(s, s), padding='valid') and "
                       "BatchNormalization(axis=3), and the first main-path conv has strides=(s, s), so that both "
                       "paths have the same shape."),
)


# ---- ResNet50 -------------------------------------------------------------------------------------------------

def _resnet_cases():
    specs = [((64, 64, 3), 6, "the course's SIGNS shapes"), ((64, 64, 1), 10, "one channel, 10 classes")]
    return [Case(f"input_shape {shape}, classes {classes} ({what})",
                 lambda shape=shape, classes=classes: ({"input_shape": shape, "classes": classes}, {}))
            for shape, classes, what in specs]


def _stage_shapes(model) -> list:
    """Output shapes of the blocks' last 1x1 convs (F3 = 256, 512, 1024, 2048), with or without shortcuts."""
    return sorted({tuple(layer.output.shape) for layer in model.layers if type(layer).__name__ == "Conv2D"
                   and layer.get_config().get("filters") in (256, 512, 1024, 2048)})


def _n_layers(model, kind) -> int:
    return sum(type(layer).__name__ == kind for layer in model.layers)


RESNET50 = Suite(
    "week2.ResNet50", f"{W2}:ResNet50", _resnet_cases, compare=compare_models, timeout=120,
    summary="the course's ResNet-50 (stage outputs 15x15x256, 8x8x512, 4x4x1024, 2x2x2048 for 64x64 input)",
    hints=(
        Hint("Check the strides of the stages: stage 2 starts with convolutional_block(..., s=1), stages 3, 4 and 5 "
             "with s=2 (64x64 input: 15x15x256, 8x8x512, 4x4x1024, 2x2x2048).",
             lambda d: hasattr(d.got, "layers") and _stage_shapes(d.got) != _stage_shapes(d.expected)),
        Hint("Check the number of blocks per stage: 1 convolutional + 2, 3, 5, 2 identity blocks (3, 4, 6, 3 "
             "blocks in all).", lambda d: hasattr(d.got, "layers")  # 3 convs a block, 4 on the shortcuts, 1 stem
             and _n_layers(d.got, "Conv2D") != _n_layers(d.expected, "Conv2D")
             and (_n_layers(d.got, "Conv2D") - 1 - 4) % 3 == 0),
        Hint("Finish with AveragePooling2D((2, 2)), Flatten() and Dense(classes, activation='softmax').",
             lambda d: hasattr(d.got, "layers") and _n_layers(d.got, "AveragePooling2D") == 0),
    ),
)

SUITES = [IDENTITY_BLOCK, CONVOLUTIONAL_BLOCK, RESNET50]


# ---- data_augmenter -------------------------------------------------------------------------------------------

def _augmenter_rows(model) -> list:
    rows = []
    for layer in getattr(model, "layers", []):
        config = layer.get_config()
        factor = config.get("factor")
        if isinstance(factor, (list, tuple)) and len(factor) == 2 and factor[0] == -factor[1]:
            factor = factor[1]  # RandomRotation(0.2) and RandomRotation((-0.2, 0.2)) are the same layer
        rows.append(f"{type(layer).__name__}(mode={config.get('mode')!r}, factor={factor!r})")
    return rows


def _compare_augmenters(expected, got, suite=None):
    import keras

    if not isinstance(got, (keras.Sequential, keras.Model)):
        return (CheckResult("datatype", False, f"expected a keras.Sequential, got {type(got).__name__}"),
                CheckResult("shape", False, "not checked"), CheckResult("output", False, "not checked"))
    want, have = _augmenter_rows(expected), _augmenter_rows(got)
    shape = CheckResult("shape", len(want) == len(have), f"expected {len(want)} layers, got {len(have)}")
    output = CheckResult("output", want == have, f"expected layers {want}, got {have}")
    return CheckResult("datatype", True), shape, output


DATA_AUGMENTER = Suite(
    "week2.data_augmenter", f"{W2}:data_augmenter", lambda: [Case("data_augmenter()", lambda: ({}, {}))],
    compare=_compare_augmenters, timeout=30, summary="Sequential([RandomFlip('horizontal'), RandomRotation(0.2)])",
    hints=(Hint("Add the two layers in this order: RandomFlip('horizontal'), then RandomRotation(0.2).",
                lambda d: hasattr(d.got, "layers") and _augmenter_rows(d.got) != _augmenter_rows(d.expected)),),
)

SUITES.append(DATA_AUGMENTER)
