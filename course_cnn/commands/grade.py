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


def run(args):
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_cnn.grading import grade_file, suites

    if args.list:
        for suite in suites():
            print(f"{suite.key:40s} {suite.summary}")
        return 0
    if args.path is None:
        raise ValueError("`PATH` must be given (a .ipynb or .py file); got nothing. Try `course-cnn grade --list`.")
    report = grade_file(args.path, args.exercise, run_all=args.run_all)
    print(report)
    return 0 if report.passed else 1
