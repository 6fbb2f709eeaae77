"""Generated detection data, k-means anchors, tiny_yolo, and the course's YOLO io helpers."""

import keras
import numpy as np
import pytest

from course_cnn.week3 import (
    anchor_iou,
    detect_objects,
    draw_boxes,
    evaluate_detector,
    iou_matrix,
    kmeans_anchors,
    load_yolo_model,
    make_detection_dataset,
    make_detection_images,
    preprocess_image,
    read_anchors,
    read_classes,
    tiny_yolo,
    yolo_head,
)
from course_cnn.week3.detection_data import _shape_mask


@pytest.mark.parametrize("kind", [0, 1, 2])
@pytest.mark.parametrize("height, width", [(9, 9), (12, 20), (20, 8)])
def test_every_shape_touches_all_four_sides_of_its_box(kind, height, width):
    mask = _shape_mask(kind, height, width)
    assert mask.shape == (height, width)
    assert mask[0].any() and mask[-1].any() and mask[:, 0].any() and mask[:, -1].any()


def test_generated_boxes_are_exact_and_disjoint():
    data = make_detection_images(30, image_size=48, seed=0)
    for image, boxes, classes in zip(data.images, data.boxes, data.classes):
        assert 1 <= len(boxes) <= 3 and len(classes) == len(boxes)
        assert np.all((boxes >= 0) & (boxes <= 1))
        overlaps = iou_matrix(boxes, boxes)
        np.testing.assert_allclose(overlaps[~np.eye(len(boxes), dtype=bool)], 0.0)
        for x1, y1, x2, y2 in np.round(boxes * 48).astype(int):
            # the shape is brighter than the background (colour >= 0.55 in every channel) on each side of its box
            region = image[y1:y2, x1:x2].min(axis=-1) >= 0.55
            assert region[0].any() and region[-1].any() and region[:, 0].any() and region[:, -1].any()


def test_dataset_targets_decode_back_to_the_boxes():
    dataset, data, anchors = make_detection_dataset(16, image_size=32, grid_size=4, batch_size=16, seed=0)
    assert anchors.shape == (3, 2)
    images, targets = next(iter(dataset.unbatch().batch(16)))
    assert images.shape == (16, 32, 32, 3) and targets.shape == (16, 4, 4, 3, 8)
    n_objects = sum(len(b) for b in data.boxes)
    n_slots = int(np.sum(targets[..., 0]))
    assert n_slots <= n_objects and n_slots >= n_objects - 2  # at most a rare slot collision
    # each filled slot decodes to one of the generated boxes of that image (shuffled, so search all)
    all_boxes = np.concatenate(data.boxes)
    row, col = np.nonzero(targets.numpy()[..., 0])[1:3]
    for t, r, c in zip(targets.numpy()[targets.numpy()[..., 0] == 1], row, col):
        cx, cy = (c + t[1]) / 4, (r + t[2]) / 4
        h, w = t[3] / 4, t[4] / 4
        box = np.array([[cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]])
        assert iou_matrix(box, all_boxes).max() > 0.999


def test_kmeans_recovers_two_box_families():
    rng = np.random.default_rng(0)
    small = rng.normal([2, 4], 0.1, (40, 2))  # tall
    large = rng.normal([8, 3], 0.1, (40, 2))  # wide
    wh = np.concatenate([small, large])
    boxes = np.concatenate([np.zeros_like(wh), wh], axis=1)
    anchors = kmeans_anchors(boxes, 2, seed=0)
    np.testing.assert_allclose(anchors, [[2, 4], [8, 3]], atol=0.1)
    # every box is nearer (1 - IoU) to the anchor of its family
    assignment = anchor_iou(wh, anchors).argmax(1)
    np.testing.assert_array_equal(assignment, [0] * 40 + [1] * 40)


def test_kmeans_errors():
    with pytest.raises(ValueError, match=r"`k` must be at most the number of distinct non-empty box shapes \(1\); got 2."):
        kmeans_anchors([[0, 0, 1, 1], [1, 1, 2, 2]], 2)


