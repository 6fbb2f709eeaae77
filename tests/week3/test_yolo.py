"""YOLO post-processing: the formulas by loops, hand cases, TF references, batched == per image."""

import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week3 import (
    non_max_suppression,
    scale_boxes,
    yolo_boxes_to_corners,
    yolo_eval,
    yolo_eval_batch,
    yolo_filter_boxes,
    yolo_head,
    yolo_non_max_suppression,
)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_yolo_head_matches_loop_over_cells():
    rng = np.random.default_rng(0)
    m, s_h, s_w, anchors, n_classes = 2, 3, 4, np.array([[1.0, 2.0], [3.0, 1.5]]), 3
    feats = rng.normal(size=(m, s_h, s_w, 2 * (5 + n_classes))).astype(np.float32)
    box_xy, box_wh, box_confidence, box_class_probs = (t.numpy() for t in yolo_head(feats, anchors, n_classes))
    f = feats.reshape(m, s_h, s_w, 2, 5 + n_classes)
    for i in range(m):
        for row in range(s_h):
            for col in range(s_w):
                for a in range(2):
                    t = f[i, row, col, a]
                    # b_x = (sigma(t_x) + c_x) / S_W, b_y = (sigma(t_y) + c_y) / S_H
                    expected_xy = [(sigmoid(t[0]) + col) / s_w, (sigmoid(t[1]) + row) / s_h]
                    expected_wh = [anchors[a, 0] * np.exp(t[2]) / s_w, anchors[a, 1] * np.exp(t[3]) / s_h]
                    logits = t[5:] - t[5:].max()
                    np.testing.assert_allclose(box_xy[i, row, col, a], expected_xy, rtol=1e-5)
                    np.testing.assert_allclose(box_wh[i, row, col, a], expected_wh, rtol=1e-5)
                    np.testing.assert_allclose(box_confidence[i, row, col, a, 0], sigmoid(t[4]), rtol=1e-5)
                    np.testing.assert_allclose(box_class_probs[i, row, col, a], np.exp(logits) / np.exp(logits).sum(), rtol=1e-5)


def test_yolo_head_accepts_5d_and_tensors():
    rng = np.random.default_rng(0)
    feats = rng.normal(size=(1, 2, 2, 3 * 7)).astype(np.float32)
    anchors = [[1, 1], [2, 2], [3, 1]]
    flat = yolo_head(feats, anchors, 2)
    shaped = yolo_head(tf.constant(feats.reshape(1, 2, 2, 3, 7)), anchors, 2)
    for a, b in zip(flat, shaped):
        np.testing.assert_allclose(a, b)
    assert [tuple(t.shape) for t in flat] == [(1, 2, 2, 3, 2), (1, 2, 2, 3, 2), (1, 2, 2, 3, 1), (1, 2, 2, 3, 2)]


@pytest.mark.parametrize("per_anchor", [5, 6])
def test_yolo_head_one_class_gives_probability_one(per_anchor):
    rng = np.random.default_rng(0)
    feats = rng.normal(size=(1, 3, 3, 2 * per_anchor)).astype(np.float32)
    *_, box_confidence, box_class_probs = yolo_head(feats, [[1, 1], [2, 2]], 1)
    assert box_class_probs.shape == (1, 3, 3, 2, 1)
    np.testing.assert_allclose(box_class_probs, 1.0)  # softmax of one logit, or no logit at all


def test_boxes_to_corners_and_scale_by_hand():
    # centre (0.5, 0.4), size (0.2, 0.6): y1 = 0.4 - 0.3 = 0.1, x1 = 0.5 - 0.1 = 0.4, y2 = 0.7, x2 = 0.6
    corners = yolo_boxes_to_corners([[0.5, 0.4]], [[0.2, 0.6]])
    np.testing.assert_allclose(corners, [[0.1, 0.4, 0.7, 0.6]], atol=1e-6)
    # (720, 1280): 0.1 * 720 = 72, 0.4 * 1280 = 512, 0.7 * 720 = 504, 0.6 * 1280 = 768
    np.testing.assert_allclose(scale_boxes(corners, (720, 1280)), [[72, 512, 504, 768]], rtol=1e-6)


def test_filter_boxes_matches_numpy():
    rng = np.random.default_rng(0)
    corners = np.sort(rng.uniform(size=(19, 19, 5, 2, 2)), axis=-2)  # (..., [low, high], [y, x])
    boxes = corners.reshape(19, 19, 5, 4).astype(np.float32)  # (y1, x1, y2, x2) with y2 >= y1, x2 >= x1
    confidence = rng.uniform(size=(19, 19, 5, 1)).astype(np.float32)
    probs = rng.dirichlet(np.ones(80) * 0.05, size=(19, 19, 5)).astype(np.float32)
    scores, kept, classes = yolo_filter_boxes(boxes, confidence, probs, threshold=0.5)
    box_scores = confidence * probs  # p_c * c_i
    mask = box_scores.max(-1) >= 0.5
    np.testing.assert_allclose(scores, box_scores.max(-1)[mask])
    np.testing.assert_allclose(kept, boxes[mask])
    np.testing.assert_array_equal(classes, box_scores.argmax(-1)[mask])
    assert classes.dtype == tf.int64


