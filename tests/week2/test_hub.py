"""HubLayer: a TF2 SavedModel inside a Keras 3 functional model (train one step, save, load)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week2 import HubLayer, load_hub_module


class TinyEncoder(tf.Module):
    """y = relu(x W + b): a stand-in for a Hub feature vector model."""

    def __init__(self, dict_output=False):
        rng = np.random.default_rng(0)
        self.w = tf.Variable(rng.normal(size=(4, 3)).astype(np.float32), name="w")
        self.b = tf.Variable(np.zeros(3, np.float32), name="b")
        self.dict_output = dict_output

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def __call__(self, x):
        y = tf.nn.relu(tf.matmul(x, self.w) + self.b)
        return {"features": y, "sum": tf.reduce_sum(y, axis=-1)} if self.dict_output else y


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("hub") / "tiny_encoder"
    tf.saved_model.save(TinyEncoder(), str(path))
    return path


def build(handle, trainable):
    inputs = keras.Input((4,), name="x")
    features = HubLayer(handle, trainable=trainable, name="encoder")(inputs)  # (m, 3)
    outputs = keras.layers.Dense(1, name="head")(features)
    model = keras.Model(inputs, outputs, name="hub_model")
    model.compile(keras.optimizers.SGD(0.1), "mse")
    return model


def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 4)).astype(np.float32), rng.normal(size=(16, 1)).astype(np.float32)


def test_forward_matches_the_saved_model(saved_model):
    x, _ = data()
    model = build(saved_model, trainable=False)
    module = TinyEncoder()
    expected = np.maximum(x @ module.w.numpy() + module.b.numpy(), 0)  # relu(x W + b)
    np.testing.assert_allclose(model.get_layer("encoder")(x).numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("trainable", [True, False])
def test_train_one_step_then_save_and_load(saved_model, tmp_path, trainable):
    x, y = data()
    model = build(saved_model, trainable)
    encoder = model.get_layer("encoder")
    assert len(encoder.weights) == 2
    assert len(model.trainable_weights) == (4 if trainable else 2)  # w, b of the SavedModel + the head's
    before = [w.numpy().copy() for w in encoder.weights]
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)  # one step
    after = [w.numpy() for w in encoder.weights]
    assert (not np.allclose(before[0], after[0])) == trainable  # frozen layers keep their weights
    path = tmp_path / "hub_model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(loaded.get_layer("encoder").weights[0].numpy(), after[0])


def test_dict_output_needs_output_key(tmp_path):
    path = tmp_path / "dict_model"
    tf.saved_model.save(TinyEncoder(dict_output=True), str(path))
    x, _ = data()
    assert HubLayer(path, output_key="sum")(x).shape == (16,)
    with pytest.raises(ValueError, match=r"`output_key` must be one of the model's output keys \['features', 'sum'\]"):
        HubLayer(path)(x)


def test_bad_handles(tmp_path):
    with pytest.raises(ValueError, match=r"`handle` must be a TF2 SavedModel directory or a TensorFlow Hub handle"):
        load_hub_module(tmp_path / "missing")
    with pytest.raises(TypeError, match=r"`handle` must be a str or path-like"):
        HubLayer(3)
    with pytest.raises(TypeError, match=r"`output_key` must be a str or None; got 1"):
        HubLayer(tmp_path, output_key=1)


class TrainingAware(tf.Module):
    """Doubles its input in training mode, identity in inference (like dropout's two modes)."""

    def __init__(self):
        self.scale = tf.Variable(2.0, name="scale")

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32), tf.TensorSpec([], tf.bool)])
    def __call__(self, x, training):
        return tf.cond(training, lambda: x * self.scale, lambda: tf.identity(x))


def test_training_flag_is_passed_only_to_a_trainable_layer(tmp_path):
    path = tmp_path / "training_aware"
    tf.saved_model.save(TrainingAware(), str(path))
    x = np.ones((2, 4), np.float32)
    trainable, frozen = HubLayer(path, trainable=True), HubLayer(path, trainable=False)
    np.testing.assert_allclose(trainable(x, training=True).numpy(), 2 * x)
    np.testing.assert_allclose(trainable(x, training=False).numpy(), x)
    np.testing.assert_allclose(frozen(x, training=True).numpy(), x)  # frozen: always inference mode
