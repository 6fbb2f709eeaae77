r"""Detection quality: average precision (AP) and mean average precision (mAP).

Rank one class's detections by score. Going down the list, a detection is a
true positive when its IoU with a still-unmatched ground-truth box of the same
image reaches the threshold (0.5 for "mAP@0.5"), else a false positive. After
$k$ detections

$$\text{precision}_k = \frac{TP_k}{k},\qquad \text{recall}_k = \frac{TP_k}{N_{truth}}.$$

AP is the area under the precision-recall curve with the PASCAL VOC
"all-point" interpolation: precision at recall $r$ is replaced by the best
precision at any recall $\ge r$, and

$$AP = \sum_k (r_k - r_{k-1})\, \max_{k' \ge k} p_{k'}.$$

mAP is the mean of the per-class APs over classes that have ground truth.

References
----------
Everingham et al., "The PASCAL Visual Object Classes (VOC) Challenge", IJCV 2010.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.week3.boxes import _check_corner_boxes, _iou_kernel

__all__ = ["average_precision", "mean_average_precision"]


def average_precision(scores, is_true_positive, n_truth):
    r"""VOC all-point average precision of one class's ranked detections.

    $$AP = \sum_k (r_k - r_{k-1})\, p^{interp}_k,\qquad p^{interp}_k = \max_{k' \ge k} p_{k'}$$

    Parameters
    ----------
    scores : array_like of shape (n_detections,)
        Detection scores (ranked here, highest first; ties keep input order).
    is_true_positive : array_like of shape (n_detections,), bool
        Whether each detection matched a ground-truth box.
    n_truth : int
        Number of ground-truth boxes of the class (>= 0).

    Returns
    -------
    float
        AP in [0, 1]; 0.0 when there is no ground truth.

    Raises
    ------
    ValueError
        For mismatched lengths, NaN scores, or more true positives than
        ground-truth boxes.

    Examples
    --------
    >>> # ranks: TP, FP, TP with 2 truths: p = 1, 1/2, 2/3 at r = 1/2, 1/2, 1
    >>> # AP = 0.5 * 1 + 0.5 * 2/3 = 0.8333
    >>> round(average_precision([0.9, 0.8, 0.7], [True, False, True], 2), 4)
    0.8333
    """
    scores = _checks.check_array(scores, "scores", ndim=1, kinds="iuf", finite=True, dtype=np.float64)
    hits = _checks.check_array(is_true_positive, "is_true_positive", ndim=1, kinds="bi").astype(bool)
    if len(hits) != len(scores):
        raise _checks.fail("is_true_positive", f"have one entry per score ({len(scores)})", f"shape {hits.shape}")
    n_truth = _checks.check_non_negative_int(n_truth, "n_truth")
    if hits.sum() > n_truth:
        raise _checks.fail("n_truth", f"be at least the number of true positives ({int(hits.sum())})", repr(n_truth))
    return _ap_kernel(scores, hits, n_truth)


def _ap_kernel(scores, hits, n_truth):
    if n_truth == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(hits[order])  # TP_k
    fp = np.cumsum(~hits[order])  # FP_k
    recall = tp / n_truth
    precision = tp / np.maximum(tp + fp, 1)
    # envelope: best precision at any recall >= r, scanning from the right
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[0.0], precision, [0.0]])
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    steps = np.flatnonzero(mrec[1:] != mrec[:-1])  # where recall increases
    return float(np.sum((mrec[steps + 1] - mrec[steps]) * mpre[steps + 1]))


def _match_image(pred_boxes, pred_scores, truth_boxes, iou_threshold):
    """Greedy VOC matching within one image and class: returns a bool per prediction."""
    hits = np.zeros(len(pred_boxes), bool)
    if len(truth_boxes) == 0 or len(pred_boxes) == 0:
        return hits
    overlaps = _iou_kernel(pred_boxes[:, None, :], truth_boxes[None, :, :])  # (n_pred, n_truth)
    taken = np.zeros(len(truth_boxes), bool)
    for i in np.argsort(-pred_scores, kind="stable"):
        best = int(np.argmax(overlaps[i]))
        if overlaps[i, best] >= iou_threshold and not taken[best]:
            hits[i], taken[best] = True, True
    return hits


def _check_image_list(items, name, n_parts):
    if not isinstance(items, (list, tuple)):
        raise _checks.fail(name, f"be a list with one tuple of {n_parts} arrays per image", _checks.describe(items))
    out = []
    for j, item in enumerate(items):
        if not isinstance(item, (list, tuple)) or len(item) != n_parts:
            raise _checks.fail(f"{name}[{j}]", f"be a tuple of {n_parts} arrays", _checks.describe(item))
        boxes = _check_corner_boxes(np.reshape(item[0], (-1, 4)) if np.size(item[0]) == 0 else item[0], f"{name}[{j}] boxes")
        _checks.check_shape(boxes, f"{name}[{j}] boxes", (None, 4))
        rest = [_checks.check_array(np.reshape(a, -1) if np.size(a) == 0 else a, f"{name}[{j}]", ndim=1, kinds="iuf", finite=True) for a in item[1:]]
        if any(len(a) != len(boxes) for a in rest):
            raise _checks.fail(f"{name}[{j}]", "hold arrays of one length (one entry per box)", str([len(boxes)] + [len(a) for a in rest]))
        out.append((boxes, *rest))
    return out


def mean_average_precision(pred, truth, iou_threshold=0.5, *, return_per_class=False):
    r"""Mean average precision over classes (VOC all-point), e.g. mAP@0.5.

    $$\text{mAP} = \frac{1}{|\mathcal{C}|} \sum_{c \in \mathcal{C}} AP_c$$

    over the classes $\mathcal{C}$ with at least one ground-truth box. Within
    each image and class, detections are matched by decreasing score to the
    ground-truth box of highest IoU; a detection whose best box is already
    taken, or whose IoU is below the threshold, is a false positive.

    Parameters
    ----------
    pred : list of (boxes, scores, classes)
        Per image: ``boxes`` of shape (n, 4) corners (any consistent order,
        same as ``truth``), ``scores`` (n,), ``classes`` (n,).
    truth : list of (boxes, classes)
        Per image, the ground truth: ``boxes`` (k, 4), ``classes`` (k,).
    iou_threshold : float, default 0.5
        IoU needed for a match, in [0, 1].
    return_per_class : bool, default False
        Also return a dict class -> AP.

    Returns
    -------
    float or (float, dict of int to float)
        mAP (0.0 when there is no ground truth at all), and the per-class APs.

    Raises
    ------
    ValueError
        For lists of different lengths or malformed entries.

    Examples
    --------
    >>> truth = [([[0, 0, 10, 10]], [0])]
    >>> pred = [([[0, 0, 10, 10], [50, 50, 60, 60]], [0.9, 0.8], [0, 0])]
    >>> mean_average_precision(pred, truth)  # TP then FP: recall reaches 1 at precision 1
    1.0
    """
    pred = _check_image_list(pred, "pred", 3)
    truth = _check_image_list(truth, "truth", 2)
    if len(pred) != len(truth):
        raise _checks.fail("pred", f"have one entry per image of `truth` ({len(truth)})", f"{len(pred)} entries")
    iou_threshold = _checks.check_probability(iou_threshold, "iou_threshold")
    classes = sorted({int(c) for _, cls in truth for c in cls})
    per_class = {}
    for c in classes:
        all_scores, all_hits, n_truth = [], [], 0
        for (p_boxes, p_scores, p_classes), (t_boxes, t_classes) in zip(pred, truth):
            p_mask, t_mask = p_classes == c, t_classes == c
            n_truth += int(t_mask.sum())
            all_scores.append(p_scores[p_mask])
            all_hits.append(_match_image(p_boxes[p_mask], p_scores[p_mask], t_boxes[t_mask], iou_threshold))
        per_class[c] = _ap_kernel(np.concatenate(all_scores).astype(float), np.concatenate(all_hits), n_truth)
    m_ap = float(np.mean(list(per_class.values()))) if per_class else 0.0
    return (m_ap, per_class) if return_per_class else m_ap
