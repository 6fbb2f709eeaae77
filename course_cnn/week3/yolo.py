r"""YOLO post-processing: from the network's grid output to a few boxes.

The network divides the image into an $S \times S$ grid; every cell predicts
$B$ boxes, one per anchor, each with $5 + C$ numbers
$(t_x, t_y, t_w, t_h, t_o, \text{class logits})$. `yolo_head` decodes them
(YOLOv2):

$$b_x = \frac{\sigma(t_x) + c_x}{S},\quad b_y = \frac{\sigma(t_y) + c_y}{S},\quad
  b_w = \frac{p_w e^{t_w}}{S},\quad b_h = \frac{p_h e^{t_h}}{S},\quad
  p_c = \sigma(t_o),\quad c_i = \operatorname{softmax}(\text{logits})_i$$

where $(c_x, c_y)$ is the cell's column and row and $(p_w, p_h)$ the
anchor's size in cells, so every box is relative to the image (0 to 1).
Then `yolo_filter_boxes` keeps boxes whose score $p_c \cdot c_i$ passes
a threshold, `scale_boxes` turns them into pixels and
`yolo_non_max_suppression` removes duplicates; `yolo_eval` chains
the four as the course's assignment does.

All functions accept numpy arrays or tensors and return tensors. Boxes are
``(y1, x1, y2, x2)`` like ``tf.image``. As in the course, the corners of a
box may come in either order: none of these steps depends on it
(``tf.image.non_max_suppression`` accepts any pair of opposite corners), so
the course's tests, which feed ``tf.random.normal`` boxes, run unchanged.

References
----------
Redmon & Farhadi, "YOLO9000: Better, Faster, Stronger", CVPR 2017.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from course_cnn import _checks
from course_cnn.week3._validate import _as_float_tensor, _check_anchors, _check_image_shape

__all__ = [
    "yolo_head",
    "yolo_boxes_to_corners",
    "scale_boxes",
    "yolo_filter_boxes",
    "yolo_non_max_suppression",
    "yolo_eval",
]


def yolo_head(feats, anchors, num_classes):
    r"""Decode the raw YOLO output into boxes, confidences and class probabilities.

    $$b_{xy} = \frac{\sigma(t_{xy}) + c_{xy}}{S},\qquad
      b_{wh} = \frac{p_{wh}\, e^{t_{wh}}}{S},\qquad
      p_c = \sigma(t_o),\qquad c = \operatorname{softmax}(t_{cls})$$

    With ``num_classes=1`` the class probability is 1 for every box, and the
    network may omit the class logit altogether (5 numbers per anchor, as the
    face detector of `course_cnn.week3.face_detector` does): the score is
    then just $p_c$.

    Parameters
    ----------
    feats : array_like of shape (m, S_H, S_W, B * (5 + C)) or (m, S_H, S_W, B, 5 + C)
        Raw network output, per anchor ``(t_x, t_y, t_w, t_h, t_o, logits...)``.
    anchors : array_like of shape (B, 2)
        Anchor widths and heights ``(p_w, p_h)`` in grid cells.
    num_classes : int
        Number of classes ``C`` (>= 1).

    Returns
    -------
    box_xy : Tensor of shape (m, S_H, S_W, B, 2)
        Box centres ``(b_x, b_y)`` relative to the image.
    box_wh : Tensor of shape (m, S_H, S_W, B, 2)
        Box sizes ``(b_w, b_h)`` relative to the image.
    box_confidence : Tensor of shape (m, S_H, S_W, B, 1)
        $p_c$, the probability that the box holds an object.
    box_class_probs : Tensor of shape (m, S_H, S_W, B, C)
        Class probabilities given an object.

    Raises
    ------
    ValueError
        When the last dimension of ``feats`` does not fit ``B * (5 + C)``.

    Examples
    --------
    >>> feats = np.zeros((1, 2, 2, 1 * (5 + 3)), dtype="float32")
    >>> box_xy, box_wh, box_confidence, box_class_probs = yolo_head(feats, [[1.0, 2.0]], 3)
    >>> box_xy[0, 1, 0, 0].numpy()  # cell (row 1, col 0): ((0.5 + 0) / 2, (0.5 + 1) / 2)
    array([0.25, 0.75], dtype=float32)
    >>> box_wh[0, 0, 0, 0].numpy()  # e^0 * (1, 2) / 2
    array([0.5, 1. ], dtype=float32)
    """
    anchors = _check_anchors(anchors)
    num_classes = _checks.check_size(num_classes, "num_classes", _checks.MAX_CLASSES)
    n_anchors = len(anchors)
    feats = _as_float_tensor(feats, "feats")
    if len(feats.shape) == 4:
        channels = feats.shape[-1]
        per_anchor = 5 + num_classes
        if channels == n_anchors * 5 and num_classes == 1:
            per_anchor = 5  # one class, no class logit: p(class | object) = 1
        if channels is None or channels != n_anchors * per_anchor:
            raise _checks.fail(
                "feats",
                f"have a last dimension of num_anchors * (5 + num_classes) = {n_anchors * (5 + num_classes)}",
                f"shape {tuple(feats.shape)}",
            )
        feats = tf.reshape(feats, [-1, feats.shape[1], feats.shape[2], n_anchors, per_anchor])  # (m, S_H, S_W, B, 5+C)
    else:
        _checks.check_ndim(feats, "feats", 5, "(m, S_H, S_W, B, 5 + C)")
        if feats.shape[-2] != n_anchors or feats.shape[-1] not in (5 + num_classes, 5 if num_classes == 1 else -1):
            raise _checks.fail("feats", f"have shape (m, S_H, S_W, {n_anchors}, {5 + num_classes})", f"shape {tuple(feats.shape)}")
    return _yolo_head_kernel(feats, tf.constant(anchors), num_classes)


def _yolo_head_kernel(feats, anchors, num_classes):
    """Decode feats of shape (m, S_H, S_W, B, 5 + C or 5); no checks."""
    grid_h, grid_w = tf.shape(feats)[1], tf.shape(feats)[2]
    # c_x, c_y: the column and row of each cell, as (x, y) pairs
    cols, rows = tf.meshgrid(tf.range(grid_w), tf.range(grid_h))  # (S_H, S_W) each
    conv_index = tf.cast(tf.stack([cols, rows], axis=-1), feats.dtype)[None, :, :, None, :]  # (1, S_H, S_W, 1, 2)
    conv_dims = tf.cast(tf.stack([grid_w, grid_h]), feats.dtype)  # (2,) as (S_W, S_H)
    anchors_tensor = tf.reshape(tf.cast(anchors, feats.dtype), [1, 1, 1, -1, 2])  # (1, 1, 1, B, 2)

    box_xy = (tf.sigmoid(feats[..., 0:2]) + conv_index) / conv_dims
    box_wh = tf.exp(feats[..., 2:4]) * anchors_tensor / conv_dims
    box_confidence = tf.sigmoid(feats[..., 4:5])
    if feats.shape[-1] == 5:
        box_class_probs = tf.ones_like(box_confidence)  # (m, S_H, S_W, B, 1)
    else:
        box_class_probs = tf.nn.softmax(feats[..., 5:5 + num_classes], axis=-1)
    return box_xy, box_wh, box_confidence, box_class_probs


def yolo_boxes_to_corners(box_xy, box_wh):
    r"""Convert centre boxes to corner boxes in the ``(y1, x1, y2, x2)`` order.

    $$y_1 = b_y - \tfrac{b_h}{2},\quad x_1 = b_x - \tfrac{b_w}{2},\quad
      y_2 = b_y + \tfrac{b_h}{2},\quad x_2 = b_x + \tfrac{b_w}{2}$$

    Parameters
    ----------
    box_xy : array_like of shape (..., 2)
        Centres ``(b_x, b_y)``.
    box_wh : array_like of shape (..., 2)
        Sizes ``(b_w, b_h)``, same leading dimensions.

    Returns
    -------
    Tensor of shape (..., 4)
        Corners ``(y1, x1, y2, x2)``.

    Raises
    ------
    ValueError
        For a last dimension other than 2 or mismatched shapes.

    Examples
    --------
    >>> yolo_boxes_to_corners([[0.5, 0.5]], [[0.2, 0.4]]).numpy().round(3)
    array([[0.3, 0.4, 0.7, 0.6]], dtype=float32)
    """
    _checks.check_shape(box_xy, "box_xy", (..., 2))
    _checks.check_shape(box_wh, "box_wh", (..., 2))
    _checks.check_same_leading_dims({"box_xy": box_xy, "box_wh": box_wh})
    box_xy = _as_float_tensor(box_xy, "box_xy")
    box_wh = _as_float_tensor(box_wh, "box_wh")
    return _corners_kernel(box_xy, box_wh)


def _corners_kernel(box_xy, box_wh):
    box_mins = box_xy - box_wh / 2.0  # (..., 2) as (x1, y1)
    box_maxes = box_xy + box_wh / 2.0  # (..., 2) as (x2, y2)
    return tf.concat([box_mins[..., 1:2], box_mins[..., 0:1], box_maxes[..., 1:2], box_maxes[..., 0:1]], axis=-1)


def scale_boxes(boxes, image_shape):
    r"""Scale relative ``(y1, x1, y2, x2)`` boxes to pixels of an image.

    $$(y_1, x_1, y_2, x_2) \mapsto (H y_1, W x_1, H y_2, W x_2)$$

    Parameters
    ----------
    boxes : array_like of shape (..., 4)
        Relative corner boxes ``(y1, x1, y2, x2)``.
    image_shape : tuple of 2 numbers
        ``(height, width)`` of the image, in pixels.

    Returns
    -------
    Tensor of shape (..., 4)
        Pixel corner boxes.

    Raises
    ------
    ValueError
        For boxes not ending in 4 or an ``image_shape`` that is not two
        positive numbers.

    Examples
    --------
    >>> scale_boxes([[0.1, 0.2, 0.5, 1.0]], (720, 1280)).numpy()
    array([[  72.,  256.,  360., 1280.]], dtype=float32)
    """
    _checks.check_shape(boxes, "boxes", (..., 4))
    height, width = _check_image_shape(image_shape)
    boxes = _as_float_tensor(boxes, "boxes")
    image_dims = tf.constant([height, width, height, width], dtype=boxes.dtype)
    return boxes * image_dims


def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.6):
    r"""Keep the boxes whose best class score reaches ``threshold``.

    $$\text{score}_i = p_c \cdot c_i,\quad \text{class} = \arg\max_i \text{score}_i,\quad
      \text{keep if } \max_i \text{score}_i \ge \text{threshold}$$

    Parameters
    ----------
    boxes : array_like of shape (..., 4)
        Corner boxes, e.g. (19, 19, 5, 4); any values (the boxes are only
        selected, never measured).
    box_confidence : array_like of shape (..., 1)
        $p_c$ per box, same leading dimensions.
    box_class_probs : array_like of shape (..., C)
        Class probabilities per box, same leading dimensions.
    threshold : float, default 0.6
        Score threshold in [0, 1].

    Returns
    -------
    scores : Tensor of shape (n,)
        Best class score of each kept box.
    boxes : Tensor of shape (n, 4)
        The kept boxes.
    classes : Tensor of shape (n,), int64
        Best class index of each kept box.

    Raises
    ------
    ValueError
        For mismatched leading dimensions, a confidence not ending in 1,
        NaN values or a threshold outside [0, 1].

    Examples
    --------
    >>> boxes = np.array([[0, 0, 1, 1], [0, 0, 2, 2]], dtype="float32")
    >>> scores, kept, classes = yolo_filter_boxes(boxes, [[0.9], [0.3]], [[0.2, 0.8], [0.5, 0.5]], 0.6)
    >>> scores.numpy().round(3), classes.numpy()  # 0.9 * 0.8 = 0.72 kept; 0.3 * 0.5 = 0.15 dropped
    (array([0.72], dtype=float32), array([1]))
    """
    _checks.check_shape(boxes, "boxes", (..., 4))
    _checks.check_shape(box_confidence, "box_confidence", (..., 1))
    _checks.check_same_leading_dims({"boxes": boxes, "box_confidence": box_confidence, "box_class_probs": box_class_probs})
    threshold = _checks.check_probability(threshold, "threshold")
    boxes = _as_float_tensor(boxes, "boxes")
    box_confidence = _as_float_tensor(box_confidence, "box_confidence")
    box_class_probs = _as_float_tensor(box_class_probs, "box_class_probs")
    return _filter_kernel(boxes, box_confidence, box_class_probs, threshold)


def _filter_kernel(boxes, box_confidence, box_class_probs, threshold):
    box_scores = box_confidence * box_class_probs  # (..., C): p_c * c_i
    box_classes = tf.argmax(box_scores, axis=-1)  # (...)
    box_class_scores = tf.reduce_max(box_scores, axis=-1)  # (...)
    filtering_mask = box_class_scores >= threshold
    scores = tf.boolean_mask(box_class_scores, filtering_mask)  # (n,)
    boxes = tf.boolean_mask(boxes, filtering_mask)  # (n, 4)
    classes = tf.boolean_mask(box_classes, filtering_mask)  # (n,)
    return scores, boxes, classes


def yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5, *, per_class=False):
    r"""Non-max suppression on filtered YOLO boxes (``tf.image.non_max_suppression``).

    Greedily keeps the best-scoring box and drops the boxes overlapping it
    with IoU above ``iou_threshold``, up to ``max_boxes`` boxes. The course
    runs it over all classes together (``per_class=False``); with
    ``per_class=True`` a box only suppresses boxes of its own class (a car
    does not hide the person standing in front of it).

    Parameters
    ----------
    scores : array_like of shape (n,)
        Box scores.
    boxes : array_like of shape (n, 4)
        Corner boxes ``(y1, x1, y2, x2)``, either corner first.
    classes : array_like of shape (n,)
        Class of each box: any real dtype (the course's test passes floats),
        returned as given.
    max_boxes : int, default 10
        Largest number of boxes to keep (>= 1).
    iou_threshold : float, default 0.5
        IoU in [0, 1] above which a box is suppressed.
    per_class : bool, default False
        Suppress only within each class.

    Returns
    -------
    scores : Tensor of shape (k,)
    boxes : Tensor of shape (k, 4)
    classes : Tensor of shape (k,)
        The kept boxes, by decreasing score, ``k <= max_boxes``; ``classes``
        keeps the dtype it was given in (int64 from `yolo_filter_boxes`).

    Raises
    ------
    ValueError
        For mismatched lengths, NaN values, a threshold outside [0, 1] or
        ``max_boxes < 1``.
    TypeError
        For non-numeric ``classes``.

    Examples
    --------
    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    >>> scores, kept, classes = yolo_non_max_suppression([0.9, 0.8, 0.7], boxes, [0, 0, 1])
    >>> scores.numpy()
    array([0.9, 0.7], dtype=float32)
    """
    _checks.check_dtype_kind(boxes, "boxes", "iuf")  # also refuses a ragged list by name
    boxes = np.reshape(boxes, (0, 4)) if np.size(boxes) == 0 and not tf.is_tensor(boxes) else boxes
    _checks.check_ndim(scores, "scores", 1)
    _checks.check_shape(boxes, "boxes", (None, 4))
    _checks.check_ndim(classes, "classes", 1)
    _checks.check_same_leading_dims({"scores": scores, "boxes": boxes, "classes": classes}, n_dims=1)
    max_boxes = _checks.check_size(max_boxes, "max_boxes", _checks.MAX_EXAMPLES)
    iou_threshold = _checks.check_probability(iou_threshold, "iou_threshold")
    _checks.check_dtype_kind(classes, "classes", "iuf")
    scores = _as_float_tensor(scores, "scores")
    boxes = _as_float_tensor(boxes, "boxes")
    classes = tf.convert_to_tensor(classes)
    if classes.dtype.is_floating and tf.executing_eagerly():
        _checks.check_finite(classes.numpy(), "classes")
    return _nms_kernel(scores, boxes, classes, max_boxes, iou_threshold, per_class)


def _nms_kernel(scores, boxes, classes, max_boxes, iou_threshold, per_class):
    if per_class:
        # offset each class's boxes far apart so boxes of different classes never overlap;
        # classes are numbered 0..K-1 first, so float ids such as 1.7 and 1.7001 stay apart too
        _, class_index = tf.unique(classes)  # (n,)
        span = tf.reduce_max(tf.abs(boxes)) + 1.0 if boxes.shape[0] != 0 else tf.constant(1.0)
        offsets = tf.cast(class_index, boxes.dtype)[:, None] * 2.0 * span  # (n, 1)
        nms_boxes = boxes + offsets
    else:
        nms_boxes = boxes
    nms_indices = tf.image.non_max_suppression(nms_boxes, scores, max_boxes, iou_threshold=iou_threshold)
    return tf.gather(scores, nms_indices), tf.gather(boxes, nms_indices), tf.gather(classes, nms_indices)


def yolo_eval(yolo_outputs, image_shape=(720, 1280), max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    r"""The course's full post-processing of one image's YOLO output.

    corners $\to$ score filter $\to$ scale to pixels $\to$ non-max suppression.

    Parameters
    ----------
    yolo_outputs : tuple of 4 array_like
        ``(box_xy, box_wh, box_confidence, box_class_probs)`` as
        `yolo_head` returns them for one image, shapes
        (S, S, B, 2), (S, S, B, 2), (S, S, B, 1), (S, S, B, C) (a leading
        batch dimension of 1 is fine too).
    image_shape : tuple of 2 numbers, default (720, 1280)
        ``(height, width)`` of the image, in pixels.
    max_boxes : int, default 10
        Largest number of boxes returned.
    score_threshold : float, default 0.6
        Class-score threshold in [0, 1].
    iou_threshold : float, default 0.5
        NMS IoU threshold in [0, 1].

    Returns
    -------
    scores : Tensor of shape (k,)
    boxes : Tensor of shape (k, 4)
        Pixel corners ``(y1, x1, y2, x2)``.
    classes : Tensor of shape (k,), int64

    Raises
    ------
    ValueError
        When ``yolo_outputs`` is not four arrays of matching shapes, holds
        more than one image (use `yolo_eval_batch`), or for bad thresholds.

    Examples
    --------
    >>> feats = np.zeros((1, 3, 3, 2 * (5 + 4)), dtype="float32")
    >>> feats[0, 1, 1, 4] = 5.0  # a confident box in the centre cell, first anchor
    >>> scores, boxes, classes = yolo_eval(yolo_head(feats, [[1, 1], [2, 2]], 4), (300, 300), score_threshold=0.2)
    >>> boxes.numpy().round(3)  # centre 150 px, size 1 cell = 100 px
    array([[100., 100., 200., 200.]], dtype=float32)
    """
    if not isinstance(yolo_outputs, (tuple, list)) or len(yolo_outputs) != 4:
        raise _checks.fail("yolo_outputs", "be a tuple (box_xy, box_wh, box_confidence, box_class_probs)", _checks.describe(yolo_outputs))
    max_boxes = _checks.check_size(max_boxes, "max_boxes", _checks.MAX_EXAMPLES)
    score_threshold = _checks.check_probability(score_threshold, "score_threshold")
    iou_threshold = _checks.check_probability(iou_threshold, "iou_threshold")
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    shape = tuple(box_xy.shape) if hasattr(box_xy, "shape") else np.shape(box_xy)  # no host copy of a tensor
    if len(shape) == 5 and shape[0] not in (1, None):
        raise _checks.fail("yolo_outputs", "hold one image, (S, S, B, .) or (1, S, S, B, .) arrays; "
                           "for a batch use yolo_eval_batch", f"box_xy of shape {shape}")
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)
