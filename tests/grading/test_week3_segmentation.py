"""Week 3 segmentation suites: the references pass, and each classic mistake gets its hint (and only it)."""

import keras
import numpy as np
import pytest

from course_cnn.grading import grade
from course_cnn.week3 import conv_block, conv_transpose_forward, unet_model, upsampling_block


def _conv(x, n_filters):
    return keras.layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(x)


def _hints(report):
    return [line.strip() for line in str(report).splitlines() if line.strip().startswith("hint:")]


@pytest.mark.parametrize("function, key", [(conv_transpose_forward, "week3.conv_transpose_forward"),
                                           (conv_block, "week3.conv_block"),
                                           (upsampling_block, "week3.upsampling_block"),
                                           (unet_model, "week3.unet_model")])
def test_references_pass(function, key):
    report = grade(function, key)
    assert report.score == 1.0, str(report)


def _no_crop(A_prev, W, b, hparameters):
    return conv_transpose_forward(A_prev, W, b, {**hparameters, "pad": 0 if hparameters["pad"] != "same" else "same"})


def _flipped(A_prev, W, b, hparameters):
    return conv_transpose_forward(A_prev, np.asarray(W)[::-1, ::-1], b, hparameters)


def _pooled_skip(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = _conv(_conv(inputs, n_filters), n_filters)
    if dropout_prob > 0:
        conv = keras.layers.Dropout(dropout_prob)(conv)
    if max_pooling:
        conv = keras.layers.MaxPooling2D((2, 2))(conv)
    return conv, conv  # the skip taken after the pooling


def _up(axis=3, strides=(2, 2)):
    def block(expansive_input, contractive_input, n_filters=32):
        up = keras.layers.Conv2DTranspose(n_filters, 3, strides=strides, padding="same")(expansive_input)
        merge = keras.layers.Concatenate(axis=axis)([up, contractive_input])
        return _conv(_conv(merge, n_filters), n_filters)
    return block


def _unet(pool_in_bottleneck=False, pooled_skips=False):
    def unet_model(input_size=(96, 128, 3), n_filters=32, n_classes=23):
        inputs = keras.Input(input_size)
        c1 = _pooled_or_not(inputs, n_filters)
        c2 = _pooled_or_not(c1[0], n_filters * 2)
        c3 = _pooled_or_not(c2[0], n_filters * 4)
        c4 = _pooled_or_not(c3[0], n_filters * 8, 0.3)
        c5 = _pooled_or_not(c4[0], n_filters * 16, 0.3, max_pooling=pool_in_bottleneck)
        k = 0 if pooled_skips else 1
        u = _up()(c5[0], c4[k], n_filters * 8)
        u = _up()(u, c3[k], n_filters * 4)
        u = _up()(u, c2[k], n_filters * 2)
        u = _up()(u, c1[k], n_filters)
        return keras.Model(inputs, keras.layers.Conv2D(n_classes, 1, padding="same")(_conv(u, n_filters)))
    return unet_model


def _pooled_or_not(inputs, n_filters, dropout_prob=0, max_pooling=True):
    conv = _conv(_conv(inputs, n_filters), n_filters)
    if dropout_prob > 0:
        conv = keras.layers.Dropout(dropout_prob)(conv)
    return (keras.layers.MaxPooling2D((2, 2))(conv) if max_pooling else conv), conv


# (exercise, a learner's wrong implementation, the hint it must get, how many of the cases show it)
MISTAKES = [
    ("week3.conv_transpose_forward", _no_crop, "Crop the padding", 2),
    ("week3.conv_transpose_forward", _flipped, "Do not flip the filter", 5),  # f = 1: flipping changes nothing
    ("week3.conv_block", _pooled_skip, "before the pooling", 3),
    ("week3.upsampling_block", _up(axis=1), "channel axis", 3),  # two raise, one builds the wrong shape
    ("week3.upsampling_block", _up(strides=(1, 1)), "strides=(2, 2)", 3),
    ("week3.unet_model", _unet(pool_in_bottleneck=True), "The bottleneck has no pooling", 2),
    ("week3.unet_model", _unet(pooled_skips=True), "skip connection (cblockN[1])", 2),
]


@pytest.mark.parametrize("key, wrong, hint, count", MISTAKES, ids=[f"{m[0]}-{m[2]}" for m in MISTAKES])
def test_mistake_gets_its_hint_and_only_it(key, wrong, hint, count):
    hints = _hints(grade(wrong, key))
    assert len(hints) == count and all(hint in h for h in hints), hints


def test_right_variants_get_no_hint():
    assert _hints(grade(_up(axis=-1), "week3.upsampling_block")) == []  # axis -1 is the channel axis: right
    assert grade(_unet(), "week3.unet_model").score == 1.0  # the same model written with plain layers
