"""Convolutions in 1, 2 and 3 spatial dimensions: numpy against Keras and week 1."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_cnn import week1
from course_cnn.week1 import conv_output_shape
from course_cnn.week4.style.conv_nd import (
    SIGNAL_CLASSES,
    VOLUME_CLASSES,
    conv1d_model,
    conv3d_model,
    conv_forward_nd,
    make_signals,
    make_volumes,
)


def output_shape(input_shape, f, n_filters, stride=1, pad=0):
    """week1's conv_output_shape (1, 2 or 3 spatial dims), checked against floor((n + 2p - f)/s) + 1."""
    shape = tuple(conv_output_shape(input_shape, f, n_filters, stride, pad))
    assert shape == tuple((n + 2 * pad - f) // stride + 1 for n in input_shape[:-1]) + (n_filters,)
    return shape


def test_lecture_examples_keras_and_formula():
    # 14-sample signal, 16 filters of 5: 14 - 5 + 1 = 10 -> (10, 16)
    conv1 = keras.layers.Conv1D(16, 5)
    assert tuple(conv1(np.zeros((1, 14, 1), np.float32)).shape[1:]) == (10, 16) == output_shape((14, 1), 5, 16)
    # 14x14x14x1 volume, 16 filters 5x5x5: 10 per axis -> (10, 10, 10, 16)
    conv3 = keras.layers.Conv3D(16, 5)
    assert tuple(conv3(np.zeros((1, 14, 14, 14, 1), np.float32)).shape[1:]) == (10, 10, 10, 16) == output_shape((14, 14, 14, 1), 5, 16)
    # the models' first layers
    assert tuple(conv1d_model(input_length=14).get_layer("conv1d_1").output.shape[1:]) == (10, 16)
    assert tuple(conv3d_model(input_size=14).get_layer("conv3d_1").output.shape[1:]) == (10, 10, 10, 16)


def test_conv_forward_nd_by_hand():
    # signal [1, 2, 3, 4], filter [1, 1], bias 0.5, stride 2: windows (1,2), (3,4) -> 3.5, 7.5
    Z = conv_forward_nd(np.array([1.0, 2, 3, 4]).reshape(1, 4, 1), np.ones((2, 1, 1)), np.array([0.5]), stride=2)
    np.testing.assert_allclose(Z.ravel(), [3.5, 7.5])


@pytest.mark.parametrize("spatial, f, stride, pad", [
    ((14,), 5, 1, 0), ((15,), 3, 2, 1), ((9, 7), 3, 2, 0), ((6, 5, 7), 3, 1, 0), ((14, 14, 14), 5, 1, 0),
    ((7, 6, 5), 2, 2, 1),
])
def test_conv_forward_nd_matches_tensorflow(spatial, f, stride, pad):
    rng = np.random.default_rng(0)
    n_C_prev, n_C = 2, 3
    A = rng.normal(size=(2, *spatial, n_C_prev))
    W = rng.normal(size=(f,) * len(spatial) + (n_C_prev, n_C))
    b = rng.normal(size=n_C)
    Z = conv_forward_nd(A, W, b, stride=stride, pad=pad)
    padded = np.pad(A, [(0, 0)] + [(pad, pad)] * len(spatial) + [(0, 0)])
    expected = tf.nn.convolution(padded, W, strides=stride, padding="VALID").numpy() + b
    assert Z.shape == (2,) + output_shape(spatial + (n_C_prev,), f, n_C, stride, pad)
    np.testing.assert_allclose(Z, expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("layer_cls, spatial", [(keras.layers.Conv1D, (12,)), (keras.layers.Conv3D, (6, 7, 5))])
def test_conv_forward_nd_matches_keras_layers(layer_cls, spatial):
    rng = np.random.default_rng(0)
    layer = layer_cls(4, 3, strides=2)
    A = rng.normal(size=(3, *spatial, 2)).astype(np.float32)
    expected = layer(A).numpy()
    layer.bias.assign(rng.normal(size=4).astype(np.float32))
    expected = layer(A).numpy()
    kernel, bias = (v.numpy() for v in (layer.kernel, layer.bias))
    np.testing.assert_allclose(conv_forward_nd(A, kernel, bias, stride=2), expected, rtol=1e-4, atol=1e-5)


def test_conv_forward_nd_equals_week1_in_2d():
    rng = np.random.default_rng(0)
    A, W, b = rng.normal(size=(2, 7, 6, 3)), rng.normal(size=(3, 3, 3, 4)), rng.normal(size=(1, 1, 1, 4))
    Z, _ = week1.conv_forward(A, W, b, {"stride": 2, "pad": 1})
    np.testing.assert_allclose(conv_forward_nd(A, W, b, stride=2, pad=1), Z, rtol=1e-10, atol=1e-12)


def test_conv_forward_nd_errors():
    A = np.zeros((1, 6, 6, 2))
    with pytest.raises(ValueError, match=r"`W` must have shape \(\*f, n_C_prev, n_C\) with 2 filter sizes and n_C_prev = 2, to match `A_prev` of shape \(1, 6, 6, 2\); got shape \(3, 2, 4\)\."):
        conv_forward_nd(A, np.zeros((3, 2, 4)), np.zeros(4))
    with pytest.raises(ValueError, match=r"`b` must hold one bias per filter \(4\); got shape \(3,\)\."):
        conv_forward_nd(A, np.zeros((3, 3, 2, 4)), np.zeros(3))
    with pytest.raises(ValueError, match=r"`W` must fit in the padded input \(6, 6\); got filter size \(7, 7\)\."):
        conv_forward_nd(A, np.zeros((7, 7, 2, 1)), np.zeros(1))
    with pytest.raises(ValueError, match=r"`stride` must be an int in \[1, 16384\]; got 0\."):
        conv_forward_nd(A, np.zeros((3, 3, 2, 1)), np.zeros(1), stride=0)
    with pytest.raises(ValueError, match=r"`A_prev` must have shape \(m, \*spatial, n_C_prev\) with at least one spatial axis; got shape \(3, 2\)\."):
        conv_forward_nd(np.zeros((3, 2)), np.zeros((3, 2, 1)), np.zeros(1))


def test_generated_data():
    X, y = make_signals(90, length=32, seed=1)
    assert X.shape == (90, 32, 1) and X.dtype == np.float32 and set(y.tolist()) == {0, 1, 2}
    np.testing.assert_array_equal(make_signals(90, length=32, seed=1)[0], X)
    assert len(SIGNAL_CLASSES) == 3
    # square waves take two values (up to noise); their noiseless version has |x| == amplitude
    Xc, yc = make_signals(30, length=32, noise=0.0, seed=2)
    for signal in Xc[yc == 1][..., 0]:
        assert len(np.unique(np.round(np.abs(signal), 6))) == 1
    V, v = make_volumes(20, size=12, noise=0.0, seed=0)
    assert V.shape == (20, 12, 12, 12, 1) and set(v.tolist()) <= {0, 1} and len(VOLUME_CLASSES) == 2
    assert set(np.unique(V).tolist()) == {0.0, 1.0}
    with pytest.raises(ValueError, match=r"`size` must be an int in \[8, 1024\]; got 4\."):
        make_volumes(2, size=4)


def test_models_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    for model, x in ((conv1d_model(input_length=20), rng.normal(size=(2, 20, 1))),
                     (conv3d_model(input_size=10), rng.normal(size=(2, 10, 10, 10, 1)))):
        path = tmp_path / f"{model.name}.keras"
        model.save(path)
        np.testing.assert_allclose(keras.models.load_model(path)(x), model(x), rtol=1e-5)  # calls: no predict graphs


def test_conv1d_learns_waveforms():
    keras.utils.set_random_seed(0)
    # 300 signals x 4 epochs (tracing is most of the cost): validation accuracy 0.98-1.0 over 4 seeds (1.0 at 600 x 8)
    X, y = make_signals(300, length=64, seed=0)
    X_val, y_val = make_signals(200, length=64, seed=1)
    model = conv1d_model(input_length=64)
    model.fit(X, y, epochs=4, batch_size=32, verbose=0)
    assert model.evaluate(X_val, y_val, verbose=0)[1] > 0.8  # chance is 1/3


@pytest.mark.slow
def test_conv3d_learns_cube_vs_ball():
    keras.utils.set_random_seed(0)
    X, y = make_volumes(400, size=14, seed=0)
    X_val, y_val = make_volumes(150, size=14, seed=1)
    model = conv3d_model(input_size=14)
    model.fit(X, y, epochs=10, batch_size=32, verbose=0)
    assert model.evaluate(X_val, y_val, verbose=0)[1] > 0.8  # chance is 1/2


def test_tour_slice_goes_through_the_object():
    # the 3D tour figure shows the slice through each shape's centre, not the middle slice,
    # which misses shapes placed off-centre (the figure then showed pure noise)
    from course_cnn.week4.style._tour import _object_depth

    X, _ = make_volumes(40, size=14, seed=0)
    middle_misses = 0
    for volume in X[..., 0]:
        z = _object_depth(volume)
        inside = volume > 0.5  # the shape is 1 inside, noise of std 0.1 outside
        assert inside[:, :, z].sum() == inside.sum(axis=(0, 1)).max()  # the fullest slice of the shape
        middle_misses += inside[:, :, 7].sum() == 0
    assert middle_misses > 0  # the old middle slice really did miss some shapes


def test_make_volumes_refuses_a_huge_m_before_allocating():
    with pytest.raises(ValueError, match=r"`m` must be an int in \[1, 10000000\]; got 1000000000\."):
        make_volumes(m=10**9)


def test_nd_builders_check_their_sizes_before_keras_does():
    from course_cnn.week4.style.conv_nd import conv1d_model, conv3d_model

    with pytest.raises(ValueError, match=r"`n_classes` must be an int in \[1, 1000000\]; got 0\."):
        conv1d_model(n_classes=0)  # Keras would say "invalid value for `units`"
    with pytest.raises(TypeError, match=r"`input_size` must be an int in \[1, 16384\]; got 2\.5\."):
        conv3d_model(input_size=2.5)
