r"""Generated detection data and anchors chosen by k-means.

No detection dataset ships offline, so we draw one: coloured squares, discs
and triangles on noisy backgrounds, with their exact bounding boxes (a
shape's box is computed from its geometry, not estimated). Labels are
encoded for YOLO with `yolo_encode_labels` and served
as a ``tf.data`` pipeline.

Anchors are the typical box shapes of the training set, found by k-means on
the boxes' (width, height) with the distance YOLOv2 proposes,

$$d(\text{box}, \text{centroid}) = 1 - \operatorname{IoU}(\text{box}, \text{centroid}),$$

both shapes centred at the same point, so that large boxes do not dominate
as they would with a Euclidean distance.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_cnn import _checks
from course_cnn.week3.yolo_labels import anchor_iou, yolo_encode_labels

__all__ = ["SHAPE_CLASSES", "DetectionImages", "make_detection_images", "make_detection_dataset", "kmeans_anchors"]

#: Class names of the generated shapes, by class index.
SHAPE_CLASSES = ("square", "disc", "triangle")


class DetectionImages(NamedTuple):
    """Generated images with their exact ground truth.

    Attributes
    ----------
    images : ndarray of shape (n, image_size, image_size, 3), float32
        RGB in [0, 1].
    boxes : list of ndarray of shape (k_i, 4)
        Per image, relative corners ``(x1, y1, x2, y2)`` in [0, 1].
    classes : list of ndarray of shape (k_i,), int64
        Per image, class indices into `SHAPE_CLASSES`.

    Examples
    --------
    >>> data = make_detection_images(1, image_size=16, max_objects=1, min_size=0.5, max_size=0.5)
    >>> len(data.boxes[0]), float(data.boxes[0][0, 2] - data.boxes[0][0, 0])  # one box, half the side
    (1, 0.5)
    """

    images: np.ndarray
    boxes: list
    classes: list


def _shape_mask(kind, height, width=None):
    """A boolean mask (height, width) of one shape touching all four sides of its box.

    A pixel belongs to the shape when the point of the pixel nearest to the
    shape's centre line is inside it, so the shape reaches every side.
    """
    width = height if width is None else width
    yy, xx = np.mgrid[0:height, 0:width] + 0.5  # pixel centres
    if kind == 0:  # square (a rectangle when stretched)
        return np.ones((height, width), bool)
    if kind == 1:  # disc (an ellipse when stretched) inscribed in the box
        dx = np.maximum(np.abs(xx - width / 2.0) - 0.5, 0.0) / (width / 2.0)
        dy = np.maximum(np.abs(yy - height / 2.0) - 0.5, 0.0) / (height / 2.0)
        return dx**2 + dy**2 <= 1.0
    # triangle: apex at the top middle, base along the bottom
    return np.abs(xx - width / 2.0) <= (yy / height) * (width / 2.0) + 0.5


def make_detection_images(n, image_size=64, num_classes=3, max_objects=3, min_size=0.2, max_size=0.45, seed=0):
    """Draw ``n`` images of coloured shapes with their exact boxes.

    Every image holds 1 to ``max_objects`` shapes of random class, size,
    position and colour on a random smooth background with noise; shapes do
    not overlap (each is placed where its box is free).

    Parameters
    ----------
    n : int
        Number of images.
    image_size : int, default 64
        Side in pixels.
    num_classes : int, default 3
        Use the first ``num_classes`` of `SHAPE_CLASSES` (1 to 3).
    max_objects : int, default 3
        Most shapes per image.
    min_size, max_size : float, default 0.2 and 0.45
        Shape side as a fraction of the image side.
    seed : int, default 0
        Random seed.

    Returns
    -------
    DetectionImages
        ``images``, ``boxes`` (relative ``(x1, y1, x2, y2)``), ``classes``.

    Raises
    ------
    ValueError
        For non-positive counts, ``num_classes`` outside 1-3 or sizes that
        are not ``0 < min_size <= max_size <= 1``.

    Examples
    --------
    >>> data = make_detection_images(2, image_size=32, seed=0)
    >>> data.images.shape, data.boxes[0].shape[1]
    ((2, 32, 32, 3), 4)
    """
    n = _checks.check_size(n, "n", _checks.MAX_EXAMPLES)
    image_size = _checks.check_int(image_size, "image_size", 8, _checks.MAX_IMAGE_SIDE)
    num_classes = _checks.check_int(num_classes, "num_classes", 1, len(SHAPE_CLASSES))
    # each object is drawn in a Python loop: 10,000 shapes in one image is already far past legible
    max_objects = _checks.check_int(max_objects, "max_objects", 1, 10_000)
    min_size = _checks.check_number(min_size, "min_size", 0.0, 1.0, low_inclusive=False)
    max_size = _checks.check_number(max_size, "max_size", min_size, 1.0)
    rng = np.random.default_rng(_checks.check_seed(seed))
    images = np.empty((n, image_size, image_size, 3), np.float32)
    all_boxes, all_classes = [], []
    for j in range(n):
        images[j], boxes, classes = _draw_one(rng, image_size, num_classes, max_objects, min_size, max_size)
        all_boxes.append(boxes)
        all_classes.append(classes)
    return DetectionImages(images, all_boxes, all_classes)


def _draw_one(rng, image_size, num_classes, max_objects, min_size, max_size):
    base = rng.uniform(0.0, 0.5, size=3)
    gradient = np.linspace(0, rng.uniform(-0.2, 0.2), image_size)[:, None, None]
    image = np.clip(base + gradient + rng.normal(0, 0.04, (image_size, image_size, 3)), 0, 1)
    occupied = np.zeros((image_size, image_size), bool)
    boxes, classes = [], []
    for _ in range(rng.integers(1, max_objects + 1)):
        size = int(rng.integers(round(min_size * image_size), round(max_size * image_size) + 1))
        for _attempt in range(20):
            x0, y0 = rng.integers(0, image_size - size + 1, size=2)
            if not occupied[y0:y0 + size, x0:x0 + size].any():
                break
        else:
            continue  # no free place: fewer objects in this image
        kind = int(rng.integers(num_classes))
        mask = _shape_mask(kind, size)
        colour = rng.uniform(0.55, 1.0, size=3)
        region = image[y0:y0 + size, x0:x0 + size]
        region[mask] = colour
        occupied[max(y0 - 1, 0):y0 + size + 1, max(x0 - 1, 0):x0 + size + 1] = True
        boxes.append([x0, y0, x0 + size, y0 + size])
        classes.append(kind)
    boxes = np.asarray(boxes, np.float64).reshape(-1, 4) / image_size
    return image.astype(np.float32), boxes, np.asarray(classes, np.int64)


def make_detection_dataset(n, image_size=64, grid_size=8, anchors=None, num_classes=3, max_objects=3, batch_size=32, seed=0):
    """Generated detection images as a ``tf.data`` pipeline with YOLO targets.

    Parameters
    ----------
    n : int
        Number of images.
    image_size : int, default 64
        Side in pixels.
    grid_size : int, default 8
        YOLO grid ``S``.
    anchors : array_like of shape (B, 2), optional
        Anchor sizes in cells; by default `kmeans_anchors` with 3
        anchors on these images' boxes.
    num_classes : int, default 3
        Number of shape classes (1 to 3).
    max_objects : int, default 3
        Most shapes per image.
    batch_size : int, default 32
        Batch size of the pipeline.
    seed : int, default 0
        Random seed (images and shuffling).

    Returns
    -------
    dataset : tf.data.Dataset
        Batches of ``(images (b, image_size, image_size, 3), targets (b, S, S, B, 5 + C))``.
    data : DetectionImages
        The raw images and exact boxes (for evaluation).
    anchors : ndarray of shape (B, 2)
        The anchors used, in cells.

    Raises
    ------
    ValueError
        For bad sizes or counts.

    Examples
    --------
    >>> dataset, data, anchors = make_detection_dataset(8, image_size=32, grid_size=4, batch_size=4)
    >>> [tuple(t.shape) for t in next(iter(dataset))]
    [(4, 32, 32, 3), (4, 4, 4, 3, 8)]
    """
    import tensorflow as tf

    grid_size = _checks.check_size(grid_size, "grid_size", _checks.MAX_IMAGE_SIDE)
    batch_size = _checks.check_positive_int(batch_size, "batch_size")
    if anchors is not None:  # checked before any image is drawn
        anchors = _checks.check_array(anchors, "anchors", ndim=2, kinds="iuf", finite=True, dtype=np.float32)
        _checks.check_shape(anchors, "anchors", (None, 2))
    data = make_detection_images(n, image_size, num_classes, max_objects, seed=seed)
    if anchors is None:
        anchors = kmeans_anchors(np.concatenate(data.boxes), 3, seed=seed) * grid_size
    anchors = np.asarray(anchors, np.float32)
    targets = np.stack([yolo_encode_labels(b, c, grid_size, anchors, num_classes) for b, c in zip(data.boxes, data.classes)])
    dataset = tf.data.Dataset.from_tensor_slices((data.images, targets))
    dataset = dataset.shuffle(n, seed=seed).batch(batch_size).prefetch(tf.data.AUTOTUNE)
    return dataset, data, anchors


def kmeans_anchors(boxes, k, n_iter=100, seed=0):
    r"""Choose ``k`` anchor shapes by k-means on box sizes with distance $1 - \operatorname{IoU}$.

    $$d(\text{box}, \text{anchor}) = 1 - \frac{\min(w, p_w)\min(h, p_h)}{w h + p_w p_h - \min(w, p_w)\min(h, p_h)}$$

    Each step assigns every box to the anchor with the highest shape IoU and
    moves each anchor to the median (width, height) of its boxes (the median
    is robust to outliers, as in YOLOv2's implementation).

    Parameters
    ----------
    boxes : array_like of shape (n, 4)
        Corner boxes ``(x1, y1, x2, y2)``; only their widths and heights count.
    k : int
        Number of anchors (at most the number of distinct box shapes).
    n_iter : int, default 100
        Maximum iterations.
    seed : int, default 0
        Seed of the initial choice of anchors among the boxes.

    Returns
    -------
    ndarray of shape (k, 2)
        Anchor ``(width, height)`` in the boxes' unit, sorted by area.

    Raises
    ------
    ValueError
        For ``k`` larger than the number of distinct box shapes or malformed boxes.

    Examples
    --------
    >>> boxes = [[0, 0, 1, 1], [0, 0, 1.1, 1.1], [0, 0, 4, 2], [0, 0, 4.2, 2]]
    >>> kmeans_anchors(boxes, 2).round(2)
    array([[1.05, 1.05],
           [4.1 , 2.  ]])
    """
    from course_cnn.week3.boxes import _check_corner_boxes

    boxes = _check_corner_boxes(boxes, "boxes")
    _checks.check_shape(boxes, "boxes", (None, 4))
    k = _checks.check_positive_int(k, "k")
    n_iter = _checks.check_size(n_iter, "n_iter", _checks.MAX_REPEATS)
    wh = boxes[:, 2:] - boxes[:, :2]  # (n, 2)
    distinct = np.unique(wh, axis=0)
    if k > len(distinct) or np.any(wh <= 0):
        raise _checks.fail("k", f"be at most the number of distinct non-empty box shapes ({len(distinct)})", repr(k))
    rng = np.random.default_rng(_checks.check_seed(seed))
    anchors = distinct[rng.choice(len(distinct), size=k, replace=False)]
    assignment = None
    for _ in range(n_iter):
        new_assignment = anchor_iou(wh, anchors).argmax(axis=1)  # nearest = highest IoU = lowest 1 - IoU
        if assignment is not None and np.array_equal(new_assignment, assignment):
            break
        assignment = new_assignment
        anchors = np.stack([np.median(wh[assignment == j], axis=0) if np.any(assignment == j) else anchors[j] for j in range(k)])
    return anchors[np.argsort(anchors.prod(axis=1))]
