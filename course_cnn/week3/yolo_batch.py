r"""YOLO post-processing for a whole batch at once, compiled with ``tf.function``.

`yolo_eval` handles one image and returns as many
boxes as survive, so a batch needs a Python loop. `yolo_eval_batch`
runs the same steps for every image in one compiled graph and returns
*padded* results: ``max_boxes`` slots per image plus ``valid_detections``,
the number of slots actually filled (the rest are zeros), the layout of
``tf.image.combined_non_max_suppression``.

Per image the result equals `yolo_eval` (class-agnostic
NMS, the course's choice). With ``per_class=True`` non-max suppression runs
separately within each class (``tf.image.combined_non_max_suppression``),
so a box can only suppress boxes of its own class.
"""

from __future__ import annotations

import tensorflow as tf

from course_cnn import _checks
from course_cnn.week3._validate import _as_float_tensor, _check_image_shape
from course_cnn.week3.yolo import _corners_kernel

__all__ = ["yolo_eval_batch"]


def yolo_eval_batch(
    yolo_outputs, image_shape=(720, 1280), max_boxes=10, score_threshold=0.6, iou_threshold=0.5, *, per_class=False
):
    r"""Filter, scale and non-max-suppress the YOLO boxes of a batch of images.

    For every image $j$ of the batch, as in `yolo_eval`:
    corners, score $p_c \cdot c_i \ge$ ``score_threshold``, scale to pixels,
    NMS with ``iou_threshold``, at most ``max_boxes`` boxes.

    Parameters
    ----------
    yolo_outputs : tuple of 4 array_like
        ``(box_xy, box_wh, box_confidence, box_class_probs)`` of shapes
        (m, S_H, S_W, B, 2), (m, S_H, S_W, B, 2), (m, S_H, S_W, B, 1),
        (m, S_H, S_W, B, C), as `yolo_head` returns.
    image_shape : tuple of 2 numbers, default (720, 1280)
        ``(height, width)`` of the images in pixels (the same for the batch).
    max_boxes : int, default 10
        Slots per image.
    score_threshold : float, default 0.6
        Class-score threshold in [0, 1].
    iou_threshold : float, default 0.5
        NMS IoU threshold in [0, 1].
    per_class : bool, default False
        Run NMS within each class instead of over all classes.

    Returns
    -------
    scores : Tensor of shape (m, max_boxes)
        Scores, decreasing within each image; 0 in unused slots.
    boxes : Tensor of shape (m, max_boxes, 4)
        Pixel corners ``(y1, x1, y2, x2)``; 0 in unused slots.
    classes : Tensor of shape (m, max_boxes), int64
        Class indices; 0 in unused slots.
    valid_detections : Tensor of shape (m,), int32
        Number of filled slots of each image.

    Raises
    ------
    ValueError
        When the four arrays do not share their leading dimensions (m, S_H,
        S_W, B), for NaN values, bad thresholds or ``max_boxes < 1``.

    Examples
    --------
    >>> import numpy as np
    >>> from course_cnn.week3 import yolo_head
    >>> feats = np.zeros((2, 3, 3, 5 + 2), dtype="float32")
    >>> feats[0, 1, 1, 4] = 5.0  # one confident box in image 0: score sigmoid(5) * 0.5 = 0.497
    >>> scores, boxes, classes, valid = yolo_eval_batch(yolo_head(feats, [[1, 1]], 2), (300, 300), 4, 0.3)
    >>> valid.numpy(), boxes[0, 0].numpy().round(3)  # the others score 0.5 * 0.5 = 0.25 < 0.3
    (array([1, 0], dtype=int32), array([100., 100., 200., 200.], dtype=float32))
    """
    if not isinstance(yolo_outputs, (tuple, list)) or len(yolo_outputs) != 4:
        raise _checks.fail("yolo_outputs", "be a tuple (box_xy, box_wh, box_confidence, box_class_probs)", _checks.describe(yolo_outputs))
    names = ("box_xy", "box_wh", "box_confidence", "box_class_probs")
    for name, value, last in zip(names, yolo_outputs, (2, 2, 1, None)):
        _checks.check_ndim(value, name, 5, "(m, S_H, S_W, B, ...)")
        if last is not None:
            _checks.check_shape(value, name, (..., last))
    _checks.check_same_leading_dims(dict(zip(names, yolo_outputs)))
    height, width = _check_image_shape(image_shape)
    max_boxes = _checks.check_size(max_boxes, "max_boxes", _checks.MAX_EXAMPLES)
    score_threshold = _checks.check_probability(score_threshold, "score_threshold")
    iou_threshold = _checks.check_probability(iou_threshold, "iou_threshold")
    tensors = [_as_float_tensor(value, name) for name, value in zip(names, yolo_outputs)]
    image_dims = tf.constant([height, width, height, width], tf.float32)
    kernel = _eval_batch_per_class if per_class else _eval_batch_agnostic
    return kernel(*tensors, image_dims, max_boxes, tf.constant(score_threshold), tf.constant(iou_threshold))


