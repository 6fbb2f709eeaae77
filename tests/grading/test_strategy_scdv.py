"""ML strategy and SCDV suites: reference passes, stub is "not implemented", mistakes get hints."""

import numpy as np
import pytest

from course_cnn.grading import exercises, get_suite, grade

KEYS = exercises("strategy") + exercises("scdv")


def test_suites():
    assert KEYS == ["strategy.diagnose", "strategy.masked_binary_crossentropy", "scdv.word_topic_vectors",
                    "scdv.document_vectors", "scdv.sparsity_threshold"]


@pytest.mark.parametrize("key", KEYS)
def test_reference_scores_one(key):
    assert grade(get_suite(key).load_reference(), key).score == 1.0


@pytest.mark.parametrize("key", KEYS)
def test_stub_is_not_implemented(key):
    def stub(*args, **kwargs):
        raise NotImplementedError

    assert grade(stub, key).status == "not implemented"


# ---- learner-style implementations ----------------------------------------------------------------------------

def diagnose_dict(human, train, dev, train_dev=None, test=None, variance_from_dev=False, always_split=False):
    if train_dev is None and not always_split:
        variance = mismatch = None
    else:
        reference_point = dev if variance_from_dev else (train_dev if train_dev is not None else dev)
        variance = reference_point - train
        mismatch = dev - (train_dev if train_dev is not None else dev)
    return {"avoidable_bias": train - human, "variance": variance, "data_mismatch": mismatch,
            "dev_overfitting": None if test is None else test - dev}


def masked_bce_numpy(y_true, y_pred, divide_by_all=False):
    import tensorflow as tf

    mask = tf.logical_not(tf.math.is_nan(y_true) | tf.equal(y_true, -1.0))
    y = tf.where(mask, y_true, 0.0)
    loss = -(y * tf.math.log(y_pred) + (1 - y) * tf.math.log(1 - y_pred))
    loss = tf.where(mask, loss, 0.0)
    n = tf.cast(tf.size(y_true), tf.float32) if divide_by_all else tf.maximum(tf.reduce_sum(tf.cast(mask, tf.float32)), 1.0)
    return tf.reduce_sum(loss) / n


def masked_bce_nan(y_true, y_pred):
    import tensorflow as tf

    mask = tf.cast(tf.logical_not(tf.math.is_nan(y_true) | tf.equal(y_true, -1.0)), tf.float32)
    loss = -(y_true * tf.math.log(y_pred) + (1 - y_true) * tf.math.log(1 - y_pred))
    return tf.reduce_sum(loss * mask) / tf.maximum(tf.reduce_sum(mask), 1.0)


def wtv_loop(word_matrix, cluster_proba, idf, order="cluster"):
    rows = []
    for i in range(len(word_matrix)):
        blocks = [idf[i] * cluster_proba[i, k] * word_matrix[i] for k in range(cluster_proba.shape[1])]
        stacked = np.stack(blocks)  # (K, d)
        rows.append((stacked if order == "cluster" else stacked.T).ravel())
    return np.array(rows)


def threshold_global(normalised_vectors, sparsity_percentage):
    a_min, a_max = normalised_vectors.min(), normalised_vectors.max()
    return sparsity_percentage / 100 * (abs(a_min) + abs(a_max)) / 2, a_min, a_max


def test_learner_style_correct_versions_pass():
    assert grade(diagnose_dict, "strategy.diagnose").score == 1.0
    assert grade(masked_bce_numpy, "strategy.masked_binary_crossentropy").score == 1.0
    assert grade(wtv_loop, "scdv.word_topic_vectors").score == 1.0


WRONG = [
    ("strategy.diagnose", lambda h, t, d, train_dev=None, test=None: diagnose_dict(h, t, d, train_dev, test, True),
     "Variance is measured on the training distribution"),
    ("strategy.diagnose",
     lambda h, t, d, train_dev=None, test=None: diagnose_dict(h, t, d, train_dev, test, always_split=True),
     "Without a train-dev error"),
    ("strategy.masked_binary_crossentropy", lambda y, p: masked_bce_numpy(y, p, divide_by_all=True),
     "Average over the labels that are present only"),
    ("strategy.masked_binary_crossentropy", masked_bce_nan, "A NaN label poisons the sum"),
    ("scdv.word_topic_vectors", lambda w, p, i: wtv_loop(w, p, i, order="dim"), "Concatenate cluster by cluster"),
    ("scdv.document_vectors", lambda c, w, p, i: (np.asarray(c) > 0) @ wtv_loop(w, p, i),
     "Repeated words count as many times"),
    ("scdv.sparsity_threshold", threshold_global, "a_min and a_max are averages over the documents"),
]


@pytest.mark.parametrize("key, function, hint", WRONG, ids=[f"{k}-{h[:16]}" for k, _, h in WRONG])
def test_classic_mistake_fails_with_its_hint(key, function, hint):
    report = grade(function, key)
    assert report.score < 1.0
    assert any(h.startswith(hint) for h in report.hints), str(report)


def test_diagnose_result_without_the_gaps_fails_the_datatype_check():
    report = grade(lambda human, train, dev, train_dev=None, test=None: train - human, "strategy.diagnose")
    assert report.score == 0.0
    assert "expected a dict (or an object) with avoidable_bias, variance, data_mismatch, dev_overfitting" in str(report)
