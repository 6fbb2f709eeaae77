"""Input validation: the one place where user input is checked.

Every public function of the package validates its arguments here and then
calls a private kernel that assumes valid input ("check at the edge, compute
inside"). All messages follow one template::

    `<name>` must <requirement>; got <received>.

for example ``"`boxes` must have shape (..., 4); got shape (19, 19, 5, 3)."``
so that a learner always sees which parameter is wrong, what is allowed and
what was passed. Nothing here imports TensorFlow: tensors are read through
their ``shape``/``dtype`` attributes or converted with ``numpy.asarray``.
"""

from __future__ import annotations

import numbers
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = [
    "CourseCNNWarning",
    "fail",
    "describe",
    "check_array",
    "check_ndim",
    "check_shape",
    "check_dtype_kind",
    "check_finite",
    "check_int",
    "check_positive_int",
    "check_non_negative_int",
    "check_number",
    "check_probability",
    "check_choice",
    "check_same_leading_dims",
]


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


def _shape_of(x: Any) -> tuple:
    shape = getattr(x, "shape", None)
    if shape is None:
        shape = np.shape(x)
    return tuple(None if d is None else int(d) for d in tuple(shape))


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int | None = None,
    shape: Sequence | None = None,
    kinds: str = "biuf",
    finite: bool = False,
    dtype: Any = None,
) -> np.ndarray:
    """Convert ``x`` to a numpy array and validate it.

    Parameters
    ----------
    x : array_like
        Anything ``numpy.asarray`` accepts (lists, arrays, tensors).
    name : str
        Parameter name for messages.
    ndim : int, optional
        Required number of dimensions.
    shape : sequence, optional
        Required shape pattern, see :func:`check_shape`.
    kinds : str, default "biuf"
        Allowed numpy dtype kinds (bool, signed, unsigned, float).
    finite : bool, default False
        Reject NaN and infinite entries.
    dtype : numpy dtype, optional
        Cast to this dtype after the checks (ints to float, say).

    Returns
    -------
    ndarray
        The validated array.

    Raises
    ------
    TypeError
        For a dtype outside ``kinds`` or an object that is not array-like.
    ValueError
        For a wrong rank, shape, or non-finite values.

    Examples
    --------
    >>> check_array([[1, 2]], "X", ndim=2, dtype=np.float64).dtype
    dtype('float64')
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists, exotic objects
        raise fail(name, "be array-like", f"{describe(x)} ({exc})", TypeError) from None
    check_dtype_kind(arr, name, kinds)
    if ndim is not None:
        check_ndim(arr, name, ndim)
    if shape is not None:
        check_shape(arr, name, shape)
    if finite:
        check_finite(arr, name)
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    return arr


def check_ndim(x: Any, name: str, ndim: int, dims: str | None = None) -> None:
    """Require ``x`` to have exactly ``ndim`` dimensions.

    Parameters
    ----------
    x : array_like
        Array or tensor (only its shape is read).
    name : str
        Parameter name for messages.
    ndim : int
        Required rank.
    dims : str, optional
        Names of the dimensions for the message, e.g. ``"(m, n_H, n_W, n_C)"``.

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    ValueError
        ``"`A_prev` must have 4 dimensions (m, n_H, n_W, n_C); got shape (3, 3)."``

    Examples
    --------
    >>> check_ndim(np.zeros((2, 2)), "X", 2)
    """
    got = _shape_of(x)
    if len(got) != ndim:
        plural = "dimension" if ndim == 1 else "dimensions"
        what = f"have {ndim} {plural}" + (f" {dims}" if dims else "")
        raise fail(name, what, f"shape {_shape_str(got)}")


def check_shape(x: Any, name: str, shape: Sequence) -> None:
    """Require ``x`` to match a shape pattern.

    Parameters
    ----------
    x : array_like
        Array or tensor (only its shape is read).
    name : str
        Parameter name for messages.
    shape : sequence of int, None or Ellipsis
        The pattern: an int fixes a dimension, ``None`` accepts any size, and
        a leading ``...`` accepts any number of leading dimensions. For
        example ``(..., 4)`` is "anything ending in 4".

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    ValueError
        ``"`boxes` must have shape (..., 4); got shape (19, 19, 5, 3)."``

    Examples
    --------
    >>> check_shape(np.zeros((19, 19, 5, 4)), "boxes", (..., 4))
    """
    got = _shape_of(x)
    pattern = tuple(shape)
    leading = len(pattern) > 0 and pattern[0] is Ellipsis
    fixed = pattern[1:] if leading else pattern
    ok = len(got) >= len(fixed) if leading else len(got) == len(fixed)
    if ok:
        tail = got[len(got) - len(fixed):] if fixed else ()
        ok = all(want is None or have is None or want == have for want, have in zip(fixed, tail))
    if not ok:
        parts = (["..."] if leading else []) + ["None" if d is None else str(d) for d in fixed]
        wanted = "(" + ", ".join(parts) + ("," if len(parts) == 1 and not leading else "") + ")"
        raise fail(name, f"have shape {wanted}", f"shape {_shape_str(got)}")


def check_dtype_kind(x: Any, name: str, kinds: str = "biuf") -> None:
    """Require the dtype of ``x`` to be of one of the numpy ``kinds``.

    Parameters
    ----------
    x : array_like
        Array or tensor.
    name : str
        Parameter name for messages.
    kinds : str, default "biuf"
        Allowed numpy dtype kinds: ``b`` bool, ``i`` int, ``u`` unsigned,
        ``f`` float, ``c`` complex.

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    TypeError
        ``"`X` must have a bool, int, unsigned int or float dtype; got dtype <U1."``

    Examples
    --------
    >>> check_dtype_kind(np.zeros(2), "X", "f")
    """
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = np.asarray(x).dtype
    # TensorFlow dtypes carry their numpy twin in `as_numpy_dtype`.
    np_dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    if np_dtype.kind not in kinds:
        names = [_KIND_NAMES[k] for k in kinds]
        allowed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        raise fail(name, f"have a {allowed} dtype", f"dtype {np_dtype}", TypeError)


def check_finite(x: Any, name: str) -> None:
    """Require every entry of ``x`` to be finite (no NaN, no inf).

    Parameters
    ----------
    x : array_like
        Numeric array or tensor.
    name : str
        Parameter name for messages.

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    ValueError
        ``"`A_prev` must contain only finite values; got 2 NaN or infinite entries."``

    Examples
    --------
    >>> check_finite(np.ones(3), "x")
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "fc":
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        if bad:
            raise fail(name, "contain only finite values", f"{bad} NaN or infinite entr{'y' if bad == 1 else 'ies'}")


