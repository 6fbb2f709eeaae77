"""Grading reports: what ran, what passed, and what to fix.

A `GradeReport` holds the `CaseResult` of every case of one
exercise; each case holds its three `CheckResult` (datatype, shape,
output). Reports print as text in a terminal (``str``), as a table in a
notebook (``_repr_html_``), and through IPython's pretty printer.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field


PASSED, FAILED, ERROR, NOT_IMPLEMENTED = "passed", "failed", "error", "not implemented"
TIMED_OUT = "timed out"

_MARKS = {PASSED: "PASS", FAILED: "FAIL", ERROR: "ERROR", NOT_IMPLEMENTED: "TODO", TIMED_OUT: "TIME"}
_COLOURS = {PASSED: "#1a7f37", FAILED: "#cf222e", ERROR: "#cf222e", NOT_IMPLEMENTED: "#9a6700", TIMED_OUT: "#cf222e"}


@dataclass(frozen=True)
class CheckResult:
    """One check of one case.

    Parameters
    ----------
    name : str
        ``"datatype"``, ``"shape"`` or ``"output"``.
    passed : bool
        Whether the check passed.
    message : str, default ""
        What differed, when it failed.

    Examples
    --------
    >>> CheckResult("shape", False, "Z: expected shape (2, 3), got (3, 2)").passed
    False
    """

    name: str
    passed: bool
    message: str = ""


@dataclass(frozen=True)
class CaseResult:
    """The outcome of calling the learner's function on one case.

    Parameters
    ----------
    name : str
        The case, e.g. ``"seed 1, pad 0, stride 2"``.
    inputs : str
        The inputs' types and shapes, e.g. ``"A_prev float64 (2, 5, 7, 4), ..."``.
    status : str
        ``"passed"``, ``"failed"``, ``"error"`` (the function raised),
        ``"not implemented"`` (it raised ``NotImplementedError``) or
        ``"timed out"`` (it was stopped at the time limit).
    checks : tuple of CheckResult, default ()
        The datatype, shape and output checks (empty when the call raised).
    error : str, optional
        The exception and where it was raised, for ``"error"``; what
        happened, for ``"timed out"``.
    hints : tuple of str, default ()
        Advice for the classic mistakes this failure looks like.

    Examples
    --------
    >>> CaseResult("seed 0", "x float64 (3,)", "passed").passed
    True
    """

    name: str
    inputs: str
    status: str
    checks: tuple[CheckResult, ...] = ()
    error: str | None = None
    hints: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether every check of the case passed."""
        return self.status == PASSED

    def problems(self) -> list[str]:
        """The lines that explain a failure (empty when passed)."""
        if self.status == NOT_IMPLEMENTED:
            return ["not implemented yet (the function raises NotImplementedError)"]
        if self.status == ERROR:
            return [f"raised {self.error}"]
        if self.status == TIMED_OUT:
            return [self.error or "did not finish in time"]
        return [f"{c.name} check: {c.message}" for c in self.checks if not c.passed]


