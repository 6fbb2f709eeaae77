"""Comparing Keras models layer by layer, for the exercises that build a model.

The datatype check asks for a ``keras.Model``, the shape check compares the
input and output shapes, and the output check compares every layer's kind,
output shape and parameter count (as a multiset: the order in which a
learner creates parallel branches does not matter), and the total number of
parameters. A failure names the first missing and the first unexpected layer
in model order.
"""

from __future__ import annotations

from collections import Counter

from course_cnn.grading._report import CheckResult

_KIND_ALIASES = {"ReLU": "Activation"}


def _layer_rows(model) -> list:
    """(kind, output shape, parameter count) of every layer, in the model's order."""
    return [(_KIND_ALIASES.get(type(layer).__name__, type(layer).__name__), tuple(layer.output.shape),
             int(layer.count_params())) for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _io_shapes(model) -> tuple:
    """(input shape, output shape), for functional and Sequential models alike."""
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    try:
        inputs, outputs = model.inputs[0].shape, model.outputs[0].shape
    except (AttributeError, IndexError, TypeError, ValueError):
        inputs, outputs = layers[0].input.shape, layers[-1].output.shape
    return tuple(inputs), tuple(outputs)


def _first_of(rows: list, wanted: Counter):
    return next((row for row in rows if wanted[row] > 0), None)


def _row(row) -> str:
    kind, shape, params = row
    return f"{kind} {shape} ({params:,} parameters)"


def compare_models(expected, got, suite=None):
    """Datatype (a Keras model), shape (input and output) and output (every layer) checks for a model."""
    import keras

    if not isinstance(got, keras.Model):
        fail = CheckResult("datatype", False, f"expected a keras.Model, got {type(got).__name__}")
        return fail, CheckResult("shape", False, "not checked"), CheckResult("output", False, "not checked")
    datatype = CheckResult("datatype", True)
    want, have = _io_shapes(expected), _io_shapes(got)
    shape = CheckResult("shape", want == have,
                        "" if want == have else f"expected input/output shapes {want}, got {have}")
    expected_rows, got_rows = _layer_rows(expected), _layer_rows(got)
    missing, extra = Counter(expected_rows) - Counter(got_rows), Counter(got_rows) - Counter(expected_rows)
    problems = []
    if expected.count_params() != got.count_params():
        problems.append(f"expected {expected.count_params():,} parameters, got {got.count_params():,}")
    if missing or extra:
        problems.append(f"{sum(missing.values())} of {len(expected_rows)} layers differ (compared by kind, output "
                        f"shape and parameters)")
    if missing:
        problems.append(f"first missing layer: {_row(_first_of(expected_rows, missing))}")
    if extra:
        problems.append(f"first unexpected layer: {_row(_first_of(got_rows, extra))}")
    return datatype, shape, CheckResult("output", not problems, "; ".join(problems))


def layer_kinds(model) -> list:
    """The class names of a model's layers, ReLU counted as Activation."""
    return [_KIND_ALIASES.get(type(layer).__name__, type(layer).__name__) for layer in model.layers]
