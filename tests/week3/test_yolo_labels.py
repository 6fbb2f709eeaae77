"""YOLO targets (the notes' 3x3 grids) and the YOLOv2-style loss."""

import re

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week3 import YoloLoss, anchor_iou, yolo_encode_labels, yolo_loss


def test_notes_3x3_grid_8_numbers_per_cell():
    # two cars in a 3x3 grid, 3 classes (pedestrian, car, motorcycle): y = [p_c, b_x, b_y, b_h, b_w, c1, c2, c3]
    # left car: corners x 0.05..0.30, y 0.40..0.60 -> centre (0.175, 0.5) -> cells (0.525, 1.5): row 1, col 0
    # right car: x 0.70..0.95, y 0.45..0.65 -> centre (0.825, 0.55) -> cells (2.475, 1.65): row 1, col 2
    boxes = [[0.05, 0.40, 0.30, 0.60], [0.70, 0.45, 0.95, 0.65]]
    y = yolo_encode_labels(boxes, [1, 1], grid_size=3, anchors=None, num_classes=3).reshape(3, 3, 8)
    # left: b_x = 0.525 - 0 = 0.525, b_y = 1.5 - 1 = 0.5, b_h = 0.2 * 3 = 0.6, b_w = 0.25 * 3 = 0.75
    np.testing.assert_allclose(y[1, 0], [1, 0.525, 0.5, 0.6, 0.75, 0, 1, 0], atol=1e-6)
    # right: b_x = 2.475 - 2 = 0.475, b_y = 1.65 - 1 = 0.65, b_h = 0.6, b_w = 0.75
    np.testing.assert_allclose(y[1, 2], [1, 0.475, 0.65, 0.6, 0.75, 0, 1, 0], atol=1e-6)
    # the other 7 cells: p_c = 0 and nothing else set
    others = [(r, c) for r in range(3) for c in range(3) if (r, c) not in ((1, 0), (1, 2))]
    for r, c in others:
        np.testing.assert_array_equal(y[r, c], np.zeros(8))


def test_notes_two_anchors_3x3x2x8():
    # a pedestrian (tall) and a car (wide) with centres in the same cell (row 2, col 1)
    # anchor 1 is tall (0.5 x 1.5 cells), anchor 2 wide (1.5 x 0.5 cells)
    anchors = [[0.5, 1.5], [1.5, 0.5]]
    pedestrian = [0.45, 0.70, 0.55, 0.98]  # w 0.1 -> 0.3 cells, h 0.28 -> 0.84 cells: centre (0.5, 0.84) -> row 2, col 1
    car = [0.35, 0.78, 0.65, 0.90]  # w 0.3 -> 0.9 cells, h 0.12 -> 0.36 cells: centre (0.5, 0.84)
    y = yolo_encode_labels([pedestrian, car], [0, 1], 3, anchors, 3)
    assert y.shape == (3, 3, 2, 8)
    # pedestrian -> anchor 0 (tall): shape IoU min(.3,.5)*min(.84,1.5) / (.252 + .75 - .252) = .252/.75 = 0.336
    # versus the wide anchor: min(.3,1.5)*min(.84,.5) = .15 / (.252 + .75 - .15) = 0.176
    np.testing.assert_allclose(y[2, 1, 0], [1, 0.5, 0.52, 0.84, 0.3, 1, 0, 0], atol=1e-6)
    np.testing.assert_allclose(y[2, 1, 1], [1, 0.5, 0.52, 0.36, 0.9, 0, 1, 0], atol=1e-6)
    assert y[..., 0].sum() == 2


def test_anchor_iou_by_hand():
    # (2, 2) vs (1, 4): intersection 1 * 2 = 2, union 4 + 4 - 2 = 6
    np.testing.assert_allclose(anchor_iou([[2, 2]], [[2, 2], [1, 4]]), [[1.0, 1 / 3]])


def test_second_object_in_a_taken_slot_is_dropped():
    y = yolo_encode_labels([[0.1, 0.1, 0.2, 0.2], [0.12, 0.12, 0.22, 0.22]], [0, 2], 2, None, 3)
    assert y[..., 0].sum() == 1 and y[0, 0, 0, 5] == 1  # the first object keeps the slot