def _flatten_boxes(box_xy, box_wh, box_confidence, box_class_probs, image_dims):
    m = tf.shape(box_xy)[0]
    boxes = _corners_kernel(box_xy, box_wh) * image_dims  # (m, S_H, S_W, B, 4), pixels
    box_scores = box_confidence * box_class_probs  # (m, S_H, S_W, B, C): p_c * c_i
    n_classes = tf.shape(box_scores)[-1]
    return tf.reshape(boxes, [m, -1, 4]), tf.reshape(box_scores, [m, -1, n_classes])  # (m, N, 4), (m, N, C)


@tf.function(reduce_retracing=True)
def _eval_batch_agnostic(box_xy, box_wh, box_confidence, box_class_probs, image_dims, max_boxes, score_threshold, iou_threshold):
    boxes, box_scores = _flatten_boxes(box_xy, box_wh, box_confidence, box_class_probs, image_dims)
    box_classes = tf.argmax(box_scores, axis=-1)  # (m, N)
    box_class_scores = tf.reduce_max(box_scores, axis=-1)  # (m, N)

    def one_image(args):
        image_boxes, image_scores, image_classes = args
        keep = image_scores >= score_threshold  # the course's filter
        kept_boxes = tf.boolean_mask(image_boxes, keep)
        kept_scores = tf.boolean_mask(image_scores, keep)
        kept_classes = tf.boolean_mask(image_classes, keep)
        chosen = tf.image.non_max_suppression(kept_boxes, kept_scores, max_boxes, iou_threshold=iou_threshold)
        n_valid = tf.shape(chosen)[0]
        pad = max_boxes - n_valid
        return (
            tf.pad(tf.gather(kept_scores, chosen), [[0, pad]]),
            tf.pad(tf.gather(kept_boxes, chosen), [[0, pad], [0, 0]]),
            tf.pad(tf.gather(kept_classes, chosen), [[0, pad]]),
            n_valid,
        )

    signature = (
        tf.TensorSpec([max_boxes], tf.float32),
        tf.TensorSpec([max_boxes, 4], tf.float32),
        tf.TensorSpec([max_boxes], tf.int64),
        tf.TensorSpec([], tf.int32),
    )
    return tf.map_fn(one_image, (boxes, box_class_scores, box_classes), fn_output_signature=signature)


@tf.function(reduce_retracing=True)
def _eval_batch_per_class(box_xy, box_wh, box_confidence, box_class_probs, image_dims, max_boxes, score_threshold, iou_threshold):
    boxes, box_scores = _flatten_boxes(box_xy, box_wh, box_confidence, box_class_probs, image_dims)
    # combined NMS drops scores <= threshold; nudge it down so a score equal to it is kept, as in the course
    threshold = score_threshold - 1e-7
    nmsed_boxes, nmsed_scores, nmsed_classes, valid = tf.image.combined_non_max_suppression(
        boxes[:, :, None, :],  # (m, N, 1, 4): the same box for every class
        box_scores,
        max_output_size_per_class=max_boxes,
        max_total_size=max_boxes,
        iou_threshold=iou_threshold,
        score_threshold=threshold,
        pad_per_class=False,
        clip_boxes=False,
    )
    return nmsed_scores, nmsed_boxes, tf.cast(nmsed_classes, tf.int64), valid
