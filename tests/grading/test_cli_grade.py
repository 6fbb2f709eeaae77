"""`course-cnn grade` on notebooks and scripts written by the tests."""

import nbformat
import pytest

from course_cnn.cli import main
from course_cnn.grading import grade_file

CORRECT_ZERO_PAD = """\
def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=(0, 0))
"""

WRONG_DISTRIBUTE = """\
def distribute_value(dz, shape):
    (n_H, n_W) = shape
    return np.ones(shape) * dz  # forgot to divide by n_H * n_W
"""


def _notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# My assignment")] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def notebook(tmp_path):
    return _notebook(tmp_path / "mine.ipynb", [
        "%matplotlib inline\nimport numpy as np\n!pip install nothing-at-all",
        CORRECT_ZERO_PAD,
        "x = zero_pad(np.ones((1, 2, 2, 1)), 1)\nprint(x.shape)",
        WRONG_DISTRIBUTE,
        "distribute_value(2.0, (2, 2))\nraise RuntimeError('an ungraded cell that fails')",
        "from course_cnn.week1 import conv_forward  # imported, not defined here: not graded",
    ])


def test_grade_notebook_with_one_correct_and_one_wrong_function(notebook, capsys):
    status = main(["grade", str(notebook)])
    out = capsys.readouterr().out
    assert status == 1
    assert "week1.zero_pad (zero_pad): 4/4 cases passed, score 1.00" in out
    # 3 of 4 cases fail; the 1x1 window passes (dividing by n_H * n_W = 1 changes nothing)
    assert "week1.distribute_value (distribute_value): 1/4 cases passed, score 0.25" in out
    assert "hint: Divide dz by the number of entries of the window" in out
    assert "Summary: 1/2 graded functions pass." in out
    assert "conv_forward" not in out


def test_grade_one_exercise_that_passes_exits_zero(notebook, capsys):
    assert main(["grade", str(notebook), "--exercise", "week1.zero_pad"]) == 0
    out = capsys.readouterr().out
    assert "week1.zero_pad" in out and "distribute_value" not in out


def test_grade_exercise_not_in_the_file_fails(notebook, capsys):
    assert main(["grade", str(notebook), "--exercise", "pool_forward"]) == 1
    assert "no function named `pool_forward` is defined in mine.ipynb" in capsys.readouterr().out


def test_run_all_runs_every_cell_and_reports_the_failing_one(notebook):
    report = grade_file(notebook, run_all=True)
    assert [r.exercise for r in report.reports] == ["week1.zero_pad", "week1.distribute_value"]
    assert report.problems == ("mine.ipynb cell 5: RuntimeError: an ungraded cell that fails",)
    assert not report.passed


def test_grade_python_file(tmp_path, capsys):
    script = tmp_path / "solution.py"
    script.write_text("import numpy as np\n\n" + CORRECT_ZERO_PAD)
    assert main(["grade", str(script)]) == 0
    assert "All tests passed." in capsys.readouterr().out


def test_stub_notebook_is_not_implemented(tmp_path, capsys):
    path = _notebook(tmp_path / "stub.ipynb", ["def zero_pad(X, pad):\n    raise NotImplementedError"])
    assert main(["grade", str(path)]) == 1
    assert "week1.zero_pad (zero_pad): not implemented yet, score 0.00" in capsys.readouterr().out


def test_file_without_graded_functions_fails(tmp_path, capsys):
    path = _notebook(tmp_path / "empty.ipynb", ["def helper():\n    return 1"])
    assert main(["grade", str(path)]) == 1
    assert "No graded function found" in capsys.readouterr().out


def test_grade_list(capsys):
    assert main(["grade", "--list"]) == 0
    out = capsys.readouterr().out
    assert "week1.conv_forward" in out and "week3.yolo_filter_boxes" in out