def test_filter_boxes_threshold_is_inclusive():
    # score 0.5 * 1.0 = 0.5 exactly: kept at threshold 0.5 (the course keeps score >= threshold)
    scores, _, _ = yolo_filter_boxes(np.zeros((1, 4)), [[0.5]], [[1.0]], threshold=0.5)
    assert scores.shape == (1,)


def test_non_max_suppression_matches_ours_and_tf():
    rng = np.random.default_rng(0)
    lo = rng.uniform(0, 100, (60, 2))
    boxes = np.concatenate([lo, lo + rng.uniform(5, 40, (60, 2))], 1).astype(np.float32)
    scores = rng.uniform(size=60).astype(np.float32)
    classes = rng.integers(0, 3, 60)
    s, b, c = yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5)
    idx = non_max_suppression(boxes, scores, 10, 0.5)
    np.testing.assert_allclose(b, boxes[idx])
    np.testing.assert_array_equal(c, classes[idx])
    # per class: each class on its own, then merged by score and cut at max_boxes
    s, b, c = yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5, per_class=True)
    per = np.concatenate([np.flatnonzero(classes == k)[non_max_suppression(boxes[classes == k], scores[classes == k], 10, 0.5)] for k in range(3)])
    per = per[np.argsort(-scores[per])][:10]
    np.testing.assert_allclose(s, scores[per])
    np.testing.assert_array_equal(c, classes[per])


def test_per_class_keeps_overlapping_boxes_of_other_classes():
    boxes = [[0, 0, 10, 10], [0, 0, 10, 10]]  # the same place, a car and a person
    s, _, _ = yolo_non_max_suppression([0.9, 0.8], boxes, [0, 1])
    assert s.shape == (1,)
    s, _, c = yolo_non_max_suppression([0.9, 0.8], boxes, [0, 1], per_class=True)
    np.testing.assert_array_equal(c, [0, 1])


def one_hot_feats(n_classes=4):
    feats = np.full((1, 3, 3, 2 * (5 + n_classes)), -10.0, np.float32)  # sigma(-10) ~ 0: no object anywhere
    cell = feats.reshape(1, 3, 3, 2, 5 + n_classes)
    cell[0, 1, 2, 0, :4] = 0.0  # centre (0.5 + 2, 0.5 + 1) / 3, size anchor / 3
    cell[0, 1, 2, 0, 4] = 10.0  # p_c ~ 1
    cell[0, 1, 2, 0, 5 + 3] = 10.0  # class 3
    return cell.reshape(feats.shape)


def test_yolo_eval_by_hand():
    outputs = yolo_head(one_hot_feats(), [[1.5, 0.75], [1, 1]], 4)
    scores, boxes, classes = yolo_eval(outputs, image_shape=(300, 600), score_threshold=0.5)
    # centre (2.5/3, 1.5/3) = (0.8333, 0.5), size (1.5/3, 0.75/3) = (0.5, 0.25)
    # y: 0.5 -+ 0.125 -> 0.375, 0.625 (x 300 = 112.5, 187.5); x: 0.8333 -+ 0.25 -> 0.5833, 1.0833 (x 600 = 350, 650)
    np.testing.assert_allclose(boxes, [[112.5, 350, 187.5, 650]], rtol=1e-4)
    np.testing.assert_array_equal(classes, [3])
    assert scores.numpy()[0] > 0.99


def test_empty_results_have_the_right_shapes():
    outputs = yolo_head(np.full((1, 3, 3, 2 * 9), -10.0, np.float32), [[1, 1], [2, 2]], 4)
    scores, boxes, classes = yolo_eval(outputs, score_threshold=0.6)
    assert scores.shape == (0,) and boxes.shape == (0, 4) and classes.shape == (0,)
    scores, boxes, classes = yolo_non_max_suppression(np.zeros(0), np.zeros((0, 4)), np.zeros(0, int))
    assert scores.shape == (0,) and boxes.shape == (0, 4) and classes.shape == (0,)
    s, b, c, valid = yolo_eval_batch(yolo_head(np.full((2, 3, 3, 18), -10.0, np.float32), [[1, 1], [2, 2]], 4), max_boxes=5)
    assert s.shape == (2, 5) and b.shape == (2, 5, 4) and c.shape == (2, 5)
    np.testing.assert_array_equal(valid, [0, 0])
    np.testing.assert_array_equal(b, 0.0)


def random_outputs(rng, m=4, grid=7, n_anchors=3, n_classes=6):
    feats = rng.normal(size=(m, grid, grid, n_anchors * (5 + n_classes))).astype(np.float32) * 3
    return yolo_head(feats, rng.uniform(0.5, 3, (n_anchors, 2)), n_classes)


