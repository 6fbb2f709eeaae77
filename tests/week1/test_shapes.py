"""Output sizes and parameter counts, against hand arithmetic and Keras."""

import re

import numpy as np
import pytest

from course_cnn.week1 import conv_forward, conv_output_shape, conv_parameter_count, dense_parameter_count, same_padding


@pytest.mark.parametrize(
    "input_shape, f, n_filters, stride, pad, expected",
    [
        ((6, 6, 1), 3, 1, 1, 0, (4, 4, 1)),  # 6 - 3 + 1 = 4, the edge-detection example
        ((6, 6, 1), 3, 1, 1, 1, (6, 6, 1)),  # 6 + 2 - 3 + 1 = 6: "same"
        ((7, 7, 3), 3, 2, 2, 0, (3, 3, 2)),  # (7 - 3)/2 + 1 = 3
        ((8, 9, 3), 3, 5, 2, 0, (3, 4, 5)),  # floor(5/2) + 1 = 3, floor(6/2) + 1 = 4
        ((32, 32, 3), 5, 6, 1, 0, (28, 28, 6)),  # the "why convolutions" layer
        ((39, 39, 3), 3, 10, 1, 0, (37, 37, 10)),  # the lecture's ConvNet example, layer 1
        ((37, 37, 10), 5, 20, 2, 0, (17, 17, 20)),  # layer 2: floor(32/2) + 1 = 17
        ((17, 17, 20), 5, 40, 2, 0, (7, 7, 40)),  # layer 3: floor(12/2) + 1 = 7
        ((14, 1), 5, 16, 1, 0, (10, 16)),  # 1-D: a 14-sample signal, 16 filters of size 5
        ((14, 14, 14, 1), 5, 16, 1, 0, (10, 10, 10, 16)),  # 3-D: a 14x14x14 volume, 16 filters 5x5x5
        ((10, 10, 10, 16), 5, 32, 1, 0, (6, 6, 6, 32)),  # the next 3-D layer
    ],
)
def test_conv_output_shape(input_shape, f, n_filters, stride, pad, expected):
    assert conv_output_shape(input_shape, f, n_filters, stride=stride, pad=pad) == expected


@pytest.mark.parametrize("n_H, n_W, f, stride, pad", [(7, 8, 3, 2, 1), (9, 9, 4, 3, 2), (5, 6, 1, 1, 0)])
def test_conv_output_shape_agrees_with_conv_forward(n_H, n_W, f, stride, pad):
    rng = np.random.default_rng(0)
    Z, _ = conv_forward(rng.standard_normal((1, n_H, n_W, 2)), rng.standard_normal((f, f, 2, 3)), np.zeros((1, 1, 1, 3)), {"stride": stride, "pad": pad})
    assert Z.shape[1:] == conv_output_shape((n_H, n_W, 2), f, 3, stride, pad)


@pytest.mark.parametrize("input_shape, f, stride, pad", [((14, 1), 5, 1, 0), ((15, 3), 3, 2, 1), ((14, 14, 14, 1), 5, 1, 0), ((9, 8, 7, 2), 3, 2, 1)])
def test_conv_output_shape_agrees_with_keras_1d_3d(input_shape, f, stride, pad):
    import keras

    layer = {2: keras.layers.Conv1D, 4: keras.layers.Conv3D}[len(input_shape)](4, f, strides=stride)
    padded = tuple(n + 2 * pad for n in input_shape[:-1]) + input_shape[-1:]
    assert layer.compute_output_shape((None,) + padded)[1:] == conv_output_shape(input_shape, f, 4, stride, pad)


def test_conv_output_shape_errors():
    with pytest.raises(ValueError, match=re.escape("`input_shape` must be a tuple (*spatial, n_C_prev) with 1 to 3 spatial dimensions, channels last, no batch axis; got (14,).")):
        conv_output_shape((14,), 5, 16)
    with pytest.raises(ValueError, match=re.escape("got (1, 2, 2, 2, 2).")):
        conv_output_shape((1, 2, 2, 2, 2), 1, 1)
    with pytest.raises(ValueError, match=re.escape("`f` must be at most the smallest padded spatial size min(n) + 2 * pad = 6; got 7.")):
        conv_output_shape((4, 5, 3), 7, 2, pad=1)
    with pytest.raises(ValueError, match=re.escape("`stride` must be a positive int; got 0.")):
        conv_output_shape((6, 6, 3), 3, 2, stride=0)
    with pytest.raises(ValueError, match=re.escape("`pad` must be a non-negative int; got -1.")):
        conv_output_shape((6, 6, 3), 3, 2, pad=-1)
    with pytest.raises(ValueError, match=re.escape("`input_shape[1]` must be a positive int; got 0.")):
        conv_output_shape((6, 0, 3), 3, 2)


def test_same_padding_keeps_size():
    for f in (1, 3, 5, 7, 11):
        p = same_padding(f)
        assert conv_output_shape((20, 20, 3), f, 1, pad=p) == (20, 20, 1)  # n + 2p - f + 1 = n
    with pytest.raises(ValueError, match=re.escape("`f` must be odd for symmetric 'same' padding (p = (f - 1) / 2 must be an int); got 4.")):
        same_padding(4)


def test_parameter_counts_from_the_notes():
    # one layer: 3x3x3 filters (27 weights + 1 bias = 28), two of them: 56
    assert conv_parameter_count(3, 3, 2) == 56
    # 32x32x3 -> 28x28x6 with f = 5: (5*5*3 + 1) * 6 = 456; the notes' 156 = (5*5 + 1) * 6 drops the 3 channels
    assert conv_parameter_count(5, 3, 6) == 456
    assert conv_parameter_count(5, 1, 6) == 156
    # a dense layer between the same volumes: 3072 * 4704 weights + 4704 biases, about 14 million
    assert dense_parameter_count(32 * 32 * 3, 28 * 28 * 6) == 3072 * 4704 + 4704 == 14_455_392


def test_parameter_counts_agree_with_keras():
    import keras

    layer = keras.layers.Conv2D(6, 5)
    layer.build((None, 32, 32, 3))
    assert layer.count_params() == conv_parameter_count(5, 3, 6)
    dense = keras.layers.Dense(10)
    dense.build((None, 20))
    assert dense.count_params() == dense_parameter_count(20, 10)
    with pytest.raises(ValueError, match=re.escape("`n_C` must be a positive int; got 0.")):
        conv_parameter_count(3, 3, 0)
