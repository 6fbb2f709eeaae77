"""``grade(function, exercise)``: run a suite on any callable."""

from __future__ import annotations

import os
import traceback
import warnings
from typing import Callable

from course_cnn._checks import check_number, describe, fail
from course_cnn.grading._registry import find_suite
from course_cnn.grading._report import (ERROR, FAILED, NOT_IMPLEMENTED, PASSED, TIMED_OUT, CaseResult, CheckResult,
                                        GradeReport)
from course_cnn.grading._suite import Case, CaseData, Suite, describe_inputs
from course_cnn.grading._time_limit import CaseTimeout, call_with_time_limit



def grade(function: Callable, exercise: str | Suite, *, timeout: float | None = None) -> GradeReport:
    """Grade a function against the check suite of a course exercise.

    Every case builds fresh inputs (several random seeds and the edge cases
    of the exercise), runs our reference implementation on them for the
    expected output, runs ``function`` on an identical copy, and applies
    three checks: the datatype (numpy array, tensor or number, float or int;
    the tuple structure), the shape, and the values (``numpy.isclose``). A
    failed case lists what differed, and a hint when the failure looks like
    a classic mistake. A function that raises ``NotImplementedError`` (an
    exercise stub) is reported as "not implemented yet"; a case that runs
    longer than ``timeout`` seconds (an endless loop, say) is stopped and
    reported as "did not finish", and grading goes on with the next case.

    Parameters
    ----------
    function : callable
        The function to grade (yours, or anything with the course's signature).
    exercise : str or Suite
        The exercise's key, e.g. ``"week1.conv_forward"``, or just the
        function's name when unambiguous (``"conv_forward"``); or a
        `Suite` of your own.
    timeout : float, optional
        Seconds each case may run; default the suite's own limit (10 s, more
        for the suites that build a big model or run a pretrained network).

    Returns
    -------
    GradeReport
        The cases and ``score``, the fraction of cases passed (0 to 1). It
        prints as text, and as a table in a notebook.

    Raises
    ------
    TypeError
        When ``function`` is not callable or ``exercise`` is not a name.
    ValueError
        When ``exercise`` names no registered suite (the message lists the
        closest names), or ``timeout`` is not a positive number.

    Examples
    --------
    >>> import numpy as np
    >>> from course_cnn.grading import Case, Suite
    >>> suite = Suite("demo.square", "numpy:square",
    ...               lambda: [Case(f"seed {s}", lambda s=s: ({"x": np.arange(3.0) + s}, {})) for s in range(2)])
    >>> report = grade(lambda x: x * x, suite)
    >>> report.score
    1.0
    >>> grade(lambda x: x + x, suite).score
    0.0
    """
    suite = exercise if isinstance(exercise, Suite) else find_suite(exercise, "exercise")
    if not callable(function):
        raise fail("function", "be callable (pass the function itself, without calling it)", describe(function),
                   TypeError)
    limit = suite.timeout if timeout is None else check_number(timeout, "timeout", low=0, low_inclusive=False)
    reference = suite.load_reference()
    results: list[CaseResult] = []
    cases = suite.cases()
    for index, case in enumerate(cases):
        result = _run_case(suite, case, function, reference, limit)
        results.append(result)
        if result.status == NOT_IMPLEMENTED:  # a stub: every other case would say the same
            results.extend(CaseResult(c.name, "", NOT_IMPLEMENTED) for c in cases[index + 1:])
            break
    name = getattr(function, "__name__", type(function).__name__)
    return GradeReport(suite.key, name, tuple(results))


def _run_case(suite: Suite, case: Case, function: Callable, reference: Callable, timeout: float) -> CaseResult:
    args, kwargs = case.make()
    inputs = describe_inputs(args, kwargs)
    try:  # the learner's function first: a stub needs no reference run
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = call_with_time_limit(function, tuple(args.values()), kwargs, timeout)
    except CaseTimeout:
        return CaseResult(case.name, inputs, TIMED_OUT,
                          error=f"case {case.name!r} did not finish in {timeout:g} s: stopped there, and grading went "
                                "on with the next case (a loop that never ends? check its stopping condition)")
    except NotImplementedError:
        return CaseResult(case.name, inputs, NOT_IMPLEMENTED)
    except Exception as exc:  # the learner's bug: report it, do not crash
        got, error = None, exc
    else:
        error = None
    ref_args, ref_kwargs = case.make()  # fresh inputs: the learner's function may have changed its own
    try:
        expected = reference(*ref_args.values(), **ref_kwargs)
    except Exception as exc:  # not the learner's fault: say so plainly
        raise RuntimeError(f"the reference {suite.reference} failed on case {case.name!r} of {suite.key} "
                           f"({type(exc).__name__}: {exc}); this is a bug in the check suite") from exc
    if error is not None:
        data = CaseData(*case.make(), expected, None, error, reference)
        hints = _matching_hints(suite, data)
        return CaseResult(case.name, inputs, ERROR, error=_describe_error(error), hints=hints)
    try:
        checks = tuple(suite.check(expected, got))
    except Exception as exc:  # an output the checks cannot read at all
        checks = (CheckResult("datatype", False, f"could not read the output ({type(exc).__name__}: {exc})"),)
    if all(c.passed for c in checks):
        return CaseResult(case.name, inputs, PASSED, checks)
    data = CaseData(*case.make(), expected, got, None, reference)
    hints = _matching_hints(suite, data)
    return CaseResult(case.name, inputs, FAILED, checks, hints=hints)


def _matching_hints(suite: Suite, data: CaseData) -> tuple[str, ...]:
    """The texts of the suite's hints that match (a mistake's simulation may warn: quietly)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(h.text for h in suite.hints if h.matches(data))


def _describe_error(exc: BaseException) -> str:
    """``"IndexError: ... (line 12 of <cell 3>: `Z[i] = ...`)"``: the error and the learner's line."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if not _is_library(f.filename)]
    where = ""
    if mine:
        frame = mine[-1]
        line = f": `{frame.line.strip()}`" if frame.line else ""
        where = f" (in {frame.name}, line {frame.lineno} of {os.path.basename(frame.filename)}{line})"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(message) > 300:
        message = message[:297] + "..."
    return f"{type(exc).__name__}: {message}{where}"


def _is_library(filename: str) -> bool:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the course_cnn package
    return filename.startswith(here) or "site-packages" in filename or f"{os.sep}lib{os.sep}python" in filename

