"""synthesize (formulas, seed, small-pool warning), perturbation pools, should_transfer, pretrain_then_finetune."""

import keras
import numpy as np
import pytest

from course_cnn._checks import CourseCNNWarning
from course_cnn.strategy import make_perturbation_pool, pretrain_then_finetune, should_transfer, swap_head, synthesize


@pytest.mark.parametrize("shape", [(6, 5, 5), (6, 5, 5, 3)])
def test_modes_follow_their_formulas(shape):
    rng = np.random.default_rng(0)
    x = rng.random(shape).astype(np.float32)
    o = rng.random((1,) + shape[1:]).astype(np.float32)
    o[0, 0, 0] = 0.0  # a transparent pixel for "occlude"
    s = 0.4
    blend = synthesize(x, o, mode="blend", strength=s)
    np.testing.assert_allclose(blend, 0.6 * x + 0.4 * o, rtol=1e-6)
    added = synthesize(x, o - 0.5, mode="add", strength=s)
    np.testing.assert_allclose(added, np.clip(x + 0.4 * (o - 0.5), 0, 1), rtol=1e-6, atol=1e-7)
    occluded = synthesize(x, o, mode="occlude", strength=1.0)
    expected = np.where(o > 0, o, x)  # s = 1: opaque where the occluder is, unchanged elsewhere
    np.testing.assert_allclose(occluded, expected, rtol=1e-6)


def test_seed_strength_range_and_crop():
    rng = np.random.default_rng(0)
    x = np.zeros((50, 4, 4), dtype=np.float32)
    pool = rng.random((5, 10, 10)).astype(np.float32)  # larger than the images: random crops
    a = synthesize(x, pool, strength=(0.2, 0.6), seed=1)
    np.testing.assert_array_equal(a, synthesize(x, pool, strength=(0.2, 0.6), seed=1))
    assert not np.array_equal(a, synthesize(x, pool, strength=(0.2, 0.6), seed=2))
    # on black images, blend gives s * o <= 0.6 * max(pool)
    assert a.max() <= 0.6 * pool.max() + 1e-6 and a.min() >= 0
    # each output is s * (a 4x4 crop of one pool member) for some s in [0.2, 0.6]
    crops = {(k, i, j): pool[k, i:i + 4, j:j + 4] for k in range(5) for i in range(7) for j in range(7)}
    for img in a[:5]:
        ratios = [img / c for c in crops.values() if (c > 0).all()]
        assert any(np.allclose(r, r.flat[0], rtol=1e-4) and 0.2 <= r.flat[0] <= 0.6 for r in ratios)


def test_small_pool_warns():
    x = np.zeros((1_000, 4, 4), dtype=np.float32)
    with pytest.warns(CourseCNNWarning, match="reused about 1000 times over 1000 images"):
        synthesize(x, np.ones((1, 4, 4)))
    synthesize(x, np.ones((10, 4, 4)))  # 100 uses each: not above max_reuse, no warning


@pytest.mark.parametrize(
    "images, overlays, kwargs, error, match",
    [
        (np.full((2, 4, 4), 2.0), np.ones((1, 4, 4)), {}, ValueError, r"`images` must hold floats in \[0, 1\]"),
        (np.zeros((2, 4, 4)), np.ones((1, 3, 4)), {}, ValueError, r"`overlays` must be at least as large as the images \(4x4\)"),
        (np.zeros((2, 4, 4)), np.ones((1, 4, 4, 3)), {}, ValueError, r"`overlays` must have shape \(k, p_H, p_W\)"),
        (np.zeros((2, 4, 4)), np.ones((1, 4, 4)), {"mode": "mix"}, ValueError, "`mode` must be one of 'add'"),
        (np.zeros((2, 4, 4)), np.ones((1, 4, 4)), {"strength": (0.7, 0.2)}, ValueError, "`strength` must be a range"),
        (np.zeros((2, 4, 4)), np.ones((1, 4, 4)), {"strength": 1.5}, ValueError, "`strength` must be a probability"),
        (np.zeros(4), np.ones((1, 4, 4)), {}, ValueError, r"`images` must have shape \(m, n_H, n_W\)"),
    ],
)
def test_synthesize_bad_input(images, overlays, kwargs, error, match):
    with pytest.raises(error, match=match):
        synthesize(images, overlays, **kwargs)


