"""1x1 convolutions, the Inception module, GoogLeNet and the multiplication counts."""

import keras
import numpy as np
import pytest

from course_cnn.week2 import conv_multiplications, googlenet, inception_module, one_by_one_conv
from course_cnn.week2.inception import GOOGLENET_MODULES
from tests.week2._harness import assert_named, assert_round_trip


@pytest.mark.parametrize("n_C_prev, n_C", [(192, 32), (3, 5), (1, 1)])
def test_one_by_one_conv_is_a_dense_layer_at_every_pixel(n_C_prev, n_C):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 6, n_C_prev)).astype(np.float32)
    inputs = keras.Input((5, 6, n_C_prev))
    conv_model = keras.Model(inputs, one_by_one_conv(inputs, n_C, activation="relu", name="c"))
    kernel, bias = conv_model.get_layer("c").get_weights()  # kernel (1, 1, n_C_prev, n_C)
    bias = rng.normal(size=bias.shape).astype(np.float32)
    conv_model.get_layer("c").set_weights([kernel, bias])
    dense = keras.layers.Dense(n_C, activation="relu")
    dense.build((None, n_C_prev))
    dense.set_weights([kernel.reshape(n_C_prev, n_C), bias])
    per_pixel = dense(x.reshape(-1, n_C_prev)).numpy().reshape(2, 5, 6, n_C)  # (m * n_H * n_W, n_C) -> image
    np.testing.assert_allclose(conv_model(x).numpy(), per_pixel, rtol=1e-5, atol=1e-5)
    # and the plain numpy formula z[h, w, c] = sum_k a[h, w, k] W[k, c] + b[c]
    np.testing.assert_allclose(per_pixel, np.maximum(np.einsum("mhwk,kc->mhwc", x, kernel[0, 0]) + bias, 0),
                               rtol=1e-4, atol=1e-4)


def test_one_by_one_conv_shrinks_channels():
    inputs = keras.Input((28, 28, 192))
    model = keras.Model(inputs, one_by_one_conv(inputs, 32))
    assert model.output_shape == (None, 28, 28, 32)
    assert model.count_params() == (192 + 1) * 32  # 6,176


def test_conv_multiplications_lecture_numbers():
    # 28*28*32 outputs, each a 5*5*192 dot product: 784*32*4800 = 120,422,400 (~120 million)
    assert conv_multiplications((28, 28, 192), 5, 32) == 28 * 28 * 32 * 5 * 5 * 192 == 120_422_400
    # 1x1 to 16 channels: 28*28*16*192 = 2,408,448; then 5x5: 28*28*32*5*5*16 = 10,035,200; total ~12.4 million
    assert conv_multiplications((28, 28, 192), 5, 32, bottleneck=16) == 2_408_448 + 10_035_200 == 12_443_648


def test_conv_multiplications_matches_a_counted_loop():
    # count the multiplications of a naive same-padded conv by looping over outputs
    n_H, n_W, n_C_prev, f, n_C = 3, 4, 2, 3, 5
    count = sum(f * f * n_C_prev for _ in range(n_H) for _ in range(n_W) for _ in range(n_C))
    assert conv_multiplications((n_H, n_W, n_C_prev), f, n_C) == count


def module_params(n, F1, R3, F3, R5, F5, P):
    return (n + 1) * F1 + (n + 1) * R3 + (9 * R3 + 1) * F3 + (n + 1) * R5 + (25 * R5 + 1) * F5 + (n + 1) * P


def test_inception_module_shape_and_params():
    inputs = keras.Input((28, 28, 192))
    y = inception_module(inputs, 64, 96, 128, 16, 32, 32, name="inception_3a")
    model = keras.Model(inputs, y)
    assert model.output_shape == (None, 28, 28, 256)  # 64 + 128 + 32 + 32
    # 193*64 + 193*96 + 865*128 + 193*16 + 401*32 + 193*32 = 163,696
    assert model.count_params() == module_params(192, 64, 96, 128, 16, 32, 32) == 163_696


def test_googlenet_parameter_count_and_shapes():
    model = googlenet()
    n_C, total = 192, 0
    for F1, R3, F3, R5, F5, P in GOOGLENET_MODULES.values():
        total += module_params(n_C, F1, R3, F3, R5, F5, P)
        n_C = F1 + F3 + F5 + P
    # stem: conv 7x7x3x64, conv 1x1x64x64, conv 3x3x64x192; head: dense 1024 -> 1000
    total += (7 * 7 * 3 + 1) * 64 + (64 + 1) * 64 + (9 * 64 + 1) * 192 + (1024 + 1) * 1000
    assert n_C == 1024
    assert model.count_params() == total == 6_998_552
    assert model.get_layer("inception_3b_concat").output.shape[1:] == (28, 28, 480)
    assert model.get_layer("inception_4e_concat").output.shape[1:] == (14, 14, 832)
    assert model.get_layer("inception_5b_concat").output.shape[1:] == (7, 7, 1024)


def test_googlenet_aux_heads():
    model = googlenet(input_shape=(96, 96, 3), classes=5, aux_heads=True)
    assert [tuple(o.shape) for o in model.outputs] == [(None, 5)] * 3


def test_inception_module_round_trip(tmp_path, eager_tf_functions):
    inputs = keras.Input((8, 8, 6), name="x")
    model = keras.Model(inputs, inception_module(inputs, 2, 3, 4, 1, 2, 2, name="mod"), name="module_model")
    assert model.output_shape == (None, 8, 8, 10)
    rng = np.random.default_rng(0)
    assert_round_trip(model, rng.random((2, 8, 8, 6), dtype=np.float32), tmp_path)


def test_googlenet_names_are_stable():
    assert_named(lambda: googlenet(input_shape=(32, 32, 3), classes=3))


@pytest.mark.slow
def test_googlenet_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    assert_round_trip(googlenet(input_shape=(64, 64, 3), classes=3, aux_heads=False),
                      rng.random((2, 64, 64, 3), dtype=np.float32), tmp_path)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: conv_multiplications((28, 28), 5, 32), ValueError, r"`input_shape` must be a tuple"),
        (lambda: conv_multiplications((28, 28, 192), 0, 32), ValueError, r"`f` must be a positive int; got 0"),
        (lambda: conv_multiplications((28, 28, 192), 5, 32, bottleneck=0), ValueError, r"`bottleneck` must be a positive int"),
        (lambda: one_by_one_conv(keras.Input((4, 4, 3)), 0), ValueError, r"`n_C` must be an int in \[1, 65536\]; got 0"),
        (lambda: one_by_one_conv(keras.Input((4, 3)), 2), ValueError, r"`x` must have 4 dimensions"),
        (lambda: inception_module(keras.Input((4, 4, 3)), 1, 1, 1, 1, 0, 1), ValueError, r"`filters_5x5` must be an int in \[1, 65536\]"),
        (lambda: googlenet((32, 32, 3), aux_heads=True), ValueError, r"at least 65x65"),
        (lambda: googlenet(dropout=-0.1), ValueError, r"`dropout` must be a real number in \[0, 1\)"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
