"""The course's ResNet-50 blocks: hand-computed outputs, shapes, parameter counts, errors."""

import keras
import numpy as np
import pytest
from keras.initializers import constant

from course_cnn.week2 import ResNet50, convolutional_block, identity_block
from course_cnn.week2.resnet import glorot_uniform, random_uniform
from tests.week2._harness import assert_round_trip, layer_names


def ones(seed=0):
    return constant(value=1)


def course_input():
    # the course's test input: three 4x4x3 examples filled with -1, 1 and 3
    return np.concatenate([np.full((1, 4, 4, 3), v, np.float32) for v in (-1.0, 1.0, 3.0)])


def test_identity_block_hand_computed_inference():
    # training=False: BN(z) = z / s with s = sqrt(1 + 1e-3) (moving mean 0, variance 1). All-ones kernels, zero bias.
    # Example x=1: 1x1 conv -> 3 per channel -> 3/s; 2x2 "same" conv sums 2*2 pixels * 4 channels = 16 * 3/s
    # inside (Keras pads only bottom/right for f=2, so 8 * 3/s on the last row/column, 4 * 3/s in the corner);
    # 1x1 conv sums 4 channels -> 4 * 16 * 3 / s^2 = 192 / s^2; BN: 192 / s^3; + shortcut 1 -> 192/s^3 + 1.
    # Example x=-1: the first ReLU gives 0, so the output is ReLU(0 + (-1)) = 0.
    s = np.sqrt(1.0 + 1e-3)
    A = np.asarray(identity_block(course_input(), f=2, filters=[4, 4, 3], initializer=ones, training=False))
    assert A.shape == (3, 4, 4, 3)
    np.testing.assert_allclose(A[0], 0.0)
    for value, example in ((1.0, A[1]), (3.0, A[2])):
        inner = 192 * value / s**3 + value
        np.testing.assert_allclose(example[0, 0], inner, rtol=1e-5)
        np.testing.assert_allclose(example[0, 3], 96 * value / s**3 + value, rtol=1e-5)  # last column: 8 terms
        np.testing.assert_allclose(example[3, 3], 48 * value / s**3 + value, rtol=1e-5)  # corner: 4 terms
    # the course's expected mean values (its public test): 192.71236 and 96.85619 for x=1
    np.testing.assert_allclose(A[1, 0, 0].mean(), 192.71236, rtol=1e-6)
    np.testing.assert_allclose(A[1, 0, 3].mean(), 96.85619, rtol=1e-6)


def test_identity_block_training_uses_batch_statistics():
    # training=True: each BN normalises with the batch's mean and variance, so the output differs from inference
    X = course_input()
    A_train = np.asarray(identity_block(X, f=2, filters=[4, 4, 3], initializer=ones, training=True))
    A_infer = np.asarray(identity_block(X, f=2, filters=[4, 4, 3], initializer=ones, training=False))
    assert not np.allclose(A_train, A_infer)
    np.testing.assert_allclose(A_train[0], 0.0)  # x=-1 still dies in the first ReLU and in the last one
    assert np.all(A_train >= 0.0)


def test_convolutional_block_hand_computed_and_shape():
    # training=False, all-ones kernels, f=2, filters [2, 4, 6], s=2: x=1 example at output pixel (0, 0):
    # 1x1/2 conv: 3 -> 3/s; 2x2 same conv over 2 channels: output (0,0) sees 2*2 pixels of the 2x2 map -> 8*3/s
    # -> BN 24/s^2; 1x1 conv over 4 channels: 96/s^2 -> BN 96/s^3. Shortcut: 1x1/2 conv 3 -> BN 3/s.
    s = np.sqrt(1.0 + 1e-3)
    A = np.asarray(convolutional_block(course_input(), f=2, filters=[2, 4, 6], s=2, initializer=ones,
                                       training=False))
    assert A.shape == (3, 2, 2, 6)
    np.testing.assert_allclose(A[1, 0, 0], 96 / s**3 + 3 / s, rtol=1e-5)
    np.testing.assert_allclose(A[1, 1, 1], 24 / s**3 + 3 / s, rtol=1e-5)  # corner: 1 pixel * 2 channels * 3
    np.testing.assert_allclose(A[0], 0.0)  # x=-1: shortcut -3/s and a dead main path -> ReLU gives 0


def test_convolutional_block_default_initializer_is_seeded():
    X = keras.Input((4, 4, 3))
    y1 = keras.Model(X, convolutional_block(X, 2, [2, 4, 6], name="a"))
    y2 = keras.Model(X, convolutional_block(X, 2, [2, 4, 6], name="b"))
    # glorot_uniform(seed=0) in every conv: both blocks start from the same kernels
    np.testing.assert_array_equal(y1.get_layer("a_2a_conv").kernel.numpy(), y2.get_layer("b_2a_conv").kernel.numpy())
    assert random_uniform is keras.initializers.RandomUniform and glorot_uniform is keras.initializers.GlorotUniform


def block_params(n_C_prev, f, F1, F2, F3, shortcut=False):
    conv = lambda k, cin, cout: (k * k * cin + 1) * cout  # noqa: E731
    bn = lambda c: 4 * c  # noqa: E731  gamma, beta, moving mean, moving variance
    total = conv(1, n_C_prev, F1) + bn(F1) + conv(f, F1, F2) + bn(F2) + conv(1, F2, F3) + bn(F3)
    return total + (conv(1, n_C_prev, F3) + bn(F3) if shortcut else 0)


