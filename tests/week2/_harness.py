"""Shared checks for week 2 models: stable layer names and save/load round trips."""

from __future__ import annotations

import keras
import numpy as np


def layer_names(model):
    """All layer names, nested models included."""
    names = []
    for layer in model.layers:
        names.append(layer.name)
        if isinstance(layer, keras.Model):
            names.extend(layer_names(layer))
    return names


def assert_named(build):
    """Every layer is named explicitly: building twice gives the same names (Keras' auto names would count up)."""
    first, second = layer_names(build()), layer_names(build())
    assert first == second
    assert len(set(first)) == len(first)


def assert_round_trip(model, x, tmp_path):
    """model.save -> load_model gives the same predictions and the same weights."""
    path = tmp_path / f"{model.name}.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert [w.shape for w in loaded.weights] == [w.shape for w in model.weights]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    return loaded
