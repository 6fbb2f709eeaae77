r"""A small YOLO trained from scratch on generated shapes.

`tiny_yolo` is a Tiny-YOLOv2-like stack: 3x3 convolutions with batch
normalisation and leaky ReLU, each followed by a 2x2 max pool until the
feature map is the $S \times S$ grid, then a 1x1 convolution giving
$B \times (5 + C)$ numbers per cell. Trained with
`YoloLoss` on `make_detection_dataset`,
it is decoded by the same `yolo_head` and
`yolo_eval_batch` as any YOLO, and scored with
`mean_average_precision`.
"""

from __future__ import annotations

import math

import numpy as np

from course_cnn import _checks

__all__ = ["tiny_yolo", "detect_objects", "evaluate_detector"]


def tiny_yolo(input_shape, grid_size, anchors, num_classes, filters=(16, 32, 64), head_filters=128):
    """Build a small YOLO network.

    Parameters
    ----------
    input_shape : tuple of 3 int
        ``(n_H, n_W, n_C)``, square, with ``n_H / grid_size`` a power of 2.
    grid_size : int
        ``S``, cells per side.
    anchors : array_like of shape (B, 2)
        Anchors (only their number ``B`` shapes the network).
    num_classes : int
        ``C``.
    filters : sequence of int, default (16, 32, 64)
        Filters of the conv blocks before the grid is reached; the number of
        2x2 pools is fixed by ``n_H / S``, extra blocks run at grid size.
    head_filters : int, default 128
        Filters of the last 3x3 conv at grid resolution.

    Returns
    -------
    keras.Model
        Functional model ``"tiny_yolo"``, output ``(None, S, S, B, 5 + C)``:
        raw ``(t_x, t_y, t_w, t_h, t_o, logits)`` per anchor.

    Raises
    ------
    ValueError
        When the input is not square or ``n_H / grid_size`` is not a power of 2.

    Examples
    --------
    >>> model = tiny_yolo((64, 64, 3), 8, [[1, 1], [2, 2]], 3)
    >>> model.output_shape
    (None, 8, 8, 2, 8)
    """
    import keras

    input_shape = _checks.check_input_shape(input_shape)
    grid_size = _checks.check_size(grid_size, "grid_size", _checks.MAX_IMAGE_SIDE)
    num_classes = _checks.check_size(num_classes, "num_classes", _checks.MAX_CLASSES)
    n_anchors = len(_checks.check_array(anchors, "anchors", kinds="iuf", shape=(None, 2), finite=True))
    if isinstance(filters, (str, bytes)) or not hasattr(filters, "__len__") or not len(filters):
        raise _checks.fail("filters", "be a non-empty sequence of positive ints", _checks.describe(filters), TypeError)
    filters = [_checks.check_size(f, "filters", _checks.MAX_UNITS) for f in filters]
    head_filters = _checks.check_size(head_filters, "head_filters", _checks.MAX_UNITS)
    ratio = input_shape[0] / grid_size
    if len(input_shape) != 3 or input_shape[0] != input_shape[1] or ratio != int(ratio) or ratio < 1 or math.log2(ratio) % 1:
        raise _checks.fail("input_shape", f"be square (n, n, n_C) with n / grid_size a power of 2 (grid_size={grid_size})", repr(input_shape))
    n_pools = int(math.log2(ratio))

    inputs = keras.Input(input_shape, name="image")
    x = inputs
    block_filters = list(filters) + [filters[-1]] * max(0, n_pools - len(filters))
    for i, n_filters in enumerate(block_filters):
        x = _conv_block(x, n_filters, f"block{i}")
        if i < n_pools:
            x = keras.layers.MaxPooling2D(2, name=f"block{i}_pool")(x)
    x = _conv_block(x, head_filters, "head")
    x = keras.layers.Conv2D(n_anchors * (5 + num_classes), 1, name="detector")(x)
    outputs = keras.layers.Reshape((grid_size, grid_size, n_anchors, 5 + num_classes), name="anchors")(x)
    return keras.Model(inputs, outputs, name="tiny_yolo")


