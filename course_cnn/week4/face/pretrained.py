r"""A real pretrained face encoder: dlib's 128-D ResNet, from face-api.js.

dlib's face recognition network is a 29-layer ResNet (a ResNet-34 with
fewer filters) trained with a metric loss on about 3 million faces; it maps
a $150 \times 150$ RGB face crop to a 128-D descriptor in which faces of one
person lie close together. face-api.js ships it for TensorFlow.js; its
weights (uint8-quantised) are converted once by ``tools/convert_face_api.py``
and shipped as ``course_cnn/assets/face_recognition_model.npz``.

The forward pass, rebuilt here as a Keras functional model:

1. subtract the mean colour $(122.782, 117.001, 104.298)$ and divide by 255;
2. ``conv32_down``: $7 \times 7$ convolution, stride 2, ``valid``, then a
   per-channel *scale* layer $y = \gamma \odot x + \beta$ (what is left of a
   batch normalisation after training) and ReLU; $3 \times 3$ max pooling,
   stride 2;
3. residual blocks ($3\times3$ conv-scale-ReLU, $3\times3$ conv-scale, add the
   input, ReLU) at 32, 64, 128 and 256 channels; each stage opens with a
   *down* block whose shortcut is a $2\times2$ average pool, zero-padded in
   channels, and whose main path is padded with a zero row and column when
   the two disagree in size;
4. global average pooling and a bias-free $256 \to 128$ fully connected layer.

Spatial sizes: $150 \to 72 \to 35 \to 35 \to 17 \to 8 \to 4 \to 2 \to 1$.

References
----------
He, Zhang, Ren and Sun, "Deep Residual Learning for Image Recognition",
CVPR 2016. King, "High Quality Face Recognition with Deep Metric Learning",
dlib blog, 2017. face-api.js by Vincent Mühler and @vladmandic/face-api
(MIT).
"""

from __future__ import annotations

import functools

import keras
import numpy as np

from course_cnn import _checks

__all__ = ["FACE_INPUT_SIZE", "FACE_MEAN_RGB", "ChannelScale", "ChannelZeroPad", "load_face_encoder"]

#: Side of the square face crop the encoder takes.
FACE_INPUT_SIZE = 150
#: Mean colour subtracted from each pixel (0-255 scale), from face-api.js.
FACE_MEAN_RGB = (122.782, 117.001, 104.298)

# (block name, channels, is a down block), in order after conv32_down
_BLOCKS = [
    ("conv32_1", 32, False), ("conv32_2", 32, False), ("conv32_3", 32, False),
    ("conv64_down", 64, True), ("conv64_1", 64, False), ("conv64_2", 64, False), ("conv64_3", 64, False),
    ("conv128_down", 128, True), ("conv128_1", 128, False), ("conv128_2", 128, False),
    ("conv256_down", 256, True), ("conv256_1", 256, False), ("conv256_2", 256, False),
    ("conv256_down_out", 256, True),
]  # fmt: skip


