"""The ``course-cnn`` command line.

Subcommands live in `course_cnn.commands`, one module each, found at
start-up. A command module defines::

    NAME = "tour"                       # the subcommand
    HELP = "run one short demo per week" # one line for --help
    def add_arguments(parser): ...      # argparse arguments (cheap: no TF)
    def run(args) -> int: ...           # the work; imports what it needs

so ``course-cnn --help`` never imports TensorFlow and answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from course_cnn import __version__, commands

__all__ = ["build_parser", "main"]


def _command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{commands.__name__}.{info.name}")


def build_parser():
    """Build the argument parser with every registered subcommand.

    Returns
    -------
    argparse.ArgumentParser
        The ``course-cnn`` parser.

    Examples
    --------
    >>> parser = build_parser()
    >>> parser.parse_args(["info"]).command
    'info'
    """
    parser = argparse.ArgumentParser(
        prog="course-cnn",
        description="Companion of the convolutional-networks course: demos, tools and a grader.",
    )
    parser.add_argument("--version", action="version", version=f"course_cnn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv=None):
    """Entry point of ``course-cnn``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success.

    Examples
    --------
    >>> main(["--version"])  # doctest: +SKIP
    course_cnn 0.1.0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args._run(args) or 0)
    except (ValueError, TypeError, FileNotFoundError, KeyError) as exc:
        print(f"course-cnn {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
