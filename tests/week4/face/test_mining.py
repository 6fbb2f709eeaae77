"""Online triplet mining: vectorised losses against the loop reference."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week4.face import (
    TripletHardLoss,
    TripletSemiHardLoss,
    batch_all_triplet_loss,
    batch_hard_triplet_loss,
    batch_semi_hard_triplet_loss,
    pairwise_distances,
    triplet_loss_loops,
)

LOSSES = {
    "semi-hard": lambda y, e, m: batch_semi_hard_triplet_loss(y, e, m),
    "hard": batch_hard_triplet_loss,
    "all": batch_all_triplet_loss,
}


def test_pairwise_distances_match_scipy():
    from scipy.spatial.distance import cdist

    rng = np.random.default_rng(0)
    x = rng.normal(size=(9, 5)).astype("float32")
    np.testing.assert_allclose(pairwise_distances(x), cdist(x, x), atol=1e-5)
    np.testing.assert_allclose(pairwise_distances(x, squared=True), cdist(x, x) ** 2, atol=1e-4)
    assert np.all(np.diag(np.asarray(pairwise_distances(x))) == 0.0)


@pytest.mark.parametrize("strategy", ["semi-hard", "hard", "all"])
@pytest.mark.parametrize("batch,classes,d", [(6, 2, 3), (10, 3, 4), (12, 4, 2), (8, 8, 3)])
@pytest.mark.parametrize("margin", [0.0, 0.3, 1.0])
def test_matches_loop_reference(strategy, batch, classes, d, margin):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, classes, size=batch)
    emb = rng.normal(size=(batch, d)).astype("float32")
    got = float(LOSSES[strategy](labels, emb, margin))
    np.testing.assert_allclose(got, triplet_loss_loops(labels, emb, margin, strategy), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("strategy", ["hard", "all"])
def test_squared_matches_loop_reference(strategy):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, size=10)
    emb = rng.normal(size=(10, 4)).astype("float32")
    fn = batch_hard_triplet_loss if strategy == "hard" else batch_all_triplet_loss
    got = float(fn(labels, emb, 0.5, squared=True))
    np.testing.assert_allclose(got, triplet_loss_loops(labels, emb, 0.5, strategy, squared=True), rtol=1e-4)


def test_semi_hard_matches_tf_addons_formula_on_hand_case():
    # 1-D embeddings 0, 0.1, 0.15, 0.5 with labels 0, 0, 1, 1 and margin 0.2:
    # (0,1): 0.1-0.15+0.2=0.15; (1,0): 0.1-0.4+0.2<0 -> 0; (2,3): no negative farther than 0.35,
    # farthest is 0.15 -> 0.35-0.15+0.2=0.4; (3,2): 0.35-0.4+0.2=0.15; mean = 0.7/4 = 0.175
    emb = np.array([[0.0], [0.1], [0.15], [0.5]], dtype="float32")
    assert float(batch_semi_hard_triplet_loss([0, 0, 1, 1], emb, 0.2)) == pytest.approx(0.175, abs=1e-6)


def test_no_valid_semi_hard_negative_uses_farthest_negative():
    # anchor 0 and positive 1 at distance 1; negatives at 0.2 and 0.5 from the anchor (both closer):
    # no semi-hard negative -> farthest negative 0.5 -> pair (0,1): 1 - 0.5 + 0.1 = 0.6
    emb = np.array([[0.0], [1.0], [0.2], [0.5]], dtype="float32")
    labels = np.array([0, 0, 1, 2])
    # pair (1,0): D=1, negatives at 0.8, 0.5 -> farthest 0.8 -> 1 - 0.8 + 0.1 = 0.3 ; mean 0.45
    assert float(batch_semi_hard_triplet_loss(labels, emb, 0.1)) == pytest.approx(0.45, abs=1e-6)


@pytest.mark.parametrize("strategy", ["semi-hard", "hard", "all"])
def test_one_class_batch_gives_zero(strategy):
    emb = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    assert float(LOSSES[strategy](np.zeros(5, int), emb, 0.5)) == 0.0
    assert triplet_loss_loops(np.zeros(5, int), emb, 0.5, strategy) == 0.0


@pytest.mark.parametrize("strategy", ["semi-hard", "hard", "all"])
def test_all_distinct_labels_gives_zero(strategy):
    emb = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    assert float(LOSSES[strategy](np.arange(5), emb, 0.5)) == 0.0


@pytest.mark.parametrize("strategy", ["semi-hard", "hard", "all"])
def test_all_equal_embeddings_loss_is_margin_and_gradient_finite(strategy):
    # every distance is 0, so every counted term is max(0 - 0 + margin, 0) = margin
    emb = tf.Variable(np.ones((6, 4), np.float32))
    labels = np.array([0, 0, 1, 1, 2, 2])
    with tf.GradientTape() as tape:
        loss = LOSSES[strategy](labels, emb, 0.3)
    grad = tape.gradient(loss, emb)
    assert float(loss) == pytest.approx(0.3, abs=1e-6)
    assert np.all(np.isfinite(grad.numpy()))


def test_gradient_finite_with_duplicate_embeddings():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 4)).astype("float32")
    x[1] = x[0]  # a positive pair at distance exactly 0
    x[3] = x[2]  # and a negative pair at distance 0
    emb = tf.Variable(x)
    labels = np.array([0, 0, 1, 0, 1, 1])
    for fn in LOSSES.values():
        with tf.GradientTape() as tape:
            loss = fn(labels, emb, 0.5)
        assert np.all(np.isfinite(tape.gradient(loss, emb).numpy()))


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3))
    labels = np.array([0, 0, 1, 1, 2, 2, 0, 1])
    emb = tf.Variable(x.astype("float32"))
    with tf.GradientTape() as tape:
        loss = batch_semi_hard_triplet_loss(labels, emb, 1.0)
    grad = tape.gradient(loss, emb).numpy()
    eps = 1e-4
    num = np.zeros_like(x)
    for i in range(x.shape[0]):
        for k in range(x.shape[1]):
            up, down = x.copy(), x.copy()
            up[i, k] += eps
            down[i, k] -= eps
            num[i, k] = (triplet_loss_loops(labels, up, 1.0) - triplet_loss_loops(labels, down, 1.0)) / (2 * eps)
    np.testing.assert_allclose(grad, num, atol=2e-3)


def test_bad_input_messages():
    emb = np.zeros((4, 2), "float32")
    with pytest.raises(ValueError, match=r"`labels` must have one label per embedding \(4\); got shape \(3,\)"):
        batch_semi_hard_triplet_loss(np.zeros(3, int), emb, 1.0)
    with pytest.raises(ValueError, match=r"`margin` must be a real number >= 0; got -1"):
        batch_hard_triplet_loss(np.zeros(4, int), emb, -1.0)
    with pytest.raises(ValueError, match=r"`embeddings` must have 2 dimensions \(B, d\); got shape \(4,\)"):
        batch_all_triplet_loss(np.zeros(4, int), np.zeros(4, "float32"), 1.0)
    with pytest.raises(TypeError, match=r"`labels` must have a bool, int or unsigned int dtype"):
        batch_all_triplet_loss(np.zeros(4), emb, 1.0)
    with pytest.raises(ValueError, match=r"`strategy` must be one of 'semi-hard', 'hard', 'all'; got 'easy'"):
        triplet_loss_loops([0, 1], emb[:2], 1.0, "easy")


def test_labels_column_vector_accepted():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(6, 3)).astype("float32")
    labels = np.array([0, 0, 1, 1, 2, 2])
    a = float(batch_semi_hard_triplet_loss(labels[:, None], emb, 0.5))
    assert a == pytest.approx(float(batch_semi_hard_triplet_loss(labels, emb, 0.5)))


@pytest.mark.parametrize("loss_cls,fn", [(TripletSemiHardLoss, batch_semi_hard_triplet_loss), (TripletHardLoss, batch_hard_triplet_loss)])
def test_keras_loss_fits_and_round_trips(tmp_path, loss_cls, fn):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 5)).astype("float32")
    y = np.repeat(np.arange(4), 6)
    inp = keras.Input((5,), name="x")
    out = keras.layers.UnitNormalization(name="l2")(keras.layers.Dense(3, name="dense")(inp))
    model = keras.Model(inp, out, name="toy_encoder")
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=loss_cls(margin=0.5), jit_compile=False)
    history = model.fit(x, y, epochs=5, batch_size=24, shuffle=False, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=24, verbose=0), float(fn(y, model(x), 0.5)), rtol=1e-4, atol=1e-6)
    model.save(tmp_path / "enc.keras")
    loaded = keras.models.load_model(tmp_path / "enc.keras")
    assert isinstance(loaded.loss, loss_cls) and loaded.loss.margin == 0.5


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_embeddings_never_become_finite_distances_or_losses(bad):
    from course_cnn.week4.face import (
        batch_all_triplet_loss, batch_hard_triplet_loss, batch_semi_hard_triplet_loss, pairwise_distances,
        triplet_loss_loops,
    )

    emb = np.random.default_rng(0).uniform(size=(4, 3)).astype("float32")
    emb[0, 0] = bad
    labels = np.array([0, 0, 1, 1])
    D = np.asarray(pairwise_distances(emb))
    assert np.isnan(D[0]).all() and np.isnan(D[:, 0]).all()  # the bad row and column, not 0
    assert np.isfinite(D[1:, 1:]).all()  # the other pairs are untouched
    for loss in (batch_all_triplet_loss, batch_hard_triplet_loss, batch_semi_hard_triplet_loss):
        assert not np.isfinite(float(loss(labels, emb))), loss.__name__
    with pytest.raises(ValueError, match=r"`embeddings` must contain only finite values; got 1 NaN or infinite entry\."):
        triplet_loss_loops(labels, emb, 0.2)  # the loop version is called directly: it refuses