@pytest.mark.parametrize("kind", ["noise", "fog", "occluder"])
def test_pools(kind):
    pool = make_perturbation_pool(kind, 20, (28, 28), seed=0)
    assert pool.shape == (20, 28, 28) and pool.dtype == np.float32
    np.testing.assert_array_equal(pool, make_perturbation_pool(kind, 20, (28, 28), seed=0))
    if kind == "fog":
        assert 0.5 <= pool.min() and pool.max() <= 1.0
    if kind == "occluder":
        assert ((pool == 0).mean(axis=(1, 2)) > 0.2).all() and (pool > 0).any(axis=(1, 2)).all()
    assert make_perturbation_pool(kind, 2, (8, 8, 3)).shape == (2, 8, 8, 3)
    with pytest.raises(ValueError, match="`kind` must be one of 'noise', 'fog', 'occluder'; got 'rain'"):
        make_perturbation_pool("rain", 2, (8, 8))


@pytest.mark.parametrize(
    "args, kwargs, failed",
    [
        ((1_000_000, 100), {}, ()),                                  # ImageNet -> radiology
        ((10_000 * 3600, 3600), {}, ()),                             # 10,000 h speech -> 1 h wake word
        ((100, 100), {}, ("more source data",)),                     # 100 < 10 * 100
        ((1_000_000, 100), {"same_input_type": False}, ("same input",)),
        ((1_000_000, 100), {"low_level_features_useful": False}, ("useful features",)),
        ((500, 100), {"min_ratio": 5}, ()),
    ],
)
def test_should_transfer(args, kwargs, failed):
    decision = should_transfer(*args, **kwargs)
    assert decision.failed == failed and decision.recommended is (not failed)
    assert ("not recommended" in str(decision)) is bool(failed)


def test_should_transfer_bad_input():
    with pytest.raises(ValueError, match="`n_target` must be a positive int; got 0"):
        should_transfer(10, 0)
    with pytest.raises(ValueError, match="`n_source` must be a non-negative int; got -1"):
        should_transfer(-1, 10)


def _classifier(n_classes=3):
    x = keras.Input((6,), name="x")
    h = keras.layers.Dense(5, activation="relu", name="hidden")(x)
    return keras.Model(x, keras.layers.Dense(n_classes, activation="softmax", name="head")(h), name="a")


@pytest.mark.parametrize("freeze, frozen", [("body", ["x", "hidden"]), ("none", []), (1, ["x"])])
def test_pretrain_then_finetune_freezes_and_swaps_the_head(freeze, frozen, tmp_path, eager_tf_functions):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    A = (rng.normal(size=(64, 6)).astype(np.float32), rng.integers(0, 3, 64))
    B = (rng.normal(size=(16, 6)).astype(np.float32), rng.integers(0, 2, 16))
    model = _classifier()
    result = pretrain_then_finetune(model, A, B, 2, freeze=freeze, pretrain_epochs=1, finetune_epochs=0)
    hidden_before = [w.copy() for w in result.model.get_layer("hidden").get_weights()]
    result = pretrain_then_finetune(result.model, B, B, 2, freeze=freeze, pretrain_epochs=0, finetune_epochs=2)
    assert result.frozen == frozen
    assert result.model.output_shape == (None, 2) and result.model.layers[-1].name == "target_head"
    assert len(result.finetune_history["loss"]) == 2 and result.pretrain_history == {}
    hidden_after = result.model.get_layer("hidden").get_weights()
    changed = not all(np.array_equal(a, b) for a, b in zip(hidden_before, hidden_after))
    assert changed is ("hidden" not in frozen)
    result.model.save(tmp_path / "b.keras")
    assert keras.models.load_model(tmp_path / "b.keras").output_shape == (None, 2)


def test_transfer_bad_input():
    with pytest.raises(TypeError, match="`model` must be a keras.Model"):
        swap_head("vgg", 2)
    with pytest.raises(ValueError, match="`freeze` must be one of 'body', 'none'; got 'all'"):
        pretrain_then_finetune(_classifier(), None, None, 2, freeze="all")
    with pytest.raises(ValueError, match=r"`freeze` must be an int in \[0, 2\]; got 5"):
        pretrain_then_finetune(_classifier(), None, None, 2, freeze=5)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(learning_rate=-1), ValueError, r"`learning_rate` must be a real number > 0; got -1\."),
    (dict(batch_size=0), ValueError, r"`batch_size` must be a positive int; got 0\."),
    (dict(pretrain_epochs=10**12), ValueError, r"`pretrain_epochs` must be an int in \[0, 1000000\]"),
])
def test_pretrain_then_finetune_refuses_bad_training_settings(kwargs, error, message):
    X, y = np.zeros((4, 6)), np.array([0, 1, 2, 0])
    with pytest.raises(error, match=message):
        pretrain_then_finetune(_classifier(), (X, y), (X, y % 2), 2, **kwargs)
    with pytest.raises(TypeError, match=r"`source_data` must be a pair \(X, y\); got None\."):
        pretrain_then_finetune(_classifier(), None, (X, y % 2), 2)
