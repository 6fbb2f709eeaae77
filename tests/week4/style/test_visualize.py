"""Receptive fields and max-activating patches."""

import keras
import numpy as np
import pytest

from course_cnn.week4.style.receptive_field import ReceptiveField, receptive_field
from course_cnn.week4.style.visualize import max_activating_patches, plot_max_activating_patches, probe_convnet


def valid_chain(input_shape=(None, None, 1)):
    """conv3 -> pool2 -> conv3 (stride 2), all 'valid', any input size."""
    keras.utils.set_random_seed(0)
    x = inputs = keras.Input(input_shape, name="image")
    x = keras.layers.Conv2D(4, 3, activation="relu", name="conv1")(x)
    x = keras.layers.MaxPooling2D(2, name="pool1")(x)
    x = keras.layers.Conv2D(3, 3, strides=2, name="conv2")(x)
    x = keras.layers.ReLU(name="relu2")(x)
    return keras.Model(inputs, x)


def test_receptive_field_by_hand():
    model = valid_chain()
    # conv1: r = 1 + 2*1 = 3, J = 1; pool1: r = 3 + 1*1 = 4, J = 2; conv2: r = 4 + 2*2 = 8, J = 4
    assert receptive_field(model, "conv1") == ReceptiveField((3, 3), (1, 1), (0, 0))
    assert receptive_field(model, "pool1") == ReceptiveField((4, 4), (2, 2), (0, 0))
    assert receptive_field(model, "relu2") == ReceptiveField((8, 8), (4, 4), (0, 0))


def test_receptive_field_same_padding_start():
    # 'same' 3x3 stride 1 pads 1 on the left: start -1; 'same' 5x5 stride 2 on 9 pixels:
    # n_out = 5, pad_total = (5-1)*2 + 5 - 9 = 4, left 2 -> start -1 - 2*1 = -3; r = 3 + 4 = 7, J = 2
    x = inputs = keras.Input((9, 9, 1))
    x = keras.layers.Conv2D(1, 3, padding="same", name="a")(x)
    x = keras.layers.Conv2D(1, 5, strides=2, padding="same", name="b")(x)
    model = keras.Model(inputs, x)
    assert receptive_field(model, "a") == ReceptiveField((3, 3), (1, 1), (-1, -1))
    assert receptive_field(model, "b") == ReceptiveField((7, 7), (2, 2), (-3, -3))
    assert receptive_field(model, "b").window(1, 0) == (-1, -3, 6, 4)


def test_receptive_field_errors():
    x = inputs = keras.Input((8, 8, 1))
    x = keras.layers.Flatten(name="flat")(x)
    x = keras.layers.Dense(2, name="dense")(x)
    model = keras.Model(inputs, x)
    with pytest.raises(ValueError, match=r"`layer_name` must be reached through Conv2D, pooling and element-wise layers only; got a path through 'flat' \(Flatten\)\."):
        receptive_field(model, "dense")
    with pytest.raises(ValueError, match=r"`layer_name` must name a layer of the model \(.*flat.*\); got 'nope'\."):
        receptive_field(model, "nope")


def test_patches_reproduce_the_activation():
    # With 'valid' layers a unit depends on its receptive field only: feeding the patch alone
    # through the same network must give the recorded activation at output position (0, 0).
    rng = np.random.default_rng(0)
    model = valid_chain()
    images = rng.uniform(size=(20, 20, 20, 1)).astype(np.float32)
    result = max_activating_patches(model, "relu2", images, units=[0, 2], k=4)
    assert result.patches.shape == (2, 4, 8, 8, 1)
    assert result.units == (0, 2)
    assert np.all(np.diff(result.activations, axis=1) <= 0)  # strongest first
    assert all(len(set(row)) == 4 for row in result.image_index.tolist())  # one patch per image
    for u, unit in enumerate(result.units):
        for j in range(4):
            alone = model(result.patches[u, j][None]).numpy()  # (1, 1, 1, 3)
            np.testing.assert_allclose(alone[0, 0, 0, unit], result.activations[u, j], rtol=1e-4, atol=1e-5)
            y1, x1, y2, x2 = result.boxes[u, j]
            np.testing.assert_array_equal(images[result.image_index[u, j], y1:y2, x1:x2], result.patches[u, j])


def test_patches_find_the_planted_spot():
    # A 3x3 all-ones filter responds most where the single bright pixel sits; the patch
    # (zero-padded outside the 'same'-padded border) must contain it.
    inputs = keras.Input((7, 7, 1))
    conv = keras.layers.Conv2D(1, 3, padding="same", use_bias=False, kernel_initializer="ones", name="conv")(inputs)
    model = keras.Model(inputs, conv)
    images = np.zeros((3, 7, 7, 1), np.float32)
    images[0, 0, 0] = 0.5  # corner: patch hangs over the border
    images[2, 3, 4] = 1.0
    result = max_activating_patches(model, "conv", images, units=1, k=2)
    assert result.image_index.tolist() == [[2, 0]]
    assert result.activations.tolist() == [[1.0, 0.5]]
    assert result.patches[0, 0].sum() == 1.0 and result.patches[0, 1].sum() == 0.5
    assert tuple(result.boxes[0, 1][:2]) in {(-1, -1), (-1, 0), (0, -1), (0, 0)}  # any window holding (0, 0)


def test_max_activating_patches_errors():
    model = valid_chain()
    images = np.zeros((3, 12, 12, 1), np.float32)
    with pytest.raises(ValueError, match=r"`k` must be at most the number of images \(3\); got 4\."):
        max_activating_patches(model, "conv1", images, units=1, k=4)
    with pytest.raises(ValueError, match=r"`units` must be channel indices in \[0, 4\); got \(4,\)\."):
        max_activating_patches(model, "conv1", images, units=[4], k=2)
    with pytest.raises(ValueError, match=r"`images` must have 4 dimensions; got shape \(12, 12\)\."):
        max_activating_patches(model, "conv1", images[0, ..., 0], units=1, k=1)


def test_plot_and_probe_network(tmp_path):
    model = probe_convnet()
    assert [receptive_field(model, f"conv{i}").size for i in range(1, 6)] == [(3, 3), (5, 5), (10, 10), (14, 14), (24, 24)]
    images = np.random.default_rng(0).uniform(size=(10, 28, 28, 1)).astype(np.float32)
    result = max_activating_patches(model, "conv3", images, units=3, k=5)
    fig = plot_max_activating_patches(result, path=tmp_path / "conv3.png")
    assert (tmp_path / "conv3.png").is_file() and len(fig.axes) == 15
    path = tmp_path / "probe.keras"
    model.save(path)
    np.testing.assert_allclose(keras.models.load_model(path).predict(images, verbose=0), model.predict(images, verbose=0), rtol=1e-5)
