"""Check suites: cases, hints, and how a suite knows its reference.

A `Suite` grades one function. Its cases build fresh inputs each time
they are asked (so a function that changes its inputs in place cannot spoil
the reference's run), the expected output comes from running our reference
implementation on those inputs, and its hints recognise classic mistakes,
usually by running a known wrong *variant* of the function on the same inputs
and seeing whether the learner's output equals it (`same_as`).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from course_cnn._checks import check_non_negative_int, check_number, describe, fail
from course_cnn.grading._compare import compare_outputs, outputs_close, shape_of


def _check_callable(value: Any, name: str) -> None:
    if not callable(value):
        raise fail(name, "be callable (a function of the case's CaseData)", describe(value), TypeError)


def _check_comparison(variant: Any, variant_name: str, part: Any, rtol: Any, atol: Any) -> None:
    """The arguments shared by `same_as` and `same_outcome`, checked when the hint is built."""
    _check_callable(variant, variant_name)
    if part is not None:
        check_non_negative_int(part, "part")
    check_number(rtol, "rtol", low=0)
    check_number(atol, "atol", low=0)



@dataclass(frozen=True)
class Case:
    """One set of inputs for a graded function.

    Parameters
    ----------
    name : str
        What the case exercises, e.g. ``"seed 1, pad 0, stride 2"``.
    make : callable
        ``make() -> (args, kwargs)``: builds fresh inputs (deterministic:
        the same values at every call). ``args`` is a dict ``name -> value``
        passed positionally in its order; ``kwargs`` is passed by keyword.

    Examples
    --------
    >>> case = Case("two numbers", lambda: ({"a": 1.0, "b": 2.0}, {}))
    >>> case.make()[0]["b"]
    2.0
    """

    name: str
    make: Callable[[], tuple[dict, dict]]


@dataclass
class CaseData:
    """What a hint sees: the inputs, the expected output, and what the learner's function did.

    Parameters
    ----------
    args : dict
        Positional inputs by name (fresh copies, safe to use).
    kwargs : dict
        Keyword inputs.
    expected : object
        The reference's output.
    got : object
        The learner's output (None when it raised).
    error : BaseException, optional
        What the learner's function raised.
    reference : callable
        The reference implementation (to compute variants).
    """

    args: dict
    kwargs: dict
    expected: Any
    got: Any
    error: BaseException | None
    reference: Callable


@dataclass(frozen=True)
class Hint:
    """Advice shown when a failed case looks like a known mistake.

    Parameters
    ----------
    text : str
        The advice, in the second person.
    applies : callable
        ``applies(data: CaseData) -> bool``. Exceptions inside count as False.

    Examples
    --------
    >>> hint = Hint("Return a tuple.", lambda d: not isinstance(d.got, tuple))
    >>> hint.matches(CaseData({}, {}, (1,), 1, None, None))
    True
    """

    text: str
    applies: Callable[[CaseData], bool]

    def matches(self, data: CaseData) -> bool:
        """Whether the hint applies (False when its test raises)."""
        try:
            return bool(self.applies(data))
        except Exception:
            return False


def same_as(variant: Callable[[CaseData], Any], *, part: int | None = None, rtol: float = 1e-5,
            atol: float = 1e-7) -> Callable:
    """Hint test: the learner's output equals a known wrong variant's, and the variant's differs from the right one.

    The second condition keeps a hint quiet on a case where the mistake
    makes no difference (an empty result, a 1 x 1 window, pad 0): there
    the learner's output says nothing about the mistake.

    Parameters
    ----------
    variant : callable
        ``variant(data) -> output`` computing what the mistake would return
        on the case's inputs (often the reference on modified inputs); None
        when the mistake cannot be recognised on this case.
    part : int, optional
        Compare only this element of a tuple output (``0`` for ``Z`` of
        ``(Z, cache)``); ``variant`` then returns that element.
    rtol, atol : float
        Tolerances of the comparison.

    Returns
    -------
    callable
        A test for `Hint`.

    Examples
    --------
    >>> test = same_as(lambda d: -d.expected)
    >>> test(CaseData({}, {}, np.ones(2), -np.ones(2), None, None))
    True
    >>> test(CaseData({}, {}, np.zeros(2), np.zeros(2), None, None))  # -0 == 0: the mistake changes nothing
    False
    """
    _check_comparison(variant, "variant", part, rtol, atol)

    def applies(data: CaseData) -> bool:
        got, expected = data.got, data.expected
        if part is not None:
            if not isinstance(got, (tuple, list)) or len(got) <= part:
                return False
            got, expected = got[part], expected[part]
        if got is None:
            return False
        wrong = variant(data)
        if wrong is None:
            return False
        return (outputs_close(wrong, got, rtol=rtol, atol=atol)
                and not outputs_close(wrong, expected, rtol=rtol, atol=atol))

    return applies


def same_outcome(simulate: Callable[[CaseData], Any], *, part: int | None = None, rtol: float = 1e-5,
                 atol: float = 1e-7) -> Callable:
    """Hint test: the learner's function did what a known mistake does on the case's inputs.

    ``simulate(data)`` runs the mistake itself (the learner's wrong line,
    written out) on the case's inputs. When it returns, the test is
    `same_as` it; when it raises, the test asks whether the learner's
    function raised the same error: the same type and message (for numpy's
    broadcasting errors, the same shapes in any order, as ``a * W`` and
    ``W * a`` list them in turn).

    Parameters
    ----------
    simulate : callable
        ``simulate(data) -> output``, raising what the mistake raises.
    part, rtol, atol
        As for `same_as`.

    Returns
    -------
    callable
        A test for `Hint`.

    Examples
    --------
    >>> test = same_outcome(lambda d: d.args["x"] == max(d.args["x"]))
    >>> x = np.zeros((2, 2))
    >>> error = ValueError("The truth value of an array with more than one element is ambiguous. "
    ...                    "Use a.any() or a.all()")
    >>> test(CaseData({"x": x}, {}, None, None, error, None))
    True
    """
    _check_comparison(simulate, "simulate", part, rtol, atol)
    as_output = same_as(simulate, part=part, rtol=rtol, atol=atol)

    def applies(data: CaseData) -> bool:
        if data.error is None:
            return as_output(data)
        try:
            simulate(data)
        except Exception as exc:  # the mistake's own error
            return type(exc) is type(data.error) and _error_key(exc) == _error_key(data.error)
        return False

    return applies


def _error_key(exc: BaseException):
    message = str(exc)
    if "broadcast" in message:  # numpy lists the operands' shapes in the order of the learner's expression
        return sorted(re.findall(r"\([\d, ]*\)", message))
    return message


def any_of(*tests: Callable) -> Callable:
    """Hint test: at least one of ``tests`` applies (each one's exceptions count as False).

    Parameters
    ----------
    *tests : callable
        Hint tests, each ``test(data) -> bool``.

    Returns
    -------
    callable
        ``applies(data) -> bool``, true when any of ``tests`` is.

    Examples
    --------
    >>> test = any_of(lambda d: 1 / 0, lambda d: d.got == 2)
    >>> test(CaseData({}, {}, 1, 2, None, None))
    True
    """
    for index, test in enumerate(tests):
        _check_callable(test, f"tests[{index}]")

    def applies(data: CaseData) -> bool:
        return any(Hint("", test).matches(data) for test in tests)

    return applies


def error_matches(pattern: str) -> Callable:
    """Hint test: the learner's function raised an error whose message matches ``pattern``.

    Parameters
    ----------
    pattern : str
        A regular expression, searched (case-insensitively) in
        ``"<ExceptionType>: <message>"``.

    Returns
    -------
    callable
        A test for `Hint`.

    Examples
    --------
    >>> test = error_matches("incompatible shapes")
    >>> test(CaseData({}, {}, None, None, ValueError("Incompatible shapes: (2,) vs (3,)"), None))
    True
    """
    if not isinstance(pattern, str):
        raise fail("pattern", "be a regular expression (a str)", describe(pattern), TypeError)
    try:
        regex = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise fail("pattern", "be a valid regular expression", f"{pattern!r} ({exc})") from None

    def applies(data: CaseData) -> bool:
        return data.error is not None and bool(regex.search(f"{type(data.error).__name__}: {data.error}"))

    return applies


def _describe_value(value: Any) -> str:
    plain = isinstance(value, (tuple, list)) and all(isinstance(v, (int, float, str)) for v in value)
    if isinstance(value, (dict, str, int, float, bool)) or value is None or plain:
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, (list, tuple)) and all(shape_of(v) is not None for v in value):
        inner = ", ".join(_describe_value(v) for v in value[:4]) + (", ..." if len(value) > 4 else "")
        return f"{type(value).__name__} of {len(value)} [{inner}]"
    shape = shape_of(value)
    if shape is not None:
        dtype = np.asarray(value).dtype
        kind = "tensor" if "tensorflow" in type(value).__module__ else "array"
        return f"{kind} {dtype} {shape}" if shape else f"{dtype} {_short(value)}"
    return type(value).__name__


def _short(value: Any) -> str:
    x = np.asarray(value).item()
    return f"{x:.4g}" if isinstance(x, float) else repr(x)


def describe_inputs(args: dict, kwargs: dict) -> str:
    """Inputs as ``name type dtype shape`` for a report line.

    Examples
    --------
    >>> describe_inputs({"X": np.zeros((2, 3))}, {"pad": 1})
    'X array float64 (2, 3), pad 1'
    """
    return ", ".join(f"{k} {_describe_value(v)}" for k, v in {**args, **kwargs}.items())


@dataclass(frozen=True)
class Suite:
    """The checks for one graded function.

    Parameters
    ----------
    key : str
        ``"<week>.<function name>"``, e.g. ``"week1.conv_forward"``.
    reference : str
        Where our implementation lives, ``"module:attribute"``.
    cases : callable
        ``cases() -> list of Case`` (called at grading time, so inputs may use
        other reference functions, e.g. a cache from ``conv_forward``).
    hints : tuple of Hint, default ()
        Classic mistakes and their advice.
    output_names : tuple of str, optional
        Names of the elements of a tuple output, used in messages.
    rtol, atol : float
        Tolerances of the output check.
    compare : callable, optional
        ``compare(expected, got, suite) -> (datatype, shape, output)`` to
        replace `compare_outputs` (e.g. for Keras models).
    summary : str, default ""
        One line on what is graded.
    timeout : float, default 10.0
        Seconds each case may run before it is stopped (`grade`'s
        ``timeout`` overrides it); more for the suites that build a big
        model or run a pretrained network.

    Examples
    --------
    >>> suite = Suite("demo.square", "numpy:square", lambda: [Case("3", lambda: ({"x": 3.0}, {}))])
    >>> suite.function_name
    'square'
    """

    key: str
    reference: str
    cases: Callable[[], list[Case]]
    hints: tuple[Hint, ...] = ()
    output_names: tuple[str, ...] | None = None
    rtol: float = 1e-5
    atol: float = 1e-7
    compare: Callable | None = None
    summary: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    timeout: float = 10.0

    @property
    def function_name(self) -> str:
        """The graded function's name (the key's last part)."""
        return self.key.rsplit(".", 1)[-1]

    def load_reference(self) -> Callable:
        """Import and return our reference implementation."""
        module_name, _, attribute = self.reference.partition(":")
        return getattr(importlib.import_module(module_name), attribute)

    def check(self, expected: Any, got: Any):
        """Run the datatype, shape and output checks."""
        if self.compare is not None:
            return self.compare(expected, got, self)
        return compare_outputs(expected, got, rtol=self.rtol, atol=self.atol, output_names=self.output_names)
