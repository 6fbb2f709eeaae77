"""Private input checks shared by the YOLO modules (messages from course_cnn._checks)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from course_cnn import _checks


def _as_float_tensor(x, name, finite=True):
    """Tensor of float32 from numpy or a tensor; checks dtype (and NaN when eager)."""
    _checks.check_dtype_kind(x, name, "iuf")
    x = tf.convert_to_tensor(x)
    if x.dtype != tf.float32:
        x = tf.cast(x, tf.float32)
    if finite and tf.executing_eagerly():
        _checks.check_finite(x.numpy(), name)
    return x


def _check_yxyx(boxes, name):
    """Reject flipped boxes (y2 < y1 or x2 < x1) when the values are at hand (eager mode)."""
    if tf.executing_eagerly() and boxes.shape.num_elements():
        b = boxes.numpy().reshape(-1, 4)
        flipped = (b[:, 2] < b[:, 0]) | (b[:, 3] < b[:, 1])
        if flipped.any():
            first = np.round(b[np.flatnonzero(flipped)[0]], 4).tolist()
            raise _checks.fail(name, "hold corner boxes (y1, x1, y2, x2) with y2 >= y1 and x2 >= x1", f"a box {first}")


def _check_anchors(anchors):
    anchors = _checks.check_array(anchors, "anchors", kinds="iuf", finite=True, dtype=np.float32)
    _checks.check_shape(anchors, "anchors", (None, 2))
    if len(anchors) == 0 or np.any(anchors <= 0):
        raise _checks.fail("anchors", "be a non-empty (num_anchors, 2) array of positive (width, height)", _checks.describe(anchors))
    return anchors


def _check_image_shape(image_shape):
    shape = _checks.check_array(image_shape, "image_shape", kinds="iuf", finite=True)
    if shape.shape != (2,) or np.any(shape <= 0):
        raise _checks.fail("image_shape", "be (height, width), two positive numbers", _checks.describe(image_shape))
    return float(shape[0]), float(shape[1])
