"""LeNet-5, AlexNet, VGG-16: parameter counts (hand arithmetic), shapes, names, errors."""

import keras
import numpy as np
import pytest

from course_cnn.week2 import alexnet, apply_vgg_block, lenet5, vgg16
from tests.week2._harness import assert_named, assert_round_trip


def conv_params(f, n_C_prev, n_C):
    return (f * f * n_C_prev + 1) * n_C


def dense_params(n_in, n_out):
    return (n_in + 1) * n_out


def test_lenet5_parameter_count_and_shapes():
    model = lenet5()
    # c1 (5*5*1+1)*6=156, c3 (5*5*6+1)*16=2416, c5 (5*5*16+1)*120=48120, f6 121*84=10164, out 85*10=850
    expected = conv_params(5, 1, 6) + conv_params(5, 6, 16) + conv_params(5, 16, 120) + dense_params(120, 84) \
        + dense_params(84, 10)
    assert expected == 61_706
    assert model.count_params() == expected
    shapes = {name: model.get_layer(name).output.shape[1:] for name in ("c1", "s2", "c3", "s4", "c5")}
    assert shapes == {"c1": (28, 28, 6), "s2": (14, 14, 6), "c3": (10, 10, 16), "s4": (5, 5, 16), "c5": (1, 1, 120)}


def test_alexnet_parameter_count():
    model = alexnet()
    # convs: 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992; dense: 37,752,832 + 16,781,312 + 4,097,000
    expected = (conv_params(11, 3, 96) + conv_params(5, 96, 256) + conv_params(3, 256, 384)
                + conv_params(3, 384, 384) + conv_params(3, 384, 256)
                + dense_params(6 * 6 * 256, 4096) + dense_params(4096, 4096) + dense_params(4096, 1000))
    assert expected == 62_378_344
    assert model.count_params() == expected
    assert model.get_layer("conv1").output.shape[1:] == (55, 55, 96)  # (227 - 11) / 4 + 1 = 55
    assert model.get_layer("pool5").output.shape[1:] == (6, 6, 256)


def test_vgg16_parameter_count_and_backbone_match_keras():
    model = vgg16()
    # 13 convs: 1,792 + 36,928 | 73,856 + 147,584 | 295,168 + 2 * 590,080 | 1,180,160 + 5 * 2,359,808 = 14,714,688
    convs = (conv_params(3, 3, 64) + conv_params(3, 64, 64) + conv_params(3, 64, 128) + conv_params(3, 128, 128)
             + conv_params(3, 128, 256) + 2 * conv_params(3, 256, 256) + conv_params(3, 256, 512)
             + 5 * conv_params(3, 512, 512))
    assert convs == 14_714_688
    # fc1 (7*7*512 + 1) * 4096 = 102,764,544; fc2 16,781,312; predictions 4,097,000
    expected = convs + dense_params(7 * 7 * 512, 4096) + dense_params(4096, 4096) + dense_params(4096, 1000)
    assert model.count_params() == expected == 138_357_544
    backbone = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))
    assert backbone.count_params() == convs
    ours = [(layer.name, tuple(w.shape for w in layer.weights)) for layer in model.layers[1:19]]
    theirs = [(layer.name, tuple(w.shape for w in layer.weights)) for layer in backbone.layers[1:]]
    assert ours == theirs  # same names and shapes: Keras' VGG16 weights load by name


@pytest.mark.slow
def test_vgg16_matches_keras_applications_vgg16():
    model, reference = vgg16(), keras.applications.VGG16(weights=None)
    assert model.count_params() == reference.count_params() == 138_357_544
    ours = [(layer.name, tuple(w.shape for w in layer.weights)) for layer in model.layers[1:]]
    theirs = [(layer.name, tuple(w.shape for w in layer.weights)) for layer in reference.layers[1:]]
    assert ours == theirs


def test_vgg16_design_rule_shapes():
    model = vgg16(input_shape=(64, 64, 3), classes=10)
    # n_H, n_W halve while n_C doubles up to 512
    got = [model.get_layer(f"block{b}_pool").output.shape[1:] for b in range(1, 6)]
    assert got == [(32, 32, 64), (16, 16, 128), (8, 8, 256), (4, 4, 512), (2, 2, 512)]


@pytest.mark.parametrize("n_convs, filters", [(1, 8), (3, 4)])
def test_apply_vgg_block_counts(n_convs, filters):
    x = keras.Input((8, 8, 3))
    y = apply_vgg_block(x, n_convs, filters, "blk")
    model = keras.Model(x, y)
    expected = conv_params(3, 3, filters) + (n_convs - 1) * conv_params(3, filters, filters)
    assert model.count_params() == expected
    assert y.shape[1:] == (4, 4, filters)


@pytest.mark.parametrize("build", [lenet5, lambda: alexnet(classes=10), lambda: vgg16(input_shape=(32, 32, 3))])
def test_every_layer_named(build):
    assert_named(build)


def test_lenet5_round_trip(tmp_path, eager_tf_functions):
    rng = np.random.default_rng(0)
    assert_round_trip(lenet5(), rng.random((2, 32, 32, 1), dtype=np.float32), tmp_path)


@pytest.mark.slow
def test_vgg16_and_alexnet_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    assert_round_trip(vgg16(), rng.random((1, 224, 224, 3), dtype=np.float32), tmp_path)
    assert_round_trip(alexnet(), rng.random((1, 227, 227, 3), dtype=np.float32), tmp_path)


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: lenet5((28, 28, 1)), r"layer 'c5' \(5x5, stride 1, valid padding\), which would shrink 4x4"),
        (lambda: alexnet((64, 64, 3)), r"layer 'pool5'"),
        (lambda: vgg16((16, 16, 3)), r"layer 'block5_pool'"),
        (lambda: lenet5((32, 32)), r"`input_shape` must be a tuple \(n_H, n_W, n_C\)"),
        (lambda: lenet5(classes=0), r"`classes` must be an int in \[1, 1000000\]; got 0"),
        (lambda: alexnet(dropout=1.0), r"`dropout` must be a real number in \[0, 1\); got 1.0"),
        (lambda: apply_vgg_block(keras.Input((1, 1, 3)), 2, 8, "b"), r"`x` must be at least 2x2"),
        (lambda: apply_vgg_block(keras.Input((4, 4, 3)), 0, 8, "b"), r"`n_convs` must be an int in \[1, 10000\]"),
    ],
)
def test_bad_input(build, match):
    with pytest.raises(ValueError, match=match):
        build()
