"""Augmentation: active in training, inactive in inference; PCA colour shift against numpy."""

import keras
import numpy as np
import pytest

from course_cnn.week2 import AlexNetCrop, PCAColorAugmentation, augmented_samples, crop_and_mirror, data_augmenter, fit_pca_colour
from course_cnn.week2.augmentation import IMAGENET_PCA_EIGENVALUES, IMAGENET_PCA_EIGENVECTORS
from tests.week2._harness import assert_round_trip


def images(m=4, size=16):
    rng = np.random.default_rng(0)
    return rng.random((m, size, size, 3)).astype(np.float32)


@pytest.mark.parametrize(
    "make",
    [lambda: data_augmenter(seed=0), lambda: PCAColorAugmentation(seed=0), lambda: keras.Sequential(
        [keras.layers.RandomFlip("horizontal", seed=0, name="flip")], name="mirror")],
)
def test_active_in_training_inactive_in_inference(make):
    x = images()
    augmenter = make()
    np.testing.assert_array_equal(np.asarray(augmenter(x, training=False)), x)
    assert not np.allclose(np.asarray(augmenter(x, training=True)), x)


def test_inside_a_model_fit_augments_and_predict_does_not():
    x = images(8, 8)
    inputs = keras.Input((8, 8, 3))
    outputs = PCAColorAugmentation(std=1.0, seed=0, name="colour")(inputs)
    model = keras.Model(inputs, outputs)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)  # inference: identity
    assert not np.allclose(model(x, training=True).numpy(), x)


def test_crop_and_mirror_training_vs_inference():
    x = images(2, 32)
    aug = crop_and_mirror((24, 24), seed=0)
    train = np.asarray(aug(x, training=True))
    assert train.shape == (2, 24, 24, 3)
    # inference: the centre 24x24 crop, not mirrored
    np.testing.assert_allclose(np.asarray(aug(x, training=False)), x[:, 4:28, 4:28, :], atol=1e-6)


def test_pca_colour_offset_matches_numpy_formula():
    # delta_I = P @ (alpha * lambda): one RGB offset per image, along the eigenvectors
    x = np.zeros((5, 3, 3, 3), np.float32)
    layer = PCAColorAugmentation(std=0.5, scale=2.0, seed=0)
    delta = np.asarray(layer(x, training=True))  # (5, 3, 3, 3)
    offsets = delta[:, 0, 0, :]  # (5, 3)
    np.testing.assert_allclose(delta, np.broadcast_to(offsets[:, None, None, :], delta.shape))
    P, lam = np.array(IMAGENET_PCA_EIGENVECTORS), np.array(IMAGENET_PCA_EIGENVALUES)
    alpha = np.linalg.solve(P, offsets.T / 2.0).T / lam  # recover alpha from delta = 2 * P (alpha * lambda)
    np.testing.assert_allclose(P @ (alpha * lam).T * 2.0, offsets.T, atol=1e-5)
    assert np.all(np.abs(alpha) < 5 * 0.5)  # plausible N(0, 0.5^2) draws


def test_pca_colour_seed_makes_it_reproducible():
    x = images()
    a = np.asarray(PCAColorAugmentation(seed=3)(x, training=True))
    b = np.asarray(PCAColorAugmentation(seed=3)(x, training=True))
    np.testing.assert_array_equal(a, b)


def test_fit_pca_colour_against_numpy_covariance():
    rng = np.random.default_rng(0)
    mix = np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 0.2], [0.0, 0.0, 0.1]])
    x = (rng.normal(size=(6, 10, 10, 3)) @ mix).astype(np.float64)
    values, vectors = fit_pca_colour(x)
    covariance = np.cov(x.reshape(-1, 3).T, bias=True)
    np.testing.assert_allclose(covariance @ vectors, vectors * values, atol=1e-10)  # Sigma p_i = lambda_i p_i
    assert np.all(np.diff(values) <= 0)


def test_pca_layer_round_trip(tmp_path):
    inputs = keras.Input((8, 8, 3))
    outputs = keras.layers.Conv2D(2, 1, name="c")(PCAColorAugmentation(seed=1, name="pca")(inputs))
    model = keras.Model(inputs, outputs, name="pca_model")
    loaded = assert_round_trip(model, images(2, 8), tmp_path)
    assert loaded.get_layer("pca").get_config()["eigenvalues"] == list(IMAGENET_PCA_EIGENVALUES)


