"""Masked binary cross-entropy (hand values, TF reference, zero gradient), multitask_model, should_multitask."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_cnn.strategy import MaskedBinaryCrossentropy, masked_binary_crossentropy, multitask_model, should_multitask


def test_hand_values():
    # present labels: (1, 0.8) -> -ln 0.8 = 0.22314 and (0, 0.4) -> -ln 0.6 = 0.51083; mean 0.36699
    loss = masked_binary_crossentropy([[1.0, np.nan, 0.0, -1.0]], [[0.8, 0.3, 0.4, 0.9]])
    assert float(loss) == pytest.approx((-np.log(0.8) - np.log(0.6)) / 2, rel=1e-5)


def test_all_missing_gives_zero_and_no_missing_matches_keras():
    assert float(masked_binary_crossentropy([[np.nan, -1.0]], [[0.3, 0.7]])) == 0.0
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (6, 4)).astype(np.float32)
    p = rng.uniform(0.05, 0.95, (6, 4)).astype(np.float32)
    expected = keras.losses.BinaryCrossentropy()(y, p)  # mean over all labels when none is missing
    np.testing.assert_allclose(float(masked_binary_crossentropy(y, p)), float(expected), rtol=1e-5)


def test_equals_loss_on_present_labels_only():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (8, 4)).astype(np.float32)
    missing = rng.random((8, 4)) < 0.25
    y_missing = np.where(missing, np.where(rng.random((8, 4)) < 0.5, np.nan, -1.0), y).astype(np.float32)
    logits = rng.normal(size=(8, 4)).astype(np.float32)
    present = ~missing
    reference = tf.nn.sigmoid_cross_entropy_with_logits(labels=y[present], logits=logits[present])
    got = masked_binary_crossentropy(y_missing, logits, from_logits=True)
    np.testing.assert_allclose(float(got), float(tf.reduce_mean(reference)), rtol=1e-5)
    # probabilities give the same value as logits
    probs = tf.sigmoid(logits)
    np.testing.assert_allclose(float(masked_binary_crossentropy(y_missing, probs)), float(got), rtol=1e-4)


@pytest.mark.parametrize("marker", [np.nan, -1.0])
def test_missing_labels_contribute_zero_gradient(marker):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (5, 4)).astype(np.float32)
    y[1, 2] = y[3, 0] = y[4, 3] = marker
    logits = tf.Variable(rng.normal(size=(5, 4)).astype(np.float32))
    with tf.GradientTape() as tape:
        loss = masked_binary_crossentropy(y, logits, from_logits=True)
    grad = tape.gradient(loss, logits).numpy()
    assert np.isfinite(grad).all()
    assert grad[1, 2] == 0 and grad[3, 0] == 0 and grad[4, 3] == 0
    # present entries: d/dz mean(BCE) = (sigmoid(z) - y) / n_present, n_present = 17
    present = ~np.isin(np.arange(20).reshape(5, 4), [6, 12, 19])
    expected = (1 / (1 + np.exp(-logits.numpy())) - np.nan_to_num(y)) / present.sum()
    np.testing.assert_allclose(grad[present], expected[present], rtol=1e-4, atol=1e-7)


def _trunk():
    inputs = keras.Input((8, 8, 1), name="image")
    x = keras.layers.Conv2D(4, 3, activation="relu", name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(inputs, x, name="trunk")


def test_multitask_model_trains_with_missing_labels_and_round_trips(tmp_path):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    model = multitask_model(_trunk(), 4)
    assert model.output_shape == (None, 4) and model.get_layer("multitask_heads").units == 4
    model.compile(optimizer="adam", loss=MaskedBinaryCrossentropy())
    X = rng.random((16, 8, 8, 1)).astype(np.float32)
    Y = rng.integers(0, 2, (16, 4)).astype(np.float32)
    Y[rng.random((16, 4)) < 0.25] = np.nan
    history = model.fit(X, Y, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    path = tmp_path / "mt.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-5)
    assert isinstance(loaded.loss, MaskedBinaryCrossentropy)


def test_function_loss_round_trips(tmp_path):
    model = multitask_model(_trunk(), 2, from_logits=True)
    model.compile(optimizer="sgd", loss=masked_binary_crossentropy)
    model.save(tmp_path / "f.keras")
    assert keras.models.load_model(tmp_path / "f.keras").output_shape == (None, 2)


def test_multitask_model_bad_input():
    with pytest.raises(TypeError, match="`trunk` must be a keras.Model"):
        multitask_model(lambda x: x, 4)
    with pytest.raises(ValueError, match=r"`n_tasks` must be an int in \[1, 65536\]; got 0"):
        multitask_model(_trunk(), 0)


@pytest.mark.parametrize(
    "counts, kwargs, recommended, failed",
    [
        ([1000, 1000, 1000, 1000], {}, True, ()),          # others 3000 >= 1000 for every task
        ([100_000, 1000], {}, False, ("data",)),            # task 0: others 1000 < 100,000
        ([500, 500], {"min_boost": 2}, False, ("data",)),   # others 500 < 2 * 500
        ([500, 500], {"shared_low_level_features": False, "can_train_big_network": False}, False,
         ("shared features", "big network")),
    ],
)
def test_should_multitask(counts, kwargs, recommended, failed):
    decision = should_multitask(counts, **kwargs)
    assert decision.recommended is recommended and decision.failed == failed
    assert len(decision.reasons) == len(failed)


def test_should_multitask_bad_input():
    with pytest.raises(ValueError, match="`n_per_task` must list at least 2 tasks; got 1"):
        should_multitask([10])
    with pytest.raises(ValueError, match="`n_per_task` must hold non-negative counts; got -3"):
        should_multitask([10, -3])


def test_masked_loss_names_its_inputs_and_never_broadcasts():
    from course_cnn.strategy import masked_binary_crossentropy

    with pytest.raises(ValueError, match=r"`y_pred` must have shape \(2, 3\); got shape \(1, 3\)\."):
        masked_binary_crossentropy(np.ones((2, 3)), np.full((1, 3), 0.5))
    with pytest.raises(TypeError, match=r"`y_true` must have a bool, int, unsigned int or float dtype; got dtype object\."):
        masked_binary_crossentropy(None, np.full((1, 3), 0.5))
