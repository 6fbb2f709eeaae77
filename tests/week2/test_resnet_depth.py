"""Plain and residual networks of any depth."""

import keras
import numpy as np
import pytest

from course_cnn.week2 import apply_basic_block, resnet
from tests.week2._harness import assert_named, assert_round_trip


def count_weighted_layers(model):
    return sum(isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)) and "shortcut" not in layer.name
               for layer in model.layers)


@pytest.mark.parametrize("depth", [8, 14, 20])
@pytest.mark.parametrize("residual", [True, False])
def test_depth_counts_weighted_layers(depth, residual):
    model = resnet(depth, residual=residual)
    assert count_weighted_layers(model) == depth
    assert model.output_shape == (None, 10)
    n_adds = sum(isinstance(layer, keras.layers.Add) for layer in model.layers)
    assert n_adds == ((depth - 2) // 2 if residual else 0)  # one shortcut per basic block


def test_resnet8_parameter_count():
    model = resnet(8, filters=(16, 32, 64))
    conv = lambda f, cin, cout: f * f * cin * cout  # noqa: E731  (no bias: BN follows)
    bn = lambda c: 4 * c  # noqa: E731
    stem = conv(3, 1, 16) + bn(16)
    stage1 = 2 * (conv(3, 16, 16) + bn(16))
    stage2 = conv(3, 16, 32) + conv(3, 32, 32) + 2 * bn(32) + conv(1, 16, 32) + bn(32)  # + projection shortcut
    stage3 = conv(3, 32, 64) + conv(3, 64, 64) + 2 * bn(64) + conv(1, 32, 64) + bn(64)
    head = (64 + 1) * 10
    # 208 + 4,736 + 14,720 + 58,112 + 650 = 78,426
    assert model.count_params() == stem + stage1 + stage2 + stage3 + head == 78_426


def test_residual_block_with_zero_weights_is_the_identity():
    # a^[l+2] = g(z^[l+2] + a^[l]); with the last BN's gamma = beta = 0, z^[l+2] = 0 and a^[l+2] = ReLU(a^[l]) = a^[l]
    x = keras.Input((6, 6, 4))
    model = keras.Model(x, apply_basic_block(x, 4, name="blk"))
    bn2 = model.get_layer("blk_bn2")
    bn2.set_weights([np.zeros(4), np.zeros(4), np.zeros(4), np.ones(4)])
    a = np.random.default_rng(0).random((2, 6, 6, 4)).astype(np.float32)  # non-negative, like a ReLU output
    np.testing.assert_allclose(model(a, training=False).numpy(), a, rtol=1e-6)


def test_stage_shapes():
    model = resnet(10, filters=(16, 32, 64, 128))
    shapes = [model.get_layer(f"stage{s}_block1_out").output.shape[1:] for s in range(1, 5)]
    assert shapes == [(28, 28, 16), (14, 14, 32), (7, 7, 64), (4, 4, 128)]  # ceil(7 / 2) = 4


def test_names_and_round_trip(tmp_path, eager_tf_functions):
    assert_named(lambda: resnet(8))
    rng = np.random.default_rng(0)
    assert_round_trip(resnet(8, residual=False), rng.random((2, 28, 28, 1), dtype=np.float32), tmp_path)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(depth=9), r"`depth` must be 2 \* n \* 3 \+ 2 for an int n >= 1 with 3 stages \(e.g. 8, 14, 20\); got 9"),
        (dict(depth=2), r"`depth` must be an int in \[4, 10000\]; got 2"),
        (dict(depth=8, filters=(16, 0, 64)), r"`filters` must be an int in \[1, 65536\]; got 0"),
        (dict(depth=8, input_shape=(28, 28)), r"`input_shape` must be a tuple \(n_H, n_W, n_C\) of ints in \[1, 16384\]"),
        (dict(depth=8, classes=0), r"`classes` must be an int in \[1, 1000000\]; got 0"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        resnet(**kwargs)


def test_basic_block_bad_stride():
    with pytest.raises(ValueError, match=r"`stride` must be an int in \[1, 16384\]; got 0"):
        apply_basic_block(keras.Input((4, 4, 2)), 2, stride=0)


def test_a_huge_depth_is_refused_before_any_layer_is_built():
    import time

    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"`depth` must be an int in \[4, 10000\]; got 6000002\."):
        resnet(depth=6_000_002)  # used to build layers until memory ran out
    assert time.perf_counter() - start < 1.0