def test_data_augmenter_is_the_course_one():
    aug = data_augmenter()
    assert [type(layer).__name__ for layer in aug.layers] == ["RandomFlip", "RandomRotation"]
    assert aug.layers[0].mode == "horizontal"
    assert aug.layers[1].factor in (0.2, (-0.2, 0.2))


def test_augmented_samples_figure(tmp_path):
    samples, fig = augmented_samples(images(1, 16)[0], data_augmenter(seed=0), n=4, path=tmp_path / "aug.png")
    assert samples.shape == (4, 16, 16, 3)
    assert (tmp_path / "aug.png").stat().st_size > 0
    assert len([ax for ax in fig.axes if ax.images]) == 5  # the original + 4 samples


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: PCAColorAugmentation(eigenvalues=(1.0, 2.0)), ValueError, r"`eigenvalues` must have shape \(3,\)"),
        (lambda: PCAColorAugmentation(eigenvectors=np.eye(2)), ValueError, r"`eigenvectors` must have shape \(3, 3\)"),
        (lambda: PCAColorAugmentation(std=-1), ValueError, r"`std` must be a real number > 0; got -1"),
        (lambda: crop_and_mirror(24), TypeError, r"`crop_size` must be a pair \(height, width\)"),
        (lambda: crop_and_mirror((24, 0)), ValueError, r"`crop_size` must be an int in \[1, 16384\]; got 0"),
        (lambda: fit_pca_colour(np.zeros((2, 4, 4, 1))), ValueError, r"`images` must have shape \(None, None, None, 3\)"),
        (lambda: augmented_samples(np.zeros((4, 4)), data_augmenter(), n=2), ValueError, r"`image` must have 3 dimensions"),
        (lambda: data_augmenter(seed=1.5), TypeError, r"`seed` must be an int in \[0, 4294967295\] or None; got 1.5"),
        (lambda: data_augmenter(seed=-1), ValueError, r"`seed` must be an int in \[0, 4294967295\] or None; got -1"),
        (lambda: PCAColorAugmentation(scale=0), ValueError, r"`scale` must be a real number > 0; got 0"),
        (lambda: AlexNetCrop(10**12, 4), ValueError, r"`height` must be an int in \[1, 16384\]; got 1000000000000"),
        (lambda: augmented_samples(np.full((4, 4, 3), np.nan), lambda x: x), ValueError, r"`image` must contain only finite values; got 48 NaN"),
        (lambda: augmented_samples(np.ones((4, 4, 3)), None), TypeError, r"`augmenter` must be a Keras layer or a function of a batch; got None"),
        (lambda: augmented_samples(np.ones((4, 4, 3)), lambda x: x, n=10**12), ValueError, r"`n` must be an int in \[1, 100\]; got 1000000000000"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_alexnet_crop_is_a_window_of_the_input():
    x = np.arange(2 * 6 * 6 * 1, dtype=np.float32).reshape(2, 6, 6, 1)
    crop = np.asarray(AlexNetCrop(4, 3, seed=0)(x, training=True))
    matches = [(t, l) for t in range(3) for l in range(4) if np.array_equal(crop, x[:, t:t + 4, l:l + 3])]
    assert len(matches) == 1
    with pytest.raises(ValueError, match=r"`inputs` must be at least 8x8 to crop"):
        AlexNetCrop(8, 8)(x)


def test_samples_show_different_crops_though_the_crop_is_drawn_once_per_batch():
    image = np.random.default_rng(0).random((20, 20, 3)).astype("float32")
    samples, _ = augmented_samples(image, crop_and_mirror((12, 12), seed=0), n=6)
    # each sample is a 12x12 window of the image or of its mirror: find its offset
    offsets = set()
    for sample in samples:
        found = [(t, l) for t in range(9) for l in range(9)
                 if np.allclose(sample, image[t:t + 12, l:l + 12]) or np.allclose(sample[:, ::-1], image[t:t + 12, l:l + 12])]
        assert len(found) == 1
        offsets.add(found[0])
    assert len(offsets) >= 4  # 81 offsets: six draws that all repeat one would mean one crop per figure


def test_samples_figure_always_starts_with_the_original_and_shows_crop_sizes():
    image = np.random.default_rng(0).random((20, 20, 3)).astype("float32")
    samples, fig = augmented_samples(image, crop_and_mirror((12, 12), seed=0), n=2)
    assert samples.shape == (2, 12, 12, 3)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["original", "#1 (12x12)", "#2 (12x12)"]
    shown = fig.axes[1].get_images()[0].get_array()  # the first crop, centred on a gray 20x20 canvas
    assert shown.shape[:2] == (20, 20) and np.allclose(shown[0, 0], 0.5)
