"""face-api.js's 68-point landmark net on real photos, and its bad input."""

import re

import numpy as np
import pytest

from course_cnn.datasets import load_photo
from course_cnn.week3 import LANDMARK_GROUPS, detect_faces, detect_landmarks, load_landmark_detector, plot_face_landmarks
from course_cnn.week4.face import NoFaceError

FACES = ["grace_hopper", "biden", "obama_1", "obama_2", "obama_3"]


@pytest.fixture(scope="module")
def found():
    """photo name -> (image, tiny-YOLO box, 68 landmarks)."""
    out = {}
    for name in FACES:
        image = load_photo(name)
        _, boxes = detect_faces(image)
        out[name] = image, boxes[0], detect_landmarks(image, boxes[0])
    return out


def test_groups_cover_the_68_points_in_order():
    index = [i for group in LANDMARK_GROUPS.values() for i in group]
    assert index == list(range(68))
    assert list(LANDMARK_GROUPS) == ["jaw", "left_brow", "right_brow", "nose", "left_eye", "right_eye", "mouth"]
    assert [len(g) for g in LANDMARK_GROUPS.values()] == [17, 5, 5, 9, 6, 6, 20]


@pytest.mark.parametrize("variant, n_layers_min", [("full", 40), ("tiny", 25)])
def test_model_every_layer_named_and_shaped(variant, n_layers_min):
    model = load_landmark_detector(variant)
    assert model.input_shape == (None, 112, 112, 3) and model.output_shape == (None, 68, 2)
    names = [layer.name for layer in model.layers]
    assert len(set(names)) == len(names) >= n_layers_min
    assert {"normalize", "dense0_conv0", "dense2_conv2", "avg_pool", "fc", "landmarks"} <= set(names)


@pytest.mark.parametrize("name", FACES)
def test_landmarks_fall_inside_the_face_box(found, name):
    _, (y1, x1, y2, x2), points = found[name]
    assert points.shape == (68, 2) and points.dtype == np.float32
    assert np.all((x1 <= points[:, 0]) & (points[:, 0] <= x2)), "x inside the box"
    assert np.all((y1 <= points[:, 1]) & (points[:, 1] <= y2)), "y inside the box"


@pytest.mark.parametrize("name", FACES)
def test_eyes_above_nose_above_mouth(found, name):
    _, _, points = found[name]
    y = {group: points[list(index), 1].mean() for group, index in LANDMARK_GROUPS.items()}  # image y grows downwards
    eyes = (y["left_eye"] + y["right_eye"]) / 2
    assert y["left_brow"] < y["left_eye"] and y["right_brow"] < y["right_eye"]
    assert eyes < points[30, 1] < y["mouth"]  # point 30: the tip of the nose
    assert y["mouth"] < points[8, 1]  # point 8: the chin


@pytest.mark.parametrize("name", FACES)
def test_eyes_symmetric_about_the_nose(found, name):
    _, _, points = found[name]
    left = points[list(LANDMARK_GROUPS["left_eye"])].mean(0)  # as seen in the photo
    right = points[list(LANDMARK_GROUPS["right_eye"])].mean(0)
    eye_distance = np.linalg.norm(right - left)
    assert left[0] < points[30, 0] < right[0]  # the nose tip between the eyes
    # the eyes' midpoint lies above the nose tip, within 0.3 eye distances sideways
    # (0.23 for obama_2, whose head is turned; under 0.06 for the four others)
    assert abs((left[0] + right[0]) / 2 - points[30, 0]) < 0.3 * eye_distance


def test_default_box_is_the_detectors(found):
    image, box, points = found["grace_hopper"]
    np.testing.assert_allclose(detect_landmarks(image), points, atol=1e-3)


def test_same_points_for_the_photo_at_twice_the_size(found):
    image, box, points = found["obama_1"]
    double = image.repeat(2, axis=0).repeat(2, axis=1)  # every pixel 2 x 2
    np.testing.assert_allclose(detect_landmarks(double, np.round(box) * 2) / 2, detect_landmarks(image, np.round(box)), atol=1.0)


def test_box_reaching_past_the_edge_reads_black():
    image = load_photo("grace_hopper")  # 600 x 512
    points = detect_landmarks(image, [-50, -50, 400, 400])  # the part outside is black, nothing is clipped
    assert points.shape == (68, 2) and np.isfinite(points).all()


def test_tiny_variant_close_to_full(found):
    image, box, points = found["obama_1"]
    tiny = detect_landmarks(image, box, model=load_landmark_detector("tiny"))
    width = box[3] - box[1]
    assert np.median(np.linalg.norm(tiny - points, axis=1)) < 0.05 * width  # within 5% of the face width


def test_figure(found, tmp_path):
    image, box, points = found["grace_hopper"]
    fig = plot_face_landmarks(image, points, path=tmp_path / "lm.png", box=box)
    assert (tmp_path / "lm.png").stat().st_size > 1000 and len(fig.axes) == 1


def test_no_face_says_what_to_pass():
    message = (
        "`image` must show a face; got the 640x427 image, in which the face detector found none with score >= 0.5. "
        "Pass a photo with a visible face, a lower `score_threshold`, or the face's `box` (y1, x1, y2, x2) in pixels."
    )
    with pytest.raises(NoFaceError, match=re.escape(message)):
        detect_landmarks(load_photo("flower"))
    assert issubclass(NoFaceError, ValueError)


def test_not_an_image_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a photo")
    with pytest.raises(ValueError, match=r"^`image` must be a readable image file \(JPEG, PNG, \.\.\.\); got '.*notes\.txt'"):
        detect_landmarks(path)
    with pytest.raises(FileNotFoundError, match="`image` must be an existing image file"):
        detect_landmarks(tmp_path / "missing.jpg")


@pytest.mark.parametrize(
    "box, message",
    [
        ([0, 0, 10], "`box` must be one box (y1, x1, y2, x2) of shape (4,), in pixels; got shape (3,)."),
        ([[0, 0, 10, 10]], "`box` must be one box (y1, x1, y2, x2) of shape (4,), in pixels; got shape (1, 4)."),
        ([50, 50, 10, 100], "`box` must have y1 < y2 and x1 < x2 (pixels (y1, x1, y2, x2)); got (50.0, 50.0, 10.0, 100.0)."),
        ([700, 0, 800, 100], "`box` must overlap the 512x600 image (pixels (y1, x1, y2, x2)); got (700.0, 0.0, 800.0, 100.0)."),
        ([-100, -100, 0, 0], "`box` must overlap the 512x600 image (pixels (y1, x1, y2, x2)); got (-100.0, -100.0, 0.0, 0.0)."),
    ],
)
def test_bad_box(box, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        detect_landmarks(load_photo("grace_hopper"), box)


def test_nan_box_and_bad_variant():
    with pytest.raises(ValueError, match=r"^`box` must"):
        detect_landmarks(load_photo("grace_hopper"), [0, np.nan, 10, 10])
    with pytest.raises(ValueError, match=r"^`variant` must be one of"):
        load_landmark_detector("huge")


def test_round_trips_through_keras_save(tmp_path):
    import keras

    model = load_landmark_detector("tiny")
    model.save(tmp_path / "landmarks.keras")
    again = keras.models.load_model(tmp_path / "landmarks.keras")
    x = np.random.default_rng(0).uniform(0, 255, (1, 112, 112, 3)).astype("float32")
    np.testing.assert_array_equal(np.asarray(again(x)), np.asarray(model(x)))
