"""The real pretrained Tiny-YOLOv2 face detector, decoded with our YOLO functions."""

import re

import numpy as np
import pytest

from course_cnn.datasets import list_photos, load_photo
from course_cnn.week3 import FACE_ANCHORS, detect_faces, load_face_detector, load_rgb_image


@pytest.fixture(scope="module")
def detector():
    return load_face_detector()


def test_model_architecture_every_layer_named(detector):
    assert detector.output_shape == (None, 13, 13, 25)  # 13x13 grid x 5 anchors x (tx, ty, tw, th, to)
    names = [layer.name for layer in detector.layers]
    assert len(set(names)) == len(names)
    assert {"conv0", "conv1", "conv5", "conv8", "normalize"} <= set(names)
    # the 19 tensors of the converted model: conv0 (2), conv1..conv5 (3 each), conv8 (2)
    assert len(detector.weights) == 19


def test_finds_grace_hoppers_face(detector):
    image = load_photo("grace_hopper")  # 600 x 512 portrait, the face is in the upper middle
    scores, boxes = detect_faces(image, model=detector)
    assert scores.shape == (1,) and boxes.shape == (1, 4)
    assert scores[0] > 0.8
    y1, x1, y2, x2 = boxes[0]
    # the face (eyes, nose, mouth) lies around rows 180-330 and columns 190-360 of the photo
    assert 100 < y1 < 200 and 300 < y2 < 400
    assert 110 < x1 < 210 and 330 < x2 < 420
    assert 0.7 < (y2 - y1) / (x2 - x1) < 1.3  # a face box is roughly square


@pytest.mark.parametrize("name", ["flower", "china"])
def test_no_face_in_photos_without_people(detector, name):
    scores, boxes = detect_faces(load_photo(name), model=detector)
    assert scores.shape == (0,) and boxes.shape == (0, 4)


def test_same_faces_from_path_pil_and_array(detector, tmp_path):
    from PIL import Image

    image = load_photo("grace_hopper")
    path = tmp_path / "gh.png"
    Image.fromarray(image).save(path)
    results = [detect_faces(x, model=detector) for x in (image, Image.fromarray(image), str(path), image / 255.0)]
    for scores, boxes in results[1:]:
        np.testing.assert_allclose(scores, results[0][0], atol=1e-3)
        np.testing.assert_allclose(boxes, results[0][1], atol=0.5)


def test_padding_is_at_bottom_right(detector):
    # padding the photo with black below and to the right must not move the face:
    # the letterboxed input is the same square
    image = load_photo("grace_hopper")  # 600 x 512
    padded = np.zeros((600, 600, 3), np.uint8)
    padded[:, :512] = image
    _, boxes = detect_faces(image, model=detector)
    _, boxes_padded = detect_faces(padded, model=detector)
    np.testing.assert_allclose(boxes_padded, boxes, atol=1.0)


def test_anchors_are_face_apis():
    assert FACE_ANCHORS.shape == (5, 2)
    np.testing.assert_allclose(FACE_ANCHORS[0], [1.603231, 2.094468])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"score_threshold": 1.5}, ValueError, r"`score_threshold` must be a probability in \[0, 1\]; got 1.5."),
        ({"iou_threshold": -0.1}, ValueError, r"`iou_threshold` must be a probability"),
        ({"max_faces": 0}, ValueError, r"`max_faces` must be a positive int; got 0."),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        detect_faces(np.zeros((8, 8, 3), np.uint8), **kwargs)


def test_bad_images(tmp_path):
    with pytest.raises(FileNotFoundError, match="`image` must be an existing image file"):
        detect_faces(tmp_path / "missing.jpg")
    with pytest.raises(ValueError, match=r"`image` must be an image of shape \(n_H, n_W, 3\)"):
        load_rgb_image(np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match=r"`input_size` must be a multiple of 32; got 100."):
        load_face_detector(100)


@pytest.mark.parametrize("name", [n for n in list_photos() if n.startswith(("obama", "biden"))])
def test_finds_the_face_in_shipped_portraits(detector, name):
    image = load_photo(name)
    scores, boxes = detect_faces(image, model=detector)
    assert len(scores) == 1 and scores[0] > 0.5  # one portrait, one face
    y1, x1, y2, x2 = boxes[0]
    assert (y2 - y1) * (x2 - x1) > 0.02 * image.shape[0] * image.shape[1]


def test_decoding_matches_face_apis_loop(detector):
    # face-api.js decodes cell by cell (TinyYolov2Base.extractBoxes): for row, col, anchor
    #   score = sigmoid(t_o);  ctX = ((col + sigmoid(t_x)) / 13) * correction_x, correction_x = 416 / reshaped width
    #   width = exp(t_w) * anchor_w / 13 * correction_x;  box relative to the image, x = ctX - width / 2
    # where the reshaped size is the photo scaled so that its longer side is 416. Re-implemented here in
    # plain Python loops on the same network output, then scaled to pixels and compared with detect_faces.
    from course_cnn.week3.face_detector import _letterbox

    image = load_photo("grace_hopper")  # 600 high, 512 wide
    height, width = image.shape[:2]
    batch, _ = _letterbox(image, 416)
    feats = detector(batch).numpy().reshape(13, 13, 5, 5)
    scale = 416 / max(height, width)
    correction_x, correction_y = 416 / round(width * scale), 416 / round(height * scale)
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    found = []
    for row in range(13):
        for col in range(13):
            for anchor in range(5):
                tx, ty, tw, th, to = feats[row, col, anchor]
                score = sigmoid(to)
                if score > 0.5:
                    ct_x = (col + sigmoid(tx)) / 13 * correction_x
                    ct_y = (row + sigmoid(ty)) / 13 * correction_y
                    w = np.exp(tw) * FACE_ANCHORS[anchor, 0] / 13 * correction_x
                    h = np.exp(th) * FACE_ANCHORS[anchor, 1] / 13 * correction_y
                    x, y = ct_x - w / 2, ct_y - h / 2
                    found.append((score, [y * height, x * width, (y + h) * height, (x + w) * width]))
    assert len(found) >= 1
    best_score, best_box = max(found)
    scores, boxes = detect_faces(image, model=detector)
    assert scores[0] == pytest.approx(best_score, rel=1e-5)
    np.testing.assert_allclose(boxes[0], np.clip(best_box, 0, [height, width, height, width]), atol=1.0)


def test_load_rgb_image_refuses_values_out_of_range_instead_of_clipping():
    with pytest.raises(ValueError, match=re.escape(
            "`image` must hold pixel values in [0, 255] (or floats in [0, 1]); got values in [0, 300].")):
        load_rgb_image(np.array([[[0.0, 300.0, 5.0]]]))
    assert load_rgb_image(np.full((1, 1, 3), 255.0)).max() == 255