def test_box_on_the_far_edge_goes_to_the_last_cell():
    y = yolo_encode_labels([[0.8, 0.8, 1.0, 1.0]], [0], 3, None, 1)  # centre 0.9 * 3 = 2.7: cell 2
    assert y[2, 2, 0, 0] == 1


def test_empty_image_gives_all_zeros():
    y = yolo_encode_labels(np.zeros((0, 4)), np.zeros(0, int), 4, [[1, 1]], 2)
    assert y.shape == (4, 4, 1, 7) and not y.any()


def logit(p):
    return np.log(p / (1 - p))


def perfect_prediction(y, anchors, big=30.0):
    """Raw outputs that decode exactly to the target y (and are confident)."""
    pred = np.zeros_like(y)
    obj = y[..., 0] == 1
    anchors = np.asarray(anchors, np.float32)[None, None, None]  # (1, 1, 1, B, 2)
    pred[..., 0:2] = logit(np.clip(y[..., 1:3], 1e-6, 1 - 1e-6))
    wh = np.stack([y[..., 4], y[..., 3]], -1)
    pred[..., 2:4] = np.where(obj[..., None], np.log(np.maximum(wh, 1e-9) / anchors), 0)
    pred[..., 4] = np.where(obj, big, -big)
    pred[..., 5:] = np.where(y[..., 5:] == 1, big, -big)
    return pred


def test_loss_is_zero_for_a_perfect_prediction_and_positive_otherwise():
    anchors = [[1.0, 1.0], [2.0, 0.5]]
    y = yolo_encode_labels([[0.1, 0.1, 0.4, 0.3], [0.5, 0.5, 0.9, 0.7]], [0, 1], 3, anchors, 2)[None]
    pred = perfect_prediction(y, anchors)
    assert float(yolo_loss(y, pred, anchors)[0]) < 1e-6
    pred[0, 0, 0, 0, 0] += 1.0  # nudge one coordinate
    assert float(yolo_loss(y, pred, anchors)[0]) > 1e-3


def test_loss_by_hand_one_cell():
    # 1x1 grid, one anchor (1, 1), 2 classes; object box = whole image: b_x = b_y = 0.5, b_w = b_h = 1, class 0
    y = yolo_encode_labels([[0, 0, 1, 1]], [0], 1, [[1.0, 1.0]], 2)[None]
    pred = np.zeros_like(y)  # t = 0: sigma = 0.5 (xy exact), t_w = log(1/1) = 0 exact
    # coord 0; object BCE(1, sigma(0)) = log 2; class CE(one-hot, softmax(0, 0)) = log 2
    expected = 1.0 * np.log(2) + 1.0 * np.log(2)
    np.testing.assert_allclose(yolo_loss(y, pred, [[1.0, 1.0]]), [expected], rtol=1e-6)
    # lambda weights scale their terms: lambda_obj = 3 -> 3 log 2 + log 2
    np.testing.assert_allclose(yolo_loss(y, pred, [[1.0, 1.0]], lambda_obj=3.0), [4 * np.log(2)], rtol=1e-6)


def test_no_object_slots_ignore_everything_but_confidence():
    rng = np.random.default_rng(0)
    anchors = [[1.0, 1.0]]
    y = yolo_encode_labels([[0.0, 0.0, 0.4, 0.4]], [0], 2, anchors, 3)[None]  # only cell (0, 0) has p_c = 1
    pred = rng.normal(size=y.shape).astype(np.float32)
    base = float(yolo_loss(y, pred, anchors)[0])
    changed = pred.copy()
    changed[0, 1, 1, 0, [0, 1, 2, 3, 5, 6, 7]] = rng.normal(size=7) * 5  # the "?" entries of an empty cell
    assert float(yolo_loss(y, changed, anchors)[0]) == pytest.approx(base, rel=1e-6)
    changed[0, 1, 1, 0, 4] += 2.0  # but its confidence counts (no-object term)
    assert float(yolo_loss(y, changed, anchors)[0]) != pytest.approx(base, rel=1e-6)


