"""The assignment notebooks: consistent with their generator, and runnable top to bottom offline.

``solutions`` mode replaces every exercise stub (a cell tagged with
``{"course_cnn": {"exercise": key}}``) by an import of the package's
implementation, runs the notebook in a fresh ``python3`` kernel (nbclient),
and requires every grader cell to report "All tests passed". The quick
notebook runs by default; the others are marked slow.

Run one by hand: ``python tests/assignments/test_notebooks.py assignments/03_*.ipynb``
(add ``--stubs`` to run it as a learner first sees it).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ROOT / "assignments"
NOTEBOOKS = sorted(ASSIGNMENTS.glob("[0-9]*.ipynb"))
FAST = {"01_week1_convolution_step_by_step.ipynb"}
NEWSGROUPS = ROOT.parent / "shared" / "data" / "20news-bydate.tar.gz"


def _build_module():
    sys.path.insert(0, str(ASSIGNMENTS))
    try:
        import _build
    finally:
        sys.path.remove(str(ASSIGNMENTS))
    return _build


def with_solutions(nb):
    """Replace every exercise stub by an import of our reference implementation."""
    from course_cnn.grading import get_suite

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        key = cell.metadata.get("course_cnn", {}).get("exercise")
        if key:
            module, _, attribute = get_suite(key).reference.partition(":")
            cell.source = f"from {module} import {attribute}  # solutions mode"
    return nb


def execute(nb, cwd, timeout=900):
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def grader_reports(nb) -> dict:
    """Exercise key -> the text the grader cell displayed."""
    reports = {}
    for cell in nb.cells:
        key = cell.metadata.get("course_cnn", {}).get("grader")
        if key:
            texts = [o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", [])]
            reports[key] = "".join(texts)
    return reports


def test_there_is_a_notebook_per_assignment_in_order():
    names = [p.name for p in NOTEBOOKS]
    assert names == sorted(names) and len(names) >= 1
    assert names[0] == "01_week1_convolution_step_by_step.ipynb"


def test_notebooks_are_what_the_generator_builds(tmp_path):
    built = _build_module().build(tmp_path)
    assert sorted(p.name for p in built) == [p.name for p in NOTEBOOKS]
    for path in built:  # compared cell by cell, so that another nbformat version's layout does not matter
        fresh, committed = (nbformat.read(str(p), as_version=4) for p in (path, ASSIGNMENTS / path.name))
        assert _content(fresh) == _content(committed), f"rebuild {path.name}: python assignments/_build.py"


def _content(nb):
    return [(c.cell_type, c.source, json.dumps(c.metadata, sort_keys=True)) for c in nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_exercise_is_a_stub_followed_by_its_grader(path):
    from course_cnn.grading import exercises

    nb = nbformat.read(str(path), as_version=4)
    keys = [c.metadata.get("course_cnn", {}) for c in nb.cells]
    exercise_cells = [i for i, k in enumerate(keys) if "exercise" in k]
    assert exercise_cells, "no exercise"
    for i in exercise_cells:
        key = keys[i]["exercise"]
        assert key in exercises()
        assert "raise NotImplementedError" in nb.cells[i].source
        assert f"def {key.rsplit('.', 1)[-1]}(" in nb.cells[i].source
        assert keys[i + 1].get("grader") == key
    nbformat.validate(nb)


def _marks(path):
    return () if path.name in FAST else (pytest.mark.slow,)


@pytest.mark.parametrize("path", [pytest.param(p, marks=_marks(p), id=p.stem) for p in NOTEBOOKS])
def test_notebook_runs_with_solutions(path, tmp_path, monkeypatch):
    if NEWSGROUPS.is_file():  # the SCDV notebook finds the corpus through this variable
        monkeypatch.setenv("COURSE_CNN_20NG", str(NEWSGROUPS))
    nb = execute(with_solutions(nbformat.read(str(path), as_version=4)), tmp_path)
    reports = grader_reports(nb)
    assert reports, "no grader cell ran"
    for key, text in reports.items():
        assert "All tests passed." in text, f"{key}:\n{text}"


def test_stubs_are_reported_as_not_implemented(tmp_path):
    # the first notebook as a learner opens it: the first grader cell reports "not implemented yet"
    nb = nbformat.read(str(NOTEBOOKS[0]), as_version=4)
    first_grader = next(i for i, c in enumerate(nb.cells) if "grader" in c.metadata.get("course_cnn", {}))
    nb.cells = nb.cells[: first_grader + 1]
    reports = grader_reports(execute(nb, tmp_path, timeout=300))
    assert list(reports.values()) == [reports["week1.zero_pad"]]
    assert "not implemented yet" in reports["week1.zero_pad"]


if __name__ == "__main__":  # python tests/assignments/test_notebooks.py NOTEBOOK [--stubs]
    target = Path(sys.argv[1])
    notebook = nbformat.read(str(target), as_version=4)
    if "--stubs" not in sys.argv:
        notebook = with_solutions(notebook)
    if NEWSGROUPS.is_file():
        os.environ.setdefault("COURSE_CNN_20NG", str(NEWSGROUPS))
    out = Path("/tmp") / f"executed-{target.name}"
    try:
        execute(notebook, target.parent.resolve())
    finally:
        nbformat.write(notebook, str(out))
        print(f"executed notebook written to {out}")
    for name, report in grader_reports(notebook).items():
        print(report.splitlines()[0] if report else f"{name}: no output")
