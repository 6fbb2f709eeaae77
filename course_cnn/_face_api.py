r"""face-api.js's face feature extractor, shared by the landmark and expression nets.

Both nets read a $112 \times 112$ RGB face crop through the same stack of
*dense blocks* built from depthwise-separable convolutions, then one fully
connected layer (136 landmark coordinates, or 7 expression logits). A dense
block (DenseNet-style: every convolution sees the sum of all earlier outputs
of the block) with $k$ convolutions computes

$$o_1 = \mathrm{ReLU}(\mathrm{conv}_0(x)), \quad
  o_{j+1} = \mathrm{sepconv}_j\Big(\mathrm{ReLU}\big(\textstyle\sum_{i \le j} o_i\big)\Big),
  \quad \text{out} = \mathrm{ReLU}\big(\textstyle\sum_{i \le k} o_i\big)$$

where $\mathrm{conv}_0$ has stride 2 (a plain $3\times3$ convolution in the
first block, a separable one after) and every $\mathrm{sepconv}$ is a
$3\times3$ depthwise + $1\times1$ pointwise convolution with a bias, stride 1,
``same`` padding. The full extractor has 4 blocks of 4 convolutions
($112 \to 56 \to 28 \to 14 \to 7$, 32 to 256 channels) and a $7\times7$
average pool; the tiny one 3 blocks of 3 ($112 \to 14$, 32 to 128 channels)
and a $14\times14$ average pool. Input: RGB in 0-255, normalised as
$(x - \mu_{RGB}) / 255$ with $\mu_{RGB} = (122.782, 117.001, 104.298)$.

The weights are the TF.js tensors of ``@vladmandic/face-api@1.7.15`` (MIT),
converted by ``tools/convert_face_api.py``; every Keras layer is named after
its TF.js tensor (``dense1_conv2`` holds ``dense1/conv2/*``).
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks

#: Side of the square face crop the landmark and expression nets read.
FEATURE_INPUT_SIZE = 112
#: Mean colour subtracted from the 0-255 RGB input.
FEATURE_MEAN_RGB = (122.782, 117.001, 104.298)
# (blocks, convolutions per block, channels of each block)
_EXTRACTORS = {"full": (4, 4, (32, 64, 128, 256)), "tiny": (3, 3, (32, 64, 128))}


def _dense_block(x, name, filters, n_convs, first):
    import keras

    if first:
        conv0 = keras.layers.Conv2D(filters, 3, strides=2, padding="same", name=f"{name}_conv0")
    else:
        conv0 = keras.layers.SeparableConv2D(filters, 3, strides=2, padding="same", name=f"{name}_conv0")
    outputs = [keras.layers.ReLU(name=f"{name}_relu0")(conv0(x))]  # o_1, stride 2
    for j in range(1, n_convs):
        total = outputs[0] if j == 1 else keras.layers.Add(name=f"{name}_sum{j}")(outputs)  # sum of o_1 .. o_j
        total = total if j == 1 else keras.layers.ReLU(name=f"{name}_relu{j}")(total)
        sepconv = keras.layers.SeparableConv2D(filters, 3, padding="same", name=f"{name}_conv{j}")
        outputs.append(sepconv(total))  # o_{j+1}
    return keras.layers.ReLU(name=f"{name}_out")(keras.layers.Add(name=f"{name}_sum{n_convs}")(outputs))


def build_face_features(variant="full"):
    """The feature extractor as a functional model (random weights).

    Returns a model from ``(m, 112, 112, 3)`` RGB in 0-255 to ``(m, n_C)``
    features (256 full, 128 tiny).
    """
    import keras

    n_blocks, n_convs, channels = _EXTRACTORS[variant]
    inputs = keras.Input((FEATURE_INPUT_SIZE, FEATURE_INPUT_SIZE, 3), name="face")
    mean = np.asarray(FEATURE_MEAN_RGB, np.float32)
    x = keras.layers.Normalization(mean=mean, variance=np.full(3, 255.0**2, np.float32), name="normalize")(inputs)
    for i in range(n_blocks):
        x = _dense_block(x, f"dense{i}", channels[i], n_convs, first=i == 0)  # (m, 112 / 2^(i+1), ..., channels[i])
    pool = FEATURE_INPUT_SIZE // 2**n_blocks  # 7 (full) or 14 (tiny): one window over the whole map
    x = keras.layers.AveragePooling2D(pool, strides=2, padding="valid", name="avg_pool")(x)  # (m, 1, 1, n_C)
    return keras.layers.Flatten(name="features")(x), inputs


def assign_face_features(model, weights, variant="full"):
    """Load the TF.js tensors ``dense<i>/conv<j>/*`` into the layers ``dense<i>_conv<j>``."""
    n_blocks, n_convs, _ = _EXTRACTORS[variant]
    for i in range(n_blocks):
        for j in range(n_convs):
            prefix = f"dense{i}/conv{j}"
            if i == 0 and j == 0:
                parts = [weights[f"{prefix}/filters"], weights[f"{prefix}/bias"]]
            else:
                parts = [weights[f"{prefix}/{p}"] for p in ("depthwise_filter", "pointwise_filter", "bias")]
            model.get_layer(f"dense{i}_conv{j}").set_weights(parts)
    model.get_layer("fc").set_weights([weights["fc/weights"], weights["fc/bias"]])


def check_face_box(box, image_shape, name="box"):
    """A face box ``(y1, x1, y2, x2)`` in pixels that overlaps the image, as 4 floats."""
    arr = _checks.check_array(box, name, kinds="iuf", finite=True, dtype=np.float64)
    if arr.shape != (4,):
        raise _checks.fail(name, "be one box (y1, x1, y2, x2) of shape (4,), in pixels", f"shape {arr.shape}")
    y1, x1, y2, x2 = arr
    if y2 <= y1 or x2 <= x1:
        raise _checks.fail(name, "have y1 < y2 and x1 < x2 (pixels (y1, x1, y2, x2))", f"{tuple(float(v) for v in arr)}")
    height, width = image_shape[:2]
    if y2 <= 0 or x2 <= 0 or y1 >= height or x1 >= width:
        raise _checks.fail(
            name, f"overlap the {width}x{height} image (pixels (y1, x1, y2, x2))", f"{tuple(float(v) for v in arr)}"
        )
    return arr


def face_crop(rgb, box, size=FEATURE_INPUT_SIZE):
    """Cut ``box`` out of the photo as face-api does, padded to a centred square, resized.

    The box is rounded to whole pixels (what lies outside the photo reads as
    black); the crop is padded with black on both sides of its shorter side
    to a square of side ``side = max(h, w)`` (face-api's ``padToSquare``), then
    resized (bilinear) to ``size``. Returns the ``(size, size, 3)`` float32
    crop in 0-255 and ``(top, left, side)``: the photo pixel where the square's
    corner lies, and its side, so that a point ``(u, v)`` in [0, 1] of the
    square is pixel ``(left + u side, top + v side)``.
    """
    import tensorflow as tf

    height, width = rgb.shape[:2]
    y1, x1, y2, x2 = (int(np.floor(v + 0.5)) for v in box)  # JS Math.round
    y2, x2 = max(y2, y1 + 1), max(x2, x1 + 1)
    h, w = y2 - y1, x2 - x1
    side = max(h, w)
    after_y, after_x = int(np.floor((side - h) / 2 + 0.5)), int(np.floor((side - w) / 2 + 0.5))
    top, left = y1 - (side - h - after_y), x1 - (side - w - after_x)  # the square's corner in the photo
    square = np.zeros((side, side, 3), np.float32)
    # the part of the box inside the photo, placed where it lies in the square
    iy1, ix1, iy2, ix2 = max(y1, 0), max(x1, 0), min(y2, height), min(x2, width)
    square[iy1 - top:iy2 - top, ix1 - left:ix2 - left] = rgb[iy1:iy2, ix1:ix2]
    crop = tf.image.resize(square[None], (size, size), method="bilinear", antialias=True)[0].numpy()
    return crop, (top, left, side)
