r"""A second real detector: SSD with a MobileNet v1 backbone, from face-api.js.

Where YOLO predicts boxes on one $S \times S$ grid, SSD (Single Shot
MultiBox Detector) predicts them on *six* feature maps of decreasing size,
each cell carrying its own anchors ("default boxes") of a few scales and
aspect ratios, so that small faces are found on the fine maps and large ones
on the coarse maps. This one (MIT-licensed npm package
``@vladmandic/face-api@1.7.15``, weights converted by
``tools/convert_face_api.py`` and shipped as
``course_cnn/assets/ssd_mobilenetv1_model.npz``) reads a $512 \times 512$ image:

=================  =====================================  ==========  =======
feature map        made by                                size        anchors
=================  =====================================  ==========  =======
``conv_11``        MobileNet v1, 11th separable block      32x32x512   3
``conv_13``        MobileNet v1, last block                16x16x1024  6
``prediction_1``   1x1 conv, 3x3 conv stride 2             8x8x512     6
``prediction_3``   same                                    4x4x256     6
``prediction_5``   same                                    2x2x256     6
``prediction_7``   same                                    1x1x128     6
=================  =====================================  ==========  =======

$32^2 \cdot 3 + (16^2 + 8^2 + 4^2 + 2^2 + 1) \cdot 6 = 5118$ anchors. The
MobileNet v1 backbone is week 2's: a $3 \times 3$ convolution, then 13
depthwise-separable blocks (depthwise $3 \times 3$ + batch norm + ReLU6,
pointwise $1 \times 1$ + ReLU6; the pointwise batch norm is folded into a
bias). On each map a $1 \times 1$ convolution predicts, per anchor, 4 box
offsets $(t_y, t_x, t_h, t_w)$ and 3 class logits (background, face, unused).

Decoding (`decode_ssd_boxes`), with an anchor of centre $(c_y, c_x)$ and size
$(h_a, w_a)$ (TensorFlow Object Detection API's box coder, scales 10, 10, 5, 5):

$$b_y = \frac{t_y}{10} h_a + c_y, \quad b_x = \frac{t_x}{10} w_a + c_x, \quad
  b_h = h_a e^{t_h / 5}, \quad b_w = w_a e^{t_w / 5}, \quad
  p_{\text{face}} = \sigma(z_{\text{face}})$$

then corners, and week 3's `non_max_suppression` (IoU 0.5, as face-api).
Input: the photo padded with black at the bottom or right to a square,
resized to 512, scaled to $[-1, 1]$ as $x / 127.5 - 1$.

References
----------
Liu et al., "SSD: Single Shot MultiBox Detector", ECCV 2016. Howard et al.,
"MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", 2017.
"""

from __future__ import annotations

import functools

import numpy as np

from course_cnn import _checks

__all__ = ["SSD_INPUT_SIZE", "load_ssd_face_detector", "ssd_anchors", "decode_ssd_boxes", "detect_faces_ssd"]

#: Side of the square SSD input, in pixels (the anchors are made for it).
SSD_INPUT_SIZE = 512
_WEIGHTS = "ssd_mobilenetv1_model.npz"
_BN_EPSILON = 0.0010000000474974513  # as stored in the TF graph
# output channels of MobileNet v1's 13 separable blocks, and the blocks whose depthwise stride is 2
_MOBILENET_CHANNELS = (64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024)
_STRIDE_2_BLOCKS = (2, 4, 6, 12)
# the extra layers after the backbone: (filters, kernel, stride), alternately 1x1 and 3x3 stride 2
_EXTRA_LAYERS = ((256, 1, 1), (512, 3, 2), (128, 1, 1), (256, 3, 2), (128, 1, 1), (256, 3, 2), (64, 1, 1), (128, 3, 2))
_N_CLASSES = 3  # background, face, unused
_N_ANCHORS = 5118