@keras.saving.register_keras_serializable(package="course_cnn")
class ChannelScale(keras.layers.Layer):
    r"""Per-channel affine map $y = \gamma \odot x + \beta$ (a frozen batch norm).

    Parameters
    ----------
    **kwargs : dict
        Standard layer arguments (``name``, ...).

    Examples
    --------
    >>> layer = ChannelScale(name="scale")
    >>> y = layer(np.ones((1, 2, 2, 3), "float32"))  # gamma=1, beta=0 at start
    >>> float(y[0, 0, 0, 0])
    1.0
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, input_shape):
        channels = input_shape[-1]
        self.gamma = self.add_weight(shape=(channels,), initializer="ones", name="gamma")
        self.beta = self.add_weight(shape=(channels,), initializer="zeros", name="beta")

    def call(self, x):
        return x * self.gamma + self.beta


@keras.saving.register_keras_serializable(package="course_cnn")
class ChannelZeroPad(keras.layers.Layer):
    r"""Append zero channels: $(m, n_H, n_W, n_C) \to (m, n_H, n_W, n_C + \text{extra})$.

    The shortcut of a down block that doubles the channels (the identity,
    padded with zeros, so it adds no weights).

    Parameters
    ----------
    extra : int
        Number of zero channels to append.
    **kwargs : dict
        Standard layer arguments (``name``, ...).

    Raises
    ------
    ValueError, TypeError
        When ``extra`` is not a non-negative int.

    Examples
    --------
    >>> ChannelZeroPad(2)(np.ones((1, 1, 1, 3), "float32")).shape
    TensorShape([1, 1, 1, 5])
    """

    def __init__(self, extra, **kwargs):
        super().__init__(**kwargs)
        self.extra = _checks.check_int(extra, "extra", 0, _checks.MAX_UNITS)

    def call(self, x):
        return keras.ops.pad(x, [[0, 0], [0, 0], [0, 0], [0, self.extra]])

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + self.extra)

    def get_config(self):
        return {**super().get_config(), "extra": self.extra}


def _conv_scale(x, name, filters, kernel, strides, padding, relu):
    # conv -> scale -> (ReLU); the conv carries its own bias as in the TF.js graph
    x = keras.layers.Conv2D(filters, kernel, strides=strides, padding=padding, name=f"{name}_conv")(x)
    x = ChannelScale(name=f"{name}_scale")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x) if relu else x


def _residual_block(x, name, filters, down):
    shortcut = x
    out = _conv_scale(x, f"{name}_conv1", filters, 3, 2 if down else 1, "valid" if down else "same", True)
    out = _conv_scale(out, f"{name}_conv2", filters, 3, 1, "same", False)
    if down:
        shortcut = keras.layers.AveragePooling2D(2, strides=2, padding="valid", name=f"{name}_pool")(x)
        if out.shape[1] != shortcut.shape[1]:
            # (3, 3) vs (4, 4): a zero row at the bottom and a zero column at the right
            pad_h, pad_w = shortcut.shape[1] - out.shape[1], shortcut.shape[2] - out.shape[2]
            out = keras.layers.ZeroPadding2D(((0, pad_h), (0, pad_w)), name=f"{name}_pad")(out)
        if shortcut.shape[-1] != filters:
            shortcut = ChannelZeroPad(filters - shortcut.shape[-1], name=f"{name}_shortcut_pad")(shortcut)
    out = keras.layers.Add(name=f"{name}_add")([out, shortcut])
    return keras.layers.ReLU(name=f"{name}_out")(out)


def _build_face_encoder():
    # images in [0, 1]: (255 x - mean) / 255 = x - mean / 255
    inputs = keras.Input((FACE_INPUT_SIZE, FACE_INPUT_SIZE, 3), name="face")
    mean = [m / 255.0 for m in FACE_MEAN_RGB]
    x = keras.layers.Normalization(mean=mean, variance=[1.0, 1.0, 1.0], name="mean_rgb")(inputs)
    x = _conv_scale(x, "conv32_down", 32, 7, 2, "valid", True)  # (m, 72, 72, 32)
    x = keras.layers.MaxPooling2D(3, strides=2, padding="valid", name="conv32_pool")(x)  # (m, 35, 35, 32)
    for name, filters, down in _BLOCKS:
        x = _residual_block(x, name, filters, down)  # ends at (m, 1, 1, 256) after padding
    x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)  # (m, 256)
    outputs = keras.layers.Dense(128, use_bias=False, name="fc")(x)  # (m, 128)
    model = keras.Model(inputs, outputs, name="face_recognition_net")
    # what img_to_encoding / verify / who_is_it read: this encoder wants face crops
    # (any other model gets the course's whole-image encoding) and, once its
    # weights are loaded, carries its calibrated threshold
    model._course_cnn_crop_face = True
    model._course_cnn_threshold = None
    return model


def _assign_weights(model, weights):
    def conv_scale(prefix, tf_prefix):
        model.get_layer(f"{prefix}_conv").set_weights(
            [weights[f"{tf_prefix}/conv/filters"], weights[f"{tf_prefix}/conv/bias"]]
        )
        model.get_layer(f"{prefix}_scale").set_weights(
            [weights[f"{tf_prefix}/scale/weights"], weights[f"{tf_prefix}/scale/biases"]]
        )

    conv_scale("conv32_down", "conv32_down")
    for name, _, _ in _BLOCKS:
        conv_scale(f"{name}_conv1", f"{name}/conv1")
        conv_scale(f"{name}_conv2", f"{name}/conv2")
    model.get_layer("fc").set_weights([weights["fc"]])


@functools.lru_cache(maxsize=2)
def _cached_encoder(path):
    from course_cnn._tfjs import load_weights_npz

    from course_cnn.week4.face.encoding import DEFAULT_THRESHOLD

    model = _build_face_encoder()
    _assign_weights(model, load_weights_npz(path))
    model.trainable = False
    model._course_cnn_threshold = DEFAULT_THRESHOLD
    return model


def load_face_encoder(weights="pretrained"):
    r"""dlib's 128-D face encoder as a Keras model, with the shipped weights.

    Parameters
    ----------
    weights : {"pretrained", None} or os.PathLike, default "pretrained"
        ``"pretrained"``: the converted face-api.js weights shipped with the
        package (verified against their checksum); a path: an ``.npz`` file
        written by ``tools/convert_face_api.py``; ``None``: random weights
        (for tests of the architecture).

    Returns
    -------
    keras.Model
        ``face_recognition_net``: input RGB face crops of shape
        (m, 150, 150, 3) with values in [0, 1]; output descriptors of shape
        (m, 128), **not** normalised (see
        `img_to_encoding`). The
        pretrained model is cached and frozen; do not modify it in place.

    Raises
    ------
    FileNotFoundError
        When the weights file does not exist.
    ValueError
        When the shipped weights are damaged.

    Examples
    --------
    >>> model = load_face_encoder(weights=None)
    >>> model.output_shape, model.count_params()  # as many as the 117 converted tensors hold
    ((None, 128), 5614592)
    """
    if weights is None:
        return _build_face_encoder()
    if isinstance(weights, str) and weights == "pretrained":
        from course_cnn._assets import asset_path

        return _cached_encoder(str(asset_path("face_recognition_model.npz")))
    from pathlib import Path

    path = Path(weights)
    if not path.is_file():
        raise FileNotFoundError(f"`weights`: no file at {str(path)!r}; pass \"pretrained\", None or an .npz path.")
    return _cached_encoder(str(path.resolve()))


def _face_batch(crops):
    """(m, 150, 150, 3) float32 in [0, 1] from uint8 or float crops."""
    crops = np.asarray(crops)
    return crops.astype(np.float32) / 255.0 if crops.dtype == np.uint8 else crops.astype(np.float32)