def test_tiny_yolo_decodes_and_round_trips(tmp_path):
    anchors = [[1.0, 1.0], [2.0, 2.0]]
    model = tiny_yolo((32, 32, 3), 4, anchors, 3)
    assert model.output_shape == (None, 4, 4, 2, 8)
    assert len({layer.name for layer in model.layers}) == len(model.layers)
    images = np.random.default_rng(0).uniform(size=(2, 32, 32, 3)).astype(np.float32)
    model.save(tmp_path / "yolo.keras")
    loaded = load_yolo_model(tmp_path / "yolo.keras")
    np.testing.assert_allclose(loaded(images), model(images), rtol=1e-5, atol=1e-6)
    for a, b in zip(yolo_head(loaded(images), anchors, 3), yolo_head(model(images), anchors, 3)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    results = detect_objects(loaded, images, anchors, 3, score_threshold=0.0, max_boxes=5)
    assert len(results) == 2 and all(r[0].shape == (5, 4) for r in results)


def test_load_yolo_model_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="`path` must be the path of a saved YOLO model"):
        load_yolo_model(tmp_path / "missing.keras")
    flat = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="d")], name="flat")
    flat.save(tmp_path / "flat.keras")
    with pytest.raises(ValueError, match=r"`path` must name a YOLO model whose output is"):
        load_yolo_model(tmp_path / "flat.keras")


def test_course_files_and_preprocess(tmp_path):
    from PIL import Image

    (tmp_path / "coco_classes.txt").write_text("person\nbicycle\n\ncar\n")
    (tmp_path / "yolo_anchors.txt").write_text("0.57273, 0.677385, 1.87446, 2.06253, 3.33843, 5.47434\n")
    assert read_classes(tmp_path / "coco_classes.txt") == ["person", "bicycle", "car"]
    np.testing.assert_allclose(read_anchors(tmp_path / "yolo_anchors.txt"), [[0.57273, 0.677385], [1.87446, 2.06253], [3.33843, 5.47434]])
    Image.fromarray(np.full((30, 40, 3), 255, np.uint8)).save(tmp_path / "white.png")
    image, image_data = preprocess_image(tmp_path / "white.png", (608, 608))
    assert image.size == (40, 30) and image_data.shape == (1, 608, 608, 3)
    np.testing.assert_allclose(image_data, 1.0, atol=1e-6)  # 255 / 255
    (tmp_path / "bad.txt").write_text("1, 2, 3\n")
    with pytest.raises(ValueError, match=r"`anchors_path` must name a file with an even number of positive values"):
        read_anchors(tmp_path / "bad.txt")
    with pytest.raises(FileNotFoundError, match="`img_path` must be the path of an image file"):
        preprocess_image(tmp_path / "none.png", (608, 608))


def test_draw_boxes_labels_and_errors():
    fig = draw_boxes(np.zeros((50, 60, 3)), [[5, 10, 25, 40]], [1], ["person", "car"], [0.875])
    ax = fig.axes[0]
    assert ax.texts[0].get_text() == "car 0.88"
    rect = ax.patches[0]  # (y1, x1, y2, x2) = (5, 10, 25, 40): x from 10, width 30, y from 5, height 20
    assert rect.get_xy() == (10, 5) and rect.get_width() == 30 and rect.get_height() == 20
    with pytest.raises(ValueError, match=r"`classes` must index `class_names` \(0 to 1\); got values \[2\]."):
        draw_boxes(np.zeros((50, 60, 3)), [[5, 10, 25, 40]], [2], ["person", "car"])


@pytest.mark.slow
def test_reduced_detector_training_reaches_map():
    keras.utils.set_random_seed(0)
    dataset, _, anchors = make_detection_dataset(1500, 64, 8, batch_size=32, seed=0)
    test = make_detection_images(200, 64, seed=1)
    model = tiny_yolo((64, 64, 3), 8, anchors, 3)
    from course_cnn.week3 import YoloLoss

    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss=YoloLoss(anchors))
    model.fit(dataset, epochs=10, verbose=0, shuffle=False)
    assert evaluate_detector(model, test, anchors, 3) >= 0.9


def test_huge_sizes_are_refused_before_any_work():
    with pytest.raises(ValueError, match=r"`max_objects` must be an int in \[1, 10000\]; got 1000000\."):
        make_detection_images(2, max_objects=10**6)  # used to draw shapes for minutes
    with pytest.raises(ValueError, match=r"`n` must be an int in \[1, 10000000\]; got 1000000000000\."):
        make_detection_images(10**12)
    with pytest.raises(ValueError, match=r"`seed` must be an int in \[0, 4294967295\] or None; got -1\."):
        make_detection_images(2, seed=-1)
