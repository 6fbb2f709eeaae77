"""Check suites for week 4, face recognition: the triplet loss.

Cases: random encodings for several seeds and batch sizes, a margin
``alpha`` other than the default, identical anchor/positive/negative
encodings (the loss is then ``m * alpha``), and a batch where every
triplet already satisfies the margin (loss 0).
"""

from __future__ import annotations

import numpy as np

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


def _triplet_cases():
    same = np.random.default_rng(3).normal(size=(4, 8))
    far = _random_triplets(4, 5, 16, spread=0.01)
    return [
        _case("seed 0, m 3, d 128 (the course's shapes)", lambda: _random_triplets(0, 3, 128, 0.1)),
        _case("seed 1, m 8, d 4, alpha 0.5", lambda: _random_triplets(1, 8, 4), alpha=0.5),
        _case("seed 2, m 1, d 2", lambda: _random_triplets(2, 1, 2)),
        _case("identical anchor, positive and negative (loss m * alpha)", lambda: (same, same, same)),
        _case("every negative far away (loss 0)", lambda: (far[0], far[1], far[0] + 10.0)),
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
    raise ValueError(kind)


TRIPLET_LOSS = Suite(
    "week4.triplet_loss", "course_cnn.week4.face:triplet_loss", _triplet_cases, **_TOL,
    summary="sum over the batch of max(||A - P||^2 - ||A - N||^2 + alpha, 0)",
    hints=(
        Hint("Sum the squared differences over the encoding axis (axis=-1), one distance per triplet, and only then "
             "sum the hinge over the batch: pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1).",
             same_as(_wrong_axis, **_TOL)),
        Hint("Apply the hinge before summing: tf.reduce_sum(tf.maximum(basic_loss, 0.0)).",
             lambda d: same_as(lambda d: _variant(d, "no_max"), **_TOL)(d)
             and not np.isclose(_variant(d, "no_max"), float(d.expected))),
        Hint("The course's loss is a sum over the batch, not a mean: use tf.reduce_sum.",
             lambda d: len(d.args["y_pred"][0]) > 1 and same_as(lambda d: _variant(d, "mean"), **_TOL)(d)),
        Hint("Use squared distances, without the square root: tf.reduce_sum(tf.square(anchor - positive), axis=-1).",
             same_as(lambda d: _variant(d, "not_squared"), **_TOL)),
    ),
)

SUITES = [TRIPLET_LOSS]
