"""Checks of non-numeric inputs: sequences of strings, paths, seeds, models."""

from __future__ import annotations

import numbers
import os
from pathlib import Path
from typing import Any

import numpy as np

from course_cnn._checks._messages import describe, fail

# Seeds go to numpy.random.default_rng and Keras, which take ints in [0, 2**32).
SEED_MAX = 2**32 - 1


def check_strings(value: Any, name: str, *, min_len: int = 0) -> list[str]:
    """Require a sequence of str, never a bare str (read letter by letter).

    Parameters
    ----------
    value : object
        A list, tuple, array or other iterable of str.
    name : str
        Parameter name for messages.
    min_len : int, default 0
        Fewest items allowed.

    Returns
    -------
    list of str
        The items.

    Raises
    ------
    TypeError
        ``"`class_names` must be a sequence of str, not a single str; got 'car'."``
    ValueError
        For fewer than ``min_len`` items.

    Examples
    --------
    >>> check_strings(("car", "bus"), "class_names")
    ['car', 'bus']
    """
    requirement = "be a sequence of str"
    if isinstance(value, (str, bytes)):
        raise fail(name, requirement + ", not a single str (it would be read letter by letter)", describe(value), TypeError)
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise fail(name, requirement, describe(value), TypeError)
    try:
        items = list(value)
    except TypeError:
        raise fail(name, requirement, describe(value), TypeError) from None
    for item in items:
        if not isinstance(item, (str, np.str_)):
            raise fail(name, requirement, f"an item {describe(item)}", TypeError)
    if len(items) < min_len:
        raise fail(name, f"hold at least {min_len} str", f"{len(items)} items")
    return [str(item) for item in items]


def check_path(value: Any, name: str, *, exists: bool = False, what: str = "a file") -> Path:
    """Require a str or path-like; with ``exists``, an existing file or folder.

    Parameters
    ----------
    value : object
        The path.
    name : str
        Parameter name for messages.
    exists : bool, default False
        Require the path to exist.
    what : str, default "a file"
        What the path should point at, for messages ("a folder", "a PNG image").

    Returns
    -------
    pathlib.Path
        The path, with ``~`` expanded.

    Raises
    ------
    TypeError
        ``"`path` must be a str or path-like; got 123."``
    FileNotFoundError
        ``"`path` must be the path of an existing file; got 'x.png' (no such file)."``

    Examples
    --------
    >>> check_path("out.png", "path").name
    'out.png'
    """
    if not isinstance(value, (str, os.PathLike)) or isinstance(value, bytes):
        raise fail(name, "be a str or path-like", describe(value), TypeError)
    path = Path(value).expanduser()
    if exists and not path.exists():
        raise fail(name, f"be the path of an existing {what.removeprefix('a ').removeprefix('an ')}",
                   f"{str(value)!r} (no such file or folder)", FileNotFoundError)
    return path


def check_seed(value: Any, name: str = "seed", *, allow_none: bool = True) -> Any:
    """Require a seed: an int in [0, 2**32 - 1], or None (fresh randomness) or a numpy Generator.

    Parameters
    ----------
    value : object
        The seed.
    name : str, default "seed"
        Parameter name for messages.
    allow_none : bool, default True
        Accept ``None`` (fresh randomness) and a ``numpy.random.Generator``.

    Returns
    -------
    int, None or numpy.random.Generator
        The seed, for ``numpy.random.default_rng``.

    Raises
    ------
    TypeError, ValueError
        ``"`seed` must be an int in [0, 4294967295]; got -1."``

    Examples
    --------
    >>> check_seed(0)
    0
    """
    if allow_none and (value is None or isinstance(value, np.random.Generator)):
        return value
    requirement = f"be an int in [0, {SEED_MAX}]" + (" or None" if allow_none else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise fail(name, requirement, describe(value), TypeError)
    if not 0 <= int(value) <= SEED_MAX:
        raise fail(name, requirement, describe(value))
    return int(value)


def check_model(value: Any, name: str = "model") -> Any:
    """Require a Keras model (anything with ``layers`` and ``inputs`` that can be called).

    Parameters
    ----------
    value : object
        The model.
    name : str, default "model"
        Parameter name for messages.

    Returns
    -------
    keras.Model
        ``value``.

    Raises
    ------
    TypeError
        ``"`model` must be a Keras model; got None."``

    Examples
    --------
    >>> check_model(None)
    Traceback (most recent call last):
    ...
    TypeError: `model` must be a Keras model; got None.
    """
    if not (callable(value) and hasattr(value, "layers") and hasattr(value, "inputs")):
        raise fail(name, "be a Keras model", describe(value), TypeError)
    return value
