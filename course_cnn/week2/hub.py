r"""TensorFlow Hub models inside Keras 3 models: `HubLayer`.

``hub.KerasLayer`` is built on ``tf_keras`` (Keras 2) and cannot be placed in
a Keras 3 model. `HubLayer` is a real ``keras.layers.Layer`` around
``hub.load`` (TF2 SavedModel): it calls the loaded object's ``__call__``
(passing ``training`` when the SavedModel accepts it), exposes the
SavedModel's variables as the layer's weights (trainable when the layer is),
and saves them with the model, so that a fine-tuned Hub model round-trips
through ``model.save("x.keras")``.

The handle is a local SavedModel directory or a Hub handle/URL; handles go
through ``hub.load``, hence through Hub's cache (``$TFHUB_CACHE_DIR``) and the
network only when the model is not cached.
"""

from __future__ import annotations

import os

import keras

from course_cnn import _checks

__all__ = ["HubLayer", "load_hub_module"]


def load_hub_module(handle):
    """Load a TF2 SavedModel from a local directory or a TensorFlow Hub handle.

    Parameters
    ----------
    handle : str or os.PathLike
        A SavedModel directory, or a Hub handle (``https://tfhub.dev/...``,
        ``https://www.kaggle.com/models/...``), resolved through Hub's cache.

    Returns
    -------
    object
        The restored object (callable).

    Raises
    ------
    TypeError
        For a handle that is not a string or path.
    ValueError
        When nothing loads; the message says what to pass instead.

    Examples
    --------
    >>> load_hub_module("/no/such/savedmodel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `handle` must be a TF2 SavedModel directory or a TensorFlow Hub handle ...
    """
    import tensorflow_hub as hub

    if not isinstance(handle, (str, os.PathLike)):
        raise _checks.fail("handle", "be a str or path-like (a SavedModel folder or a Hub handle)",
                           _checks.describe(handle), TypeError)
    handle = os.fspath(handle)
    try:
        return hub.load(handle)
    except Exception as exc:  # missing folder, no network, not a SavedModel
        raise _checks.fail(
            "handle",
            "be a TF2 SavedModel directory or a TensorFlow Hub handle that is cached (in $TFHUB_CACHE_DIR) or "
            "reachable online; to use a model offline, download it once (or export one with "
            "tf.saved_model.save) and pass its folder",
            f"{handle!r} ({type(exc).__name__}: {str(exc)[:200]})",
        ) from None


def _saved_model_variables(obj):
    """The variables the SavedModel's call function uses (trainable ones first)."""
    if getattr(obj, "variables", None) is not None:  # the Hub reusable-SavedModel convention
        return list(obj.variables)
    found, seen = [], set()
    for function in getattr(obj.__call__, "concrete_functions", []):
        for variable in function.variables:
            if id(variable) not in seen:
                seen.add(id(variable))
                found.append(variable)
    return found


def _accepts_training(obj):
    for function in getattr(obj.__call__, "concrete_functions", []):
        args, kwargs = function.structured_input_signature
        if "training" in kwargs or len(args) > 1:
            return True
    return False


@keras.saving.register_keras_serializable(package="course_cnn")
class HubLayer(keras.layers.Layer):
    r"""A TF2 SavedModel / TensorFlow Hub model as a Keras 3 layer.

    ``y = module(x)`` (or ``module(x, training=...)`` when the SavedModel was
    exported with a ``training`` argument); with ``output_key`` the entry of
    a dict output.

    Parameters
    ----------
    handle : str or os.PathLike
        A local SavedModel directory or a Hub handle (see `load_hub_module`).
    trainable : bool, default False
        Whether the SavedModel's variables are trained with the model
        (fine-tuning). Frozen by default, like ``hub.KerasLayer``.
    output_key : str, optional
        Key to pick when the model returns a dict.
    **kwargs
        Passed to ``keras.layers.Layer`` (``name``, ``dtype``...).

    Raises
    ------
    TypeError, ValueError
        When the handle does not load, or (when called) the output is a dict
        and ``output_key`` is missing or unknown.

    Notes
    -----
    The model file stores the handle and the variables' values; loading it
    loads the handle again (the SavedModel folder must still exist, or the
    Hub handle be cached/online) and then restores the saved values.

    Examples
    --------
    >>> layer = HubLayer("/path/to/saved_model")  # doctest: +SKIP
    >>> outputs = layer(keras.Input((4,)))  # doctest: +SKIP
    """

    def __init__(self, handle, trainable=False, output_key=None, **kwargs):
        super().__init__(trainable=trainable, **kwargs)
        if output_key is not None and not isinstance(output_key, str):
            raise _checks.fail("output_key", "be a str or None", _checks.describe(output_key), TypeError)
        self.handle = os.fspath(handle) if isinstance(handle, os.PathLike) else handle
        self.output_key = output_key
        self._module = load_hub_module(handle)
        self._call_takes_training = _accepts_training(self._module)
        self._adopt_variables(_saved_model_variables(self._module))
        self.built = True

    def _adopt_variables(self, variables):
        """Make each SavedModel variable a Keras weight of this layer (shared storage, no copy kept)."""
        for variable in variables:
            weight = self.add_weight(
                shape=tuple(variable.shape), dtype=variable.dtype.name, trainable=variable.trainable,
                initializer="zeros", name=variable.name.split(":")[0].replace("/", "_"),
            )
            # On the TF backend a keras.Variable stores its value in a tf.Variable (`_value`); pointing it at
            # the SavedModel's own variable makes the restored functions, the optimizer and model.save()
            # all see one and the same storage.
            weight._value = variable

    def call(self, inputs, training=None):
        if self._call_takes_training:
            outputs = self._module(inputs, training=bool(training) and self.trainable)
        else:
            outputs = self._module(inputs)
        if isinstance(outputs, dict):
            if self.output_key not in outputs:
                raise _checks.fail("output_key", f"be one of the model's output keys {sorted(outputs)}",
                                   repr(self.output_key))
            outputs = outputs[self.output_key]
        return outputs

    def get_config(self):
        config = super().get_config()
        config.update(handle=self.handle, output_key=self.output_key)
        return config
