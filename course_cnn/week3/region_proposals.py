r"""Region proposals (the optional lecture): RoI pooling and the region-proposal network's labels.

R-CNN classifies a few thousand proposed regions, each cropped and run
through the network on its own. Fast R-CNN runs the network once and pools
every region from the shared feature map into a fixed $k \times k$ grid
(*RoI pooling*): a box of $h \times w$ feature cells is cut into $k \times k$
bins, and each bin keeps its maximum,

$$y[i, j, c] = \max_{(r, s) \in \text{bin}(i, j)} F[r, s, c]$$

$$\text{bin}(i, j) = \Big[y_1 + \big\lfloor \tfrac{i h}{k} \big\rfloor,\; y_1 + \big\lceil \tfrac{(i+1) h}{k} \big\rceil\Big) \times \Big[x_1 + \big\lfloor \tfrac{j w}{k} \big\rfloor,\; x_1 + \big\lceil \tfrac{(j+1) w}{k} \big\rceil\Big)$$

Faster R-CNN replaces the external proposals by a *region-proposal
network* that scores an anchor box at every feature-map position. Its
training label for an anchor $a$ is

$$\ell(a) = \begin{cases} 1 & \max_g \operatorname{IoU}(a, g) \ge 0.7 \ \text{ or } a \text{ is the best anchor of some } g \\ 0 & \max_g \operatorname{IoU}(a, g) < 0.3 \\ -1 & \text{otherwise (ignored by the loss)} \end{cases}$$

Boxes are corners ``(x1, y1, x2, y2)``, as in `course_cnn.week3.boxes`.

References
----------
R. Girshick et al., "Rich feature hierarchies for accurate object detection"
(R-CNN), 2014. R. Girshick, "Fast R-CNN", 2015. S. Ren, K. He, R. Girshick,
J. Sun, "Faster R-CNN", 2015.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.week3.boxes import _check_corner_boxes, _iou_kernel

__all__ = ["roi_pool", "roi_pool_loops", "anchor_grid", "proposal_targets"]

MAX_OUTPUT = 1024


def _check_roi_args(feature_map, boxes, output_size):
    feature_map = _checks.check_array(feature_map, "feature_map", ndim=3, kinds="iuf", finite=True)
    n_H, n_W, _ = feature_map.shape
    if n_H == 0 or n_W == 0:
        raise _checks.fail("feature_map", "have at least one row and column", f"shape {feature_map.shape}")
    boxes = _checks.check_array(boxes, "boxes", kinds="iuf")
    boxes = _check_corner_boxes(boxes.reshape(-1, 4) if boxes.size == 0 else boxes, "boxes")
    _checks.check_shape(boxes, "boxes", (None, 4))
    if np.any(boxes != np.round(boxes)):
        raise _checks.fail("boxes", "hold integer feature-map cells (x1, y1, x2, y2), x2 and y2 exclusive",
                           f"a box {boxes[np.any(boxes != np.round(boxes), axis=1)][0].tolist()}")
    outside = (boxes[:, 0] < 0) | (boxes[:, 1] < 0) | (boxes[:, 2] > n_W) | (boxes[:, 3] > n_H)
    empty = (boxes[:, 2] <= boxes[:, 0]) | (boxes[:, 3] <= boxes[:, 1])
    if np.any(outside | empty):
        bad = boxes[outside | empty][0].astype(int).tolist()
        raise _checks.fail("boxes", f"hold non-empty boxes inside the {n_H}x{n_W} feature map "
                                    f"(0 <= x1 < x2 <= {n_W}, 0 <= y1 < y2 <= {n_H})", f"a box {bad}")
    k = _check_output_size(output_size)
    return feature_map, boxes.astype(np.int64), k


def _check_output_size(output_size):
    if isinstance(output_size, (int, np.integer)) and not isinstance(output_size, bool):
        output_size = (output_size, output_size)
    if isinstance(output_size, str) or np.ndim(output_size) != 1 or len(output_size) != 2:
        raise _checks.fail("output_size", "be an int k or a pair (k_H, k_W)", _checks.describe(output_size), TypeError)
    return tuple(_checks.check_int(v, "output_size", 1, MAX_OUTPUT) for v in output_size)


def _bin_edges(start, length, k):
    # bin i covers [start + floor(i h / k), start + ceil((i + 1) h / k)): every cell in some bin, no bin empty
    i = np.arange(k)
    lo = start + (i * length) // k
    hi = start + -((-(i + 1) * length) // k)
    return lo, hi


def roi_pool_loops(feature_map, boxes, output_size):
    r"""RoI max pooling with explicit loops over boxes and bins (the reference for `roi_pool`).

    $$y[n, i, j, c] = \max_{(r, s) \in \text{bin}_n(i, j)} F[r, s, c]$$

    Parameters
    ----------
    feature_map : ndarray of shape (n_H, n_W, n_C)
        One image's feature map.
    boxes : array_like of shape (n_boxes, 4)
        Regions in feature-map cells ``(x1, y1, x2, y2)``, ints, ``x2`` and
        ``y2`` exclusive, inside the map.
    output_size : int or tuple of int
        ``k`` or ``(k_H, k_W)`` bins per box.

    Returns
    -------
    ndarray of shape (n_boxes, k_H, k_W, n_C)
        The pooled regions.

    Raises
    ------
    ValueError
        For boxes outside the map, empty, fractional or flipped, or a bad ``output_size``.

    Examples
    --------
    >>> F = np.arange(16.0).reshape(4, 4, 1)
    >>> roi_pool_loops(F, [[0, 0, 4, 4]], 2)[0, ..., 0]  # the max of each 2x2 quarter
    array([[ 5.,  7.],
           [13., 15.]])
    """
    feature_map, boxes, (k_H, k_W) = _check_roi_args(feature_map, boxes, output_size)
    out = np.empty((len(boxes), k_H, k_W, feature_map.shape[2]), dtype=np.result_type(feature_map.dtype, np.float32))
    for n, (x1, y1, x2, y2) in enumerate(boxes):
        for i in range(k_H):
            r0, r1 = y1 + (i * (y2 - y1)) // k_H, y1 - ((-(i + 1) * (y2 - y1)) // k_H)
            for j in range(k_W):
                c0, c1 = x1 + (j * (x2 - x1)) // k_W, x1 - ((-(j + 1) * (x2 - x1)) // k_W)
                out[n, i, j] = feature_map[r0:r1, c0:c1].max(axis=(0, 1))  # the bin's maximum, per channel
    return out


def roi_pool(feature_map, boxes, output_size):
    r"""RoI max pooling (Fast R-CNN): every box's region of the feature map as a fixed k x k grid of maxima.

    $$y[n, i, j, c] = \max_{(r, s) \in \text{bin}_n(i, j)} F[r, s, c]$$

    Bin $i$ of a box of height $h$ starting at row $y_1$ covers rows
    $[y_1 + \lfloor i h / k \rfloor, y_1 + \lceil (i + 1) h / k \rceil)$, so
    bins never come out empty and every cell of the box lies in a bin (two
    neighbouring bins may share a cell when $k$ does not divide $h$).
    Vectorised per box with ``np.maximum.reduceat``: one call over the rows'
    bin starts, one over the columns'; overlapping bins (when $k > h$) fall
    back to a slice per bin.

    Parameters
    ----------
    feature_map : ndarray of shape (n_H, n_W, n_C)
        One image's feature map.
    boxes : array_like of shape (n_boxes, 4)
        Regions in feature-map cells ``(x1, y1, x2, y2)``: ints, ``x2`` and
        ``y2`` exclusive, ``0 <= x1 < x2 <= n_W`` and ``0 <= y1 < y2 <= n_H``.
    output_size : int or tuple of int
        ``k`` or ``(k_H, k_W)``, the bins per box (Fast R-CNN used 7).

    Returns
    -------
    ndarray of shape (n_boxes, k_H, k_W, n_C)
        The pooled regions (float32 for float32 or int maps, float64 for float64).

    Raises
    ------
    ValueError
        For boxes outside the map, empty, fractional or flipped, or a bad ``output_size``.

    Examples
    --------
    >>> F = np.arange(16.0).reshape(4, 4, 1)
    >>> roi_pool(F, [[0, 0, 4, 4], [1, 1, 4, 3]], 2)[..., 0]  # second box: rows 1-2, columns 1-3
    array([[[ 5.,  7.],
            [13., 15.]],
    <BLANKLINE>
           [[ 6.,  7.],
            [10., 11.]]])
    """
    feature_map, boxes, (k_H, k_W) = _check_roi_args(feature_map, boxes, output_size)
    out = np.empty((len(boxes), k_H, k_W, feature_map.shape[2]), dtype=np.result_type(feature_map.dtype, np.float32))
    for n, (x1, y1, x2, y2) in enumerate(boxes):
        out[n] = _pool_box(feature_map[y1:y2, x1:x2], k_H, k_W)
    return out


def _pool_axis(region, k, axis):
    length = region.shape[axis]
    lo, hi = _bin_edges(0, length, k)
    if np.all(lo[1:] >= hi[:-1]):  # bins tile the axis: one reduceat
        return np.maximum.reduceat(region, lo, axis=axis)
    # overlapping bins (k does not divide the length): a max per bin
    return np.stack([region.take(np.arange(a, b), axis=axis).max(axis=axis) for a, b in zip(lo, hi)], axis=axis)


def _pool_box(region, k_H, k_W):
    # separable: the max over a rectangle is the max over its rows of the max over its columns
    return _pool_axis(_pool_axis(region, k_H, 0), k_W, 1)  # (k_H, k_W, n_C)


def anchor_grid(feature_size, stride, anchor_sizes):
    r"""Anchor boxes at every feature-map position, centred on its cell, as corners ``(x1, y1, x2, y2)``.

    $$\text{anchor}_{r, s, a} = \big(c_x - \tfrac{w_a}{2},\; c_y - \tfrac{h_a}{2},\; c_x + \tfrac{w_a}{2},\; c_y + \tfrac{h_a}{2}\big)$$

    $$(c_x, c_y) = \big((s + \tfrac12)\,\text{stride},\; (r + \tfrac12)\,\text{stride}\big)$$

    Parameters
    ----------
    feature_size : tuple of int
        ``(n_H, n_W)`` of the feature map.
    stride : int
        Image pixels per feature cell (16 for VGG-16's conv5 features).
    anchor_sizes : array_like of shape (n_anchors, 2)
        ``(width, height)`` of each anchor in pixels, e.g. from week 3's
        `kmeans_anchors` (times the image size).

    Returns
    -------
    ndarray of shape (n_H * n_W * n_anchors, 4)
        Row-major over positions, anchors fastest.

    Raises
    ------
    ValueError
        For non-positive sizes, a stride that is not an int in [1, 65536], or a
        feature map larger than 4096 cells a side.

    Examples
    --------
    >>> anchor_grid((1, 2), 16, [[8, 8]])
    array([[ 4.,  4., 12., 12.],
           [20.,  4., 28., 12.]])
    """
    if isinstance(feature_size, str) or np.ndim(feature_size) != 1 or len(feature_size) != 2:
        raise _checks.fail("feature_size", "be (n_H, n_W), two positive ints", _checks.describe(feature_size), TypeError)
    n_H, n_W = (_checks.check_int(v, "feature_size", 1, 4096) for v in feature_size)
    stride = _checks.check_int(stride, "stride", 1, 2**16)
    sizes = _checks.check_array(anchor_sizes, "anchor_sizes", ndim=2, kinds="iuf", finite=True, dtype=np.float64)
    _checks.check_shape(sizes, "anchor_sizes", (None, 2))
    if len(sizes) == 0 or np.any(sizes <= 0):
        raise _checks.fail("anchor_sizes", "be a non-empty (n_anchors, 2) array of positive (width, height)",
                           _checks.describe(anchor_sizes))
    cy, cx = np.meshgrid((np.arange(n_H) + 0.5) * stride, (np.arange(n_W) + 0.5) * stride, indexing="ij")
    centres = np.stack([cx, cy], axis=-1).reshape(-1, 1, 2)  # (n_H * n_W, 1, 2)
    half = sizes[None, :, :] / 2  # (1, n_anchors, 2)
    return np.concatenate([centres - half, centres + half], axis=-1).reshape(-1, 4)


def proposal_targets(anchors, gt_boxes, positive_iou=0.7, negative_iou=0.3):
    r"""The region-proposal network's label for every anchor: 1 object, 0 background, -1 ignored.

    $$\ell(a) = \begin{cases} 1 & \max_g \operatorname{IoU}(a, g) \ge t_+ \text{ or } a = \arg\max_{a'} \operatorname{IoU}(a', g) \text{ for some } g \\ 0 & \max_g \operatorname{IoU}(a, g) < t_- \\ -1 & \text{otherwise} \end{cases}$$

    The second rule (Faster R-CNN's) gives every ground-truth box at least
    one positive anchor, even a box no anchor overlaps by $t_+$; it wins over
    the negative rule. Ties for the best anchor of a box make all of them
    positive. An anchor whose best IoU is 0 with every box is never made
    positive by that rule.

    Parameters
    ----------
    anchors : array_like of shape (n_anchors, 4)
        Corner boxes ``(x1, y1, x2, y2)``, e.g. from `anchor_grid`.
    gt_boxes : array_like of shape (n_gt, 4)
        Ground-truth corner boxes in the same units; may be empty (then
        every anchor is background, 0).
    positive_iou : float, default 0.7
        $t_+$.
    negative_iou : float, default 0.3
        $t_-$, at most ``positive_iou``.

    Returns
    -------
    labels : ndarray of shape (n_anchors,), int8
        1, 0 or -1.
    matched_gt : ndarray of shape (n_anchors,), int64
        Index of each anchor's best ground-truth box (its regression target),
        -1 when there is none.

    Raises
    ------
    ValueError
        For boxes that are not (n, 4) finite corners, or thresholds outside
        [0, 1] or in the wrong order.

    Examples
    --------
    >>> anchors = [[0, 0, 10, 10], [5, 0, 15, 10], [20, 20, 30, 30], [0, 0, 12, 10]]
    >>> labels, matched = proposal_targets(anchors, [[0, 0, 10, 10]])
    >>> labels.tolist(), matched.tolist()   # IoU 1, 1/3, 0, 10/12
    ([1, -1, 0, 1], [0, 0, -1, 0])
    """
    anchors = _checks.check_array(anchors, "anchors", kinds="iuf")
    gt_boxes = _checks.check_array(gt_boxes, "gt_boxes", kinds="iuf")
    anchors = _check_corner_boxes(anchors.reshape(-1, 4) if anchors.size == 0 else anchors, "anchors")
    gt_boxes = _check_corner_boxes(gt_boxes.reshape(-1, 4) if gt_boxes.size == 0 else gt_boxes, "gt_boxes")
    _checks.check_shape(anchors, "anchors", (None, 4))
    _checks.check_shape(gt_boxes, "gt_boxes", (None, 4))
    positive_iou = _checks.check_probability(positive_iou, "positive_iou")
    negative_iou = _checks.check_probability(negative_iou, "negative_iou")
    if negative_iou > positive_iou:
        raise _checks.fail("negative_iou", f"be at most `positive_iou` = {positive_iou}", f"{negative_iou}")
    labels = np.full(len(anchors), -1, dtype=np.int8)
    matched = np.full(len(anchors), -1, dtype=np.int64)
    if len(gt_boxes) == 0:
        labels[:] = 0  # no object anywhere: every anchor is background
        return labels, matched
    ious = _iou_kernel(anchors[:, None, :], gt_boxes[None, :, :])  # (n_anchors, n_gt), iou_matrix's kernel
    best_iou = ious.max(axis=1)  # each anchor's best overlap
    matched = np.where(best_iou > 0, ious.argmax(axis=1), -1)
    labels[best_iou < negative_iou] = 0
    labels[best_iou >= positive_iou] = 1
    # every ground-truth box keeps its best anchor(s), even below the positive threshold
    best_per_gt = ious.max(axis=0)  # (n_gt,)
    is_best = (ious == best_per_gt[None, :]) & (best_per_gt[None, :] > 0)  # (n_anchors, n_gt)
    labels[is_best.any(axis=1)] = 1
    return labels, matched