def test_eval_batch_equals_per_image_eval():
    rng = np.random.default_rng(0)
    outputs = random_outputs(rng)
    scores, boxes, classes, valid = yolo_eval_batch(outputs, (480, 640), 8, 0.4, 0.5)
    for j in range(4):
        s, b, c = yolo_eval(tuple(t[j] for t in outputs), (480, 640), 8, 0.4, 0.5)
        n = int(valid[j])
        assert n == len(s) > 0
        np.testing.assert_allclose(scores[j, :n], s)
        np.testing.assert_allclose(boxes[j, :n], b, rtol=1e-5)
        np.testing.assert_array_equal(classes[j, :n], c)
        np.testing.assert_array_equal(scores[j, n:], 0.0)  # padding


def test_eval_batch_per_class_equals_per_image_per_class_nms():
    rng = np.random.default_rng(1)
    outputs = random_outputs(rng)
    scores, boxes, classes, valid = yolo_eval_batch(outputs, (480, 640), 8, 0.4, 0.5, per_class=True)
    for j in range(4):
        corners = scale_boxes(yolo_boxes_to_corners(outputs[0][j], outputs[1][j]), (480, 640))
        s, b, c = yolo_filter_boxes(corners, outputs[2][j], outputs[3][j], 0.4)
        s, b, c = yolo_non_max_suppression(s, b, c, 8, 0.5, per_class=True)
        n = int(valid[j])
        assert n == len(s)
        np.testing.assert_allclose(scores[j, :n], s, rtol=1e-6)
        np.testing.assert_array_equal(classes[j, :n], c)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: yolo_head(np.zeros((1, 3, 3, 17)), [[1, 1], [2, 2]], 4), r"`feats` must have a last dimension of num_anchors \* \(5 \+ num_classes\) = 18"),
        (lambda: yolo_head(np.zeros((1, 3, 3, 9)), [[1, -1]], 4), r"`anchors` must be a non-empty \(num_anchors, 2\) array of positive"),
        (lambda: yolo_head(np.full((1, 3, 3, 9), np.nan), [[1, 1]], 4), r"`feats` must contain only finite values"),
        (lambda: yolo_filter_boxes(np.zeros((19, 19, 5, 3)), np.zeros((19, 19, 5, 1)), np.zeros((19, 19, 5, 80))), r"`boxes` must have shape \(\.\.\., 4\); got shape \(19, 19, 5, 3\)."),
        (lambda: yolo_filter_boxes(np.zeros((19, 19, 5, 4)), np.zeros((19, 19, 3, 1)), np.zeros((19, 19, 5, 80))), r"`box_confidence` must have the same leading dimensions as `boxes` \(19, 19, 5\); got shape \(19, 19, 3, 1\)."),
        (lambda: yolo_filter_boxes(np.zeros((2, 4)), np.zeros((2, 1)), np.zeros((2, 3)), threshold=1.5), r"`threshold` must be a probability in \[0, 1\]; got 1.5."),
        (lambda: yolo_filter_boxes(np.zeros((2, 4)), [[np.nan], [0.1]], np.zeros((2, 3))), r"`box_confidence` must contain only finite values; got 1 NaN"),
        (lambda: yolo_non_max_suppression([0.5], [[0, 0, 1, 1]], [0], max_boxes=0), r"`max_boxes` must be an int in \[1, 10000000\]; got 0."),
        (lambda: yolo_non_max_suppression([0.5, 0.4], [[0, 0, 1, 1]], [0]), r"`boxes` must have the same leading dimensions as `scores` \(2,\)"),
        (lambda: yolo_non_max_suppression([0.5], [[0, 0, 1, 1]], [0], iou_threshold=-1), r"`iou_threshold` must be a probability"),
        (lambda: yolo_non_max_suppression([0.5], [[0, 0, 1, 1]], [np.nan]), r"`classes` must contain only finite values; got 1 NaN"),
        (lambda: yolo_eval(tuple(np.zeros((2, 3, 3, 2, k)) for k in (2, 2, 1, 4))), r"`yolo_outputs` must hold one image, .* for a batch use yolo_eval_batch; got box_xy of shape \(2, 3, 3, 2, 2\)\."),
        (lambda: yolo_eval(tuple(np.zeros((3, 3, 2, k)) for k in (2, 2, 1, 4)), score_threshold=1.5), r"`score_threshold` must be a probability in \[0, 1\]; got 1.5\."),
        (lambda: scale_boxes([[0, 0, 1, 1]], (0, 10)), r"`image_shape` must be \(height, width\), two positive numbers"),
        (lambda: yolo_eval((1, 2, 3)), r"`yolo_outputs` must be a tuple \(box_xy, box_wh, box_confidence, box_class_probs\)"),
        (lambda: yolo_eval_batch(tuple(np.zeros((3, 3, 2, k)) for k in (2, 2, 1, 4))), r"`box_xy` must have 5 dimensions \(m, S_H, S_W, B, \.\.\.\)"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
