r"""Transfer learning on MobileNetV2: the course's alpaca classifier, fine-tuning, and how much to retrain.

Take a network trained on a big dataset (ImageNet), drop its classifier,
freeze it, and train a new head on your small dataset. With more data,
unfreeze more of the top layers and fine-tune them with a smaller learning
rate; with a lot of data, retrain everything, starting from the pretrained
weights instead of a random initialisation.

MobileNetV2 (Sandler et al. 2018) is a stack of *inverted residual* blocks:
1x1 expansion -> 3x3 depthwise conv -> 1x1 linear projection, with a
residual connection when the shapes match. Without its top it has 2,257,984
parameters and maps a 160x160x3 image to 5x5x1280 features.

References
----------
Sandler, Howard, Zhu, Zhmoginov, Chen, "MobileNetV2: Inverted residuals and linear bottlenecks", CVPR 2018.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import keras

from course_cnn import _checks
from course_cnn.week2.augmentation import data_augmenter

__all__ = ["alpaca_model", "fine_tune", "layers_to_retrain", "freeze_up_to", "mobilenet_v2_weights_file"]

_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
_MOBILENET_ROWS = (96, 128, 160, 192, 224)
_MOBILENET_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)  # the widths Keras ships ImageNet weights for


def mobilenet_v2_weights_file(rows=160, alpha=1.0):
    """File name and URL of Keras' ImageNet weights for ``MobileNetV2(include_top=False)``.

    Parameters
    ----------
    rows : int, default 160
        Input resolution; Keras ships weights for 96, 128, 160, 192 and 224
        (other sizes use the 224 file).
    alpha : float, default 1.0
        Width multiplier, one of 0.35, 0.5, 0.75, 1.0, 1.3 and 1.4.

    Returns
    -------
    name : str
        The file name Keras caches under ``~/.keras/models/``.
    url : str
        Where to download it.

    Examples
    --------
    >>> mobilenet_v2_weights_file(160)[0]
    'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160_no_top.h5'
    """
    rows = _checks.check_size(rows, "rows", _checks.MAX_IMAGE_SIDE)
    alpha = _checks.check_number(alpha, "alpha")
    if alpha not in _MOBILENET_ALPHAS:
        raise _checks.fail("alpha", f"be one of Keras' MobileNetV2 widths {_MOBILENET_ALPHAS}", repr(alpha))
    rows = rows if rows in _MOBILENET_ROWS else 224
    name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}_no_top.h5"
    return name, _WEIGHTS_URL + name


def _keras_cache_dir() -> Path:
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")


def _download(name, url):
    """Fetch a file into the Keras cache (the only place this module touches the network)."""
    return keras.utils.get_file(name, url, cache_subdir="models")


def _resolve_weights(weights, rows):
    """Turn ``weights`` into None or a local file path, downloading only for 'imagenet' when not cached."""
    if weights is None:
        return None
    if isinstance(weights, os.PathLike) or (isinstance(weights, str) and weights != "imagenet"):
        path = Path(weights)
        if path.is_file():
            return str(path)
        raise _checks.fail("weights", "be 'imagenet', None, or the path of an existing MobileNetV2 weights file "
                           "(.h5 or .weights.h5)", f"{os.fspath(weights)!r}, which is not a file")
    if weights != "imagenet":
        raise _checks.fail("weights", "be 'imagenet', None, or a path to a weights file", _checks.describe(weights),
                           TypeError)
    name, url = mobilenet_v2_weights_file(rows)
    cached = _keras_cache_dir() / "models" / name
    if cached.is_file():
        return str(cached)
    try:
        return _download(name, url)
    except Exception as exc:  # offline, proxy, ...
        raise _checks.fail(
            "weights",
            f"be 'imagenet' only with network access or with {name} in the Keras cache ({cached.parent}); "
            f"offline, download {url} elsewhere and pass weights='/path/to/{name}', "
            "or pass weights=None for random weights",
            f"'imagenet' and the download failed ({type(exc).__name__}: {str(exc)[:120]})",
        ) from None


def _check_image_shape(image_shape):
    ok = (isinstance(image_shape, (tuple, list)) and len(image_shape) == 2
          and all(isinstance(d, int) and not isinstance(d, bool) and 32 <= d <= _checks.MAX_IMAGE_SIDE
                  for d in image_shape))
    if not ok:
        raise _checks.fail("image_shape", f"be a pair (n_H, n_W) of ints in [32, {_checks.MAX_IMAGE_SIDE}] "
                           "(32: MobileNetV2's smallest input)", _checks.describe(image_shape))
    return tuple(image_shape)


def alpaca_model(image_shape=(160, 160), data_augmentation=None, weights="imagenet"):
    r"""The course's alpaca / not-alpaca classifier on a frozen MobileNetV2.

    input -> ``data_augmentation`` -> ``preprocess_input`` (MobileNetV2's
    $x/127.5 - 1$, as two ``Rescaling`` layers named ``truediv`` and
    ``subtract``) -> MobileNetV2 base (``include_top=False``, frozen,
    called with ``training=False`` so its BatchNorm layers stay in inference
    mode even when fine-tuned) -> GlobalAveragePooling2D -> Dropout(0.2) ->
    Dense(1) logit. Parameters: 2,257,984 (base) + 1,281 (head, $1280 + 1$);
    only the head's 1,281 are trainable.

    The layer list mirrors the course's as closely as Keras 3 allows. Under
    ``tf.keras`` 2.x the course's ``preprocess_input`` became two
    ``TFOpLambda`` layers (divide, subtract), which put the base model at
    ``model.layers[4]``, where the course's fine-tuning cell takes it.
    Keras 3 records such operations without layers, so the course's own
    code now has the base at index 2; here the two steps are real layers
    and ``model.layers[4]`` is the base again (see the docs' Keras 3 page).

    Parameters
    ----------
    image_shape : tuple of 2 int, default (160, 160)
        ``(n_H, n_W)`` of the RGB images (pixel values in [0, 255]).
    data_augmentation : keras.Layer, callable, False or None, default None
        Augmenter applied first; ``None`` means `data_augmenter` (the
        course's default ``data_augmenter()``), ``False`` means none.
    weights : "imagenet", str, os.PathLike or None, default "imagenet"
        ``"imagenet"``: Keras' ImageNet weights, from the Keras cache or
        downloaded; a path: a local weights file (e.g. the downloaded
        ``.h5``); ``None``: random weights (tests, offline demos).

    Returns
    -------
    keras.Model
        Named ``"alpaca_model"``; input (m, n_H, n_W, 3), output (m, 1) logits.

    Raises
    ------
    ValueError
        For ``weights="imagenet"`` offline with an empty cache: the message
        names the file, its URL, and what to pass instead; for an unknown
        ``weights`` value or a missing file; for a bad ``image_shape``.

    Examples
    --------
    >>> model = alpaca_model(weights=None)
    >>> model.count_params(), sum(int(w.numpy().size) for w in model.trainable_weights)
    (2259265, 1281)

    References
    ----------
    Sandler et al., "MobileNetV2: Inverted residuals and linear bottlenecks", CVPR 2018.
    """
    image_shape = _check_image_shape(image_shape)
    if data_augmentation is not None and data_augmentation is not False and not callable(data_augmentation):
        raise _checks.fail("data_augmentation", "be a Keras layer or model (e.g. data_augmenter()), None or False",
                           _checks.describe(data_augmentation), TypeError)
    weights_path = _resolve_weights(weights, image_shape[0] if image_shape[0] == image_shape[1] else 224)
    input_shape = image_shape + (3,)
    base_model = keras.applications.MobileNetV2(input_shape=input_shape, include_top=False, weights=None)
    if weights_path is not None:
        base_model.load_weights(weights_path)
    base_model.trainable = False
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    inputs = keras.Input(shape=input_shape, name="image")
    x = data_augmentation(inputs) if data_augmentation is not False else inputs
    # preprocess_input, x / 127.5 - 1, in the course's two steps: [0, 255] -> [0, 2] -> [-1, 1]
    x = keras.layers.Rescaling(1.0 / 127.5, name="truediv")(x)
    x = keras.layers.Rescaling(1.0, offset=-1.0, name="subtract")(x)
    x = base_model(x, training=False)  # (m, 5, 5, 1280) for 160x160
    x = keras.layers.GlobalAveragePooling2D(name="global_average_pooling")(x)  # (m, 1280)
    x = keras.layers.Dropout(0.2, name="dropout")(x)
    outputs = keras.layers.Dense(1, name="logit")(x)
    return keras.Model(inputs, outputs, name="alpaca_model")


def _base_model(model):
    # the augmenter is a nested keras.Sequential too: the base is the biggest nested model
    nested = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if nested:
        return max(nested, key=lambda layer: layer.count_params())
    raise _checks.fail("model", "contain a nested base model (a keras.Model used as a layer, as alpaca_model "
                       "builds)", f"a model with layers {[type(layer).__name__ for layer in model.layers]}")


def freeze_up_to(model, layer_index_or_name):
    """Freeze every layer before the given one; make it and every later layer trainable.

    ``layers[:k]`` get ``trainable = False`` and ``layers[k:]`` ``trainable = True``
    (``model.trainable`` is set to True first). Recompile afterwards.

    Parameters
    ----------
    model : keras.Model
        The model (often a pretrained base) whose top layers to unfreeze.
    layer_index_or_name : int or str
        Index ``k`` in ``model.layers`` (0 unfreezes everything,
        ``len(model.layers)`` freezes everything) or a layer's name.

    Returns
    -------
    int
        The number of layers frozen (``k``).

    Raises
    ------
    TypeError, ValueError
        For an index outside ``[0, len(model.layers)]`` or an unknown name.

    Examples
    --------
    >>> inputs = keras.Input((3,))
    >>> hidden = keras.layers.Dense(4, name="hidden")(inputs)
    >>> model = keras.Model(inputs, keras.layers.Dense(1, name="out")(hidden))
    >>> freeze_up_to(model, "out")
    2
    >>> [layer.trainable for layer in model.layers]
    [False, False, True]
    """
    if not isinstance(model, keras.Model):
        raise _checks.fail("model", "be a keras.Model", _checks.describe(model), TypeError)
    names = [layer.name for layer in model.layers]
    if isinstance(layer_index_or_name, str):
        if layer_index_or_name not in names:
            shown = ", ".join(repr(n) for n in names[:5]) + (", ..." if len(names) > 5 else "")
            raise _checks.fail("layer_index_or_name", f"be a layer name of the model ({shown})",
                               repr(layer_index_or_name))
        k = names.index(layer_index_or_name)
    else:
        k = _checks.check_int(layer_index_or_name, "layer_index_or_name", minimum=0, maximum=len(names))
    model.trainable = True
    for i, layer in enumerate(model.layers):
        layer.trainable = i >= k
    return k


def fine_tune(model, fine_tune_at=120, base_learning_rate=0.001):
    r"""Unfreeze the base model from layer ``fine_tune_at`` on and recompile, as in the course.

    The base (the nested model, ``model.layers[4]`` in the course) becomes
    trainable from ``base.layers[fine_tune_at]`` on; the model is compiled
    with ``Adam(0.1 * base_learning_rate)``,
    ``BinaryCrossentropy(from_logits=True)`` and accuracy. The small learning
    rate keeps the pretrained features from being destroyed in the first steps.

    Parameters
    ----------
    model : keras.Model
        A model with a nested base model, e.g. from `alpaca_model`.
    fine_tune_at : int, default 120
        First base layer to train (MobileNetV2 has 154 layers without top).
    base_learning_rate : float, default 0.001
        The learning rate used for the head; fine-tuning uses a tenth of it.

    Returns
    -------
    keras.Model
        The same model, recompiled.

    Raises
    ------
    TypeError, ValueError
        For a model without a nested base, ``fine_tune_at`` outside
        ``[0, len(base.layers)]`` or a non-positive learning rate.

    Examples
    --------
    >>> model = fine_tune(alpaca_model(weights=None), fine_tune_at=120)
    >>> base = model.layers[4]  # where the course takes it
    >>> sum(layer.trainable for layer in base.layers), len(base.layers)
    (34, 154)
    >>> round(float(model.optimizer.learning_rate), 6)
    0.0001
    """
    _checks.check_model(model)
    fine_tune_at = _checks.check_int(fine_tune_at, "fine_tune_at", minimum=0)
    base_learning_rate = _checks.check_number(base_learning_rate, "base_learning_rate", low=0.0,
                                              low_inclusive=False)
    base = _base_model(model)
    fine_tune_at = _checks.check_int(fine_tune_at, "fine_tune_at", minimum=0, maximum=len(base.layers))
    freeze_up_to(base, fine_tune_at)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.1 * base_learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def layers_to_retrain(n_examples, n_layers, small=1_000, large=100_000):
    r"""The lecture's rule of thumb: how many of a pretrained network's top layers to retrain.

    * ``n_examples <= small``: 0 -- freeze the whole base, train only a new head.
    * ``small < n_examples < large``: the top fraction
      $\log_{10}(n/\text{small}) / \log_{10}(\text{large}/\text{small})$
      of the layers (rounded up, at least 1): more data, more layers.
    * ``n_examples >= large``: all ``n_layers`` -- retrain everything,
      starting from the pretrained weights.

    Use it as ``fine_tune_at = n_layers - layers_to_retrain(m, n_layers)``.

    Parameters
    ----------
    n_examples : int
        Size of your labelled training set.
    n_layers : int
        Number of layers of the pretrained base.
    small, large : int, default 1_000 and 100_000
        Where "little data" ends and "a lot of data" starts.

    Returns
    -------
    int
        Number of top layers to train, in ``[0, n_layers]``.

    Raises
    ------
    TypeError, ValueError
        For negative counts or ``small >= large``.

    Examples
    --------
    >>> layers_to_retrain(200, 154), layers_to_retrain(10_000, 154), layers_to_retrain(10**6, 154)
    (0, 77, 154)
    """
    n_examples = _checks.check_non_negative_int(n_examples, "n_examples")
    n_layers = _checks.check_positive_int(n_layers, "n_layers")
    small = _checks.check_positive_int(small, "small")
    large = _checks.check_positive_int(large, "large")
    if large <= small:
        raise _checks.fail("large", f"be greater than `small` ({small})", repr(large))
    if n_examples <= small:
        return 0
    if n_examples >= large:
        return n_layers
    fraction = math.log10(n_examples / small) / math.log10(large / small)
    return min(n_layers, max(1, math.ceil(fraction * n_layers)))