def _conv_block(x, n_filters, name):
    import keras

    x = keras.layers.Conv2D(n_filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_bn")(x)
    return keras.layers.LeakyReLU(negative_slope=0.1, name=f"{name}_leaky")(x)


def detect_objects(model, images, anchors, num_classes, score_threshold=0.5, iou_threshold=0.5, max_boxes=10, batch_size=64):
    """Run a YOLO model on images and decode its boxes.

    Parameters
    ----------
    model : keras.Model
        A YOLO network with output ``(m, S, S, B, 5 + C)`` or
        ``(m, S, S, B * (5 + C))`` (e.g. `tiny_yolo`).
    images : array_like of shape (m, n_H, n_W, n_C)
        Inputs as the model expects them.
    anchors : array_like of shape (B, 2)
        Anchors in cells.
    num_classes : int
        ``C``.
    score_threshold, iou_threshold : float, default 0.5
        Decoding thresholds, in [0, 1].
    max_boxes : int, default 10
        Most boxes per image.
    batch_size : int, default 64
        Images per forward pass.

    Returns
    -------
    list of (boxes, scores, classes)
        Per image: relative corners ``(x1, y1, x2, y2)`` of shape (k, 4),
        scores (k,), int classes (k,), as numpy arrays (ready for
        `mean_average_precision`).

    Raises
    ------
    ValueError
        For images that are not 4-D or bad thresholds.

    Examples
    --------
    >>> model = tiny_yolo((32, 32, 3), 4, [[1, 1]], 2)
    >>> results = detect_objects(model, np.zeros((2, 32, 32, 3)), [[1, 1]], 2, score_threshold=1.0)
    >>> [r[0].shape for r in results]
    [(0, 4), (0, 4)]
    """
    from course_cnn.week3.yolo import yolo_head
    from course_cnn.week3.yolo_batch import yolo_eval_batch

    model = _checks.check_model(model)
    images = _checks.check_array(images, "images", ndim=4, kinds="iuf", finite=True, dtype=np.float32)
    batch_size = _checks.check_positive_int(batch_size, "batch_size")
    num_classes = _checks.check_size(num_classes, "num_classes", _checks.MAX_CLASSES)
    max_boxes = _checks.check_size(max_boxes, "max_boxes", _checks.MAX_UNITS)
    results = []
    for start in range(0, len(images), batch_size):
        feats = model(images[start:start + batch_size], training=False)
        outputs = yolo_head(feats, anchors, num_classes)
        scores, boxes, classes, valid = yolo_eval_batch(outputs, (1, 1), max_boxes, score_threshold, iou_threshold, per_class=True)
        for s, b, c, n in zip(scores.numpy(), boxes.numpy(), classes.numpy(), valid.numpy()):
            results.append((b[:n][:, [1, 0, 3, 2]], s[:n], c[:n]))  # (y1, x1, y2, x2) -> (x1, y1, x2, y2)
    return results


def evaluate_detector(model, data, anchors, num_classes, iou_threshold=0.5, score_threshold=0.05):
    """mAP of a YOLO model on generated images with exact boxes.

    Parameters
    ----------
    model : keras.Model
        The detector.
    data : DetectionImages
        Images and ground truth, e.g. from `make_detection_images`.
    anchors : array_like of shape (B, 2)
        Anchors in cells.
    num_classes : int
        ``C``.
    iou_threshold : float, default 0.5
        IoU for a detection to count (mAP@0.5); also the NMS threshold.
    score_threshold : float, default 0.05
        Low, so that the precision-recall curve is traced in full.

    Returns
    -------
    float
        mAP at ``iou_threshold``.

    Examples
    --------
    >>> from course_cnn.week3 import make_detection_images
    >>> data = make_detection_images(2, image_size=32)
    >>> model = tiny_yolo((32, 32, 3), 4, [[1, 1]], 3)
    >>> 0.0 <= evaluate_detector(model, data, [[1, 1]], 3) <= 1.0
    True
    """
    from course_cnn.week3.metrics import mean_average_precision

    model = _checks.check_model(model)
    if not all(hasattr(data, key) for key in ("images", "boxes", "classes")):
        raise _checks.fail("data", "be a DetectionImages (from make_detection_images)", _checks.describe(data), TypeError)
    pred = detect_objects(model, data.images, anchors, num_classes, score_threshold, iou_threshold, max_boxes=20)
    truth = list(zip(data.boxes, data.classes))
    return mean_average_precision(pred, truth, iou_threshold)
