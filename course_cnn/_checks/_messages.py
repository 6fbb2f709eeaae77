"""The message template, the warning category and value descriptions."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

class CourseCNNWarning(UserWarning):
    """Warning category for everything this package warns about.

    The test suite turns it into an error, so a warning the package emits
    on purpose must be caught with ``pytest.warns``.
    """


# numpy dtype kinds, named for messages.
_KIND_NAMES = {
    "b": "bool",
    "i": "int",
    "u": "unsigned int",
    "f": "float",
    "c": "complex",
    "U": "str",
    "S": "bytes",
    "O": "object",
}


def fail(name: str, requirement: str, received: str, error: type = ValueError) -> Exception:
    """Build the package's standard error for parameter ``name``.

    Parameters
    ----------
    name : str
        The parameter's name as the user wrote it (``"boxes"``).
    requirement : str
        What is allowed, phrased to follow "must" (``"have shape (..., 4)"``).
    received : str
        What was passed, phrased to follow "got" (``"shape (19, 19, 5, 3)"``).
    error : type, default ValueError
        The exception class, ``ValueError`` or ``TypeError``.

    Returns
    -------
    Exception
        The exception, for the caller to ``raise``.

    Examples
    --------
    >>> str(fail("pad", "be a non-negative int", "-1"))
    '`pad` must be a non-negative int; got -1.'
    """
    return error(f"`{name}` must {requirement}; got {received}.")


def describe(value: Any) -> str:
    """Short description of ``value`` for an error message.

    Parameters
    ----------
    value : object
        Anything the user passed.

    Returns
    -------
    str
        ``repr`` for scalars and strings, ``"<type> of shape (...)"`` for arrays.

    Examples
    --------
    >>> describe(np.zeros((2, 3)))
    'ndarray of shape (2, 3)'
    >>> describe("min")
    "'min'"
    """
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, np.generic):
        return f"{type(value).__name__} of shape {_shape_str(shape)}"
    if isinstance(value, (str, bool, numbers.Number, type(None), np.generic)):
        return repr(value.item() if isinstance(value, np.generic) else value)
    return f"{type(value).__name__} {value!r}"[:200]


def _shape_str(shape: Any) -> str:
    dims = tuple(None if d is None else int(d) for d in tuple(shape))
    if len(dims) == 1:
        return f"({dims[0]},)"
    return "(" + ", ".join("None" if d is None else str(d) for d in dims) + ")"


def _shape_of(x: Any, name: str | None = None) -> tuple:
    """The shape of an array, tensor or nested list; a ragged list is refused by ``name``."""
    shape = getattr(x, "shape", None)
    if shape is None:
        try:
            shape = np.shape(x)
        except ValueError:  # numpy's "inhomogeneous shape": rows of different lengths
            if name is None:
                raise
            raise fail(name, "be array-like with equal lengths along each axis (not ragged)", describe(x)) from None
    return tuple(None if d is None else int(d) for d in tuple(shape))