def _pointwise(x, name, filters, kernel, strides):
    import keras

    # face-api's "pointwise" layers: a conv whose batch norm is folded into its bias, then ReLU6
    x = keras.layers.Conv2D(filters, kernel, strides=strides, padding="same", name=name)(x)
    return keras.layers.ReLU(max_value=6.0, name=f"{name}_relu6")(x)


def _separable_block(x, i, filters):
    import keras

    strides = 2 if i in _STRIDE_2_BLOCKS else 1
    x = keras.layers.DepthwiseConv2D(3, strides=strides, padding="same", use_bias=False, name=f"conv_{i}_depthwise")(x)
    x = keras.layers.BatchNormalization(epsilon=_BN_EPSILON, name=f"conv_{i}_depthwise_bn")(x)
    x = keras.layers.ReLU(max_value=6.0, name=f"conv_{i}_depthwise_relu6")(x)
    return _pointwise(x, f"conv_{i}_pointwise", filters, 1, 1)


def _box_predictor(x, i, n_anchors):
    import keras

    boxes = keras.layers.Conv2D(n_anchors * 4, 1, name=f"box_predictor_{i}_boxes")(x)  # (m, H, W, A * 4)
    logits = keras.layers.Conv2D(n_anchors * _N_CLASSES, 1, name=f"box_predictor_{i}_classes")(x)
    boxes = keras.layers.Reshape((-1, 4), name=f"box_predictor_{i}_boxes_flat")(boxes)  # (m, H W A, 4)
    logits = keras.layers.Reshape((-1, _N_CLASSES), name=f"box_predictor_{i}_classes_flat")(logits)  # (m, H W A, 3)
    return boxes, logits


def _build_ssd():
    import keras

    inputs = keras.Input((SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3), name="image")
    x = keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="scale")(inputs)  # 0..255 -> -1..1
    x = _pointwise(x, "conv_0", 32, 3, 2)  # (m, 256, 256, 32)
    for i, filters in enumerate(_MOBILENET_CHANNELS, start=1):
        x = _separable_block(x, i, filters)
        if i == 11:
            conv_11 = x  # (m, 32, 32, 512)
    maps = [conv_11, x]  # x: (m, 16, 16, 1024)
    for j, (filters, kernel, strides) in enumerate(_EXTRA_LAYERS):
        x = _pointwise(maps[-1] if j == 0 else x, f"prediction_{j}", filters, kernel, strides)
        if strides == 2:
            maps.append(x)  # 8x8x512, 4x4x256, 2x2x256, 1x1x128
    predictions = [_box_predictor(m, i, 3 if i == 0 else 6) for i, m in enumerate(maps)]
    boxes = keras.layers.Concatenate(axis=1, name="box_encodings")([b for b, _ in predictions])  # (m, 5118, 4)
    logits = keras.layers.Concatenate(axis=1, name="class_logits")([c for _, c in predictions])  # (m, 5118, 3)
    return keras.Model(inputs, [boxes, logits], name="ssd_mobilenet_v1")


def _assign_ssd_weights(model, weights):
    def pointwise(layer, prefix):
        model.get_layer(layer).set_weights([weights[f"{prefix}/weights"], weights[f"{prefix}/convolution_bn_offset"]])

    pointwise("conv_0", "MobilenetV1/Conv2d_0_pointwise")
    for i in range(1, 14):
        depthwise = f"MobilenetV1/Conv2d_{i}_depthwise"
        model.get_layer(f"conv_{i}_depthwise").set_weights([weights[f"{depthwise}/depthwise_weights"]])
        bn = [weights[f"{depthwise}/BatchNorm/{p}"] for p in ("gamma", "beta", "moving_mean", "moving_variance")]
        model.get_layer(f"conv_{i}_depthwise_bn").set_weights(bn)
        pointwise(f"conv_{i}_pointwise", f"MobilenetV1/Conv2d_{i}_pointwise")
    for j in range(len(_EXTRA_LAYERS)):
        pointwise(f"prediction_{j}", f"Prediction/Conv2d_{j}_pointwise")
    for i in range(6):
        for part, tf_name in (("boxes", "BoxEncodingPredictor"), ("classes", "ClassPredictor")):
            prefix = f"Prediction/BoxPredictor_{i}/{tf_name}"
            model.get_layer(f"box_predictor_{i}_{part}").set_weights([weights[f"{prefix}/weights"], weights[f"{prefix}/biases"]])


