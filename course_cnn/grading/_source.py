"""Grading a learner's file: a notebook (``.ipynb``) or a Python script.

The file's code runs in a fresh namespace, cell by cell. IPython magics
(``%matplotlib inline``, ``%%time``) and shell lines (``!pip install ...``)
are skipped. By default only the *definitions* run: imports, ``def`` and
``class`` statements, and assignments of literal constants (``STYLE_LAYERS =
[...]``), so grading never trains a model, draws a figure or calls a stub;
``run_all=True`` runs every statement instead (a cell that fails is reported
and the next one still runs). The graded functions are then found by name
among the functions defined in the file.
"""

from __future__ import annotations

import ast
import contextlib
import io
import linecache
from pathlib import Path
from typing import Any

from course_cnn._checks import check_number, check_path, describe, fail
from course_cnn.grading._grade import grade
from course_cnn.grading._registry import find_suite, suites
from course_cnn.grading._report import FileReport


_NAMESPACE = "__course_cnn_graded__"


def load_code_cells(path: str | Path) -> list[str]:
    """The code of a notebook's code cells, or of a ``.py`` file as one cell.

    Parameters
    ----------
    path : str or Path
        A ``.ipynb`` notebook (read with ``nbformat``) or a ``.py`` file.

    Returns
    -------
    list of str
        The source of each code cell.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        For another extension or an unreadable notebook.

    Examples
    --------
    >>> load_code_cells("missing.py")
    Traceback (most recent call last):
    ...
    FileNotFoundError: `path` must be the path of an existing .ipynb notebook or .py file; got 'missing.py' (no such file or folder).
    """
    path = check_path(path, "path", exists=True, what="a .ipynb notebook or .py file")
    if path.suffix == ".py":
        return [path.read_text(encoding="utf-8")]
    if path.suffix != ".ipynb":
        raise fail("path", "be a .ipynb notebook or a .py file", repr(str(path)))
    import nbformat

    try:
        notebook = nbformat.read(str(path), as_version=4)
    except Exception as exc:
        raise fail("path", "be a readable Jupyter notebook", f"{path} ({type(exc).__name__}: {exc})") from None
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def _strip_magics(source: str) -> str:
    """Replace IPython magics and shell lines by ``pass`` (indentation kept); drop ``%%`` cells."""
    if source.lstrip().startswith("%%"):
        return ""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        lines.append(f"{indent}pass" if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


def _is_definition(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        try:
            ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False
        return True
    if isinstance(node, (ast.Try, ast.If)):  # `try: import x / except ImportError: ...`
        blocks = [node.body, node.orelse] + [h.body for h in getattr(node, "handlers", [])]
        return all(_is_definition(n) or isinstance(n, ast.Pass) for block in blocks for n in block)
    return False


def run_code(cells: list[str], *, run_all: bool = False, filename: str = "notebook") -> tuple[dict, list[str]]:
    r"""Run code cells in a fresh namespace; return it and the problems met.

    Parameters
    ----------
    cells : list of str
        Source of each cell.
    run_all : bool, default False
        Run every statement; by default only imports, definitions and
        literal constants run.
    filename : str, default "notebook"
        Name used in tracebacks (``"<filename> cell 3"``).

    Returns
    -------
    namespace : dict
        The names the code defined.
    problems : list of str
        One line per cell that failed to parse or raised (the others ran).

    Examples
    --------
    >>> namespace, problems = run_code(["def f(x):\n    return 2 * x", "f(1) / 0"])
    >>> namespace["f"](3), problems
    (6, [])
    """
    namespace: dict[str, Any] = {"__name__": _NAMESPACE, "display": print}
    problems: list[str] = []
    for number, source in enumerate(cells, start=1):
        label = f"{filename} cell {number}"
        code = _strip_magics(source)
        try:
            tree = ast.parse(code, filename=label)
        except SyntaxError as exc:
            problems.append(f"{label}: SyntaxError: {exc.msg} (line {exc.lineno}); cell skipped")
            continue
        if not run_all:
            tree.body = [node for node in tree.body if _is_definition(node)]
        linecache.cache[label] = (len(code), None, [line + "\n" for line in code.splitlines()], label)
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                exec(compile(tree, label, "exec"), namespace)  # noqa: S102 - running the learner's own code
        except BaseException as exc:  # noqa: BLE001 - a learner's cell may raise anything, even SystemExit
            if isinstance(exc, KeyboardInterrupt):
                raise
            problems.append(f"{label}: {type(exc).__name__}: {exc}")
    return namespace, problems


def _defined_here(value: Any) -> bool:
    return callable(value) and getattr(value, "__module__", None) == _NAMESPACE


def grade_file(path: str | Path, exercise: str | None = None, *, run_all: bool = False,
               timeout: float | None = None) -> FileReport:
    """Grade every graded function defined in a notebook or script.

    Parameters
    ----------
    path : str or Path
        A ``.ipynb`` notebook or a ``.py`` file.
    exercise : str, optional
        Grade only this exercise (``"week1.conv_forward"`` or ``"conv_forward"``).
    run_all : bool, default False
        Run every statement of the file, not only its definitions.
    timeout : float, optional
        Seconds each case may run (see `grade`); default each suite's own.

    Returns
    -------
    FileReport
        One `GradeReport` per graded function found (by name, among
        the functions the file defines; imported ones are not graded), and
        the cells that failed to run.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        For an unknown ``exercise`` or file type, or a ``timeout`` that is
        not a positive number.

    Examples
    --------
    >>> grade_file("my_notebook.ipynb")  # doctest: +SKIP
    """
    target = find_suite(exercise, "exercise") if exercise is not None else None
    if exercise is not None and not isinstance(exercise, str):
        raise fail("exercise", "be a string", describe(exercise), TypeError)
    if timeout is not None:
        timeout = check_number(timeout, "timeout", low=0, low_inclusive=False)
    cells = load_code_cells(path)
    namespace, problems = run_code(cells, run_all=run_all, filename=Path(path).name)
    reports = []
    for suite in suites():
        if target is not None and suite.key != target.key:
            continue
        function = namespace.get(suite.function_name)
        if _defined_here(function):
            reports.append(grade(function, suite, timeout=timeout))
    if target is not None and not reports:
        problems.append(f"no function named `{target.function_name}` is defined in {Path(path).name}")
    if not run_all and any("NameError" in (c.error or "") for r in reports for c in r.cases):
        problems.append("a graded function uses a name that only a skipped statement defines; "
                        "grade again with --run-all (run_all=True) to run every statement")
    return FileReport(str(path), tuple(reports), tuple(problems))
