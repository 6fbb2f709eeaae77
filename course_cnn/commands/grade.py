"""``course-cnn grade``: grade the exercises of a notebook or a Python file."""

NAME = "grade"
HELP = "grade the course exercises defined in a notebook (.ipynb) or a Python file"

#: The grader's phrases, in this verb's words (its parameter names map to PATH and --exercise by themselves).
PHRASES = {"course_cnn.grading.exercises()": "`course-cnn grade --list`"}


def add_arguments(parser):
    parser.add_argument("path", nargs="?", metavar="PATH", help="the .ipynb notebook or .py file to grade")
    parser.add_argument("--exercise", metavar="NAME",
                        help="grade only this exercise, e.g. week1.conv_forward or conv_forward")
    parser.add_argument("--run-all", action="store_true",
                        help="run every statement of the file, not only its imports and definitions")
    parser.add_argument("--list", action="store_true", help="list the graded exercises and exit")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", default=None,
                        help="stop a case that runs longer than this and go on with the next one "
                             "(default: 10 s, more for the exercises that build a big model)")


def run(args):
    import math
    import os

    if args.timeout is not None and not (math.isfinite(args.timeout) and args.timeout > 0):
        raise ValueError(f"`--timeout` must be a positive number of seconds; got {args.timeout:g}.")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_cnn.grading import grade_file, suites

    if args.list:
        for suite in suites():
            print(f"{suite.key:40s} {suite.summary}")
        return 0
    if args.path is None:
        raise ValueError("`PATH` must be given (a .ipynb or .py file); got nothing. Try `course-cnn grade --list`.")
    report = grade_file(args.path, args.exercise, run_all=args.run_all, timeout=args.timeout)
    print(report)
    return 0 if report.passed else 1
