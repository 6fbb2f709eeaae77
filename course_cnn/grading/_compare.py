"""The three checks of a case: datatype, shape and output.

A graded function returns an array, a tensor, a number, or a (nested) tuple,
list or dict of those. `compare_outputs` walks the expected output (our
reference's) and the learner's side by side and reports, per check, every
place where they differ, with a message that says where (``Z``,
``cache[3]['pad']``), what was expected and what came back, and for values
the first differing index and the largest absolute difference.

Nothing here imports TensorFlow: a tensor is recognised through
``tf.is_tensor`` only when TensorFlow is already imported, and read with
``numpy.asarray``.
"""

from __future__ import annotations

import numbers
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np

from course_cnn._checks import check_number
from course_cnn.grading._report import CheckResult


_KIND_NAMES = {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex"}


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a TensorFlow tensor or variable (False when TF is not imported)."""
    tf = sys.modules.get("tensorflow")
    return tf is not None and hasattr(tf, "is_tensor") and bool(tf.is_tensor(x))


def leaf_kind(x: Any) -> str:
    """Coarse type of an output leaf: tensor, ndarray, number, str, None or the type's name."""
    if is_tensor(x):
        return "tensor"
    if isinstance(x, np.ndarray):
        return "ndarray"
    if isinstance(x, (numbers.Number, np.generic)):
        return "number"
    if isinstance(x, str):
        return "str"
    if x is None:
        return "None"
    return type(x).__name__


_KIND_WORDS = {
    "tensor": "a TensorFlow tensor",
    "ndarray": "a numpy array",
    "number": "a number",
    "str": "a string",
    "None": "None",
}


def _kind_words(kind: str) -> str:
    return _KIND_WORDS.get(kind, f"a {kind}")


def _as_array(x: Any) -> np.ndarray | None:
    """Numeric view of a leaf, or None when it is not numeric."""
    if leaf_kind(x) not in ("tensor", "ndarray", "number"):
        return None
    try:
        arr = np.asarray(x)
    except Exception:  # a symbolic Keras tensor, say
        return None
    return arr if arr.dtype.kind in "biufc" else None


def shape_of(x: Any) -> tuple | None:
    """Shape of a numeric leaf as a tuple of ints (``()`` for a number), or None."""
    arr = _as_array(x)
    return None if arr is None else tuple(int(d) for d in arr.shape)


def _container_words(x: Any) -> str:
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)}"
    if isinstance(x, Mapping):
        return f"a dict with keys {sorted(map(str, x))}"
    arr = _as_array(x)
    if arr is not None and arr.ndim:
        return f"{_kind_words(leaf_kind(x))} of shape {tuple(arr.shape)}"
    return _kind_words(leaf_kind(x))


class _Walk:
    """Collects the problems of each check while walking two outputs."""

    def __init__(self, rtol: float, atol: float):
        self.rtol, self.atol = rtol, atol
        self.structure: list[str] = []  # containers or non-numeric leaves that do not match
        self.datatype: list[str] = []  # numeric leaves of the wrong type or dtype kind
        self.shape: list[str] = []
        self.output: list[str] = []

    def walk(self, expected: Any, got: Any, path: str) -> None:
        if isinstance(expected, (tuple, list)):
            self._sequence(expected, got, path)
        elif isinstance(expected, Mapping):
            self._mapping(expected, got, path)
        else:
            self._leaf(expected, got, path)

    def _sequence(self, expected, got, path):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            self.structure.append(f"{path}: expected {_container_words(expected)}, got {_container_words(got)}")
            return
        for i, (e, g) in enumerate(zip(expected, got)):
            self.walk(e, g, f"{path}[{i}]")

    def _mapping(self, expected, got, path):
        if not isinstance(got, Mapping) or set(got) != set(expected):
            self.structure.append(f"{path}: expected {_container_words(expected)}, got {_container_words(got)}")
            return
        for key in expected:
            self.walk(expected[key], got[key], f"{path}[{key!r}]")

    def _leaf(self, expected, got, path):
        e_arr, g_arr = _as_array(expected), _as_array(got)
        if e_arr is None:  # a string, None, a tuple of layer names...: compared for equality
            if type(got) is not type(expected):
                self.structure.append(f"{path}: expected {_kind_words(leaf_kind(expected))}, got {_container_words(got)}")
            elif got != expected:
                self.output.append(f"{path}: expected {expected!r}, got {got!r}")
            return
        self._leaf_type(expected, got, e_arr, g_arr, path)
        if g_arr is None:
            return
        if e_arr.shape != g_arr.shape:
            self.shape.append(f"{path}: expected shape {tuple(e_arr.shape)}, got {tuple(g_arr.shape)}")
            return
        self._values(e_arr, g_arr, path)

    def _leaf_type(self, expected, got, e_arr, g_arr, path):
        e_kind, g_kind = leaf_kind(expected), leaf_kind(got)
        if g_arr is None:
            self.structure.append(f"{path}: expected {_kind_words(e_kind)}, got {_container_words(got)}")
            return
        scalar_ok = e_arr.ndim == 0 and g_arr.ndim == 0  # any 0-d number stands for a scalar
        if e_kind != g_kind and not scalar_ok:
            advice = {
                ("ndarray", "tensor"): " (this exercise is numpy only: use np.* functions)",
                ("tensor", "ndarray"): " (use TensorFlow ops, e.g. tf.* or keras.ops, so it works on tensors)",
            }.get((e_kind, g_kind), "")
            self.datatype.append(f"{path}: expected {_kind_words(e_kind)}, got {_kind_words(g_kind)}{advice}")
        e_dk, g_dk = _KIND_NAMES[e_arr.dtype.kind], _KIND_NAMES[g_arr.dtype.kind]
        plain_numbers = scalar_ok and {e_dk, g_dk} <= {"int", "float"}  # 3 and 3.0 are the same number
        if e_dk != g_dk and not plain_numbers:
            self.datatype.append(f"{path}: expected a {e_dk} dtype, got {g_arr.dtype}")

    def _values(self, e_arr, g_arr, path):
        e = e_arr.astype(np.float64) if e_arr.dtype.kind == "b" else e_arr
        g = g_arr.astype(np.float64) if g_arr.dtype.kind == "b" else g_arr
        if e.size == 0:
            return
        try:
            close = np.isclose(g, e, rtol=self.rtol, atol=self.atol, equal_nan=True)
        except TypeError:
            close = g == e
        if bool(np.all(close)):
            return
        bad = np.argwhere(~close)
        first = tuple(int(i) for i in bad[0])
        diff = np.abs(g.astype(np.complex128) - e.astype(np.complex128)) if e.dtype.kind == "c" else np.abs(
            g.astype(np.float64) - e.astype(np.float64)
        )
        max_diff = float(np.nanmax(np.where(np.isnan(diff), np.inf, diff)))
        if e.ndim == 0:
            self.output.append(f"{path}: expected {_num(e[()])}, got {_num(g[()])} (difference {max_diff:.3g})")
            return
        self.output.append(
            f"{path}: {len(bad)} of {e.size} values differ; first at index {first}: expected {_num(e[first])}, "
            f"got {_num(g[first])}; max abs difference {max_diff:.3g}"
        )