@functools.lru_cache(maxsize=1)
def _cached_ssd():
    from course_cnn._assets import asset_path
    from course_cnn._tfjs import load_weights_npz

    weights = load_weights_npz(asset_path(_WEIGHTS))
    model = _build_ssd()
    _assign_ssd_weights(model, weights)
    model.trainable = False
    return model, weights["Output/extra_dim"][0]  # anchors (5118, 4)


def load_ssd_face_detector():
    """Build face-api.js's SSD MobileNet v1 face detector as a Keras model with its weights.

    Returns
    -------
    keras.Model
        Functional model ``"ssd_mobilenet_v1"``: input ``(m, 512, 512, 3)``
        RGB in 0-255 (already padded and resized); outputs
        ``box_encodings`` of shape ``(m, 5118, 4)``, the raw
        $(t_y, t_x, t_h, t_w)$ of every anchor, and ``class_logits`` of
        shape ``(m, 5118, 3)`` (background, face, unused). Decode with
        `decode_ssd_boxes` and `ssd_anchors`. Cached and frozen.

    Raises
    ------
    ValueError
        When the shipped weights are damaged.

    Examples
    --------
    >>> model = load_ssd_face_detector()
    >>> [tuple(o.shape) for o in model.outputs]
    [(None, 5118, 4), (None, 5118, 3)]
    """
    return _cached_ssd()[0]


def ssd_anchors():
    """The SSD's 5118 anchors, relative corners ``(y1, x1, y2, x2)`` in [0, 1] of the input.

    They ship with the weights (TF.js tensor ``Output/extra_dim``), in the
    order of the model's outputs: the 32x32 map's 3 anchors per cell first
    (row by row), then the 6 per cell of the 16x16, 8x8, 4x4, 2x2 and 1x1 maps.

    Returns
    -------
    ndarray of shape (5118, 4), float32
        A copy (changing it changes nothing else).

    Examples
    --------
    >>> anchors = ssd_anchors()
    >>> anchors.shape
    (5118, 4)
    """
    return _cached_ssd()[1].copy()


def decode_ssd_boxes(box_encodings, anchors):
    r"""Turn SSD box offsets into corner boxes (TF Object Detection API's box coder).

    $$b_y = \tfrac{t_y}{10} h_a + c_y,\quad b_x = \tfrac{t_x}{10} w_a + c_x,\quad
      b_h = h_a e^{t_h/5},\quad b_w = w_a e^{t_w/5}$$

    Parameters
    ----------
    box_encodings : array_like of shape (..., n_anchors, 4)
        $(t_y, t_x, t_h, t_w)$ per anchor, as `load_ssd_face_detector` outputs them.
    anchors : array_like of shape (n_anchors, 4)
        Anchor corners ``(y1, x1, y2, x2)`` (see `ssd_anchors`).

    Returns
    -------
    ndarray of shape (..., n_anchors, 4), float32
        Box corners ``(y1, x1, y2, x2)`` in the anchors' units.

    Raises
    ------
    ValueError
        For shapes that do not match or non-finite values.

    Examples
    --------
    >>> decode_ssd_boxes([[0.0, 0.0, 0.0, 0.0]], [[0.25, 0.25, 0.75, 0.5]])  # zero offsets: the anchor itself
    array([[0.25, 0.25, 0.75, 0.5 ]], dtype=float32)
    >>> decode_ssd_boxes([[10.0, 0.0, 0.0, 0.0]], [[0.25, 0.25, 0.75, 0.5]])  # t_y = 10: one anchor height down
    array([[0.75, 0.25, 1.25, 0.5 ]], dtype=float32)
    """
    t = _checks.check_array(box_encodings, "box_encodings", kinds="iuf", finite=True, dtype=np.float32)
    anchors = _checks.check_array(anchors, "anchors", shape=(None, 4), kinds="iuf", finite=True, dtype=np.float32)
    if t.ndim < 2 or t.shape[-2:] != anchors.shape:
        raise _checks.fail("box_encodings", f"have shape (..., {len(anchors)}, 4), one row per anchor", f"shape {t.shape}")
    h_a, w_a = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]  # (n_anchors,)
    c_y, c_x = anchors[:, 0] + h_a / 2, anchors[:, 1] + w_a / 2
    b_y = t[..., 0] / 10 * h_a + c_y  # centre
    b_x = t[..., 1] / 10 * w_a + c_x
    half_h = np.exp(t[..., 2] / 5) * h_a / 2  # half size
    half_w = np.exp(t[..., 3] / 5) * w_a / 2
    return np.stack([b_y - half_h, b_x - half_w, b_y + half_h, b_x + half_w], axis=-1).astype(np.float32)


