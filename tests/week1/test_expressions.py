"""face-api.js's expression net: "happy or not" on real photos, and its bad input."""

import re

import numpy as np
import pytest

from course_cnn.datasets import load_photo
from course_cnn.week1 import EXPRESSIONS, classify_expression, is_happy, load_expression_classifier
from course_cnn.week3 import detect_faces
from course_cnn.week4.face import NoFaceError

FACES = ["grace_hopper", "biden", "obama_1", "obama_2", "obama_3"]


def test_model_every_layer_named():
    model = load_expression_classifier()
    assert model.input_shape == (None, 112, 112, 3) and model.output_shape == (None, 7)
    names = [layer.name for layer in model.layers]
    assert len(set(names)) == len(names)
    assert {"normalize", "dense0_conv0", "dense3_conv3", "avg_pool", "fc", "softmax"} <= set(names)
    assert EXPRESSIONS == ("neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised")


@pytest.mark.parametrize("name", FACES)
def test_probabilities_sum_to_one(name):
    probs = classify_expression(load_photo(name))
    assert probs.shape == (7,) and probs.dtype == np.float32
    assert np.all(probs >= 0) and abs(float(probs.sum()) - 1) < 1e-5


@pytest.mark.parametrize("name", FACES)
def test_same_probabilities_for_the_photo_at_twice_the_size(name):
    image = load_photo(name)
    _, boxes = detect_faces(image)
    box = np.round(boxes[0])  # whole pixels, so that the doubled box covers the very same pixels
    double = image.repeat(2, axis=0).repeat(2, axis=1)  # every pixel 2 x 2
    # the crops differ only by resizing (largest change seen: 0.06); note that moving the box by a
    # single pixel moves these probabilities by up to 0.2: the net is sensitive to its crop
    np.testing.assert_allclose(classify_expression(double, box * 2), classify_expression(image, box), atol=0.08)


@pytest.mark.parametrize("name", FACES)
def test_same_top_expression_at_twice_the_size_with_the_detector(name):
    from PIL import Image

    image = load_photo(name)
    double = np.asarray(Image.fromarray(image).resize((2 * image.shape[1], 2 * image.shape[0]), Image.BILINEAR))
    assert classify_expression(double).argmax() == classify_expression(image).argmax()


def test_happy_or_not():
    assert is_happy(load_photo("obama_1"))  # a broad smile: p(happy) = 1.00
    assert not is_happy(load_photo("grace_hopper"))  # neutral 0.90, happy 0.09
    probs = classify_expression(load_photo("grace_hopper"))
    assert is_happy(load_photo("grace_hopper"), threshold=float(probs[1]))  # the threshold is inclusive


def test_a_face_crop_as_the_whole_image():
    image = load_photo("obama_1")
    y1, x1, y2, x2 = np.round(detect_faces(image)[1][0]).astype(int)
    crop = image[y1:y2, x1:x2]
    np.testing.assert_allclose(classify_expression(crop, (0, 0, *crop.shape[:2])), classify_expression(image, (y1, x1, y2, x2)), atol=1e-5)


def test_no_face_says_what_to_pass():
    with pytest.raises(NoFaceError, match=re.escape("`image` must show a face; got the 640x427 image")):
        classify_expression(load_photo("china"))
    with pytest.raises(NoFaceError, match=re.escape("or the face's `box` (y1, x1, y2, x2) in pixels.")):
        is_happy(load_photo("flower"))


def test_bad_input(tmp_path):
    (tmp_path / "a.png").write_text("text")
    with pytest.raises(ValueError, match=r"^`image` must be a readable image file"):
        classify_expression(tmp_path / "a.png")
    with pytest.raises(ValueError, match=re.escape("`box` must be one box (y1, x1, y2, x2) of shape (4,), in pixels; got shape (2, 2).")):
        classify_expression(load_photo("obama_1"), [[0, 0], [10, 10]])
    with pytest.raises(ValueError, match=re.escape("`box` must overlap the 640x480 image")):
        classify_expression(np.zeros((480, 640, 3), np.uint8), (500, 0, 600, 100))
    with pytest.raises(ValueError, match=r"^`threshold` must be"):
        is_happy(load_photo("obama_1"), threshold=2)
