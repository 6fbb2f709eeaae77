"""Weeks 3 and 4 hints: each shows for its own mistake only, never for a right answer or another mistake."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from course_cnn.grading import grade  # noqa: E402

from tests.grading.test_course_solutions import (compute_content_cost, compute_layer_style_cost,  # noqa: E402
                                                 gram_matrix, triplet_loss, yolo_filter_boxes)

NO_AXIS = "Sum over the encoding axis only"
MEAN = "The course's loss is a sum over the batch, not a mean"
NOT_SQUARED_STYLE = "Square the difference of the Gram matrices before summing"
NOT_SQUARED_CONTENT = "Square the difference before summing"


def _starts(report):
    return [h.split(":")[0] for h in report.hints]


# ---- triplet loss -------------------------------------------------------------------------------------------------

def triplet_loss_no_axis(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(tf.subtract(anchor, positive)))  # no axis=-1: one number for the batch
    neg_dist = tf.reduce_sum(tf.square(tf.subtract(anchor, negative)))
    basic_loss = tf.add(tf.subtract(pos_dist, neg_dist), alpha)
    return tf.reduce_sum(tf.maximum(basic_loss, 0.0))


def test_triplet_distance_without_axis_gets_its_hint_and_not_the_mean_one():
    report = grade(triplet_loss_no_axis, "week4.triplet_loss")
    assert report.score < 1.0
    # the 1-D course checks pass: with one triplet, the whole sum is the sum over the encoding axis
    assert all(c.passed for c in report.cases if "1-D lists" in c.name)
    assert report.hints == ("Sum over the encoding axis only: pos_dist = tf.reduce_sum(tf.square(anchor - positive), "
                            "axis=-1). Without axis=-1, reduce_sum adds up the whole batch into one distance, and the "
                            "hinge is taken once instead of per triplet.",)
    # the identical-encodings case: 0.2 is also what a mean would give, but the missing axis explains it
    identical = next(c for c in report.cases if c.name.startswith("identical"))
    assert not any(h.startswith(MEAN) for h in identical.hints)


def test_triplet_no_axis_hint_not_for_a_right_or_another_wrong_loss():
    assert grade(triplet_loss, "week4.triplet_loss").score == 1.0

    def mean_loss(y_true, y_pred, alpha=0.2):
        anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
        pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
        neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
        return tf.reduce_mean(tf.maximum(pos_dist - neg_dist + alpha, 0.0))

    report = grade(mean_loss, "week4.triplet_loss")
    assert report.score < 1.0
    assert _starts(report) == [MEAN]


# ---- yolo_filter_boxes --------------------------------------------------------------------------------------------

def test_numpy_outputs_get_no_hint_about_box_confidence():
    def numpy_outputs(boxes, box_confidence, box_class_probs, threshold=.6):
        return tuple(np.asarray(x) for x in yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold))

    report = grade(numpy_outputs, "week3.yolo_filter_boxes")
    assert report.score == 0.0
    assert "expected a TensorFlow tensor, got a numpy array" in str(report)
    assert report.hints == ()


def test_masking_the_per_class_scores_gets_its_hint_only():
    def masks_box_scores(boxes, box_confidence, box_class_probs, threshold=.6):
        box_scores = box_confidence * box_class_probs
        box_classes = tf.math.argmax(box_scores, axis=-1)
        filtering_mask = tf.math.reduce_max(box_scores, axis=-1) >= threshold
        return (tf.boolean_mask(box_scores, filtering_mask), tf.boolean_mask(boxes, filtering_mask),
                tf.boolean_mask(box_classes, filtering_mask))

    report = grade(masks_box_scores, "week3.yolo_filter_boxes")
    assert report.hints == ("Apply the mask to the per-box tensors (box_class_scores, boxes, box_classes), not to "
                            "the per-class tensor box_scores.",)
    # even where nothing is kept the mistake shows: shape (0, 6) instead of (0,)
    assert all(c.hints for c in report.cases if not c.passed)


# ---- style costs --------------------------------------------------------------------------------------------------

def layer_style_cost_not_squared(a_S, a_G):
    _, n_H, n_W, n_C = a_G.get_shape().as_list()
    a_S = tf.transpose(tf.reshape(a_S, shape=[-1, n_C]))
    a_G = tf.transpose(tf.reshape(a_G, shape=[-1, n_C]))
    GS, GG = gram_matrix(a_S), gram_matrix(a_G)
    return tf.reduce_sum(tf.subtract(GS, GG)) / (4.0 * ((n_H * n_W * n_C) ** 2))


def test_style_cost_not_squared_gets_its_hint_only():
    report = grade(layer_style_cost_not_squared, "week4.compute_layer_style_cost")
    assert report.score == 0.0
    assert report.hints == ("Square the difference of the Gram matrices before summing: "
                            "tf.reduce_sum(tf.square(tf.subtract(GS, GG))).",)


def test_not_squared_hints_not_for_right_or_other_wrong_costs():
    assert grade(compute_layer_style_cost, "week4.compute_layer_style_cost").score == 1.0

    def half_normaliser(a_S, a_G):
        return 2 * compute_layer_style_cost(a_S, a_G)

    report = grade(half_normaliser, "week4.compute_layer_style_cost")
    assert report.score < 1.0 and not any(h.startswith(NOT_SQUARED_STYLE) for h in report.hints)

    def content_not_squared(content_output, generated_output):
        a_C, a_G = content_output[-1], generated_output[-1]
        _, n_H, n_W, n_C = a_G.get_shape().as_list()
        return tf.reduce_sum(tf.subtract(a_C, a_G)) / (4.0 * n_H * n_W * n_C)

    report = grade(content_not_squared, "week4.compute_content_cost")
    assert report.score == 0.0
    assert report.hints == ("Square the difference before summing: tf.reduce_sum(tf.square(tf.subtract("
                            "a_C_unrolled, a_G_unrolled))).",)
    report = grade(lambda c, g: 2 * compute_content_cost(c, g), "week4.compute_content_cost")
    assert report.score < 1.0 and not any(h.startswith(NOT_SQUARED_CONTENT) for h in report.hints)