@dataclass(frozen=True)
class GradeReport:
    """The report of `course_cnn.grading.grade` for one exercise.

    Parameters
    ----------
    exercise : str
        The exercise's key, e.g. ``"week1.conv_forward"``.
    function : str
        The name of the function that was graded.
    cases : tuple of CaseResult
        One result per case, in the suite's order.

    Attributes
    ----------
    score : float
        The fraction of cases passed, in [0, 1].

    Examples
    --------
    >>> report = GradeReport("demo.f", "f", (CaseResult("a", "", "passed"), CaseResult("b", "", "failed")))
    >>> report.score
    0.5
    >>> report.headline()
    'demo.f (f): 1/2 cases passed, score 0.50'
    """

    exercise: str
    function: str
    cases: tuple[CaseResult, ...] = field(default_factory=tuple)

    @property
    def score(self) -> float:
        """The fraction of cases passed (0 to 1)."""
        return sum(c.passed for c in self.cases) / len(self.cases) if self.cases else 0.0

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return bool(self.cases) and all(c.passed for c in self.cases)

    @property
    def status(self) -> str:
        """``"passed"``, ``"not implemented"`` (every case a stub) or ``"failed"``."""
        if self.passed:
            return PASSED
        if self.cases and all(c.status == NOT_IMPLEMENTED for c in self.cases):
            return NOT_IMPLEMENTED
        return FAILED

    @property
    def hints(self) -> tuple[str, ...]:
        """The distinct hints of the failed cases, in order of appearance."""
        return tuple(dict.fromkeys(h for c in self.cases for h in c.hints))

    def headline(self) -> str:
        """One line: the exercise, cases passed and score."""
        n_ok = sum(c.passed for c in self.cases)
        if self.status == NOT_IMPLEMENTED:
            verdict = "not implemented yet"
        else:
            verdict = f"{n_ok}/{len(self.cases)} cases passed"
        return f"{self.exercise} ({self.function}): {verdict}, score {self.score:.2f}"

    def __str__(self) -> str:
        lines = [self.headline()]
        if self.status == NOT_IMPLEMENTED:
            lines.append("  Replace `raise NotImplementedError` with your code, then grade again.")
            return "\n".join(lines)
        for case in self.cases:
            lines.append(f"  [{_MARKS[case.status]}] {case.name}")
            if not case.passed:
                lines.append(f"         inputs: {case.inputs}")
                lines.extend(f"         {p}" for p in case.problems())
                lines.extend(f"         hint: {h}" for h in case.hints)
        if self.passed:
            lines.append("  All tests passed.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<GradeReport {self.headline()}>"

    def _repr_pretty_(self, p, cycle: bool) -> None:
        p.text(repr(self) if cycle else str(self))

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        if self.status == NOT_IMPLEMENTED:
            return (f"<div class='course-cnn-grade'><p style='color:{colour};font-weight:bold'>"
                    f"{html.escape(self.headline())}</p><p>Replace <code>raise NotImplementedError</code> with your "
                    "code, then grade again.</p></div>")
        rows = []
        for case in self.cases:
            details = "".join(f"<div>{html.escape(p)}</div>" for p in case.problems())
            details += "".join(f"<div><b>Hint:</b> {html.escape(h)}</div>" for h in case.hints)
            if details:
                details = f"<div style='color:#57606a'>inputs: {html.escape(case.inputs)}</div>" + details
            rows.append(
                f"<tr><td style='color:{_COLOURS[case.status]};font-weight:bold'>{_MARKS[case.status]}</td>"
                f"<td style='text-align:left'>{html.escape(case.name)}</td>"
                f"<td style='text-align:left'>{details}</td></tr>"
            )
        return (
            f"<div class='course-cnn-grade'><p style='color:{colour};font-weight:bold'>"
            f"{html.escape(self.headline())}</p>"
            "<table><thead><tr><th></th><th>case</th><th>details</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )


@dataclass(frozen=True)
class FileReport:
    """The reports of every graded function found in a notebook or script.

    Parameters
    ----------
    path : str
        The graded file.
    reports : tuple of GradeReport
        One per graded function found, in the course's order.
    problems : tuple of str, default ()
        Cells or statements that could not run (shown, not fatal).

    Examples
    --------
    >>> FileReport("nb.ipynb", ()).passed
    False
    """

    path: str
    reports: tuple[GradeReport, ...]
    problems: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether at least one graded function was found and all of them pass."""
        return bool(self.reports) and all(r.passed for r in self.reports)

    def __str__(self) -> str:
        lines = [f"Grading {self.path}"]
        lines.extend(f"  warning: {p}" for p in self.problems)
        if not self.reports:
            lines.append("  No graded function found (see `course-cnn grade --list` for their names).")
        for report in self.reports:
            lines.append("")
            lines.append(str(report))
        if self.reports:
            n_ok = sum(r.passed for r in self.reports)
            lines.append("")
            lines.append(f"Summary: {n_ok}/{len(self.reports)} graded functions pass.")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle: bool) -> None:
        p.text(f"<FileReport {self.path}>" if cycle else str(self))

    def _repr_html_(self) -> str:
        return "".join(r._repr_html_() for r in self.reports) or f"<p>{html.escape(str(self))}</p>"
