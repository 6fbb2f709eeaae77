r"""YOLO training targets and the YOLOv2-style loss.

**Labels.** The image is cut into an $S \times S$ grid with $B$ anchor boxes
per cell. Each object is assigned to the cell holding its centre and, in that
cell, to the anchor whose shape has the highest IoU with the object's shape
(both centred at the same point). That slot's vector is the lecture's

$$y = [p_c, b_x, b_y, b_h, b_w, c_1, \dots, c_C]$$

with $p_c = 1$, $(b_x, b_y)$ the centre's offset inside the cell (0 to 1),
$(b_h, b_w)$ the box size in cells (may exceed 1), and a one-hot class; every
other slot is all zeros ($p_c = 0$, the rest "don't care"). With a 3x3 grid,
3 classes and one anchor each cell has the notes' 8 numbers (3x3x8); with two
anchors the target is 3x3x2x8.

**Loss.** With $\mathbb{1}^{obj}$ marking the slots that hold an object and the
prediction $(t_x, t_y, t_w, t_h, t_o, \text{logits})$ decoded as in
`yolo_head`:

$$\mathcal{L} = \lambda_{coord} \sum \mathbb{1}^{obj} \big[(\sigma(t_x) - b_x)^2 + (\sigma(t_y) - b_y)^2
 + (t_w - \log\tfrac{b_w}{p_w})^2 + (t_h - \log\tfrac{b_h}{p_h})^2\big]
 + \lambda_{obj} \sum \mathbb{1}^{obj}\, \mathrm{BCE}(1, \sigma(t_o))
 + \lambda_{noobj} \sum (1 - \mathbb{1}^{obj})\, \mathrm{BCE}(0, \sigma(t_o))
 + \lambda_{class} \sum \mathbb{1}^{obj}\, \mathrm{CE}(c, \operatorname{softmax}(\text{logits}))$$

summed over cells and anchors, averaged over the batch. The width and height
are compared in log space (YOLOv2's parametrisation, so a 10 % error costs
the same on small and large boxes) and the confidence uses cross-entropy
rather than the paper's squared error (it trains faster).

References
----------
Redmon et al., "You Only Look Once: Unified, Real-Time Object Detection", CVPR 2016.
Redmon & Farhadi, "YOLO9000: Better, Faster, Stronger", CVPR 2017.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from course_cnn import _checks

__all__ = ["anchor_iou", "yolo_encode_labels", "yolo_loss", "YoloLoss"]


def anchor_iou(wh, anchors):
    r"""IoU between box shapes and anchor shapes, both centred at the origin.

    $$\operatorname{IoU} = \frac{\min(w, p_w) \min(h, p_h)}{w h + p_w p_h - \min(w, p_w) \min(h, p_h)}$$

    Parameters
    ----------
    wh : array_like of shape (n, 2)
        Box widths and heights.
    anchors : array_like of shape (B, 2)
        Anchor widths and heights, in the same unit.

    Returns
    -------
    ndarray of shape (n, B)
        IoU of every box shape with every anchor shape.

    Raises
    ------
    ValueError
        For arrays not of shape (n, 2) or negative sizes.

    Examples
    --------
    >>> anchor_iou([[2, 2]], [[2, 2], [1, 4]])  # second: inter 1*2=2, union 4+4-2=6
    array([[1.        , 0.33333333]])
    """
    wh = _checks.check_array(wh, "wh", kinds="iuf", finite=True, dtype=np.float64)
    anchors = _checks.check_array(anchors, "anchors", kinds="iuf", finite=True, dtype=np.float64)
    _checks.check_shape(wh, "wh", (None, 2))
    _checks.check_shape(anchors, "anchors", (None, 2))
    if np.any(wh < 0) or np.any(anchors <= 0):
        raise _checks.fail("anchors", "hold positive sizes (and `wh` non-negative ones)", "a non-positive size")
    inter = np.minimum(wh[:, None, 0], anchors[None, :, 0]) * np.minimum(wh[:, None, 1], anchors[None, :, 1])
    union = wh[:, None, 0] * wh[:, None, 1] + anchors[None, :, 0] * anchors[None, :, 1] - inter
    return inter / union


def yolo_encode_labels(boxes, classes, grid_size, anchors, num_classes):
    r"""Encode one image's objects as a YOLO target of shape (S, S, B, 5 + C).

    The object goes to the cell holding its centre, and to the anchor with
    the best shape IoU (`anchor_iou`); its slot becomes
    $[1, b_x, b_y, b_h, b_w, \text{one-hot}]$ with the centre offset inside the
    cell and the size in cells. A second object claiming an occupied slot is
    dropped (YOLO's known limit: one object per cell and anchor).

    Parameters
    ----------
    boxes : array_like of shape (n_objects, 4)
        Corners ``(x1, y1, x2, y2)`` relative to the image (0 to 1).
    classes : array_like of shape (n_objects,)
        Class index of each object, in ``[0, num_classes)``.
    grid_size : int
        ``S``, cells per side.
    anchors : array_like of shape (B, 2) or None
        Anchor ``(width, height)`` in cells; ``None`` means one slot per
        cell without anchors (the lecture's first YOLO, B = 1).
    num_classes : int
        ``C``.

    Returns
    -------
    ndarray of shape (S, S, B, 5 + C), float32
        Indexed ``[row, col, anchor]``; rows follow y, columns x.

    Raises
    ------
    ValueError
        For boxes outside [0, 1] or flipped, class ids out of range, or
        mismatched lengths.

    Examples
    --------
    >>> y = yolo_encode_labels([[0.4, 0.4, 0.6, 0.9]], [1], 3, None, 3)
    >>> y.shape
    (3, 3, 1, 8)
    >>> y[1, 1, 0].round(3)  # centre (0.5, 0.65): cell (row 1, col 1), offset (0.5, 0.95)
    array([1.  , 0.5 , 0.95, 1.5 , 0.6 , 0.  , 1.  , 0.  ], dtype=float32)
    """
    grid_size = _checks.check_positive_int(grid_size, "grid_size")
    num_classes = _checks.check_positive_int(num_classes, "num_classes")
    boxes = _checks.check_array(boxes, "boxes", kinds="iuf", finite=True, dtype=np.float64)
    boxes = boxes.reshape(-1, 4) if boxes.size == 0 else boxes
    _checks.check_shape(boxes, "boxes", (None, 4))
    classes = _checks.check_array(classes, "classes", ndim=1, kinds="iu").astype(np.int64)
    if len(classes) != len(boxes):
        raise _checks.fail("classes", f"have one class per box ({len(boxes)})", f"shape {classes.shape}")
    if np.any(boxes < 0) or np.any(boxes > 1) or np.any(boxes[:, 2:] < boxes[:, :2]):
        raise _checks.fail("boxes", "hold relative corners (x1, y1, x2, y2) with 0 <= x1 <= x2 <= 1 and 0 <= y1 <= y2 <= 1", "a box outside that")
    if np.any((classes < 0) | (classes >= num_classes)):
        raise _checks.fail("classes", f"be class ids in [0, {num_classes})", f"values {np.unique(classes).tolist()}")
    anchors = np.ones((1, 2)) if anchors is None else _checks.check_array(anchors, "anchors", kinds="iuf", finite=True, dtype=np.float64)
    _checks.check_shape(anchors, "anchors", (None, 2))
    # the target array is (S, S, B, 5 + C) float32: refuse more than 2**30 entries (4 GB) before allocating it
    if grid_size * grid_size * len(anchors) * (5 + num_classes) > 2**30:
        raise _checks.fail("grid_size", f"give a target of at most 2**30 entries with `num_classes` {num_classes} and "
                           f"{len(anchors)} anchors (S * S * B * (5 + C))", repr(grid_size))

    target = np.zeros((grid_size, grid_size, len(anchors), 5 + num_classes), np.float32)  # (S, S, B, 5 + C)
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2.0 * grid_size  # (n, 2) in cells, as (x, y)
    sizes = (boxes[:, 2:] - boxes[:, :2]) * grid_size  # (n, 2) in cells, as (w, h)
    best_anchor = anchor_iou(sizes, anchors).argmax(axis=1) if len(boxes) else np.zeros(0, int)
    for (cx, cy), (w, h), anchor, cls in zip(centres, sizes, best_anchor, classes):
        col, row = min(int(cx), grid_size - 1), min(int(cy), grid_size - 1)
        if target[row, col, anchor, 0] == 1.0:
            continue  # slot taken
        target[row, col, anchor, :5] = (1.0, cx - col, cy - row, h, w)  # p_c, b_x, b_y, b_h, b_w
        target[row, col, anchor, 5 + cls] = 1.0
    return target


def yolo_loss(y_true, y_pred, anchors, lambda_coord=5.0, lambda_obj=1.0, lambda_noobj=0.5, lambda_class=1.0):
    r"""YOLOv2-style loss between encoded labels and raw predictions.

    See the module docstring for the formula: coordinate, object,
    no-object and class terms, each with its weight.

    Parameters
    ----------
    y_true : array_like of shape (m, S, S, B, 5 + C)
        Targets from `yolo_encode_labels`.
    y_pred : array_like of shape (m, S, S, B, 5 + C)
        Raw outputs ``(t_x, t_y, t_w, t_h, t_o, logits...)``.
    anchors : array_like of shape (B, 2)
        Anchor ``(width, height)`` in cells.
    lambda_coord, lambda_obj, lambda_noobj, lambda_class : float
        Term weights (defaults 5, 1, 0.5, 1 as in the YOLO paper).

    Returns
    -------
    Tensor of shape (m,)
        The loss of each image.

    Raises
    ------
    ValueError
        For mismatched shapes.

    Examples
    --------
    >>> y_true = yolo_encode_labels([[0.0, 0.0, 0.5, 0.5]], [0], 2, [[1.0, 1.0]], 2)[None]
    >>> y_pred = np.zeros_like(y_true)
    >>> float(yolo_loss(y_true, y_pred, [[1.0, 1.0]])[0]) > 0
    True
    """
    y_true = _checks.check_tensor(y_true, "y_true", ndim=5, dims="(m, S, S, B, 5 + C)")
    y_pred = _checks.check_tensor(y_pred, "y_pred")
    _checks.check_shape(y_pred, "y_pred", (None, *tuple(y_true.shape)[1:]))
    anchors = _check_loss_anchors(anchors)
    _checks.check_shape(anchors, "anchors", (tuple(y_true.shape)[3], 2))
    weights = _check_lambdas(lambda_coord, lambda_obj, lambda_noobj, lambda_class)
    return _yolo_loss_kernel(tf.cast(y_true, tf.float32), tf.cast(y_pred, tf.float32), tf.constant(anchors), *weights)


def _check_loss_anchors(anchors):
    """Anchors of shape (B, 2): finite, positive widths and heights in cells."""
    anchors = _checks.check_array(anchors, "anchors", ndim=2, kinds="iuf", finite=True, dtype=np.float32)
    _checks.check_shape(anchors, "anchors", (None, 2))
    if anchors.size and anchors.min() <= 0:
        raise _checks.fail("anchors", "hold positive (width, height) pairs", f"min {anchors.min():g}")
    return anchors


def _check_lambdas(*weights):
    names = ("lambda_coord", "lambda_obj", "lambda_noobj", "lambda_class")
    return [_checks.check_number(w, n, low=0) for w, n in zip(weights, names)]


def _yolo_loss_kernel(y_true, y_pred, anchors, lambda_coord, lambda_obj, lambda_noobj, lambda_class):
    obj = y_true[..., 0]  # (m, S, S, B): 1^obj
    noobj = 1.0 - obj
    anchors = tf.reshape(anchors, [1, 1, 1, -1, 2])  # (1, 1, 1, B, 2) as (p_w, p_h)
    # coordinates: centre offsets through a sigmoid, sizes in log space relative to the anchor
    xy_error = tf.reduce_sum(tf.square(tf.sigmoid(y_pred[..., 0:2]) - y_true[..., 1:3]), axis=-1)
    true_wh = tf.stack([y_true[..., 4], y_true[..., 3]], axis=-1)  # (b_w, b_h)
    target_twh = tf.math.log(tf.maximum(true_wh, 1e-9) / anchors)
    wh_error = tf.reduce_sum(tf.square(y_pred[..., 2:4] - target_twh), axis=-1)
    coord_loss = lambda_coord * obj * (xy_error + wh_error)
    # confidence: cross-entropy of sigma(t_o) against 1 (object) or 0 (no object)
    conf_bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=obj, logits=y_pred[..., 4])
    conf_loss = lambda_obj * obj * conf_bce + lambda_noobj * noobj * conf_bce
    # classes: softmax cross-entropy, only where there is an object
    class_ce = tf.nn.softmax_cross_entropy_with_logits(labels=y_true[..., 5:], logits=y_pred[..., 5:])
    class_loss = lambda_class * obj * class_ce
    total = coord_loss + conf_loss + class_loss  # (m, S, S, B)
    return tf.reduce_sum(total, axis=[1, 2, 3])  # (m,)


@keras.saving.register_keras_serializable(package="course_cnn")
class YoloLoss(keras.losses.Loss):
    """`yolo_loss` as a Keras loss, for ``model.compile(loss=YoloLoss(anchors))``.

    Parameters
    ----------
    anchors : array_like of shape (B, 2)
        Anchor ``(width, height)`` in cells.
    lambda_coord, lambda_obj, lambda_noobj, lambda_class : float
        Term weights.
    name : str, default "yolo_loss"
        Loss name.

    Raises
    ------
    TypeError, ValueError
        For anchors not of shape (B, 2) with positive finite entries, or a
        negative or non-finite term weight.

    Examples
    --------
    >>> loss = YoloLoss([[1.0, 1.0]])
    >>> y_true = yolo_encode_labels([[0.0, 0.0, 0.5, 0.5]], [0], 2, [[1.0, 1.0]], 2)[None]
    >>> float(loss(y_true, np.zeros_like(y_true))) > 0
    True
    """

    def __init__(self, anchors, lambda_coord=5.0, lambda_obj=1.0, lambda_noobj=0.5, lambda_class=1.0, name="yolo_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        self.anchors = _check_loss_anchors(anchors).tolist()
        self.lambdas = tuple(_check_lambdas(lambda_coord, lambda_obj, lambda_noobj, lambda_class))

    def call(self, y_true, y_pred):
        return _yolo_loss_kernel(tf.cast(y_true, tf.float32), tf.cast(y_pred, tf.float32), tf.constant(self.anchors), *self.lambdas)

    def get_config(self):
        config = super().get_config()
        keys = ("lambda_coord", "lambda_obj", "lambda_noobj", "lambda_class")
        config.update({"anchors": self.anchors, **dict(zip(keys, self.lambdas))})
        return config
