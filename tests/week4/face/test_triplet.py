"""The course's triplet loss and its Keras form."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week4.face import TripletLoss, triplet_loss


def _loop_triplet(a, p, n, alpha):
    total = 0.0
    for i in range(len(a)):
        pos = sum((a[i, k] - p[i, k]) ** 2 for k in range(a.shape[1]))
        neg = sum((a[i, k] - n[i, k]) ** 2 for k in range(a.shape[1]))
        total += max(pos - neg + alpha, 0.0)
    return total


def test_course_values():
    # The course's public test: seed 1, random normal (3, 128) encodings, alpha 0.2 -> 527.2598
    tf.random.set_seed(1)
    y_pred = (
        tf.keras.backend.random_normal([3, 128], mean=6, stddev=0.1, seed=1),
        tf.keras.backend.random_normal([3, 128], mean=1, stddev=1, seed=1),
        tf.keras.backend.random_normal([3, 128], mean=3, stddev=4, seed=1),
    )
    a, p, n = (np.asarray(x, np.float64) for x in y_pred)
    np.testing.assert_allclose(float(triplet_loss(None, y_pred)), _loop_triplet(a, p, n, 0.2), rtol=1e-5)


def test_hand_values():
    # A=(0,0), P=(1,0), N=(0,3): pos 1, neg 9 -> max(1-9+0.2,0)=0 ; swapped: 9-1+0.2=8.2 ; sum = 8.2
    a = np.array([[0.0, 0.0], [0.0, 0.0]])
    p = np.array([[1.0, 0.0], [0.0, 3.0]])
    n = np.array([[0.0, 3.0], [1.0, 0.0]])
    assert float(triplet_loss(None, [a, p, n])) == pytest.approx(8.2, rel=1e-6)
    # stacked (3, m, d) tensor form gives the same
    assert float(triplet_loss(None, np.stack([a, p, n]).astype("float32"))) == pytest.approx(8.2, rel=1e-6)


@pytest.mark.parametrize("m,d,alpha", [(1, 2, 0.0), (5, 8, 0.2), (7, 128, 1.0)])
def test_matches_loop(m, d, alpha):
    rng = np.random.default_rng(0)
    a, p, n = rng.normal(size=(3, m, d))
    got = float(triplet_loss(None, (a, p, n), alpha=alpha))
    np.testing.assert_allclose(got, _loop_triplet(a, p, n, alpha), rtol=1e-5, atol=1e-6)


def test_gradient_matches_hand_formula():
    # d/dA of (|A-P|^2 - |A-N|^2) = 2(A-P) - 2(A-N) = 2(N-P) when the hinge is active
    rng = np.random.default_rng(0)
    a, p, n = (tf.constant(x, tf.float32) for x in rng.normal(size=(3, 4, 6)))
    with tf.GradientTape() as tape:
        tape.watch(a)
        loss = triplet_loss(None, (a, p, n), alpha=100.0)  # big margin: every hinge active
    np.testing.assert_allclose(tape.gradient(loss, a), 2 * (n - p), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "y_pred,match",
    [
        ((np.zeros((2, 3)), np.zeros((2, 3))), r"`y_pred` must hold 3 encodings .*; got 2 items"),
        (np.zeros((4, 2, 3), "float32"), r"`y_pred` must have shape \(3, None, None\); got shape \(4, 2, 3\)"),
        ((np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 3))), r"`y_pred\[1\] \(positive\)` must have the same shape"),
        ((np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((1, 3))), r"`y_pred\[2\] \(negative\)` must have the same shape"),
    ],
)
def test_bad_y_pred(y_pred, match):
    with pytest.raises(ValueError, match=match):
        triplet_loss(None, y_pred)


def test_bad_alpha_and_type():
    with pytest.raises(ValueError, match=r"`alpha` must be a finite real number; got inf"):
        triplet_loss(None, (np.zeros((1, 2)),) * 3, alpha=float("inf"))
    with pytest.raises(TypeError, match=r"`y_pred` must be a sequence of 3 encodings"):
        triplet_loss(None, "abc")
    with pytest.raises(ValueError, match=r"`alpha` must be a real number >= 0"):
        TripletLoss(alpha=-1)


def test_keras_loss_trains_and_round_trips(tmp_path):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3, 4)).astype("float32")  # (m, anchor/positive/negative, features)
    inp = keras.Input((3, 4), name="triplet_in")
    out = keras.layers.Dense(2, name="embed")(inp)  # applied to each of the 3 members
    model = keras.Model(inp, out, name="toy_triplet")
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss=TripletLoss(alpha=0.5, reduction="sum"), jit_compile=False)
    before = model.evaluate(x, np.zeros(32), verbose=0)
    model.fit(x, np.zeros(32), epochs=3, batch_size=32, verbose=0)
    assert model.evaluate(x, np.zeros(32), verbose=0) < before
    # loss value equals the course function on the same encodings
    enc = model.predict(x, verbose=0)
    expected = float(triplet_loss(None, (enc[:, 0], enc[:, 1], enc[:, 2]), alpha=0.5))
    np.testing.assert_allclose(model.evaluate(x, np.zeros(32), verbose=0, batch_size=32), expected, rtol=1e-4)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.loss, TripletLoss) and loaded.loss.alpha == 0.5


def test_nan_and_strings_refused_with_the_encoding_named():
    with pytest.raises(ValueError, match=r"`y_pred\[1\]` must contain only finite values; got 2 NaN or infinite entries\."):
        triplet_loss(None, (np.zeros((1, 2)), np.full((1, 2), np.nan), np.zeros((1, 2))))
    with pytest.raises(TypeError, match=r"`y_pred\[0\]` must have an int, unsigned int or float dtype; got dtype <U1\."):
        triplet_loss(None, (["a", "b"], [1.0, 2.0], [1.0, 2.0]))
