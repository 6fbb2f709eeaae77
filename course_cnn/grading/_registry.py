"""The registry of check suites, one private module per week.

Suites are keyed ``"<week>.<function>"`` (``"week1.conv_forward"``,
``"week3.iou"``, ``"week4.triplet_loss"``). Each ``course_cnn.grading._<week>``
module defines ``SUITES``, a list of `Suite`;
importing it is cheap (references are imported when a suite runs).
"""

from __future__ import annotations

import difflib
import importlib
from functools import lru_cache

from course_cnn._checks import describe, fail
from course_cnn.grading._suite import Suite


# In the course's order.
_SUITE_MODULES = ("_week1", "_week2", "_week2_mobile", "_week3", "_week3_segmentation", "_week4_face", "_week4_style",
                  "_strategy", "_scdv")


@lru_cache(maxsize=1)
def _all_suites() -> dict[str, Suite]:
    found: dict[str, Suite] = {}
    for name in _SUITE_MODULES:
        try:
            module = importlib.import_module(f"course_cnn.grading.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"course_cnn.grading.{name}":
                continue  # that week has no suites (yet)
            raise
        for suite in module.SUITES:
            found[suite.key] = suite
    return found


def suites() -> list[Suite]:
    """Every registered suite, in the course's order.

    Returns
    -------
    list of Suite
        The suites.

    Examples
    --------
    >>> all(s.key.count(".") == 1 for s in suites())
    True
    """
    return list(_all_suites().values())


def exercises(prefix: str | None = None) -> list[str]:
    """Keys of the registered exercises, in the course's order.

    Parameters
    ----------
    prefix : str, optional
        Keep only keys starting with it (``"week1"``).

    Returns
    -------
    list of str
        Keys such as ``"week1.conv_forward"``.

    Examples
    --------
    >>> exercises("nothing-starts-like-this")
    []
    """
    if prefix is not None and not isinstance(prefix, str):
        raise fail("prefix", "be a str such as 'week1', or None", describe(prefix), TypeError)
    return [key for key in _all_suites() if prefix is None or key.startswith(prefix)]


def get_suite(name: str) -> Suite:
    """The suite for an exercise key, or for a function name when it is unambiguous.

    Parameters
    ----------
    name : str
        ``"week1.conv_forward"`` or just ``"conv_forward"``.

    Returns
    -------
    Suite
        The suite.

    Raises
    ------
    TypeError
        When ``name`` is not a string.
    ValueError
        When no suite (or more than one) has that name; the message lists
        the closest keys.

    Examples
    --------
    >>> get_suite("no_such_exercise")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `name` must be the name of a graded exercise ...
    """
    return find_suite(name, "name")


def find_suite(name: str, parameter: str) -> Suite:
    """`get_suite`, with messages naming the caller's parameter (``exercise`` for `grade`)."""
    if not isinstance(name, str):
        raise fail(parameter, "be an exercise name such as 'week1.conv_forward'", describe(name), TypeError)
    table = _all_suites()
    if name in table:
        return table[name]
    matches = [s for s in table.values() if s.function_name == name]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        keys = ", ".join(repr(s.key) for s in matches)
        raise fail(parameter, f"name one exercise; '{name}' could be {keys}", repr(name))
    close = difflib.get_close_matches(name, list(table) + [s.function_name for s in table.values()], n=3)
    suggestion = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise fail(parameter, "be the name of a graded exercise (see course_cnn.grading.exercises())" + suggestion,
               repr(name))
