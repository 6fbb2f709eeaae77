r"""Bounding boxes: formats, intersection over union, non-max suppression.

A box is four numbers. Two layouts are common:

* **corners** ``(x1, y1, x2, y2)`` (top-left and bottom-right; the YOLO
  helpers and ``tf.image`` use the same idea in the order ``(y1, x1, y2, x2)``);
* **centre** ``(b_x, b_y, b_w, b_h)``, the layout of the lecture's label
  vector and of YOLO's predictions.

Intersection over union measures how much two boxes overlap:

$$\operatorname{IoU}(A, B) = \frac{|A \cap B|}{|A \cup B|}
  = \frac{|A \cap B|}{|A| + |B| - |A \cap B|},$$

with the intersection's width and height clamped at zero
(``max(0, min(x2, x2') - max(x1, x1'))``), so boxes that only touch, or do
not meet at all, have IoU 0. IoU is symmetric in the two axes, so the same
kernel serves ``(x1, y1, x2, y2)`` and ``(y1, x1, y2, x2)`` boxes as long as
both arguments use the same order.

Non-max suppression keeps one box per object: drop boxes whose score is low,
take the highest-scoring box, discard every remaining box whose IoU with it
is at least the threshold, and repeat with what is left.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks

__all__ = ["iou", "iou_matrix", "corners_to_centers", "centers_to_corners", "non_max_suppression"]


def _check_corner_boxes(boxes, name, order="x1, y1, x2, y2"):
    """Validate an array of corner boxes of shape (..., 4); returns float64."""
    boxes = _checks.check_array(boxes, name, kinds="iuf", dtype=np.float64)
    _checks.check_shape(boxes, name, (..., 4))
    _checks.check_finite(boxes, name)
    flipped = (boxes[..., 2] < boxes[..., 0]) | (boxes[..., 3] < boxes[..., 1])
    if np.any(flipped):
        first = boxes.reshape(-1, 4)[np.flatnonzero(flipped.reshape(-1))[0]]
        raise _checks.fail(
            name,
            f"hold corner boxes ({order}) with the second corner below-right of the first",
            f"a box {np.round(first, 4).tolist()}",
        )
    return boxes


def _empty_as_boxes(boxes, name):
    """An array (ragged lists refused by name); no boxes at all, of any shape, as (0, 4)."""
    boxes = _checks.check_array(boxes, name, kinds="iuf")
    return boxes.reshape(-1, 4) if boxes.size == 0 else boxes


def _iou_kernel(boxes1, boxes2):
    """IoU of corner boxes broadcast against each other (any consistent axis order)."""
    # intersection rectangle: the larger of the first corners, the smaller of the second
    inter_lo = np.maximum(boxes1[..., :2], boxes2[..., :2])  # (..., 2)
    inter_hi = np.minimum(boxes1[..., 2:], boxes2[..., 2:])  # (..., 2)
    inter_sides = np.clip(inter_hi - inter_lo, 0.0, None)  # clamped: touching or apart -> 0
    intersection_area = inter_sides[..., 0] * inter_sides[..., 1]
    area1 = (boxes1[..., 2] - boxes1[..., 0]) * (boxes1[..., 3] - boxes1[..., 1])
    area2 = (boxes2[..., 2] - boxes2[..., 0]) * (boxes2[..., 3] - boxes2[..., 1])
    union_area = area1 + area2 - intersection_area
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union_area > 0, intersection_area / np.where(union_area > 0, union_area, 1.0), 0.0)


def iou(box1, box2):
    r"""Intersection over union of two boxes (the course's ``iou``).

    $$\operatorname{IoU} = \frac{\text{intersection area}}{\text{area}_1 + \text{area}_2 - \text{intersection area}}$$

    The intersection's width and height are clamped at 0, so two boxes that
    only touch along an edge or at a corner have IoU 0 (the course's first
    version forgot the clamp and could return a positive IoU for disjoint
    boxes).

    Parameters
    ----------
    box1, box2 : array_like of shape (4,)
        Corners ``(x1, y1, x2, y2)`` with ``x2 >= x1`` and ``y2 >= y1``.

    Returns
    -------
    float
        IoU in [0, 1]; 0 when both boxes have zero area.

    Raises
    ------
    ValueError
        For a box that is not 4 finite numbers or has ``x2 < x1`` / ``y2 < y1``.

    Examples
    --------
    >>> iou((2, 1, 4, 3), (1, 2, 3, 4))  # intersection 1, union 4 + 4 - 1 = 7
    0.14285714285714285
    >>> iou((1, 1, 2, 2), (2, 1, 3, 2))  # touching edge
    0.0
    """
    box1 = _check_corner_boxes(box1, "box1")
    box2 = _check_corner_boxes(box2, "box2")
    _checks.check_shape(box1, "box1", (4,))
    _checks.check_shape(box2, "box2", (4,))
    return float(_iou_kernel(box1, box2))


def iou_matrix(boxes1, boxes2):
    r"""Pairwise IoU between two sets of corner boxes, vectorised.

    $$M_{ij} = \operatorname{IoU}(\text{boxes1}_i, \text{boxes2}_j)$$

    Parameters
    ----------
    boxes1 : array_like of shape (N, 4)
        Corner boxes ``(x1, y1, x2, y2)``, or ``(y1, x1, y2, x2)`` if
        ``boxes2`` uses that order too (IoU does not depend on it).
    boxes2 : array_like of shape (M, 4)
        Corner boxes in the same order.

    Returns
    -------
    ndarray of shape (N, M)
        IoU of every pair; an empty array when either set is empty.

    Raises
    ------
    ValueError
        For arrays not of shape (n, 4), non-finite values or flipped corners.

    Examples
    --------
    >>> iou_matrix([[0, 0, 2, 2]], [[1, 1, 3, 3], [0, 0, 2, 2]]).round(4)
    array([[0.1429, 1.    ]])
    """
    boxes1 = _check_corner_boxes(_empty_as_boxes(boxes1, "boxes1"), "boxes1")
    boxes2 = _check_corner_boxes(_empty_as_boxes(boxes2, "boxes2"), "boxes2")
    _checks.check_shape(boxes1, "boxes1", (None, 4))
    _checks.check_shape(boxes2, "boxes2", (None, 4))
    return _iou_kernel(boxes1[:, None, :], boxes2[None, :, :])  # (N, M)


def corners_to_centers(boxes):
    r"""Convert corner boxes to centre boxes.

    $$b_x = \tfrac{x_1 + x_2}{2},\quad b_y = \tfrac{y_1 + y_2}{2},\quad b_w = x_2 - x_1,\quad b_h = y_2 - y_1$$

    Parameters
    ----------
    boxes : array_like of shape (..., 4)
        ``(x1, y1, x2, y2)``.

    Returns
    -------
    ndarray of shape (..., 4)
        ``(b_x, b_y, b_w, b_h)``.

    Raises
    ------
    ValueError
        For a last dimension other than 4 or flipped corners.

    Examples
    --------
    >>> corners_to_centers([[1, 2, 5, 4]])
    array([[3., 3., 4., 2.]])
    """
    boxes = _check_corner_boxes(boxes, "boxes")
    lo, hi = boxes[..., :2], boxes[..., 2:]
    return np.concatenate([(lo + hi) / 2.0, hi - lo], axis=-1)


def centers_to_corners(boxes):
    r"""Convert centre boxes to corner boxes.

    $$x_1 = b_x - \tfrac{b_w}{2},\quad y_1 = b_y - \tfrac{b_h}{2},\quad x_2 = b_x + \tfrac{b_w}{2},\quad y_2 = b_y + \tfrac{b_h}{2}$$

    Parameters
    ----------
    boxes : array_like of shape (..., 4)
        ``(b_x, b_y, b_w, b_h)`` with ``b_w, b_h >= 0``.

    Returns
    -------
    ndarray of shape (..., 4)
        ``(x1, y1, x2, y2)``.

    Raises
    ------
    ValueError
        For a last dimension other than 4 or a negative width or height.

    Examples
    --------
    >>> centers_to_corners([[3, 3, 4, 2]])
    array([[1., 2., 5., 4.]])
    """
    boxes = _checks.check_array(boxes, "boxes", kinds="iuf", dtype=np.float64, finite=True)
    _checks.check_shape(boxes, "boxes", (..., 4))
    if np.any(boxes[..., 2:] < 0):
        raise _checks.fail("boxes", "have non-negative widths and heights (b_w, b_h)", f"min {boxes[..., 2:].min():g}")
    centre, half = boxes[..., :2], boxes[..., 2:] / 2.0
    return np.concatenate([centre - half, centre + half], axis=-1)


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=None):
    r"""Greedy non-max suppression in numpy, as the lecture describes it.

    1. discard boxes with ``score < score_threshold`` (the notes' low $p_c$);
    2. pick the remaining box with the largest score and output it;
    3. discard every remaining box with $\operatorname{IoU} \ge$ ``iou_threshold``
       with the picked box; repeat from 2 until nothing is left or
       ``max_output_size`` boxes are out.

    Same arguments and result as ``tf.image.non_max_suppression``; the only
    difference is on exact ties: TensorFlow discards IoU strictly greater
    than the threshold, the lecture (and this function) IoU >= threshold.

    Parameters
    ----------
    boxes : array_like of shape (n_boxes, 4)
        Corner boxes, ``(y1, x1, y2, x2)`` like ``tf.image`` (or
        ``(x1, y1, x2, y2)``: IoU does not depend on the order).
    scores : array_like of shape (n_boxes,)
        One finite score per box.
    max_output_size : int
        Largest number of boxes to keep (>= 1).
    iou_threshold : float, default 0.5
        Overlap in [0, 1] at which a box is discarded.
    score_threshold : float, optional
        Boxes scoring below it are dropped first; by default none are.

    Returns
    -------
    ndarray of shape (n_kept,), int64
        Indices into ``boxes`` of the kept boxes, by decreasing score.

    Raises
    ------
    ValueError
        For mismatched lengths, NaN scores, flipped boxes, a threshold
        outside [0, 1] or ``max_output_size < 1``.

    Examples
    --------
    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    >>> non_max_suppression(boxes, [0.9, 0.8, 0.7], max_output_size=10)
    array([0, 2])
    """
    boxes = _check_corner_boxes(_empty_as_boxes(boxes, "boxes"), "boxes", "y1, x1, y2, x2")
    _checks.check_shape(boxes, "boxes", (None, 4))
    scores = _checks.check_array(scores, "scores", ndim=1, kinds="iuf", finite=True, dtype=np.float64)
    if len(scores) != len(boxes):
        raise _checks.fail("scores", f"have one score per box ({len(boxes)})", f"shape {scores.shape}")
    max_output_size = _checks.check_positive_int(max_output_size, "max_output_size")
    iou_threshold = _checks.check_probability(iou_threshold, "iou_threshold")
    if score_threshold is not None:
        score_threshold = _checks.check_number(score_threshold, "score_threshold")
    return _greedy_nms(boxes, scores, max_output_size, iou_threshold, score_threshold)


def _greedy_nms(boxes, scores, max_output_size, iou_threshold, score_threshold):
    candidates = np.arange(len(scores))
    if score_threshold is not None:
        candidates = candidates[scores[candidates] >= score_threshold]
    # stable sort by decreasing score: ties keep the lower index first, like TensorFlow
    order = candidates[np.argsort(-scores[candidates], kind="stable")]
    lo1, lo2, hi1, hi2 = (np.ascontiguousarray(boxes[order, k]) for k in range(4))  # sorted corner columns
    area = (hi1 - lo1) * (hi2 - lo2)
    suppressed = np.zeros(len(order), bool)
    keep = []
    for i in range(len(order)):
        if suppressed[i]:
            continue
        keep.append(order[i])  # the best remaining box
        if len(keep) == max_output_size:
            break
        # IoU of box i with every lower-scored box (contiguous slices: no fancy indexing in the loop)
        inter_1 = np.minimum(hi1[i], hi1[i + 1:]) - np.maximum(lo1[i], lo1[i + 1:])
        inter_2 = np.minimum(hi2[i], hi2[i + 1:]) - np.maximum(lo2[i], lo2[i + 1:])
        intersection_area = np.maximum(inter_1, 0.0) * np.maximum(inter_2, 0.0)
        union_area = area[i] + area[i + 1:] - intersection_area
        overlaps = np.divide(intersection_area, union_area, out=np.zeros_like(union_area), where=union_area > 0)
        suppressed[i + 1:] |= overlaps >= iou_threshold  # the notes discard IoU >= threshold
    return np.asarray(keep, dtype=np.int64)
