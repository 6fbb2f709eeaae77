"""Boxes: IoU by hand, the vectorised matrix, format conversions, greedy NMS vs TensorFlow."""

import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week3 import centers_to_corners, corners_to_centers, iou, iou_matrix, non_max_suppression


@pytest.mark.parametrize(
    "box1, box2, expected",
    [
        # intersection (2..3) x (2..3) = 1, areas 4 and 4: 1 / (4 + 4 - 1) = 1/7
        ((2, 1, 4, 3), (1, 2, 3, 4), 1 / 7),
        # the course's test: intersection 1x1 = 1, union 4 + 4 - 1 = 7
        ((1, 1, 3, 3), (2, 2, 4, 4), 1 / 7),
        # identical boxes: 4 / (4 + 4 - 4) = 1
        ((1, 1, 3, 3), (1, 1, 3, 3), 1.0),
        # touching along an edge (x = 2): intersection width 0 -> 0.0
        ((1, 1, 2, 2), (2, 1, 3, 2), 0.0),
        # touching at a corner (2, 2) -> 0.0
        ((1, 1, 2, 2), (2, 2, 3, 3), 0.0),
        # disjoint: width max(0, 3 - 5) = 0 (an unclamped version would give (-2)*(-2)=4 > 0)
        ((1, 1, 3, 3), (5, 5, 7, 7), 0.0),
        # one inside the other: 1*1 / (3*3 + 1 - 1) = 1/9
        ((0, 0, 3, 3), (1, 1, 2, 2), 1 / 9),
        # both empty (zero area) -> 0.0, not NaN
        ((1, 1, 1, 1), (1, 1, 1, 1), 0.0),
        # 100x100 boxes offset by 1: intersection 99*99 = 9801, iou = 9801 / (20000 - 9801)
        ((0, 0, 100, 100), (1, 1, 101, 101), 9801 / 10199),
    ],
)
def test_iou_by_hand(box1, box2, expected):
    assert iou(box1, box2) == pytest.approx(expected)
    assert iou(box2, box1) == pytest.approx(expected)


def random_boxes(rng, n, scale=100.0):
    lo = rng.uniform(0, scale, size=(n, 2))
    return np.concatenate([lo, lo + rng.uniform(1, scale / 3, size=(n, 2))], axis=1)


def test_iou_matrix_matches_pairwise_iou():
    rng = np.random.default_rng(0)
    a, b = random_boxes(rng, 7), random_boxes(rng, 5)
    loops = np.array([[iou(x, y) for y in b] for x in a])
    np.testing.assert_allclose(iou_matrix(a, b), loops)


def test_iou_matrix_empty_sets():
    assert iou_matrix(np.zeros((0, 4)), [[0, 0, 1, 1]]).shape == (0, 1)
    assert iou_matrix([[0, 0, 1, 1]], []).shape == (1, 0)


def test_format_round_trip():
    rng = np.random.default_rng(0)
    boxes = random_boxes(rng, 10)
    np.testing.assert_allclose(centers_to_corners(corners_to_centers(boxes)), boxes)
    # (1, 2, 5, 4): centre ((1+5)/2, (2+4)/2) = (3, 3), size (4, 2)
    np.testing.assert_allclose(corners_to_centers([1, 2, 5, 4]), [3, 3, 4, 2])


@pytest.mark.parametrize("n_boxes", [1, 20, 300])
@pytest.mark.parametrize("iou_threshold", [0.3, 0.5, 0.7])
def test_nms_matches_tensorflow(n_boxes, iou_threshold):
    rng = np.random.default_rng(0)
    boxes = random_boxes(rng, n_boxes)  # (y1, x1, y2, x2) for TF; IoU does not care
    scores = rng.uniform(size=n_boxes)
    ours = non_max_suppression(boxes, scores, 50, iou_threshold)
    theirs = tf.image.non_max_suppression(boxes, scores, 50, iou_threshold=iou_threshold).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_nms_score_threshold_matches_tensorflow():
    rng = np.random.default_rng(0)
    boxes, scores = random_boxes(rng, 100), rng.uniform(size=100)
    ours = non_max_suppression(boxes, scores, 100, 0.5, score_threshold=0.4)
    theirs = tf.image.non_max_suppression(boxes, scores, 100, 0.5, score_threshold=0.4).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_nms_by_hand():
    # box 1 overlaps box 0 with IoU 81/119 = 0.68 -> dropped; box 2 is apart -> kept
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    np.testing.assert_array_equal(non_max_suppression(boxes, [0.9, 0.8, 0.7], 10, 0.5), [0, 2])
    # the notes discard IoU >= threshold: at threshold 81/119 exactly, box 1 still goes
    np.testing.assert_array_equal(non_max_suppression(boxes, [0.9, 0.8, 0.7], 10, 81 / 119), [0, 2])
    np.testing.assert_array_equal(non_max_suppression(boxes, [0.9, 0.8, 0.7], 1, 0.5), [0])


def test_nms_empty():
    out = non_max_suppression(np.zeros((0, 4)), np.zeros(0), 10)
    assert out.shape == (0,) and out.dtype == np.int64


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: iou((0, 0, 1), (0, 0, 1, 1)), ValueError, r"`box1` must have shape \(\.\.\., 4\); got shape \(3,\)."),
        (lambda: iou((2, 0, 1, 1), (0, 0, 1, 1)), ValueError, r"`box1` must hold corner boxes \(x1, y1, x2, y2\)"),
        (lambda: iou((0, 0, np.nan, 1), (0, 0, 1, 1)), ValueError, r"`box1` must contain only finite values"),
        (lambda: iou(("a", 0, 1, 1), (0, 0, 1, 1)), TypeError, r"`box1` must have an int, unsigned int or float dtype"),
        (lambda: iou_matrix(np.zeros((2, 3)), np.zeros((1, 4))), ValueError, r"`boxes1` must have shape \(\.\.\., 4\)"),
        (lambda: non_max_suppression([[0, 0, 1, 1]], [0.5, 0.2], 3), ValueError, r"`scores` must have one score per box \(1\)"),
        (lambda: non_max_suppression([[0, 0, 1, 1]], [np.nan], 3), ValueError, r"`scores` must contain only finite values"),
        (lambda: non_max_suppression([[0, 0, 1, 1]], [0.5], 0), ValueError, r"`max_output_size` must be a positive int; got 0."),
        (lambda: non_max_suppression([[0, 0, 1, 1]], [0.5], 3, 1.2), ValueError, r"`iou_threshold` must be a probability in \[0, 1\]; got 1.2."),
        (lambda: centers_to_corners([[0, 0, -1, 1]]), ValueError, r"`boxes` must have non-negative widths and heights"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_ragged_boxes_are_refused_by_name():
    with pytest.raises(TypeError, match=r"`boxes1` must be array-like; got list \[\[0, 0, 1, 1\], \[2\]\]"):
        iou_matrix([[0, 0, 1, 1], [2]], [[0, 0, 1, 1]])
    with pytest.raises(TypeError, match=r"`boxes` must be array-like"):
        non_max_suppression([[0, 0, 1, 1], [2]], [0.5, 0.5], 1)
    assert iou_matrix([], [[0, 0, 1, 1]]).shape == (0, 1)  # no boxes at all is still fine