def test_keras_loss_matches_function_and_serialises():
    rng = np.random.default_rng(0)
    anchors = [[1.0, 1.0], [2.0, 2.0]]
    y = np.stack([yolo_encode_labels([[0.1, 0.2, 0.5, 0.6]], [1], 4, anchors, 3) for _ in range(2)])
    pred = rng.normal(size=y.shape).astype(np.float32)
    loss = YoloLoss(anchors, lambda_noobj=0.25)
    np.testing.assert_allclose(float(loss(y, pred)), float(tf.reduce_mean(yolo_loss(y, pred, anchors, lambda_noobj=0.25))), rtol=1e-6)
    clone = keras.losses.deserialize(keras.losses.serialize(loss))
    np.testing.assert_allclose(float(clone(y, pred)), float(loss(y, pred)), rtol=1e-6)


def test_loss_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    anchors = [[1.0, 1.0]]
    y = yolo_encode_labels([[0.1, 0.2, 0.5, 0.6]], [1], 2, anchors, 2)[None].astype(np.float64)
    pred = tf.Variable(rng.normal(size=y.shape).astype(np.float32))
    with tf.GradientTape() as tape:
        value = tf.reduce_sum(yolo_loss(y, pred, anchors))
    grad = tape.gradient(value, pred).numpy()
    eps = 1e-2
    for index in [(0, 0, 0, 0, 0), (0, 0, 0, 0, 2), (0, 0, 0, 0, 4), (0, 1, 1, 0, 4), (0, 0, 0, 0, 6)]:
        plus, minus = pred.numpy().copy(), pred.numpy().copy()
        plus[index] += eps
        minus[index] -= eps
        numeric = (float(tf.reduce_sum(yolo_loss(y, plus, anchors))) - float(tf.reduce_sum(yolo_loss(y, minus, anchors)))) / (2 * eps)
        assert grad[index] == pytest.approx(numeric, rel=2e-2, abs=2e-3)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: yolo_encode_labels([[0.5, 0.5, 0.2, 0.9]], [0], 3, None, 2), r"`boxes` must hold relative corners \(x1, y1, x2, y2\)"),
        (lambda: yolo_encode_labels([[0.1, 0.1, 1.2, 0.9]], [0], 3, None, 2), r"`boxes` must hold relative corners"),
        (lambda: yolo_encode_labels([[0.1, 0.1, 0.2, 0.2]], [2], 3, None, 2), r"`classes` must be class ids in \[0, 2\); got values \[2\]."),
        (lambda: yolo_encode_labels([[0.1, 0.1, 0.2, 0.2]], [0, 1], 3, None, 2), r"`classes` must have one class per box \(1\)"),
        (lambda: yolo_encode_labels([[0.1, 0.1, 0.2, 0.2]], [0], 0, None, 2), r"`grid_size` must be a positive int; got 0."),
        (lambda: yolo_loss(np.zeros((1, 2, 2, 1, 7)), np.zeros((1, 2, 2, 1, 6)), [[1, 1]]), r"`y_pred` must have shape \(None, 2, 2, 1, 7\)"),
        (lambda: yolo_loss(np.zeros((1, 2, 2, 1, 7)), np.zeros((1, 2, 2, 1, 7)), [[1, 1], [2, 2]]), r"`anchors` must have shape \(1, 2\)"),
        (lambda: yolo_loss(np.zeros((1, 2, 2, 1, 7)), np.zeros((1, 2, 2, 1, 7)), [[1, 1]], lambda_coord=-1), r"`lambda_coord` must be a real number >= 0"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("anchors, error, message", [
    (np.ones((1, 3)), ValueError, "`anchors` must have shape (None, 2); got shape (1, 3)."),
    (-np.ones((2, 2)), ValueError, "`anchors` must hold positive (width, height) pairs; got min -1."),
    (None, TypeError, "`anchors` must have an int, unsigned int or float dtype; got dtype object."),
])
def test_yolo_loss_class_checks_its_anchors(anchors, error, message):
    from course_cnn.week3 import YoloLoss

    with pytest.raises(error, match=re.escape(message)):
        YoloLoss(anchors)


def test_yolo_loss_class_checks_its_weights():
    from course_cnn.week3 import YoloLoss

    with pytest.raises(ValueError, match=re.escape("`lambda_coord` must be a real number >= 0; got -1.0.")):
        YoloLoss(np.ones((2, 2)), lambda_coord=-1)
