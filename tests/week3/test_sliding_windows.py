"""Sliding windows: the convolutional implementation equals the naive one exactly."""

import keras
import numpy as np
import pytest

from course_cnn.week3 import dense_to_conv, sliding_window_detect, window_classifier


@pytest.fixture(scope="module")
def classifier():
    return window_classifier(seed=0)


def test_notes_14x14_classifier_on_16x16_gives_2x2(classifier):
    # 16x16x3 -> conv 5x5 -> 12x12x16 -> pool 2 -> 6x6x16 -> "FC" 5x5 conv -> 2x2x400 -> 1x1 -> 2x2x400 -> 2x2x4
    rng = np.random.default_rng(0)
    image = rng.uniform(size=(16, 16, 3)).astype(np.float32)
    conv = dense_to_conv(classifier)
    dense_out = conv(image[None]).numpy()[0]  # (2, 2, 4)
    assert dense_out.shape == (2, 2, 4)
    # the four 14x14 windows at stride 2 (the pool's stride), each through the original classifier
    for row in range(2):
        for col in range(2):
            window = image[None, 2 * row:2 * row + 14, 2 * col:2 * col + 14]
            np.testing.assert_allclose(dense_out[row, col], classifier(window).numpy()[0], rtol=1e-5, atol=1e-6)
    naive = sliding_window_detect(classifier, image, 14, 2)
    np.testing.assert_allclose(dense_out, naive, rtol=1e-5, atol=1e-6)


def test_conv_layer_shapes_follow_the_notes(classifier):
    conv = dense_to_conv(classifier)
    assert conv.get_layer("fc1_as_conv").kernel.shape == (5, 5, 16, 400)  # FC as a 5x5 conv with 400 filters
    assert conv.get_layer("fc2_as_conv").kernel.shape == (1, 1, 400, 400)
    assert conv.get_layer("softmax_as_conv").kernel.shape == (1, 1, 400, 4)


def test_larger_image_equals_naive_everywhere(classifier):
    rng = np.random.default_rng(1)
    image = rng.uniform(size=(28, 24, 3)).astype(np.float32)
    dense_out = dense_to_conv(classifier)(image[None]).numpy()[0]
    naive = sliding_window_detect(classifier, image, 14, 2)
    assert dense_out.shape == naive.shape == (8, 6, 4)  # (28 - 14) / 2 + 1 = 8, (24 - 14) / 2 + 1 = 6
    np.testing.assert_allclose(dense_out, naive, rtol=1e-5, atol=1e-6)


def test_batch_norm_and_dropout_are_carried_over():
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(4, 3, name="c")(inputs)
    x = keras.layers.BatchNormalization(name="bn")(x)
    x = keras.layers.Dropout(0.3, name="drop")(x)
    x = keras.layers.Flatten(name="f")(x)
    outputs = keras.layers.Dense(3, name="d")(x)
    model = keras.Model(inputs, outputs)
    rng = np.random.default_rng(0)
    model.get_layer("bn").set_weights([rng.uniform(0.5, 2, 4), rng.normal(size=4), rng.normal(size=4), rng.uniform(0.5, 2, 4)])
    image = rng.normal(size=(1, 8, 8, 1)).astype(np.float32)
    np.testing.assert_allclose(dense_to_conv(model)(image).numpy()[0, 0, 0], model(image).numpy()[0], rtol=1e-5, atol=1e-5)


def test_errors():
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.GlobalAveragePooling2D(name="gap")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(x))
    with pytest.raises(ValueError, match=r"`model` must have exactly one Flatten layer"):
        dense_to_conv(model)
    with pytest.raises(ValueError, match=r"`window` must be at most the image's smaller side \(10\); got 14."):
        sliding_window_detect(lambda w: w, np.zeros((10, 20, 3)), 14, 2)
    with pytest.raises(ValueError, match=r"`stride` must be a positive int; got 0."):
        sliding_window_detect(lambda w: w, np.zeros((20, 20, 3)), 14, 0)


def test_sliding_window_detect_refuses_nan_and_non_models():
    image = np.ones((16, 16, 3))
    image[3, 4, 0] = np.nan
    with pytest.raises(ValueError, match=r"`image` must contain only finite values; got 1 NaN or infinite entry\."):
        sliding_window_detect(lambda w: w.mean(axis=(1, 2)), image, 14, 2)
    with pytest.raises(TypeError, match=r"`classifier` must be a Keras model or a callable on a batch of windows; got None\."):
        sliding_window_detect(None, np.ones((16, 16, 3)), 14, 2)
    with pytest.raises(TypeError, match=r"`model` must be a Keras model; got None\."):
        dense_to_conv(None)
