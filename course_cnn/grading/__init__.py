"""Graded-style checks for every exercise of the course, usable on any function.

Each graded function of the course has a check suite: several cases (random
seeds and the edge cases of the exercise), and per case a datatype check, a
shape check and an output check against **our reference implementation run
on the same freshly generated inputs**. Failures say which case, the inputs'
shapes, expected vs got, and give a hint when the output (or the error) is
exactly what a classic mistake gives; a case that runs past its time limit
(10 s by default, ``grade(..., timeout=...)``) is stopped and reported, and
the next case runs::

    >>> from course_cnn.grading import grade            # doctest: +SKIP
    >>> grade(conv_forward, "week1.conv_forward")        # doctest: +SKIP
    week1.conv_forward (conv_forward): 5/5 cases passed, score 1.00

From a terminal, ``course-cnn grade my_notebook.ipynb`` grades every graded
function a notebook or script defines.

Importing this package is cheap: TensorFlow and the week modules are
imported only when a suite that needs them runs.
"""

from course_cnn.grading._compare import compare_outputs
from course_cnn.grading._grade import grade
from course_cnn.grading._registry import exercises, get_suite, suites
from course_cnn.grading._report import CaseResult, CheckResult, FileReport, GradeReport
from course_cnn.grading._source import grade_file
from course_cnn.grading._suite import Case, CaseData, Hint, Suite, any_of, error_matches, same_as, same_outcome

__all__ = [
    "grade",
    "grade_file",
    "exercises",
    "get_suite",
    "suites",
    "GradeReport",
    "FileReport",
    "CaseResult",
    "CheckResult",
    "Suite",
    "Case",
    "CaseData",
    "Hint",
    "same_as",
    "any_of",
    "same_outcome",
    "error_matches",
    "compare_outputs",
]
