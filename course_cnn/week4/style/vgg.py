"""VGG-19 as a feature extractor for style transfer.

Style transfer needs a ConvNet's activations at a few named layers. Keras
ships the VGG-19 architecture; its ImageNet weights are a separate 80 MB file
(``vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5``) that Keras downloads
into ``~/.keras/models/``. No copy of it exists offline, so
`vgg19_features` accepts three sources of weights:

* ``"imagenet"``: the Keras cache (or a download when online);
* a local ``.h5`` path (the same file, copied from elsewhere);
* ``None``: seeded random weights (He initialisation), for tests and for
  honest offline demos that say the network is untrained.

References
----------
K. Simonyan, A. Zisserman, "Very Deep Convolutional Networks for Large-Scale
Image Recognition", ICLR 2015, arXiv:1409.1556.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from course_cnn import _checks

__all__ = ["VGG19_WEIGHTS_FILE", "vgg19_weights_cache", "vgg19_features", "get_layer_outputs"]

#: File name of Keras' VGG-19 ImageNet weights without the classifier.
VGG19_WEIGHTS_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
_VGG19_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/" + VGG19_WEIGHTS_FILE
_VGG19_MD5 = "253f8cb515780f3b799900260a226db6"  # as in keras.applications.vgg19

# The conv layers of VGG-19, in order (Keras' names).
_VGG19_BLOCKS = (2, 2, 4, 4, 4)
VGG19_CONV_LAYERS = tuple(
    f"block{block}_conv{i}" for block, n in enumerate(_VGG19_BLOCKS, 1) for i in range(1, n + 1)
)


def vgg19_weights_cache():
    """Where Keras keeps (and looks for) the VGG-19 weights file.

    ``$KERAS_HOME/models/<file>`` when the ``KERAS_HOME`` environment variable
    is set, else ``~/.keras/models/<file>``.

    Returns
    -------
    pathlib.Path
        The path, whether or not the file exists.

    Examples
    --------
    >>> vgg19_weights_cache().name
    'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5'
    """
    home = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    return Path(home).expanduser() / "models" / VGG19_WEIGHTS_FILE


def _layer_names(layers, arg="layers"):
    """Accept names or (name, weight) pairs, like the course's STYLE_LAYERS."""
    if isinstance(layers, str) or not isinstance(layers, (list, tuple)) or not layers:
        raise _checks.fail(arg, "be a non-empty list of layer names or (name, weight) pairs", _checks.describe(layers))
    names = []
    for item in layers:
        name = item[0] if isinstance(item, (list, tuple)) else item
        if not isinstance(name, str):
            raise _checks.fail(arg, "hold layer names (str) or (name, weight) pairs", _checks.describe(item), TypeError)
        names.append(name)
    return names


def _imagenet_weights(download):
    cached = vgg19_weights_cache()
    if cached.is_file():
        return str(cached)
    hint = (
        f"VGG-19 ImageNet weights not found: provide the file {VGG19_WEIGHTS_FILE} "
        f"(Keras' VGG19 weights without the top) at {cached}, or pass its path as `weights`, "
        "or pass weights=None for random (untrained) weights"
    )
    if not download:
        raise FileNotFoundError(hint + ".")
    try:
        import keras

        # Keras' own download (same URL, hash and cache folder as keras.applications.VGG19).
        return keras.utils.get_file(VGG19_WEIGHTS_FILE, _VGG19_URL, cache_subdir="models", file_hash=_VGG19_MD5)
    except Exception as exc:  # offline: no route to the download server
        raise FileNotFoundError(f"{hint}; downloading it failed ({type(exc).__name__}: {exc}).") from None


def _randomise(model, seed):
    """He-normal kernels and zero biases from a seeded numpy generator."""
    rng = np.random.default_rng(_checks.check_seed(seed))
    for name in VGG19_CONV_LAYERS:
        layer = model.get_layer(name)
        kernel, bias = layer.get_weights()
        fan_in = int(np.prod(kernel.shape[:3]))  # f * f * n_C_prev
        kernel = rng.standard_normal(kernel.shape, dtype=np.float32) * np.float32(np.sqrt(2.0 / fan_in))
        layer.set_weights([kernel, np.zeros_like(bias)])


