"""The ``course-cnn`` command line.

Subcommands live in `course_cnn.commands`, one module each, found at
start-up. A command module defines::

    NAME = "tour"                       # the subcommand
    HELP = "run one short demo per week" # one line for --help
    def add_arguments(parser): ...      # argparse arguments (cheap: no TF)
    def run(args) -> int: ...           # the work; imports what it needs

and optionally ``RENAMES`` and ``PHRASES``, dicts that turn the library's
parameter names and phrases into the verb's own (see `_common.translate`).
``course-cnn --help`` never imports TensorFlow and answers at once; a verb
checks its arguments before importing TensorFlow, so a mistake is answered
in a fraction of a second, as one line (``course-cnn VERB: error: ...``)
with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from course_cnn import __version__, _checks, commands
from course_cnn.commands._common import UsageError, parser_names, translate

__all__ = ["build_parser", "main"]


def _command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{commands.__name__}.{info.name}")


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake answered in one line (and a pointer to --help) instead of the usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


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
    parser = _Parser(
        prog="course-cnn",
        description="Companion of the convolutional-networks course: demos, tools and a grader.",
    )
    parser.add_argument("--version", action="version", version=f"course_cnn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        names = {**parser_names(command), **getattr(module, "RENAMES", {})}
        command.set_defaults(_run=module.run, _names=names, _phrases=getattr(module, "PHRASES", {}))
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
    if argv is not None:
        argv = _checks.check_strings(argv, "argv")  # a bare "info" would be read letter by letter
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args._run(args) or 0)
    except UsageError as exc:
        message = str(exc)
    except (ValueError, TypeError, KeyError, OSError) as exc:
        # a library error: the same message, in the verb's words (flags, not parameter names)
        text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        message = translate(str(text), args._names, args._phrases)
    except KeyboardInterrupt:
        print(f"course-cnn {args.command}: interrupted", file=sys.stderr)
        return 130
    print(f"course-cnn {args.command}: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