def detect_faces_ssd(image, score_threshold=0.5, iou_threshold=0.5, *, max_faces=100, model=None):
    r"""Find faces in a photo with the SSD MobileNet v1 face detector.

    The photo is padded to a square (black at the bottom or right), resized
    to 512, run through `load_ssd_face_detector`, decoded with
    `decode_ssd_boxes` ($p = \sigma(z_{\text{face}})$), and filtered with week
    3's `non_max_suppression` (boxes scoring below ``score_threshold`` dropped
    first).

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like of shape (n_H, n_W, 3)
        The photo (RGB; see `load_rgb_image`).
    score_threshold : float, default 0.5
        Minimum face probability, in [0, 1] (face-api's ``minConfidence``).
    iou_threshold : float, default 0.5
        NMS overlap threshold, in [0, 1] (face-api uses 0.5).
    max_faces : int, default 100
        Largest number of faces returned (at most 5118, one per anchor).
    model : keras.Model, optional
        The model of `load_ssd_face_detector` (or one with the same outputs).

    Returns
    -------
    scores : ndarray of shape (n_faces,), float32
        Face probability of each box, decreasing.
    boxes : ndarray of shape (n_faces, 4), float32
        Pixel corners ``(y1, x1, y2, x2)`` in the original photo (clipped to it),
        as `detect_faces` returns them.

    Raises
    ------
    FileNotFoundError
        For a missing image file.
    TypeError, ValueError
        For something that is not an image, thresholds outside [0, 1], or
        ``max_faces`` not in 1 ... 5118.

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> scores, boxes = detect_faces_ssd(load_photo("grace_hopper"))
    >>> len(scores)
    1
    """
    from course_cnn.week3.boxes import non_max_suppression
    from course_cnn.week3.face_detector import _letterbox, load_rgb_image

    score_threshold = _checks.check_probability(score_threshold, "score_threshold")
    iou_threshold = _checks.check_probability(iou_threshold, "iou_threshold")
    max_faces = _checks.check_size(max_faces, "max_faces", _N_ANCHORS)  # at most one face per anchor
    model = load_ssd_face_detector() if model is None else _checks.check_model(model)
    rgb = load_rgb_image(image)

    batch, side = _letterbox(rgb, SSD_INPUT_SIZE)  # (1, 512, 512, 3), side of the padded square
    box_encodings, class_logits = model(batch, training=False)
    boxes = decode_ssd_boxes(np.asarray(box_encodings)[0], ssd_anchors())  # (5118, 4), relative
    scores = 1 / (1 + np.exp(-np.asarray(class_logits, np.float64)[0, :, 1]))  # sigmoid(z_face), (5118,)
    height, width = rgb.shape[:2]
    boxes = np.clip(boxes * side, 0, [height, width, height, width]).astype(np.float32)  # pixels, clipped
    keep = non_max_suppression(boxes, scores, max_faces, iou_threshold, score_threshold=score_threshold)
    return scores[keep].astype(np.float32), boxes[keep]