def vgg19_features(layers, weights="imagenet", input_shape=None, *, seed=0, download=True):
    """A Keras model mapping an image to VGG-19's activations at ``layers``.

    Parameters
    ----------
    layers : list of str or list of (str, float)
        Layer names (``"block5_conv4"``) or the course's ``(name, weight)``
        pairs; the outputs come in this order.
    weights : {"imagenet"}, str or os.PathLike, or None, default "imagenet"
        ``"imagenet"``: Keras' cached ImageNet weights (see
        `vgg19_weights_cache`), downloaded when absent if ``download``;
        a path: a local copy of that ``.h5`` file; ``None``: random weights
        (He-normal kernels, zero biases) drawn with ``seed`` — an *untrained*
        network.
    input_shape : tuple of int, optional
        ``(n_H, n_W, 3)``; by default any size, ``(None, None, 3)``.
    seed : int, default 0
        Seed of the random weights (``weights=None`` only).
    download : bool, default True
        With ``"imagenet"`` and no cached file, try Keras' download.

    Returns
    -------
    keras.Model
        Input ``(m, n_H, n_W, 3)``, outputs a list with one tensor per layer,
        ``(m, n_H_l, n_W_l, n_C_l)``. The model is not trainable.

    Raises
    ------
    FileNotFoundError
        With ``"imagenet"`` when the weights file is neither cached nor
        downloadable, or with a path that does not exist; the message names
        the file to provide.
    ValueError
        For an unknown layer name or a bad ``weights`` value.

    Examples
    --------
    >>> model = vgg19_features(["block1_conv1", "block2_conv1"], weights=None, input_shape=(32, 32, 3))
    >>> [tuple(out.shape) for out in model.outputs]
    [(None, 32, 32, 64), (None, 16, 16, 128)]
    """
    import keras

    names = _layer_names(layers)
    seed = _checks.check_seed(seed)  # before the network is built
    if input_shape is None:
        input_shape = (None, None, 3)
    input_shape = _checks.check_input_shape(input_shape, allow_none=True)
    source = weights
    if weights is None:
        source = None
    elif isinstance(weights, str) and weights == "imagenet":
        source = _imagenet_weights(download)
    elif isinstance(weights, (str, os.PathLike)):
        path = Path(weights).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"`weights`: no file at {str(path)!r}; pass a copy of {VGG19_WEIGHTS_FILE}, 'imagenet' or None."
            )
        source = str(path)
    else:
        raise _checks.fail("weights", "be 'imagenet', a path to an .h5 file, or None", _checks.describe(weights))
    vgg = keras.applications.VGG19(include_top=False, weights=source, input_shape=tuple(input_shape))
    if weights is None:
        _randomise(vgg, seed)
    features = get_layer_outputs(vgg, names)
    features.trainable = False
    return features


def get_layer_outputs(vgg, layer_names):
    """A model returning the outputs of some of ``vgg``'s layers (course signature).

    Parameters
    ----------
    vgg : keras.Model
        A functional model, e.g. ``keras.applications.VGG19``.
    layer_names : list of str or list of (str, float)
        The layers, by name or as the course's ``(name, weight)`` pairs
        (``STYLE_LAYERS + [("block5_conv4", 1)]``).

    Returns
    -------
    keras.Model
        Same input as ``vgg``; one output per layer, in order.

    Raises
    ------
    ValueError
        For a layer name that ``vgg`` does not have (the message lists them).

    Examples
    --------
    >>> import keras
    >>> inputs = keras.Input((8, 8, 3), name="image")
    >>> x = keras.layers.Conv2D(4, 3, name="conv_a")(inputs)
    >>> net = keras.Model(inputs, keras.layers.Conv2D(2, 3, name="conv_b")(x))
    >>> [tuple(o.shape) for o in get_layer_outputs(net, [("conv_a", 0.5), ("conv_b", 0.5)]).outputs]
    [(None, 6, 6, 4), (None, 4, 4, 2)]
    """
    import keras

    vgg = _checks.check_model(vgg, "vgg")
    names = _layer_names(layer_names, "layer_names")
    known = [layer.name for layer in vgg.layers]
    for name in names:
        if name not in known:
            raise _checks.fail("layer_names", f"name layers of the model ({', '.join(known)})", repr(name))
    outputs = [vgg.get_layer(name).output for name in names]
    inputs = vgg.inputs[0] if len(vgg.inputs) == 1 else vgg.inputs
    return keras.Model(inputs, outputs, name=f"{vgg.name}_features")
