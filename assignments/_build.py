"""Build the assignment notebooks from their sources (``python assignments/_build.py``).

Each module of ``assignments/_sources/`` defines ``FILENAME`` and
``cells()``, a list of cells made with :func:`markdown`, :func:`code`,
:func:`exercise` and :func:`check`. Building them with one script keeps the
notebooks consistent: every exercise cell is a stub that raises
``NotImplementedError`` and carries the exercise's key in its metadata
(``{"course_cnn": {"exercise": "week1.conv_forward"}}``), and the cell after
it grades it. ``tests/assignments`` runs the notebooks with every stub
replaced by the package's implementation (``--solutions`` mode).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "_sources"

SETUP = """\
%matplotlib inline
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # quieter TensorFlow
import numpy as np
from course_cnn.grading import grade

QUICK = True  # quick settings: every step takes seconds on a laptop CPU; False for the full version"""


def markdown(text: str):
    """A markdown cell."""
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text: str):
    """An ungraded code cell."""
    return nbformat.v4.new_code_cell(text.strip("\n"))


def setup(extra: str = ""):
    """The first code cell of every notebook: imports, the grader, and the QUICK switch."""
    return code(SETUP + ("\n" + extra.strip("\n") if extra else ""))


def exercise(key: str, text: str):
    """An exercise cell: a stub of the graded function, tagged with its exercise key."""
    if "raise NotImplementedError" not in text:
        raise ValueError(f"the stub of {key} must raise NotImplementedError")
    cell = nbformat.v4.new_code_cell(text.strip("\n"))
    cell.metadata["tags"] = ["exercise"]
    cell.metadata["course_cnn"] = {"exercise": key}
    return cell


def check(key: str):
    """The grader call after an exercise: ``grade(function, "key")`` shows the report."""
    function = key.rsplit(".", 1)[-1]
    cell = nbformat.v4.new_code_cell(f'grade({function}, "{key}")')
    cell.metadata["tags"] = ["grader"]
    cell.metadata["course_cnn"] = {"grader": key}
    return cell


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"_assignment_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sources() -> list:
    """The notebook source modules, in the course's order (by file name)."""
    sys.modules.setdefault("_build", sys.modules[__name__])
    return [_load(p) for p in sorted(SOURCES.glob("[0-9]*.py"))]


def build_notebook(source) -> nbformat.NotebookNode:
    """One notebook from its source module."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = source.cells()
    for index, cell in enumerate(nb.cells):  # stable ids: rebuilding gives the same files
        cell["id"] = f"{Path(source.FILENAME).stem[:20]}-{index:03d}"
    return nb


def build(out_dir: Path = HERE) -> list[Path]:
    """Write every notebook into ``out_dir``; return their paths."""
    paths = []
    for source in sources():
        path = Path(out_dir) / source.FILENAME
        nbformat.write(build_notebook(source), str(path))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {written}")
