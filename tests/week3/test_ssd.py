"""face-api.js's SSD MobileNet v1 face detector: anchors, decoding, real photos, bad input."""

import re

import numpy as np
import pytest

from course_cnn.datasets import load_photo
from course_cnn.week3 import decode_ssd_boxes, detect_faces, detect_faces_ssd, iou, load_ssd_face_detector, ssd_anchors

FACES = ["grace_hopper", "biden", "obama_1", "obama_2", "obama_3"]


@pytest.fixture(scope="module")
def model():
    return load_ssd_face_detector()


def test_every_layer_named_and_outputs(model):
    names = [layer.name for layer in model.layers]
    assert len(set(names)) == len(names)
    assert {"conv_0", "conv_13_depthwise", "conv_13_depthwise_bn", "conv_13_pointwise", "prediction_7",
            "box_predictor_5_classes", "box_encodings", "class_logits"} <= set(names)  # fmt: skip
    assert [tuple(o.shape) for o in model.outputs] == [(None, 5118, 4), (None, 5118, 3)]


def test_anchors_tile_six_maps():
    anchors = ssd_anchors()
    # 32x32 cells x 3 anchors, then 16, 8, 4, 2, 1 x 6 anchors
    assert anchors.shape == (32 * 32 * 3 + (16**2 + 8**2 + 4**2 + 2**2 + 1) * 6, 4) == (5118, 4)
    centres = (anchors[:, :2] + anchors[:, 2:]) / 2  # (c_y, c_x)
    np.testing.assert_allclose(centres[0], [0.5 / 32, 0.5 / 32], atol=1e-6)  # first cell of the 32x32 map
    np.testing.assert_allclose(centres[3072], [0.5 / 16, 0.5 / 16], atol=1e-6)  # first cell of the 16x16 map
    np.testing.assert_allclose(centres[-6:], 0.5, atol=1e-6)  # the 1x1 map: the image centre
    sizes = anchors[:, 2:] - anchors[:, :2]
    assert sizes[:3072].max() < sizes[-6:].min()  # fine maps carry small anchors, coarse maps large ones
    anchors[0] = 99
    assert ssd_anchors()[0, 0] != 99  # a copy


def test_decode_is_the_box_coder():
    anchor = [0.2, 0.4, 0.6, 0.6]  # centre (0.4, 0.5), size (0.4, 0.2)
    t = [[5.0, -10.0, 5 * np.log(2.0), 0.0]]  # shift half a height down, a width left; double the height
    # b_y = 0.5 * 0.4 + 0.4 = 0.6, b_x = -1 * 0.2 + 0.5 = 0.3, b_h = 0.8, b_w = 0.2
    np.testing.assert_allclose(decode_ssd_boxes(t, [anchor]), [[0.2, 0.2, 1.0, 0.4]], atol=1e-6)


@pytest.mark.parametrize("name", FACES)
def test_agrees_with_tiny_yolo_on_the_shipped_photos(model, name):
    image = load_photo(name)
    ssd_scores, ssd_boxes = detect_faces_ssd(image, model=model)
    yolo_scores, yolo_boxes = detect_faces(image)
    assert len(ssd_scores) == len(yolo_scores) == 1 and ssd_scores[0] > 0.5
    overlap = float(iou(ssd_boxes[0], yolo_boxes[0]))
    # SSD's box is the tight face, Tiny-YOLO's 1.4-2x larger (hair, ears): IoU 0.60-0.65 on
    # grace_hopper and obama_1/2, 0.44-0.46 on obama_3 and biden; the SSD box lies inside
    assert overlap >= (0.5 if name in ("grace_hopper", "obama_1", "obama_2") else 0.4)
    y1, x1, y2, x2 = ssd_boxes[0]
    inner = (min(y2, yolo_boxes[0][2]) - max(y1, yolo_boxes[0][0])) * (min(x2, yolo_boxes[0][3]) - max(x1, yolo_boxes[0][1]))
    assert inner >= 0.8 * (y2 - y1) * (x2 - x1)


@pytest.mark.parametrize("name", ["flower", "china"])
def test_no_face_in_photos_without_people(model, name):
    scores, boxes = detect_faces_ssd(load_photo(name), model=model)
    assert scores.shape == (0,) and boxes.shape == (0, 4)


def test_boxes_in_pixels_of_the_photo_and_sorted(model):
    image = load_photo("grace_hopper")  # 600 x 512: the face is in the upper middle
    scores, boxes = detect_faces_ssd(image, score_threshold=0.05, model=model)
    assert np.all(np.diff(scores) <= 0) and scores.dtype == np.float32 and boxes.dtype == np.float32
    assert np.all((boxes >= 0) & (boxes <= [600, 512, 600, 512]))
    y1, x1, y2, x2 = boxes[0]
    assert 100 < y1 < 200 and 300 < y2 < 400 and 130 < x1 < 210 and 320 < x2 < 400


def test_max_faces_and_thresholds(model):
    image = load_photo("grace_hopper")
    scores, _ = detect_faces_ssd(image, score_threshold=0.0, max_faces=3, model=model)
    assert len(scores) == 3
    scores, _ = detect_faces_ssd(image, score_threshold=1.0, model=model)
    assert len(scores) == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"score_threshold": 1.5}, "`score_threshold` must be"),
        ({"iou_threshold": -0.1}, "`iou_threshold` must be"),
        ({"max_faces": 0}, "`max_faces` must be an int in [1, 5118]; got 0."),
        ({"max_faces": 10**6}, "`max_faces` must be an int in [1, 5118]; got 1000000."),  # one face per anchor at most
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        detect_faces_ssd(load_photo("grace_hopper"), **kwargs)


def test_not_an_image(tmp_path):
    path = tmp_path / "x.jpg"
    path.write_bytes(b"no jpeg here")
    with pytest.raises(ValueError, match=r"^`image` must be a readable image file"):
        detect_faces_ssd(path)
    with pytest.raises(ValueError, match=r"^`image` must be an image of shape"):
        detect_faces_ssd(np.zeros((4, 4, 5)))


def test_decode_bad_shapes():
    with pytest.raises(ValueError, match=re.escape("`box_encodings` must have shape (..., 1, 4), one row per anchor; got shape (2, 4).")):
        decode_ssd_boxes(np.zeros((2, 4)), [[0, 0, 1, 1]])
    with pytest.raises(ValueError, match=r"^`anchors` must"):
        decode_ssd_boxes(np.zeros((1, 4)), [[0, 0, 1]])
