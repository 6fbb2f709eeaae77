"""The grading framework on a toy exercise of our own (no week module involved)."""

import numpy as np
import pytest

from course_cnn.grading import (Case, CaseResult, CheckResult, GradeReport, Hint, Suite, compare_outputs, grade,
                                same_as)
from course_cnn.grading._source import run_code


def _cases():
    # numpy.square on three seeds and an empty array
    shapes = [(2, 3), (4,), (1, 1, 2), (0, 3)]
    return [Case(f"seed {seed}, x {shape}",
                 lambda seed=seed, shape=shape: ({"x": np.random.default_rng(seed).normal(size=shape)}, {}))
            for seed, shape in enumerate(shapes)]


SQUARE = Suite("toy.square", "numpy:square", _cases,
               hints=(Hint("You doubled x instead of squaring it.", same_as(lambda d: 2 * d.args["x"])),))


def square(x):
    return x * x


def test_reference_like_function_scores_one():
    report = grade(square, SQUARE)
    assert report.score == 1.0 and report.passed and report.status == "passed"
    assert len(report.cases) == 4
    assert all(len(c.checks) == 3 for c in report.cases)
    assert [c.name for c in report.cases[0].checks] == ["datatype", "shape", "output"]
    assert "4/4 cases passed" in str(report) and "All tests passed." in str(report)


def test_stub_is_not_implemented_not_a_crash():
    def stub(x):
        raise NotImplementedError

    report = grade(stub, SQUARE)
    assert report.score == 0.0
    assert report.status == "not implemented"
    assert "not implemented yet" in str(report)
    assert all(c.status == "not implemented" for c in report.cases)
    assert "not implemented yet" in report._repr_html_() and "<table>" not in report._repr_html_()


def test_wrong_values_report_index_difference_and_hint():
    report = grade(lambda x: x + x, SQUARE)
    # the empty case passes: 2*x and x*x agree on no values at all
    assert report.score == pytest.approx(0.25)
    text = str(report)
    assert "first at index (0, 0)" in text
    assert "max abs difference" in text
    assert "inputs: x array float64 (2, 3)" in text
    assert "hint: You doubled x instead of squaring it." in text
    assert report.hints == ("You doubled x instead of squaring it.",)


def test_partial_score_is_fraction_of_cases():
    def sometimes(x):
        return x * x if x.ndim == 2 else x

    report = grade(sometimes, SQUARE)
    # cases (2, 3) and (0, 3) are 2-D: 2 of 4 pass
    assert report.score == 0.5
    assert not report.passed and report.status == "failed"


def test_shape_and_dtype_messages():
    report = grade(lambda x: (x * x).T.astype(np.int32), SQUARE)
    case = report.cases[0]
    datatype, shape, output = case.checks
    assert not datatype.passed and "expected a float dtype, got int32" in datatype.message
    assert not shape.passed and "expected shape (2, 3), got (3, 2)" in shape.message
    assert not output.passed and "not checked" in output.message


def test_exception_reports_type_message_and_learner_line():
    def broken(x):
        y = x * x
        return y[99]

    report = grade(broken, SQUARE)
    case = report.cases[0]
    assert case.status == "error"
    assert "IndexError" in case.error and "in broken" in case.error and "`return y[99]`" in case.error


def test_inputs_are_fresh_for_the_learner_and_the_reference():
    def in_place(x):
        x *= x  # spoils its input; the reference must not see it
        return x

    assert grade(in_place, SQUARE).score == 1.0


def test_structures_tuple_dict_and_names():
    expected = (np.ones((2, 2)), {"pad": 1, "stride": 2})
    ok = compare_outputs(expected, (np.ones((2, 2)), {"pad": 1, "stride": 2}), output_names=("Z", "hp"))
    assert all(c.passed for c in ok)
    bad = compare_outputs(expected, (np.ones((2, 2)), {"pad": 2, "stride": 2}), output_names=("Z", "hp"))
    assert bad[2].message == "hp['pad']: expected 1, got 2 (difference 1)"
    short = compare_outputs(expected, (np.ones((2, 2)),), output_names=("Z", "hp"))
    assert not short[0].passed and "expected a tuple of 2 ('Z', 'hp'), got a tuple of 1" in short[0].message
    assert short[1].message == "not checked: the datatype check failed"


def test_scalars_accept_any_number_type():
    checks = compare_outputs(np.float64(1.5), 1.5)
    assert all(c.passed for c in checks)
    checks = compare_outputs(np.float64(1.5), np.array([1.5]))
    assert not checks[1].passed and "expected shape (), got (1,)" in checks[1].message


