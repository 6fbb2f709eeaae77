"""The course's YOLO file helpers: bad input is refused by name."""

import re

import numpy as np
import pytest

from course_cnn.week3 import draw_boxes


def test_draw_boxes_refuses_a_bare_class_name_and_nan():
    image = np.zeros((16, 16, 3), dtype="uint8")
    boxes, classes = np.array([[1.0, 1, 8, 8]]), np.array([0])
    with pytest.raises(TypeError, match=re.escape(
            "`class_names` must be a sequence of str, not a single str (it would be read letter by letter); got 'car'.")):
        draw_boxes(image, boxes, classes, "car")  # would have labelled the box "c"
    with pytest.raises(ValueError, match=re.escape("`boxes` must contain only finite values; got 1 NaN or infinite entry.")):
        draw_boxes(image, np.array([[1.0, np.nan, 8, 8]]), classes, ["car"])
    with pytest.raises(ValueError, match=re.escape("`scores` must contain only finite values; got 1 NaN or infinite entry.")):
        draw_boxes(image, boxes, classes, ["car"], scores=[np.nan])
