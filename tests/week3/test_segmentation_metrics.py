"""Segmentation metrics: hand-worked masks, and agreement with keras.metrics.MeanIoU."""

import keras
import numpy as np
import pytest

from course_cnn.week3 import confusion_counts, dice_coefficient, mean_iou, per_class_iou, pixel_accuracy

# a 3x4 mask with three classes, and a prediction that gets 9 of 12 pixels right
Y_TRUE = np.array([[0, 0, 1, 1],
                   [0, 0, 1, 1],
                   [2, 2, 2, 2]])
Y_PRED = np.array([[0, 0, 1, 0],
                   [0, 1, 1, 1],
                   [2, 2, 2, 0]])


def test_by_hand():
    assert pixel_accuracy(Y_TRUE, Y_PRED) == 9 / 12
    # class 0: true {4 px}, predicted {6 px}, intersection 3 -> 3 / (4 + 6 - 3) = 3/7... let us count:
    # true 0 at (0,0) (0,1) (1,0) (1,1); predicted 0 at (0,0) (0,1) (0,3) (1,0) (2,3): 5 px, intersection 3
    # IoU_0 = 3 / (4 + 5 - 3) = 1/2; class 1: true 4, predicted 4, intersection 3 -> 3/5; class 2: 3 / (4 + 3 - 3) = 3/4
    np.testing.assert_allclose(per_class_iou(Y_TRUE, Y_PRED, 3), [1 / 2, 3 / 5, 3 / 4])
    assert mean_iou(Y_TRUE, Y_PRED, 3) == pytest.approx((1 / 2 + 3 / 5 + 3 / 4) / 3)
    # Dice_c = 2 |T ∩ P| / (|T| + |P|): 6/9, 6/8, 6/7
    assert dice_coefficient(Y_TRUE, Y_PRED, 3) == pytest.approx((6 / 9 + 6 / 8 + 6 / 7) / 3)
    np.testing.assert_array_equal(confusion_counts(Y_TRUE, Y_PRED, 3), [[3, 1, 0], [1, 3, 0], [1, 0, 3]])


def test_classes_absent_from_both_masks_are_left_out():
    iou = per_class_iou(Y_TRUE, Y_PRED, 5)
    assert np.isnan(iou[3]) and np.isnan(iou[4])
    assert mean_iou(Y_TRUE, Y_PRED, 5) == pytest.approx(mean_iou(Y_TRUE, Y_PRED, 3))
    # a class only predicted (a false alarm) counts, with IoU 0
    y_pred = Y_PRED.copy()
    y_pred[2, 3] = 4
    assert per_class_iou(Y_TRUE, y_pred, 5)[4] == 0.0
    assert mean_iou(Y_TRUE, Y_TRUE, 7) == 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mean_iou_equals_keras(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 4, size=(3, 8, 8, 1))
    y_pred = np.where(rng.uniform(size=y_true.shape) < 0.6, y_true, rng.integers(0, 4, size=y_true.shape))
    if seed == 2:
        y_true[y_true == 3], y_pred[y_pred == 3] = 0, 0  # class 3 absent from both: left out by both
    metric = keras.metrics.MeanIoU(num_classes=4)
    metric.update_state(y_true, y_pred)
    assert mean_iou(y_true, y_pred, 4) == pytest.approx(float(metric.result()), rel=1e-6)


def test_dice_is_never_below_iou_and_shapes_with_channel_axis():
    rng = np.random.default_rng(3)
    y_true = rng.integers(0, 3, size=(2, 6, 6, 1))
    y_pred = rng.integers(0, 3, size=(2, 6, 6))  # the trailing 1 of y_true is dropped
    assert dice_coefficient(y_true, y_pred, 3) >= mean_iou(y_true, y_pred, 3)
    assert pixel_accuracy(y_true.astype(float), y_pred) == pytest.approx(np.mean(y_true[..., 0] == y_pred))


def test_bad_masks():
    with pytest.raises(ValueError, match=r"`y_true` must hold class ids in \[0, n_classes\) = \[0, 2\); got a class id 2\."):
        mean_iou(Y_TRUE, Y_PRED, 2)
    with pytest.raises(ValueError, match=r"`y_pred` must hold class ids in \[0, n_classes\) = \[0, 3\); got a class id 5\."):
        per_class_iou(Y_TRUE, np.full_like(Y_TRUE, 5), 3)
    with pytest.raises(ValueError, match=r"`y_pred` must have the shape of `y_true`, \(3, 4\); got shape \(4, 3\)\."):
        pixel_accuracy(Y_TRUE, Y_PRED.T)
    with pytest.raises(ValueError, match=r"`y_true` must hold non-negative integer class ids; got a value -1"):
        dice_coefficient(-Y_TRUE, Y_PRED, 3)
    with pytest.raises(ValueError, match=r"`y_pred` must hold non-negative integer class ids; got a value 0.5"):
        pixel_accuracy(Y_TRUE, Y_PRED * 0.5 + 0.5)
    with pytest.raises(ValueError, match=r"`n_classes` must be .*; got 0\."):
        mean_iou(Y_TRUE, Y_PRED, 0)