def check_int(value: Any, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """Require an integer (not a bool) within ``[minimum, maximum]``.

    Parameters
    ----------
    value : object
        The value to check; numpy integers are accepted.
    name : str
        Parameter name for messages.
    minimum, maximum : int, optional
        Inclusive bounds.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    TypeError
        ``"`f` must be an int; got 2.5."``
    ValueError
        ``"`f` must be an int in [1, 8]; got 9."``

    Examples
    --------
    >>> check_int(3, "f", minimum=1)
    3
    """
    if minimum == 1 and maximum is None:
        requirement = "be a positive int"
    elif minimum == 0 and maximum is None:
        requirement = "be a non-negative int"
    elif minimum is not None and maximum is not None:
        requirement = f"be an int in [{minimum}, {maximum}]"
    elif minimum is not None:
        requirement = f"be an int >= {minimum}"
    elif maximum is not None:
        requirement = f"be an int <= {maximum}"
    else:
        requirement = "be an int"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise fail(name, requirement, describe(value), TypeError)
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise fail(name, requirement, describe(value))
    return value


def check_positive_int(value: Any, name: str) -> int:
    """Require an int >= 1 (a stride, a filter size, a count).

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        Parameter name for messages.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    TypeError, ValueError
        ``"`stride` must be a positive int; got 0."``

    Examples
    --------
    >>> check_positive_int(2, "stride")
    2
    """
    return check_int(value, name, minimum=1)


def check_non_negative_int(value: Any, name: str) -> int:
    """Require an int >= 0 (a padding, an index).

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        Parameter name for messages.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    TypeError, ValueError
        ``"`pad` must be a non-negative int; got -1."``

    Examples
    --------
    >>> check_non_negative_int(0, "pad")
    0
    """
    return check_int(value, name, minimum=0)


def check_number(
    value: Any,
    name: str,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Require a finite real number within optional bounds.

    Parameters
    ----------
    value : object
        The value to check (Python or numpy scalar, or a 0-d array).
    name : str
        Parameter name for messages.
    low, high : float, optional
        Bounds.
    low_inclusive, high_inclusive : bool, default True
        Whether each bound is allowed.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    TypeError
        ``"`alpha` must be a real number; got 'a'."``
    ValueError
        ``"`alpha` must be a real number >= 0; got -0.1."``

    Examples
    --------
    >>> check_number(0.2, "alpha", low=0)
    0.2
    """
    parts = []
    if low is not None and high is not None:
        parts.append(f"in {'[' if low_inclusive else '('}{low:g}, {high:g}{']' if high_inclusive else ')'}")
    elif low is not None:
        parts.append(f"{'>=' if low_inclusive else '>'} {low:g}")
    elif high is not None:
        parts.append(f"{'<=' if high_inclusive else '<'} {high:g}")
    requirement = "be a real number" + (" " + parts[0] if parts else "")
    if isinstance(value, (bool, np.bool_)):
        raise fail(name, requirement, describe(value), TypeError)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise fail(name, requirement, describe(value), TypeError)
    value = float(value)
    too_low = low is not None and (value < low or (value == low and not low_inclusive))
    too_high = high is not None and (value > high or (value == high and not high_inclusive))
    if not np.isfinite(value) or too_low or too_high:
        raise fail(name, requirement, describe(value))
    return value


def check_probability(value: Any, name: str) -> float:
    """Require a probability, a real number in [0, 1].

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        Parameter name for messages.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    TypeError, ValueError
        ``"`threshold` must be a probability in [0, 1]; got 1.5."``

    Examples
    --------
    >>> check_probability(0.6, "threshold")
    0.6
    """
    requirement = "be a probability in [0, 1]"
    try:
        return check_number(value, name, 0.0, 1.0)
    except TypeError:
        raise fail(name, requirement, describe(value), TypeError) from None
    except ValueError:
        raise fail(name, requirement, describe(value)) from None


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Require ``value`` to be one of the strings in ``choices``.

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        Parameter name for messages.
    choices : iterable of str
        The allowed values.

    Returns
    -------
    str
        ``value``.

    Raises
    ------
    ValueError
        ``"`mode` must be one of 'max', 'average'; got 'min'."``

    Examples
    --------
    >>> check_choice("max", "mode", ("max", "average"))
    'max'
    """
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise fail(name, f"be one of {allowed}", describe(value))
    return value


def check_same_leading_dims(arrays: dict[str, Any], n_dims: int | None = None) -> None:
    """Require several arrays to share their leading dimensions.

    Parameters
    ----------
    arrays : dict of str to array_like
        Parameter name -> array, in the order the user passed them; the first
        is the reference.
    n_dims : int, optional
        Number of leading dimensions to compare; by default all but the last.

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    ValueError
        ``"`box_confidence` must have the same leading dimensions as `boxes`
        (19, 19, 5); got shape (19, 19, 3, 1)."``

    Examples
    --------
    >>> check_same_leading_dims({"a": np.zeros((3, 4)), "b": np.zeros((3, 1))})
    """
    items = list(arrays.items())
    ref_name, ref = items[0]
    ref_shape = _shape_of(ref)
    k = len(ref_shape) - 1 if n_dims is None else n_dims
    want = ref_shape[:k]
    for name, arr in items[1:]:
        got = _shape_of(arr)
        if got[:k] != want:
            raise fail(
                name,
                f"have the same leading dimensions as `{ref_name}` {_shape_str(want)}",
                f"shape {_shape_str(got)}",
            )
