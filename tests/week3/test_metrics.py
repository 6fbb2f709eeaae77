"""AP and mAP (VOC all-point) against hand-worked cases."""

import numpy as np
import pytest

from course_cnn.week3 import average_precision, mean_average_precision


@pytest.mark.parametrize(
    "scores, hits, n_truth, expected",
    [
        # all correct: precision 1 up to recall 1 -> AP = 1
        ([0.9, 0.8], [True, True], 2, 1.0),
        # TP, FP, TP with 2 truths: (p, r) = (1, .5), (.5, .5), (2/3, 1)
        # interpolated: p = 1 on (0, .5], 2/3 on (.5, 1]: AP = .5 * 1 + .5 * 2/3 = 0.8333
        ([0.9, 0.8, 0.7], [True, False, True], 2, 0.5 + 0.5 * 2 / 3),
        # FP then TP with 1 truth: recall 1 reached at precision 1/2 -> AP = 0.5
        ([0.9, 0.8], [False, True], 1, 0.5),
        # the ranking is by score, not by input order: same as the previous case
        ([0.8, 0.9], [True, False], 1, 0.5),
        # 2 of 4 truths found, both first: recall stops at 0.5 -> AP = 0.5 * 1 = 0.5
        ([0.9, 0.8], [True, True], 4, 0.5),
        # FP, TP, FP, TP with 3 truths: (p, r) = (0, 0), (1/2, 1/3), (1/3, 1/3), (1/2, 2/3)
        # envelope: 1/2 on (0, 2/3]; recall never reaches 1 -> AP = 2/3 * 1/2 = 1/3
        ([0.9, 0.8, 0.7, 0.6], [False, True, False, True], 3, 1 / 3),
        # no detections at all, 2 truths -> 0
        ([], [], 2, 0.0),
        # no truth -> 0 by convention
        ([0.5], [False], 0, 0.0),
    ],
)
def test_average_precision_by_hand(scores, hits, n_truth, expected):
    assert average_precision(np.array(scores, float), np.array(hits, bool), n_truth) == pytest.approx(expected)


def test_mean_average_precision_by_hand():
    truth = [
        ([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1]),  # image 0: one of class 0, one of class 1
        ([[0, 0, 10, 10]], [0]),  # image 1: one of class 0
    ]
    pred = [
        # exact class-0 box (TP, 0.9); a duplicate of it (FP, 0.8: its truth is taken);
        # class-1 box shifted by 5: IoU 50 / 150 = 0.33 < 0.5 (FP, 0.7)
        ([[0, 0, 10, 10], [0, 0, 10, 9], [25, 20, 35, 30]], [0.9, 0.8, 0.7], [0, 0, 1]),
        ([[0, 0, 10, 10]], [0.85], [0]),  # image 1: TP, 0.85
    ]
    # class 0 ranked: TP .9, TP .85, FP .8 with 2 truths -> recall 1 at precision 1: AP = 1
    # class 1: only a FP -> AP = 0;  mAP = (1 + 0) / 2 = 0.5
    m_ap, per_class = mean_average_precision(pred, truth, return_per_class=True)
    assert per_class == {0: pytest.approx(1.0), 1: pytest.approx(0.0)}
    assert m_ap == pytest.approx(0.5)
    # at IoU 0.3 the shifted class-1 box matches (0.33 >= 0.3): mAP = 1
    assert mean_average_precision(pred, truth, iou_threshold=0.3) == pytest.approx(1.0)


def test_detections_only_match_truth_in_their_own_image():
    truth = [([[0, 0, 10, 10]], [0]), (np.zeros((0, 4)), np.zeros(0, int))]
    pred = [(np.zeros((0, 4)), [], []), ([[0, 0, 10, 10]], [0.9], [0])]  # right box, wrong image
    assert mean_average_precision(pred, truth) == 0.0


def test_classes_without_truth_are_ignored():
    truth = [([[0, 0, 10, 10]], [0])]
    pred = [([[0, 0, 10, 10], [50, 50, 60, 60]], [0.9, 0.95], [0, 2])]  # class 2 has no truth: not averaged
    assert mean_average_precision(pred, truth) == pytest.approx(1.0)


def test_random_boxes_score_low_and_truth_scores_one():
    rng = np.random.default_rng(0)
    truth, pred_true, pred_random = [], [], []
    for _ in range(20):
        lo = rng.uniform(0, 80, (3, 2))
        boxes = np.concatenate([lo, lo + 15], 1)
        classes = rng.integers(0, 2, 3)
        truth.append((boxes, classes))
        pred_true.append((boxes, rng.uniform(size=3), classes))
        lo = rng.uniform(0, 80, (3, 2))
        pred_random.append((np.concatenate([lo, lo + 15], 1), rng.uniform(size=3), rng.integers(0, 2, 3)))
    assert mean_average_precision(pred_true, truth) == pytest.approx(1.0)
    assert mean_average_precision(pred_random, truth) < 0.2


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: average_precision([0.9], [True, False], 2), r"`is_true_positive` must have one entry per score \(1\)"),
        (lambda: average_precision([0.9, 0.8], [True, True], 1), r"`n_truth` must be at least the number of true positives \(2\); got 1."),
        (lambda: average_precision([np.nan], [True], 1), r"`scores` must contain only finite values"),
        (lambda: mean_average_precision([], [([[0, 0, 1, 1]], [0])]), r"`pred` must have one entry per image of `truth` \(1\); got 0 entries."),
        (lambda: mean_average_precision([([[0, 0, 1, 1]], [0.5])], [([[0, 0, 1, 1]], [0])]), r"`pred\[0\]` must be a tuple of 3 arrays"),
        (lambda: mean_average_precision([([[0, 0, 1, 1]], [0.5, 0.2], [0])], [([[0, 0, 1, 1]], [0])]), r"`pred\[0\]` must hold arrays of one length"),
        (lambda: mean_average_precision([([[1, 0, 0, 1]], [0.5], [0])], [([[0, 0, 1, 1]], [0])]), r"`pred\[0\] boxes` must hold corner boxes"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