def test_bad_paths_are_clear_errors(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "missing.ipynb")]) == 2
    assert "`PATH` must be the path of an existing .ipynb notebook or .py file; got" in capsys.readouterr().err
    other = tmp_path / "notes.txt"
    other.write_text("x")
    assert main(["grade", str(other)]) == 2
    assert "`PATH` must be a .ipynb notebook or a .py file" in capsys.readouterr().err
    assert main(["grade"]) == 2
    assert "`PATH` must be given" in capsys.readouterr().err
    assert main(["grade", str(other), "--exercise", "nope"]) == 2
    assert capsys.readouterr().err == ("course-cnn grade: error: `--exercise` must be the name of a graded exercise "
                                       "(see `course-cnn grade --list`); got 'nope'.\n")


def test_unreadable_notebook(tmp_path, capsys):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json")
    assert main(["grade", str(path)]) == 2
    assert "`PATH` must be a readable Jupyter notebook" in capsys.readouterr().err


def test_name_defined_by_a_skipped_statement_suggests_run_all(tmp_path, capsys):
    path = _notebook(tmp_path / "globals.ipynb", [
        "import numpy as np\nPADS = tuple([(0, 0)])  # a call: skipped unless --run-all",
        "def zero_pad(X, pad):\n    return np.pad(X, PADS + ((pad, pad), (pad, pad)) + PADS)",
    ])
    assert main(["grade", str(path)]) == 1
    out = capsys.readouterr().out
    assert "NameError: name 'PADS' is not defined" in out and "grade again with --run-all" in out
    assert main(["grade", str(path), "--run-all"]) == 0


def test_a_failing_reference_is_reported_as_a_suite_bug():
    from course_cnn.grading import Case, Hint, Suite, grade

    suite = Suite("toy.sqrt", "math:sqrt", lambda: [Case("negative", lambda: ({"x": -1.0}, {}))],
                  hints=(Hint("never", lambda d: False),))
    with pytest.raises(RuntimeError, match=r"the reference math:sqrt failed on case 'negative' of toy.sqrt"):
        grade(lambda x: 0.0, suite)


def test_grade_an_assignment_notebook_as_a_learner_fills_it_in(tmp_path, capsys):
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "assignments" / "01_week1_convolution_step_by_step.ipynb"
    nb = nbformat.read(str(source), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("course_cnn", {}).get("exercise") == "week1.zero_pad":
            cell.source = CORRECT_ZERO_PAD
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    assert main(["grade", str(path)]) == 1  # the other exercises are still stubs
    out = capsys.readouterr().out
    assert "week1.zero_pad (zero_pad): 4/4 cases passed, score 1.00" in out
    assert "week1.conv_forward (conv_forward): not implemented yet, score 0.00" in out
    assert "Summary: 1/8 graded functions pass." in out


ENDLESS_ZERO_PAD = """\
def zero_pad(X, pad):
    while pad >= 0:  # never changes: loops forever
        X_pad = X
    return X_pad
"""


def test_timeout_flag_stops_an_endless_loop_and_goes_on(tmp_path, capsys):
    path = _notebook(tmp_path / "loop.ipynb", ["import numpy as np", ENDLESS_ZERO_PAD, WRONG_DISTRIBUTE])
    assert main(["grade", str(path), "--timeout", "0.2"]) == 1
    out = capsys.readouterr().out
    assert "week1.zero_pad (zero_pad): 0/4 cases passed, score 0.00" in out
    assert out.count("did not finish in 0.2 s: stopped there, and grading went on with the next case") == 4
    assert "[TIME] seed 0, X (4, 3, 3, 2), pad 3" in out
    assert "week1.distribute_value (distribute_value): 1/4 cases passed" in out  # graded after the loops


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_timeout_flag_must_be_positive(tmp_path, capsys, value):
    script = tmp_path / "solution.py"
    script.write_text("import numpy as np\n\n" + CORRECT_ZERO_PAD)
    assert main(["grade", str(script), "--timeout", value]) == 2
    assert "`--timeout` must be a positive number of seconds; got" in capsys.readouterr().err
