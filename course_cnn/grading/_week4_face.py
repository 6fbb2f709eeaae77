"""Check suites for week 4, face recognition: the triplet loss, verification and recognition.

Triplet loss cases: random encodings for several seeds and batch sizes, a
margin ``alpha`` other than the default, identical anchor/positive/negative
encodings (the loss is then ``m * alpha``), a batch where every triplet
already satisfies the margin (loss 0), and the course's own checks (Python
lists of 1-D encodings, a negative ``alpha``, its ``tf.random.normal``
encodings), so that a solution the course accepts passes. ``verify`` and ``who_is_it`` run on
the shipped photos with the pretrained encoder and a database built from
them (the default threshold is the package's ``DEFAULT_THRESHOLD``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from course_cnn.grading._course_inputs import course_normals
from course_cnn.grading._suite import Case, Hint, Suite, same_as

_TOL = {"rtol": 1e-4, "atol": 1e-4}


def _tensor(x):
    import tensorflow as tf

    return tf.constant(np.asarray(x, dtype="float32"))


def _random_triplets(seed, m, d, spread=1.0):
    rng = np.random.default_rng(seed)
    anchor = rng.normal(0, 1, (m, d))
    positive = anchor + rng.normal(0, spread, (m, d))
    negative = anchor + rng.normal(0, 1.1 * spread, (m, d))
    return anchor, positive, negative


def _case(name, triplets, alpha=None):
    def make():
        y_pred = tuple(_tensor(x) for x in triplets())
        return {"y_true": None, "y_pred": y_pred}, ({} if alpha is None else {"alpha": alpha})

    return Case(name, make)


def _course_case(name, y_pred, alpha):
    """One of the course's own checks: y_true (None, None, None), y_pred Python lists (1-D encodings or a batch)."""
    return Case(name, lambda: ({"y_true": (None, None, None), "y_pred": tuple(list(x) for x in y_pred)},
                               {"alpha": alpha}))


def _course_random_triplets():
    """The course's test: tf.random.set_seed(1), then normal encodings (3, 128) with means 6, 1, 3 (loss 527.26)."""
    return course_normals(1, 1, ([3, 128], 6.0, 0.1), ([3, 128], 1.0, 1.0), ([3, 128], 3.0, 4.0))


def _triplet_cases():
    same = np.random.default_rng(3).normal(size=(4, 8))
    far = _random_triplets(4, 5, 16, spread=0.01)
    return [
        _case("seed 0, m 3, d 128 (the course's shapes)", lambda: _random_triplets(0, 3, 128, 0.1)),
        _case("seed 1, m 8, d 4, alpha 0.5", lambda: _random_triplets(1, 8, 4), alpha=0.5),
        _case("seed 2, m 1, d 2", lambda: _random_triplets(2, 1, 2)),
        _case("identical anchor, positive and negative (loss m * alpha)", lambda: (same, same, same)),
        _case("every negative far away (loss 0)", lambda: (far[0], far[1], far[0] + 10.0)),
        Case("the course's test: tf.random.normal encodings (3, 128), means 6, 1 and 3",
             lambda: ({"y_true": (None, None, None), "y_pred": tuple(_course_random_triplets())}, {})),
        _course_case("the course's check: 1-D lists, all three equal, alpha 5 (loss 5)",
                     ([1.0, 1.0], [1.0, 1.0], [1.0, 1.0]), 5),
        _course_case("the course's check: 1-D lists, negative at distance 2, alpha 3 (loss 1)",
                     ([1.0, 1.0], [1.0, 1.0], [0.0, 0.0]), 3),
        _course_case("the course's check: 1-D lists, positive at distance 2, alpha 0 (loss 2)",
                     ([1.0, 1.0], [0.0, 0.0], [1.0, 1.0]), 0),
        _course_case("the course's check: 1-D lists of zeros, negative alpha -2 (loss 0)",
                     ([0.0, 0.0], [0.0, 0.0], [0.0, 0.0]), -2),
        _course_case("the course's check: lists, a batch of 2, alpha 3 (loss 2)",
                     ([[1.0, 0.0], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [0.0, 1.0]]), 3),
    ]


def _terms(d):
    anchor, positive, negative = (np.asarray(x, np.float64) for x in d.args["y_pred"])
    return anchor, positive, negative, d.kwargs.get("alpha", 0.2)


def _wrong_axis(d):
    anchor, positive, negative, alpha = _terms(d)
    pos, neg = np.sum((anchor - positive) ** 2, axis=0), np.sum((anchor - negative) ** 2, axis=0)  # (d,)
    return np.sum(np.maximum(pos - neg + alpha, 0.0))


def _variant(d, kind):
    anchor, positive, negative, alpha = _terms(d)
    pos, neg = np.sum((anchor - positive) ** 2, axis=-1), np.sum((anchor - negative) ** 2, axis=-1)  # (m,)
    if kind == "no_max":
        return np.sum(pos - neg + alpha)
    if kind == "mean":
        return np.mean(np.maximum(pos - neg + alpha, 0.0))
    if kind == "not_squared":
        return np.sum(np.maximum(np.sqrt(pos) - np.sqrt(neg) + alpha, 0.0))
    if kind == "no_axis":  # tf.reduce_sum(tf.square(anchor - positive)) with no axis: one distance for the batch
        return np.maximum(np.sum(pos) - np.sum(neg) + alpha, 0.0)
    raise ValueError(kind)