def test_resnet50_stage_shapes_and_parameter_count(resnet50_course):
    model = resnet50_course
    # 64 + 2*3 = 70 -> (70 - 7)//2 + 1 = 32 -> maxpool (32 - 3)//2 + 1 = 15 -> 15, 8, 4, 2
    shapes = [model.get_layer(name).output.shape[1:] for name in ("res2c_out", "res3d_out", "res4f_out", "res5c_out")]
    assert shapes == [(15, 15, 256), (8, 8, 512), (4, 4, 1024), (2, 2, 2048)]
    assert model.get_layer("max_pool").output.shape[1:] == (15, 15, 64)
    total = (7 * 7 * 3 + 1) * 64 + 4 * 64  # conv1 + bn_conv1
    n_C = 64
    for (F1, F2, F3), n_blocks in (((64, 64, 256), 3), ((128, 128, 512), 4), ((256, 256, 1024), 6),
                                   ((512, 512, 2048), 3)):
        total += block_params(n_C, 3, F1, F2, F3, shortcut=True) + (n_blocks - 1) * block_params(F3, 3, F1, F2, F3)
        n_C = F3
    total += (2048 + 1) * 6  # fc
    assert total == 23_600_006
    assert model.count_params() == total
    # the same network as keras.applications.ResNet50 (without top) plus the 6-way dense layer
    backbone = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
    assert backbone.count_params() + (2048 + 1) * 6 == total
    non_trainable = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    assert non_trainable == 53_120  # moving mean + variance: 2 * (64 + sum of all BN widths)


def test_resnet50_layer_names_are_stable(resnet50_course):
    # a second build (the session's is the first) has the same names: Keras' automatic names would count up
    first, second = layer_names(resnet50_course), layer_names(ResNet50(input_shape=(64, 64, 3)))
    assert first == second and len(set(first)) == len(first)


@pytest.mark.slow
def test_resnet50_trains_one_step_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.random((4, 64, 64, 3), dtype=np.float32)
    y = keras.utils.to_categorical(rng.integers(0, 6, size=4), 6)
    model = ResNet50()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])  # as in the course
    before = model.get_layer("fc").kernel.numpy().copy()
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert not np.allclose(model.get_layer("fc").kernel.numpy(), before)
    assert_round_trip(model, x, tmp_path)


def test_block_model_round_trip(tmp_path, eager_tf_functions):
    X = keras.Input((8, 8, 3), name="x")
    y = convolutional_block(X, 3, [4, 4, 8], s=2, name="conv_blk")
    y = identity_block(y, 2, [4, 4, 8], name="id_blk")
    model = keras.Model(X, y, name="blocks")
    rng = np.random.default_rng(0)
    assert_round_trip(model, rng.random((2, 8, 8, 3), dtype=np.float32), tmp_path)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda X: identity_block(X, 2, [4, 4]), ValueError, r"`filters` must be a sequence of 3 positive ints \(at most 65536\); got 2 values"),
        (lambda X: identity_block(X, 0, [4, 4, 3]), ValueError, r"`f` must be an int in \[1, 16384\]; got 0"),
        (lambda X: identity_block(X, 2, [4, 4, 5]), ValueError, r"`filters` must end with F3 = n_C of X \(3\)"),
        (lambda X: identity_block(X, 2, [4, 0, 3]), ValueError, r"`filters` must be a sequence of 3 positive ints"),
        (lambda X: identity_block(X, 2, "443"), TypeError, r"`filters` must be a sequence of 3 positive ints"),
        (lambda X: convolutional_block(X, 2, [2, 4, 6], s=0), ValueError, r"`s` must be an int in \[1, 16384\]; got 0"),
        (lambda X: convolutional_block(X, 2.5, [2, 4, 6]), TypeError, r"`f` must be an int in \[1, 16384\]; got 2.5"),
        (lambda X: convolutional_block(X, 2, [2, 4, 6], s=10**12), ValueError, r"`s` must be an int in \[1, 16384\]; got 1000000000000"),
        (lambda X: identity_block(X, 2, [4, 10**12, 3]), ValueError, r"`filters` must be a sequence of 3 positive ints \(at most 65536\); got \(4, 1000000000000, 3\)"),
        (lambda X: ResNet50((64, 64, 3), classes=10**12), ValueError, r"`classes` must be an int in \[1, 1000000\]; got 1000000000000"),
        (lambda X: identity_block(np.zeros((4, 4, 3)), 2, [4, 4, 3]), ValueError, r"`X` must have 4 dimensions"),
        (lambda X: ResNet50((32, 32, 3)), ValueError, r"layer 'avg_pool' \(2x2, stride 2, valid padding\)"),
        (lambda X: ResNet50((64, 64, 3), classes=0), ValueError, r"`classes` must be an int in \[1, 1000000\]; got 0"),
        (lambda X: identity_block(X, 2, [4, 4, 3], initializer="ones"), TypeError,
         r"`initializer` must be a callable called as initializer\(seed=0\), .*; got 'ones'\."),
        (lambda X: convolutional_block(X, 2, [2, 4, 6], initializer=None), TypeError, r"`initializer` must be a callable"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call(keras.Input((4, 4, 3)))


def test_even_filter_size_is_allowed():
    X = keras.Input((5, 5, 3))
    assert identity_block(X, 2, [2, 2, 3], name="even").shape[1:] == (5, 5, 3)
