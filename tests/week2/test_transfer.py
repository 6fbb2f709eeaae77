"""Transfer learning on MobileNetV2: the alpaca model, weights resolution (never downloading), fine-tuning."""

import re

import keras
import numpy as np
import pytest

from course_cnn.week2 import alpaca_model, fine_tune, freeze_up_to, layers_to_retrain, mobilenet_v2_weights_file
from course_cnn.week2 import transfer


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """An empty Keras cache and a download that fails like it does without network."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))

    def no_network(name, url):
        raise OSError(f"URL fetch failure on {url}: [Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(transfer, "_download", no_network)
    return tmp_path


def test_alpaca_model_layers_and_counts():
    model = alpaca_model(weights=None)
    base = model.get_layer("mobilenetv2_1.00_160")
    # base without top: 2,257,984 parameters (34,112 of them BN moving statistics); head 1280 + 1 = 1,281
    assert base.count_params() == 2_257_984
    assert model.count_params() == 2_257_984 + 1_281
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == 1_281
    assert [layer.name for layer in model.layers] == [
        "image", "data_augmentation", "truediv", "subtract", "mobilenetv2_1.00_160", "global_average_pooling",
        "dropout", "logit"]
    assert model.layers[4] is base  # where the course's fine-tuning cell takes the base
    assert base.output.shape == (None, 5, 5, 1280)
    assert model.output_shape == (None, 1)


def test_preprocess_layers_equal_mobilenet_preprocess_input():
    x = np.random.default_rng(0).uniform(0, 255, size=(2, 160, 160, 3)).astype(np.float32)
    model = alpaca_model(weights=None, data_augmentation=False)
    ours = model.get_layer("subtract")(model.get_layer("truediv")(x)).numpy()
    reference = keras.applications.mobilenet_v2.preprocess_input(x.copy())  # x / 127.5 - 1
    np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-6)


def test_local_weights_file_is_loaded(tmp_path):
    base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
    rng = np.random.default_rng(0)
    base.set_weights([rng.normal(size=w.shape).astype(np.float32) for w in base.get_weights()])
    path = tmp_path / "mobilenet_v2_96.weights.h5"
    base.save_weights(path)
    model = alpaca_model(image_shape=(96, 96), weights=path)
    loaded = model.get_layer("mobilenetv2_1.00_96")
    for ours, theirs in zip(loaded.get_weights(), base.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


def test_imagenet_uses_the_keras_cache_without_downloading(offline):
    # a file in the cache under Keras' own file name is used, and nothing is downloaded (the download fails)
    name, _ = mobilenet_v2_weights_file(96)
    cache = offline / "keras_home" / "models"
    cache.mkdir(parents=True)
    (cache / name).write_bytes(b"")
    assert transfer._resolve_weights("imagenet", 96) == str(cache / name)


def test_imagenet_offline_with_empty_cache_says_what_to_pass(offline):
    name, url = mobilenet_v2_weights_file(160)
    with pytest.raises(ValueError) as info:
        alpaca_model(weights="imagenet")
    message = str(info.value)
    assert message.startswith("`weights` must be 'imagenet' only with network access or with " + name)
    assert f"download {url} elsewhere and pass weights='/path/to/{name}'" in message
    assert "or pass weights=None for random weights" in message
    assert "got 'imagenet' and the download failed (OSError" in message


@pytest.mark.parametrize(
    "weights, error, match",
    [
        ("imagenett", ValueError, r"`weights` must be 'imagenet', None, or the path of an existing MobileNetV2 weights file"),
        (3, TypeError, r"`weights` must be 'imagenet', None, or a path to a weights file; got 3"),
    ],
)
def test_unknown_weights(weights, error, match):
    with pytest.raises(error, match=match):
        alpaca_model(weights=weights)


def test_bad_image_shape():
    with pytest.raises(ValueError, match=r"`image_shape` must be a pair \(n_H, n_W\) of ints in \[32, 16384\] \(32: MobileNetV2's smallest input\); got tuple \(16, 16\)"):
        alpaca_model(image_shape=(16, 16), weights=None)


def test_bad_data_augmentation_refused_before_building():
    with pytest.raises(TypeError, match=r"`data_augmentation` must be a Keras layer or model \(e.g. data_augmenter\(\)\), None or False; got 'flip'\."):
        alpaca_model(weights=None, data_augmentation="flip")


def test_fine_tune_unfreezes_from_layer_and_compiles():
    model = fine_tune(alpaca_model(weights=None), fine_tune_at=120, base_learning_rate=0.001)
    base = model.get_layer("mobilenetv2_1.00_160")
    assert [layer.trainable for layer in base.layers] == [i >= 120 for i in range(len(base.layers))]
    assert np.isclose(float(model.optimizer.learning_rate), 1e-4)
    assert isinstance(model.loss, keras.losses.BinaryCrossentropy) and model.loss.from_logits
    # the augmenter is not mistaken for the base model
    assert model.get_layer("data_augmentation").trainable


@pytest.mark.slow
def test_alpaca_model_trains_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, size=(8, 96, 96, 3)).astype(np.float32)
    y = rng.integers(0, 2, size=(8, 1)).astype(np.float32)
    model = fine_tune(alpaca_model(image_shape=(96, 96), weights=None), fine_tune_at=150)
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    model.save(tmp_path / "alpaca.keras")
    loaded = keras.models.load_model(tmp_path / "alpaca.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-4, atol=1e-5)


def test_freeze_up_to_by_name_and_index():
    inputs = keras.Input((3,))
    x = keras.layers.Dense(4, name="a")(inputs)
    x = keras.layers.Dense(4, name="b")(x)
    model = keras.Model(inputs, keras.layers.Dense(1, name="c")(x))
    assert freeze_up_to(model, "b") == 2
    assert [layer.trainable for layer in model.layers] == [False, False, True, True]
    assert freeze_up_to(model, 0) == 0 and all(layer.trainable for layer in model.layers)
    assert freeze_up_to(model, 4) == 4 and not model.trainable_weights
    with pytest.raises(ValueError, match=r"`layer_index_or_name` must be a layer name of the model \('input_layer"):
        freeze_up_to(model, "nope")
    with pytest.raises(ValueError, match=r"`layer_index_or_name` must be an int in \[0, 4\]; got 5"):
        freeze_up_to(model, 5)


@pytest.mark.parametrize(
    "n_examples, expected",
    [
        (0, 0), (1_000, 0),  # little data: only the new head
        # log10(10,000 / 1,000) / log10(100,000 / 1,000) = 1/2 -> ceil(0.5 * 154) = 77 top layers
        (10_000, 77),
        (1_001, 1),  # just above "small": at least one layer
        (100_000, 154), (10**7, 154),  # a lot of data: everything
    ],
)
def test_layers_to_retrain(n_examples, expected):
    assert layers_to_retrain(n_examples, 154) == expected


def test_layers_to_retrain_is_monotonic_and_bad_input():
    counts = [layers_to_retrain(n, 50) for n in np.logspace(2, 6, 30).astype(int)]
    assert counts == sorted(counts)
    with pytest.raises(ValueError, match=r"`large` must be greater than `small` \(1000\); got 10"):
        layers_to_retrain(5, 10, large=10)
    with pytest.raises(ValueError, match=r"`n_examples` must be a non-negative int; got -1"):
        layers_to_retrain(-1, 10)


def test_weights_file_fine_tune_and_retrain_refuse_bad_values():
    with pytest.raises(ValueError, match=re.escape("`alpha` must be one of Keras' MobileNetV2 widths (0.35, 0.5, 0.75, 1.0, 1.3, 1.4); got 123.0.")):
        mobilenet_v2_weights_file(160, alpha=123)
    with pytest.raises(TypeError, match=re.escape("`rows` must be an int in [1, 16384]; got 'big'.")):
        mobilenet_v2_weights_file("big")
    assert mobilenet_v2_weights_file(100)[0].endswith("_1.0_224_no_top.h5")  # other sizes use the 224 file
    with pytest.raises(TypeError, match=re.escape("`model` must be a Keras model; got None.")):
        fine_tune(None)
    with pytest.raises(ValueError, match=re.escape("`base_learning_rate` must be a real number > 0; got 0.")):
        fine_tune(alpaca_model(weights=None, data_augmentation=False), base_learning_rate=0)