def _only(d, kind, other):
    """The learner's loss is the ``kind`` mistake's and not also the ``other``'s (on identical encodings the
    mean of m equal hinges and the hinge of the whole batch's distances are the same number: no hint there)."""
    return (same_as(lambda d: _variant(d, kind), **_TOL)(d)
            and not same_as(lambda d: _variant(d, other), **_TOL)(d))


TRIPLET_LOSS = Suite(
    "week4.triplet_loss", "course_cnn.week4.face:triplet_loss", _triplet_cases, **_TOL,
    summary="sum over the batch of max(||A - P||^2 - ||A - N||^2 + alpha, 0)",
    hints=(
        Hint("Sum the squared differences over the encoding axis (axis=-1), one distance per triplet, and only then "
             "sum the hinge over the batch: pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1).",
             same_as(_wrong_axis, **_TOL)),
        Hint("Sum over the encoding axis only: pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1). "
             "Without axis=-1, reduce_sum adds up the whole batch into one distance, and the hinge is taken once "
             "instead of per triplet.", lambda d: _only(d, "no_axis", "mean")),
        Hint("Apply the hinge before summing: tf.reduce_sum(tf.maximum(basic_loss, 0.0)).",
             same_as(lambda d: _variant(d, "no_max"), **_TOL)),
        Hint("The course's loss is a sum over the batch, not a mean: use tf.reduce_sum.",
             lambda d: _only(d, "mean", "no_axis")),
        Hint("Use squared distances, without the square root: tf.reduce_sum(tf.square(anchor - positive), axis=-1).",
             same_as(lambda d: _variant(d, "not_squared"), **_TOL)),
    ),
)



# ---- verify, who_is_it ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _face_setup():
    """The pretrained encoder and the encodings of the shipped photos (computed once)."""
    from course_cnn.datasets import load_photo
    from course_cnn.week4.face import img_to_encoding, load_face_encoder

    model = load_face_encoder()
    photos = {name: load_photo(name) for name in ("obama_1", "obama_2", "obama_3", "biden", "grace_hopper")}
    database = {"obama": img_to_encoding(photos["obama_1"], model), "biden": img_to_encoding(photos["biden"], model)}
    return model, photos, database


def _face_case(name, photo, identity=None):
    def make():
        model, photos, database = _face_setup()
        args = {"image_path": photos[photo].copy()}
        if identity is not None:
            args["identity"] = identity
        args.update(database={k: v.copy() for k, v in database.items()}, model=model)
        return args, {}

    return Case(name, make)


def _verify_cases():
    return [_face_case("obama_2 claims to be obama (same person)", "obama_2", "obama"),
            _face_case("obama_3 claims to be biden (an impostor)", "obama_3", "biden"),
            _face_case("the stored photo of biden claims to be biden (distance 0)", "biden", "biden")]


VERIFY = Suite(
    "week4.verify", "course_cnn.week4.face:verify", _verify_cases, rtol=1e-4, atol=1e-5, timeout=60,
    output_names=("dist", "door_open"),
    summary="distance to the claimed identity's encoding, and whether it is below the threshold",
    hints=(
        Hint("The door opens when the distance is *below* the threshold: door_open = dist < threshold.",
             lambda d: isinstance(d.got, tuple) and len(d.got) == 2 and bool(d.got[1]) != bool(d.expected[1])
             and np.isclose(float(d.got[0]), float(d.expected[0]), rtol=1e-4)),
        Hint("Use the L2 distance, not its square: dist = np.linalg.norm(encoding - database[identity]).",
             same_as(lambda d: float(d.expected[0]) ** 2, part=0, rtol=1e-4, atol=1e-6)),
    ),
)


def _who_cases():
    return [_face_case("obama_3 (in the database)", "obama_3"),
            _face_case("the stored photo of biden (distance 0)", "biden"),
            _face_case("grace_hopper (not in the database)", "grace_hopper")]


def _wrong_minimum_candidates(d) -> np.ndarray:
    """What a broken minimum search returns: the distance to some other identity, or the starting 100."""
    from course_cnn.week4.face import img_to_encoding

    encoding = np.asarray(img_to_encoding(d.args["image_path"], d.args["model"]))
    distances = [np.linalg.norm(encoding - np.asarray(e)) for e in d.args["database"].values()]
    return np.array(distances + [100.0])


WHO_IS_IT = Suite(
    "week4.who_is_it", "course_cnn.week4.face:who_is_it", _who_cases, rtol=1e-4, atol=1e-5, timeout=60,
    output_names=("min_dist", "identity"),
    summary="the closest identity of the database, or None when even the closest is above the threshold",
    hints=(
        Hint("When even the closest identity is at or above the threshold, the person is not in the database: "
             "return None as the identity.",
             lambda d: isinstance(d.got, tuple) and len(d.got) == 2 and d.expected[1] is None
             and d.got[1] is not None and np.isclose(float(d.got[0]), float(d.expected[0]), rtol=1e-4)),
        Hint("Keep the smallest distance: start with min_dist = 100 and update it when dist < min_dist.",
             lambda d: isinstance(d.got, tuple) and len(d.got) == 2 and not np.isclose(
                 float(d.got[0]), float(d.expected[0]), rtol=1e-4)
             and np.isclose(float(d.got[0]), _wrong_minimum_candidates(d), rtol=1e-4).any()),
    ),
)

SUITES = [TRIPLET_LOSS, VERIFY, WHO_IS_IT]
