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


def test_conv_transpose_hints():
    def no_crop(A_prev, W, b, hparameters):
        return conv_transpose_forward(A_prev, W, b, {**hparameters, "pad": 0 if hparameters["pad"] != "same" else "same"})

    def flipped(A_prev, W, b, hparameters):
        return conv_transpose_forward(A_prev, np.asarray(W)[::-1, ::-1], b, hparameters)

    hints = _hints(grade(no_crop, "week3.conv_transpose_forward"))
    assert hints and all("Crop the padding" in h for h in hints)
    hints = _hints(grade(flipped, "week3.conv_transpose_forward"))
    assert hints and all("Do not flip the filter" in h for h in hints)


def test_conv_block_hint_for_pooling_the_skip():
    def pooled_skip(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
        conv = _conv(_conv(inputs, n_filters), n_filters)
        if dropout_prob > 0:
            conv = keras.layers.Dropout(dropout_prob)(conv)
        if max_pooling:
            conv = keras.layers.MaxPooling2D((2, 2))(conv)
        return conv, conv

    report = grade(pooled_skip, "week3.conv_block")
    assert report.score == 0.25  # right only without pooling
    hints = _hints(report)
    assert len(hints) == 3 and all("before the pooling" in h for h in hints)


def _up(axis=3, strides=(2, 2)):
    def block(expansive_input, contractive_input, n_filters=32):
        up = keras.layers.Conv2DTranspose(n_filters, 3, strides=strides, padding="same")(expansive_input)
        merge = keras.layers.Concatenate(axis=axis)([up, contractive_input])
        return _conv(_conv(merge, n_filters), n_filters)
    return block


def test_upsampling_block_hints():
    hints = _hints(grade(_up(axis=1), "week3.upsampling_block"))
    assert len(hints) == 3 and all("channel axis" in h for h in hints)  # two raise, one builds the wrong shape
    hints = _hints(grade(_up(strides=(1, 1)), "week3.upsampling_block"))
    assert len(hints) == 3 and all("strides=(2, 2)" in h for h in hints)
    assert _hints(grade(_up(axis=-1), "week3.upsampling_block")) == []  # axis -1 is the channel axis: right