def _num(x: Any) -> str:
    x = x.item() if hasattr(x, "item") else x
    return f"{x:.6g}" if isinstance(x, float) else repr(x)


def _describe_problems(problems: list[str], limit: int = 4) -> str:
    shown = problems[:limit]
    more = len(problems) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def compare_outputs(expected: Any, got: Any, *, rtol: float = 1e-5, atol: float = 1e-7, name: str = "output",
                    output_names: tuple[str, ...] | None = None) -> tuple[CheckResult, CheckResult, CheckResult]:
    """Run the datatype, shape and output checks on a learner's output.

    Parameters
    ----------
    expected : object
        The reference's output: an array, a tensor, a number, or a nested
        tuple/list/dict of them.
    got : object
        The learner's output.
    rtol, atol : float
        Tolerances of the value check (``numpy.isclose``); NaN equals NaN.
    name : str, default "output"
        Name of the whole output in messages.
    output_names : tuple of str, optional
        Names of the elements when the output is a tuple (``("Z", "cache")``).

    Returns
    -------
    tuple of CheckResult
        The datatype, shape and output checks, in that order. A check that
        could not run because an earlier one failed (a tuple of the wrong
        length, a shape mismatch) is failed with a message saying so.

    Examples
    --------
    >>> checks = compare_outputs(np.zeros((2, 3)), np.zeros((3, 2)))
    >>> [c.passed for c in checks]
    [True, False, False]
    >>> checks[1].message
    'output: expected shape (2, 3), got (3, 2)'
    """
    rtol, atol = check_number(rtol, "rtol", low=0), check_number(atol, "atol", low=0)
    walk = _Walk(rtol, atol)
    if output_names and isinstance(expected, tuple) and len(expected) == len(output_names):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            walk.structure.append(f"{name}: expected a tuple of {len(expected)} {output_names}, "
                                  f"got {_container_words(got)}")
        else:
            for e, g, sub in zip(expected, got, output_names):
                walk.walk(e, g, sub)
    else:
        walk.walk(expected, got, name)
    type_problems = walk.structure + walk.datatype
    datatype = CheckResult("datatype", not type_problems, _describe_problems(type_problems))
    if walk.shape:
        shape = CheckResult("shape", False, _describe_problems(walk.shape))
    elif walk.structure:
        shape = CheckResult("shape", False, "not checked: the datatype check failed")
    else:
        shape = CheckResult("shape", True)
    if walk.output:
        output = CheckResult("output", False, _describe_problems(walk.output))
    elif walk.structure or walk.shape:
        output = CheckResult("output", False, "not checked: fix the checks above first")
    else:
        output = CheckResult("output", True)
    return datatype, shape, output


def outputs_close(a: Any, b: Any, *, rtol: float = 1e-5, atol: float = 1e-7) -> bool:
    """Whether two outputs agree in structure, shapes and values (types may differ).

    Used to recognise a classic mistake: the learner's output equals what a
    known wrong variant of the function returns.

    Examples
    --------
    >>> outputs_close((np.ones(2), 1.0), (np.ones(2) + 1e-9, 1.0))
    True
    """
    walk = _Walk(rtol, atol)
    walk.walk(a, b, "x")
    return not walk.structure and not walk.shape and not walk.output
