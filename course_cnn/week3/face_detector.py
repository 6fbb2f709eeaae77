r"""A real pretrained YOLO: face-api.js's Tiny-YOLOv2 face detector, in Keras.

The network (from the MIT-licensed npm package ``@vladmandic/face-api``,
weights converted by ``tools/convert_face_api.py`` and shipped in
``course_cnn/assets/tiny_face_detector_model.npz``) is a small Tiny-YOLOv2
with depthwise-separable convolutions:

=========  ===============================================  ==============
layer      operation                                        output (416 in)
=========  ===============================================  ==============
conv0      3x3 conv, 16 filters, no padding, leaky ReLU     414x414x16
pool0..4   2x2 max pool, stride 2 ("same")                  207 ... 13
conv1..5   3x3 depthwise + 1x1 pointwise (32 ... 512),      13x13x512
           leaky ReLU, each followed by a pool
pool5      2x2 max pool, stride 1 ("same")                  13x13x512
conv8      1x1 conv, 5 anchors x 5 numbers                  13x13x25
=========  ===============================================  ==============

Leaky ReLU slope 0.1. Input: the image padded with black at the bottom or
right to a square, resized to 416x416, then normalised as
$x' = (x - \mu_{RGB}) / 255$ with $\mu_{RGB} = (117.001, 114.697, 97.404)$.
The output is decoded exactly like the course's YOLO (one class, no class
logit): `course_cnn.week3.yolo_head` with the five anchors below, then
`yolo_boxes_to_corners`,
`yolo_filter_boxes` and
`yolo_non_max_suppression`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from course_cnn import _checks

__all__ = ["FACE_ANCHORS", "FACE_MEAN_RGB", "FACE_INPUT_SIZE", "load_face_detector", "detect_faces", "load_rgb_image"]

#: Anchor (width, height) in grid cells of the tiny face detector (face-api.js).
FACE_ANCHORS = np.array(
    [[1.603231, 2.094468], [6.041143, 7.080126], [2.882459, 3.518061], [4.266906, 5.178857], [9.041765, 10.66308]],
    dtype=np.float32,
)
#: Per-channel mean subtracted from the 0-255 RGB input.
FACE_MEAN_RGB = (117.001, 114.697, 97.404)
#: Side of the square network input, in pixels (a multiple of 32).
FACE_INPUT_SIZE = 416
_LEAKY_SLOPE = 0.1
_WEIGHTS = "tiny_face_detector_model.npz"


def load_face_detector(input_size=FACE_INPUT_SIZE):
    """Build the Tiny-YOLOv2 face detector as a Keras model with its pretrained weights.

    Parameters
    ----------
    input_size : int, default 416
        Side of the square input (a multiple of 32; 416 gives a 13x13 grid).

    Returns
    -------
    keras.Model
        Functional model named ``"tiny_face_detector"``: input
        ``(None, input_size, input_size, 3)`` RGB in 0-255 (already padded
        and resized), output ``(None, S, S, 25)`` raw YOLO features
        (5 anchors x ``(t_x, t_y, t_w, t_h, t_o)``), ``S = input_size / 32``.

    Raises
    ------
    ValueError
        For an ``input_size`` that is not a positive multiple of 32, or a
        damaged weights file.

    Examples
    --------
    >>> model = load_face_detector()
    >>> model.output_shape
    (None, 13, 13, 25)
    """
    import keras

    from course_cnn._assets import asset_path
    from course_cnn._tfjs import load_weights_npz

    input_size = _checks.check_positive_int(input_size, "input_size")
    if input_size > _checks.MAX_IMAGE_SIDE:  # before the network is built
        raise _checks.fail("input_size", f"be at most {_checks.MAX_IMAGE_SIDE}", repr(input_size))
    if input_size % 32:
        raise _checks.fail("input_size", "be a multiple of 32", repr(input_size))
    weights = load_weights_npz(asset_path(_WEIGHTS))

    inputs = keras.Input((input_size, input_size, 3), name="image")
    mean = np.asarray(FACE_MEAN_RGB, dtype=np.float32)
    x = keras.layers.Normalization(mean=mean, variance=np.full(3, 255.0**2, np.float32), name="normalize")(inputs)
    conv0 = keras.layers.Conv2D(16, 3, padding="valid", name="conv0")
    x = keras.layers.LeakyReLU(negative_slope=_LEAKY_SLOPE, name="conv0_leaky")(conv0(x))
    x = keras.layers.MaxPooling2D(2, 2, padding="same", name="pool0")(x)
    separable = []
    for i, filters in enumerate((32, 64, 128, 256, 512), start=1):
        layer = keras.layers.SeparableConv2D(filters, 3, padding="same", name=f"conv{i}")
        separable.append(layer)
        x = keras.layers.LeakyReLU(negative_slope=_LEAKY_SLOPE, name=f"conv{i}_leaky")(layer(x))
        x = keras.layers.MaxPooling2D(2, 2 if i < 5 else 1, padding="same", name=f"pool{i}")(x)
    conv8 = keras.layers.Conv2D(len(FACE_ANCHORS) * 5, 1, name="conv8")
    outputs = conv8(x)
    model = keras.Model(inputs, outputs, name="tiny_face_detector")

    conv0.set_weights([weights["conv0/filters"], weights["conv0/bias"]])
    for i, layer in enumerate(separable, start=1):
        layer.set_weights([weights[f"conv{i}/{part}"] for part in ("depthwise_filter", "pointwise_filter", "bias")])
    conv8.set_weights([weights["conv8/filters"], weights["conv8/bias"]])
    return model


@functools.lru_cache(maxsize=2)
def _cached_detector(input_size):
    return load_face_detector(input_size)


def load_rgb_image(image, name="image"):
    """Read an image given as a path, a PIL image or an array, as RGB uint8.

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like of shape (n_H, n_W) or (n_H, n_W, 3 or 4)
        The image; float arrays are taken as 0-1 when their maximum is <= 1,
        else as 0-255; an alpha channel is dropped, gray is repeated to RGB.
    name : str, default "image"
        Parameter name for messages.

    Returns
    -------
    ndarray of shape (n_H, n_W, 3), uint8
        The RGB image.

    Raises
    ------
    FileNotFoundError
        For a path that does not exist.
    TypeError, ValueError
        For anything else that is not an image, NaN/inf, or values outside
        [0, 255] (nothing is clipped).

    Examples
    --------
    >>> load_rgb_image(np.zeros((4, 5))).shape
    (4, 5, 3)
    """
    if isinstance(image, (str, Path)):
        from PIL import Image, UnidentifiedImageError

        path = Path(image)
        if not path.is_file():
            raise FileNotFoundError(f"`{name}` must be an existing image file; got {str(image)!r} (no such file).")
        try:
            with Image.open(path) as img:
                return np.asarray(img.convert("RGB"))
        except (UnidentifiedImageError, OSError) as exc:
            raise _checks.fail(name, "be a readable image file (JPEG, PNG, ...)", f"{str(image)!r} ({exc})") from None
    if hasattr(image, "convert") and hasattr(image, "size"):  # a PIL image
        return np.asarray(image.convert("RGB"))
    arr = _checks.check_array(image, name, kinds="buif", finite=True)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=-1)  # (n_H, n_W, 3)
    if arr.ndim != 3 or arr.shape[-1] not in (3, 4) or min(arr.shape[:2]) < 1:
        raise _checks.fail(name, "be an image of shape (n_H, n_W, 3) (RGB), (n_H, n_W, 4) or (n_H, n_W)", f"shape {arr.shape}")
    arr = arr[..., :3]
    low, high = (float(arr.min()), float(arr.max())) if arr.size else (0.0, 0.0)
    if low < 0 or high > 255:  # refused, not clipped: 300 is a bug upstream, not a bright pixel
        raise _checks.fail(name, "hold pixel values in [0, 255] (or floats in [0, 1])", f"values in [{low:g}, {high:g}]")
    if arr.dtype.kind == "f" and high <= 1.0:
        arr = arr * 255.0
    return np.round(arr).astype(np.uint8)


def _letterbox(rgb, input_size):
    """Pad to a square with black at the bottom/right, resize to input_size (face-api's way)."""
    import tensorflow as tf

    height, width = rgb.shape[:2]
    side = max(height, width)
    square = np.zeros((side, side, 3), dtype=np.float32)
    square[:height, :width] = rgb
    resized = tf.image.resize(square[None], (input_size, input_size), method="bilinear", antialias=True)
    return resized, side  # (1, input_size, input_size, 3), pixels per unit of the square


def detect_faces(image, score_threshold=0.5, iou_threshold=0.4, *, max_faces=100, input_size=FACE_INPUT_SIZE, model=None):
    r"""Find faces in a photo with the pretrained Tiny-YOLOv2 face detector.

    The photo is padded to a square (black at the bottom or right), resized
    to ``input_size``, run through `load_face_detector`, and decoded
    with this week's YOLO functions:

    $$p_c = \sigma(t_o),\quad \text{keep } p_c \ge \text{score\_threshold},\quad
      \text{box} = \text{side} \cdot \text{corners}(b_{xy}, b_{wh}),\quad \text{NMS}$$

    where side is the padded square's side in pixels, so boxes come out in
    pixels of the original photo (clipped to it).

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like of shape (n_H, n_W, 3)
        The photo (RGB; see `load_rgb_image`).
    score_threshold : float, default 0.5
        Minimum face confidence $p_c$, in [0, 1].
    iou_threshold : float, default 0.4
        NMS overlap threshold, in [0, 1] (face-api.js uses 0.4).
    max_faces : int, default 100
        Largest number of faces returned.
    input_size : int, default 416
        Network input side (multiple of 32): larger finds smaller faces.
    model : keras.Model, optional
        A model from `load_face_detector` (built once and cached when
        not given).

    Returns
    -------
    scores : ndarray of shape (n_faces,), float32
        Confidence of each face, decreasing.
    boxes : ndarray of shape (n_faces, 4), float32
        Pixel corners ``(y1, x1, y2, x2)`` in the original photo.

    Raises
    ------
    FileNotFoundError
        For a missing image file.
    TypeError, ValueError
        For something that is not an image, or thresholds outside [0, 1].

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> scores, boxes = detect_faces(load_photo("grace_hopper"))
    >>> len(scores)
    1
    """
    from course_cnn.week3.yolo import (
        scale_boxes,
        yolo_boxes_to_corners,
        yolo_filter_boxes,
        yolo_head,
        yolo_non_max_suppression,
    )

    score_threshold = _checks.check_probability(score_threshold, "score_threshold")
    iou_threshold = _checks.check_probability(iou_threshold, "iou_threshold")
    max_faces = _checks.check_positive_int(max_faces, "max_faces")
    input_size = _checks.check_positive_int(input_size, "input_size")
    if input_size > _checks.MAX_IMAGE_SIDE or max_faces > _checks.MAX_UNITS:
        name, value = ("input_size", input_size) if input_size > _checks.MAX_IMAGE_SIDE else ("max_faces", max_faces)
        raise _checks.fail(name, f"be at most {_checks.MAX_IMAGE_SIDE if name == 'input_size' else _checks.MAX_UNITS}",
                           repr(value))
    if model is not None:
        _checks.check_model(model)
    rgb = load_rgb_image(image)
    model = _cached_detector(input_size) if model is None else model

    batch, side = _letterbox(rgb, input_size)
    feats = model(batch, training=False)  # (1, S, S, 25)
    box_xy, box_wh, box_confidence, box_class_probs = yolo_head(feats, FACE_ANCHORS, num_classes=1)
    boxes = yolo_boxes_to_corners(box_xy[0], box_wh[0])  # (S, S, 5, 4), relative to the padded square
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence[0], box_class_probs[0], threshold=score_threshold)
    height, width = rgb.shape[:2]
    boxes = np.clip(scale_boxes(boxes, (side, side)).numpy(), 0, [height, width, height, width]).astype(np.float32)  # pixels, clipped
    scores, boxes, _ = yolo_non_max_suppression(scores, boxes, classes, max_boxes=max_faces, iou_threshold=iou_threshold)
    return scores.numpy(), boxes.numpy()
