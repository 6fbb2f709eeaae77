"""Region proposals: RoI pooling (loops, vectorised, TensorFlow's crop_and_resize) and RPN labels."""

import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week3 import anchor_grid, iou_matrix, proposal_targets, roi_pool, roi_pool_loops


def _random_boxes(rng, n_H, n_W, n):
    x = np.sort(rng.choice(n_W + 1, size=(n, 2), replace=True), axis=1)
    y = np.sort(rng.choice(n_H + 1, size=(n, 2), replace=True), axis=1)
    x[:, 1] = np.maximum(x[:, 1], x[:, 0] + 1)
    y[:, 1] = np.maximum(y[:, 1], y[:, 0] + 1)
    keep = (x[:, 1] <= n_W) & (y[:, 1] <= n_H)
    return np.stack([x[:, 0], y[:, 0], x[:, 1], y[:, 1]], axis=1)[keep]


def test_roi_pool_by_hand():
    F = np.arange(30.0).reshape(5, 6, 1)  # F[r, s] = 6 r + s
    # box rows 1-4, columns 0-2 (h = 4, w = 3), 2x2 bins: rows [1, 3) and [3, 5), columns [0, 2) and [1, 3)
    out = roi_pool(F, [[0, 1, 3, 5]], 2)[0, ..., 0]
    # maxima at the bottom-right of each bin: (2, 1) -> 13, (2, 2) -> 14, (4, 1) -> 25, (4, 2) -> 26
    np.testing.assert_array_equal(out, [[13, 14], [25, 26]])
    # k larger than the box: bins repeat cells, none is empty
    np.testing.assert_array_equal(roi_pool(F, [[2, 2, 3, 3]], 3)[0, ..., 0], np.full((3, 3), 14.0))


@pytest.mark.parametrize("k", [1, 2, 3, (2, 5), 7])
def test_roi_pool_equals_loops(k):
    rng = np.random.default_rng(0)
    F = rng.standard_normal((9, 11, 3))
    boxes = _random_boxes(rng, 9, 11, 20)
    np.testing.assert_array_equal(roi_pool(F, boxes, k), roi_pool_loops(F, boxes, k))


def test_roi_pool_is_crop_then_max_pool_with_crop_and_resize():
    # tf.image.crop_and_resize with "nearest" and the box's cell centres returns the region itself;
    # max-pooling it with the same bins gives roi_pool
    rng = np.random.default_rng(1)
    F = rng.standard_normal((10, 12, 4)).astype(np.float32)
    boxes = _random_boxes(rng, 10, 12, 8)
    pooled = roi_pool(F, boxes, 2)
    for n, (x1, y1, x2, y2) in enumerate(boxes):
        h, w = y2 - y1, x2 - x1
        box = [[y1 / 9, x1 / 11, (y2 - 1) / 9, (x2 - 1) / 11]]  # normalised (y1, x1, y2, x2) of cell centres
        crop = tf.image.crop_and_resize(F[None], box, [0], (h, w), method="nearest")[0].numpy()
        np.testing.assert_array_equal(crop, F[y1:y2, x1:x2])
        np.testing.assert_array_equal(roi_pool_loops(crop, [[0, 0, w, h]], 2)[0], pooled[n])


def test_roi_pool_errors():
    F = np.zeros((4, 4, 1))
    with pytest.raises(ValueError, match=r"`boxes` must hold non-empty boxes inside the 4x4 feature map .*; got a box \[0, 0, 5, 4\]\."):
        roi_pool(F, [[0, 0, 5, 4]], 2)
    with pytest.raises(ValueError, match=r"`boxes` must hold integer feature-map cells"):
        roi_pool(F, [[0, 0, 2.5, 4]], 2)
    with pytest.raises(ValueError, match=r"`output_size` must be .*; got 0\."):
        roi_pool(F, [[0, 0, 2, 2]], 0)
    with pytest.raises(ValueError, match=r"`feature_map` must have 3 dimensions"):
        roi_pool(np.zeros((1, 4, 4, 1)), [[0, 0, 2, 2]], 2)


def test_anchor_grid_centres_and_sizes():
    anchors = anchor_grid((2, 3), 10, [[4, 8], [20, 20]])
    assert anchors.shape == (2 * 3 * 2, 4)
    # position (row 1, column 2): centre (25, 15); first anchor 4 wide, 8 high
    np.testing.assert_array_equal(anchors[(1 * 3 + 2) * 2], [23, 11, 27, 19])
    np.testing.assert_array_equal(anchors[1], [-5, -5, 15, 15])


def test_proposal_targets_by_hand():
    anchors = np.array([[0, 0, 10, 10],    # IoU with gt 0: 1 -> positive
                        [5, 0, 15, 10],    # 50 / 150 = 1/3 -> ignored
                        [0, 0, 4, 4],      # 16 / 100 = 0.16 -> negative
                        [40, 40, 52, 52],  # best for gt 1 (IoU 100/144 = 0.69 < 0.7) -> positive anyway
                        [40, 40, 60, 60],  # 100 / 400 = 0.25 -> negative
                        [90, 90, 99, 99]], dtype=float)  # touches nothing -> negative
    gt = np.array([[0, 0, 10, 10], [41, 41, 51, 51]], dtype=float)
    labels, matched = proposal_targets(anchors, gt)
    np.testing.assert_allclose(iou_matrix(anchors, gt)[3, 1], 100 / 144)
    assert labels.tolist() == [1, -1, 0, 1, 0, 0]
    assert matched.tolist() == [0, 0, 0, 1, 1, -1]
    assert labels.dtype == np.int8


def test_proposal_targets_rules_on_a_grid():
    anchors = anchor_grid((8, 8), 8, [[16, 16], [24, 12], [12, 24]])
    gt = np.array([[5.0, 7.0, 30.0, 25.0], [33.0, 40.0, 60.0, 62.0]])
    labels, matched = proposal_targets(anchors, gt)
    ious = iou_matrix(anchors, gt)
    best = ious.max(axis=1)
    assert np.all(labels[best >= 0.7] == 1)
    assert np.all((labels[best < 0.3] == 0) | (labels[best < 0.3] == 1))
    assert np.all(labels[(best >= 0.3) & (best < 0.7)] != 0)
    for g in range(len(gt)):  # every box keeps its best anchor
        assert labels[np.argmax(ious[:, g])] == 1
    labels_none, matched_none = proposal_targets(anchors, np.zeros((0, 4)))
    assert np.all(labels_none == 0) and np.all(matched_none == -1)


def test_proposal_targets_errors():
    with pytest.raises(ValueError, match=r"`negative_iou` must be at most `positive_iou` = 0.5; got 0.6\."):
        proposal_targets([[0, 0, 1, 1]], [[0, 0, 1, 1]], positive_iou=0.5, negative_iou=0.6)
    with pytest.raises(ValueError, match=r"`gt_boxes` must have shape \(\.\.\., 4\); got shape \(1, 3\)\."):
        proposal_targets([[0, 0, 1, 1]], [[0, 0, 1]])
    with pytest.raises(ValueError, match=r"`anchors` must hold corner boxes"):
        proposal_targets([[2, 0, 1, 1]], [[0, 0, 1, 1]])