def test_tensor_versus_array_datatype():
    tf = pytest.importorskip("tensorflow")
    checks = compare_outputs(tf.constant([1.0, 2.0]), np.array([1.0, 2.0], np.float32))
    assert not checks[0].passed and "expected a TensorFlow tensor, got a numpy array" in checks[0].message
    assert checks[2].passed
    checks = compare_outputs(np.array([1.0, 2.0]), tf.constant([1.0, 2.0], tf.float64))
    assert "this exercise is numpy only" in checks[0].message


def test_nan_equals_nan_and_bool_arrays():
    assert all(c.passed for c in compare_outputs(np.array([np.nan, 1.0]), np.array([np.nan, 1.0])))
    checks = compare_outputs(np.array([True, False]), np.array([True, True]))
    assert checks[2].message.startswith("output: 1 of 2 values differ; first at index (1,)")


def test_report_html_and_pretty():
    report = grade(lambda x: x + x, SQUARE)
    html = report._repr_html_()
    assert "<table>" in html and "FAIL" in html and "Hint:" in html
    assert "&lt;lambda&gt;" in html  # escaped

    class Printer:
        def __init__(self):
            self.out = []

        def text(self, s):
            self.out.append(s)

    printer = Printer()
    report._repr_pretty_(printer, False)
    assert printer.out == [str(report)]
    assert repr(report).startswith("<GradeReport toy.square")


def test_grade_rejects_non_callable_and_unknown_names():
    with pytest.raises(TypeError, match=r"`function` must be callable .*; got ndarray of shape \(2,\)\."):
        grade(np.zeros(2), SQUARE)
    with pytest.raises(ValueError, match=r"`exercise` must be the name of a graded exercise.*got 'toy.nothing'\."):
        grade(square, "toy.nothing")
    with pytest.raises(TypeError, match=r"`exercise` must be an exercise name"):
        grade(square, 3)


def test_hint_exceptions_are_ignored():
    def boom(d):
        raise RuntimeError

    suite = Suite("toy.square", "numpy:square", _cases, hints=(Hint("never", boom),))
    report = grade(lambda x: x + 1, suite)
    assert report.hints == ()


def test_case_result_problems():
    case = CaseResult("c", "x", "failed", (CheckResult("shape", False, "bad"), CheckResult("output", True)))
    assert case.problems() == ["shape check: bad"]
    assert GradeReport("toy.x", "f", ()).score == 0.0


def test_run_code_skips_magics_and_runs_only_definitions():
    cells = [
        "%matplotlib inline\nimport numpy as np\n!pip install nothing",
        "%%time\nraise RuntimeError('cell magic cells are skipped')",
        "LAYERS = [('a', 0.5)]\nmodel = undefined_function()\ndef f(x):\n    if x.size:\n        %time y = 1\n    return np.sum(x)",
        "def broken(:\n    pass",
    ]
    namespace, problems = run_code(cells, filename="nb.ipynb")
    assert namespace["f"](np.ones(3)) == 3.0
    assert namespace["LAYERS"] == [("a", 0.5)]
    assert "model" not in namespace
    assert problems == ["nb.ipynb cell 4: SyntaxError: invalid syntax (line 1); cell skipped"]


def test_run_code_run_all_reports_failing_cells_and_continues():
    namespace, problems = run_code(["x = 1 / 0", "print('quiet')\ny = 2"], run_all=True, filename="s.py")
    assert namespace["y"] == 2
    assert problems == ["s.py cell 1: ZeroDivisionError: division by zero"]


def test_hint_helpers_check_their_arguments():
    from course_cnn.grading import any_of, error_matches, exercises, get_suite, same_outcome

    with pytest.raises(TypeError, match=r"`variant` must be callable \(a function of the case's CaseData\); got 3\."):
        same_as(3)
    with pytest.raises(ValueError, match=r"`part` must be a non-negative int; got -1\."):
        same_as(lambda d: None, part=-1)
    with pytest.raises(ValueError, match=r"`rtol` must be a real number >= 0; got -0\.1\."):
        same_outcome(lambda d: None, rtol=-0.1)
    with pytest.raises(TypeError, match=r"`simulate` must be callable"):
        same_outcome(None)
    with pytest.raises(TypeError, match=r"`tests\[1\]` must be callable"):
        any_of(lambda d: True, "x")
    with pytest.raises(TypeError, match=r"`pattern` must be a regular expression \(a str\); got None\."):
        error_matches(None)
    with pytest.raises(ValueError, match=r"`pattern` must be a valid regular expression; got '\(' \("):
        error_matches("(")
    with pytest.raises(ValueError, match=r"`atol` must be a finite real number >= 0; got nan\."):
        compare_outputs(1.0, 1.0, atol=float("nan"))
    with pytest.raises(TypeError, match=r"`prefix` must be a str such as 'week1', or None; got 1\."):
        exercises(1)
    with pytest.raises(ValueError, match=r"`name` must be the name of a graded exercise"):
        get_suite("nothing.at_all")
