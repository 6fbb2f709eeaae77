"""Checks of scalars: ints, real numbers, probabilities, string choices."""

from __future__ import annotations

import numbers
from typing import Any, Iterable

import numpy as np

from course_cnn._checks._messages import describe, fail


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
    if not np.isfinite(value):
        raise fail(name, requirement.replace("a real", "a finite real", 1), describe(value))
    if too_low or too_high:
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
