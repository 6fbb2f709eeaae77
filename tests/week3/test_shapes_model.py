"""The shipped shapes detector (tools/train_shapes_yolo.py) and the tour figure that shows it."""

import re

import numpy as np

from course_cnn.week3 import detect_objects, evaluate_detector, iou, make_detection_images, tiny_yolo
from course_cnn.week3._shapes_model import TEST_SEED, load_shapes_detector, save_shapes_detector
from course_cnn.week3._tour import run_shapes


def test_shipped_detector_boxes_the_shapes_with_their_class():
    model, anchors, recipe = load_shapes_detector()
    assert recipe["map50"] >= 0.9 and model.output_shape == (None, 8, 8, 3, 8)
    test = make_detection_images(100, 64, seed=TEST_SEED)  # the held-out seed
    assert evaluate_detector(model, test, anchors, 3) >= 0.9
    hits = []  # per shape: a box of its class with IoU >= 0.5 among the boxes scored >= 0.5
    for (boxes, scores, classes), truth_boxes, truth_classes in zip(
            detect_objects(model, test.images, anchors, 3), test.boxes, test.classes):
        assert len(boxes) <= len(truth_boxes) and (scores >= 0.5).all()
        hits.append([max([float(iou(truth, box)) for box, c in zip(boxes, classes) if c == cls], default=0.0) >= 0.5
                     for truth, cls in zip(truth_boxes, truth_classes)])
    assert all(all(image_hits) for image_hits in hits[:4])  # the four images the tour shows
    assert np.mean(np.concatenate(hits)) >= 0.9  # recall at the tour's score threshold


def test_save_and_load_round_trip_in_float16(tmp_path):
    anchors = np.array([[1.0, 1.0], [2.0, 2.0]], np.float32)
    model = tiny_yolo((32, 32, 3), 4, anchors, 3, filters=(4, 8), head_filters=8)
    recipe = {"image_size": 32, "grid_size": 4, "num_classes": 3, "filters": [4, 8], "head_filters": 8}
    save_shapes_detector(model, anchors, tmp_path / "m.npz", recipe)
    loaded, loaded_anchors, loaded_recipe = load_shapes_detector(tmp_path / "m.npz")
    images = np.random.default_rng(0).uniform(size=(2, 32, 32, 3)).astype(np.float32)
    np.testing.assert_allclose(loaded(images), model(images), rtol=1e-2, atol=1e-2)  # weights stored as float16
    np.testing.assert_array_equal(loaded_anchors, anchors)
    assert loaded_recipe == recipe


def test_quick_tour_figure_shows_boxes_and_a_working_detector(tmp_path):
    result = run_shapes(tmp_path, True)
    m_ap, boxes = re.search(r"mAP@0.5 ([0-9.]+) on 100 images; (\d+) boxes on the 4 shown", result.summary).groups()
    assert float(m_ap) >= 0.5 and int(boxes) >= 4  # every shown image has at least one shape
    assert result.files == [tmp_path / "shapes.png"] and result.files[0].stat().st_size > 10_000
