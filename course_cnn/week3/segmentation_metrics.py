r"""Scoring a segmentation: pixel accuracy, IoU per class, mean IoU, Dice.

Every metric compares two masks of class ids, pixel by pixel. With
$T_c$ the pixels whose true class is $c$ and $P_c$ those predicted as $c$:

$$\text{pixel accuracy} = \frac{\#\{\text{pixels with } \hat{y} = y\}}{\#\{\text{pixels}\}}$$

$$\operatorname{IoU}_c = \frac{|T_c \cap P_c|}{|T_c \cup P_c|}$$

$$\operatorname{mIoU} = \frac{1}{|C'|} \sum_{c \in C'} \operatorname{IoU}_c$$

$$\operatorname{Dice}_c = \frac{2\, |T_c \cap P_c|}{|T_c| + |P_c|}$$

where $C'$ holds the classes present in at least one of the two masks: a
class absent from both has $0/0$, and is left out (as
``keras.metrics.MeanIoU`` does), not counted as 0 or 1. Pixel accuracy is
dominated by the largest class (often the background); mean IoU weighs every
class equally, which is why segmentation papers report it.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks

__all__ = ["pixel_accuracy", "per_class_iou", "mean_iou", "dice_coefficient", "confusion_counts"]

#: Most classes the metrics accept (the confusion matrix is n_classes squared).
MAX_CLASSES = 4096


def _check_masks(y_true, y_pred, n_classes=None, needs_n_classes=True):
    """Two masks of integer class ids of the same shape (a trailing axis of 1 on either is dropped)."""
    masks = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        y = _checks.check_array(y, name, kinds="biuf", finite=True)
        if y.ndim >= 1 and y.shape[-1] == 1 and y.ndim > 2:
            y = y[..., 0]  # (..., n_H, n_W, 1) -> (..., n_H, n_W)
        bad = (y < 0) | (y != np.round(y)) if y.dtype.kind == "f" else y < 0
        if np.any(bad):
            raise _checks.fail(name, "hold non-negative integer class ids", f"a value {y[bad].flat[0]}")
        masks.append(y.astype(np.int64))
    y_true, y_pred = masks
    if y_true.shape != y_pred.shape:
        raise _checks.fail("y_pred", f"have the shape of `y_true`, {y_true.shape}", f"shape {y_pred.shape}")
    if y_true.size == 0:
        raise _checks.fail("y_true", "hold at least one pixel", f"shape {y_true.shape}")
    if needs_n_classes:
        n_classes = _checks.check_int(n_classes, "n_classes", 1, MAX_CLASSES)
        for name, y in (("y_true", y_true), ("y_pred", y_pred)):
            if y.max() >= n_classes:
                raise _checks.fail(name, f"hold class ids in [0, n_classes) = [0, {n_classes})",
                                   f"a class id {int(y.max())}")
    return y_true, y_pred, n_classes


def _confusion(y_true, y_pred, n_classes):
    # counts[t, p] = pixels of true class t predicted as p
    flat = y_true.ravel() * n_classes + y_pred.ravel()
    return np.bincount(flat, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def confusion_counts(y_true, y_pred, n_classes):
    r"""Confusion matrix of two masks: pixels of true class $t$ predicted as $p$.

    $$N_{tp} = \#\{\text{pixels with } y = t,\ \hat{y} = p\}$$

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape (..., n_H, n_W) or (..., n_H, n_W, 1)
        Class ids in [0, n_classes).
    n_classes : int
        Number of classes.

    Returns
    -------
    ndarray of shape (n_classes, n_classes), int64
        Rows are true classes, columns predicted classes.

    Raises
    ------
    ValueError
        For masks of different shapes, negative or fractional ids, or ids >= ``n_classes``.

    Examples
    --------
    >>> confusion_counts([[0, 1], [1, 1]], [[0, 1], [0, 1]], 2)
    array([[1, 0],
           [1, 2]])
    """
    y_true, y_pred, n_classes = _check_masks(y_true, y_pred, n_classes)
    return _confusion(y_true, y_pred, n_classes)


def pixel_accuracy(y_true, y_pred):
    r"""Fraction of pixels whose predicted class is the true class.

    $$\text{accuracy} = \frac{\#\{\hat{y} = y\}}{\#\{\text{pixels}\}}$$

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape (..., n_H, n_W) or (..., n_H, n_W, 1)
        Class ids (a batch of masks is scored over all its pixels).

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    ValueError
        For masks of different shapes, empty masks, or ids that are negative or fractional.

    Examples
    --------
    >>> pixel_accuracy([[0, 1], [1, 1]], [[0, 1], [0, 1]])  # 3 of 4 pixels
    0.75
    """
    y_true, y_pred, _ = _check_masks(y_true, y_pred, needs_n_classes=False)
    return float(np.mean(y_true == y_pred))


def per_class_iou(y_true, y_pred, n_classes):
    r"""IoU of every class; NaN for a class absent from both masks.

    $$\operatorname{IoU}_c = \frac{N_{cc}}{\sum_p N_{cp} + \sum_t N_{tc} - N_{cc}}$$

    with $N$ the confusion matrix (`confusion_counts`): the intersection is
    the diagonal, the union the row plus the column minus the diagonal.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape (..., n_H, n_W) or (..., n_H, n_W, 1)
        Class ids in [0, n_classes).
    n_classes : int
        Number of classes.

    Returns
    -------
    ndarray of shape (n_classes,), float64
        IoU per class, NaN where the union is empty (0/0).

    Raises
    ------
    ValueError
        As `confusion_counts`.

    Examples
    --------
    >>> per_class_iou([[0, 1], [1, 1]], [[0, 1], [0, 1]], 3)  # class 0: 1/2, class 1: 2/3, class 2 absent
    array([0.5       , 0.66666667,        nan])
    """
    y_true, y_pred, n_classes = _check_masks(y_true, y_pred, n_classes)
    counts = _confusion(y_true, y_pred, n_classes)
    intersection = np.diag(counts).astype(np.float64)
    union = counts.sum(axis=0) + counts.sum(axis=1) - intersection
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, intersection / np.where(union > 0, union, 1), np.nan)


def mean_iou(y_true, y_pred, n_classes):
    r"""Mean of the per-class IoU over the classes present in either mask.

    $$\operatorname{mIoU} = \frac{1}{|C'|} \sum_{c \in C'} \operatorname{IoU}_c$$

    $$C' = \{c : T_c \cup P_c \neq \emptyset\}$$

    A class absent from both masks is left out (its IoU is 0/0), as in
    ``keras.metrics.MeanIoU``; with it counted as 1 or 0 the score would
    depend on how many classes happen to be missing.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape (..., n_H, n_W) or (..., n_H, n_W, 1)
        Class ids in [0, n_classes); a batch is scored over all its pixels at once.
    n_classes : int
        Number of classes.

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    ValueError
        As `confusion_counts`.

    Examples
    --------
    >>> round(mean_iou([[0, 1], [1, 1]], [[0, 1], [0, 1]], 3), 4)  # (1/2 + 2/3) / 2, class 2 left out
    0.5833
    """
    return float(np.nanmean(per_class_iou(y_true, y_pred, n_classes)))


def dice_coefficient(y_true, y_pred, n_classes):
    r"""Mean Dice coefficient (F1 score of the pixels) over the classes present in either mask.

    $$\operatorname{Dice}_c = \frac{2\, |T_c \cap P_c|}{|T_c| + |P_c|} = \frac{2 \operatorname{IoU}_c}{1 + \operatorname{IoU}_c}$$

    Classes absent from both masks are left out, as in `mean_iou`. For a
    binary mask pass ``n_classes=2`` and read the foreground's Dice from the
    per-class value, or use the mean as here.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape (..., n_H, n_W) or (..., n_H, n_W, 1)
        Class ids in [0, n_classes).
    n_classes : int
        Number of classes.

    Returns
    -------
    float
        In [0, 1]; never below the mean IoU.

    Raises
    ------
    ValueError
        As `confusion_counts`.

    Examples
    --------
    >>> round(dice_coefficient([[0, 1], [1, 1]], [[0, 1], [0, 1]], 2), 4)  # (2*1/(1+2) + 2*2/(3+2)) / 2
    0.7333
    """
    y_true, y_pred, n_classes = _check_masks(y_true, y_pred, n_classes)
    counts = _confusion(y_true, y_pred, n_classes)
    intersection = np.diag(counts).astype(np.float64)
    sizes = counts.sum(axis=0) + counts.sum(axis=1)  # |T_c| + |P_c|
    present = sizes > 0
    return float(np.mean(2.0 * intersection[present] / sizes[present]))
