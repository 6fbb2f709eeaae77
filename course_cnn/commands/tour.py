"""``course-cnn tour``: run one short demo per week."""

from course_cnn.commands._common import add_verbose, import_tensorflow, usage_error

NAME = "tour"
HELP = "run one short demo per week and write DIR/index.html linking the results"


def add_arguments(parser):
    parser.add_argument("--out", default="course_cnn_tour", metavar="DIR", help="output folder (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="the fast version of every demo (under 2 minutes)")
    parser.add_argument("--only", nargs="+", metavar="KEY", help="run only demos whose key starts with KEY")
    parser.add_argument("--list", action="store_true", help="list the registered demos and exit")
    add_verbose(parser)


def demo_keys_as_written():
    """The demo keys the parts' ``_tour.py`` files list in ``DEMOS = [Demo("key", ...), ...]``.

    Read from the source without importing it (importing loads TensorFlow),
    in course order, so that a mistaken ``--only`` is answered at once.
    """
    import ast
    from pathlib import Path

    from course_cnn.tour import PARTS

    root = Path(__file__).resolve().parents[1]
    keys = []
    for part in PARTS:
        for file in sorted((root / part).rglob("_tour.py")):
            for node in ast.parse(file.read_text(encoding="utf-8")).body:
                if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.List)
                        and any(getattr(target, "id", None) == "DEMOS" for target in node.targets)):
                    continue
                keys.extend(item.args[0].value for item in node.value.elts
                            if isinstance(item, ast.Call) and item.args and isinstance(item.args[0], ast.Constant))
    return keys


def _check_only(only, keys=None):
    """Every --only prefix must select a demo.

    Without ``keys`` (before the demos are imported, which loads TensorFlow)
    a prefix that cannot start any key (every key starts with a part of the
    course) is refused, listing the keys as written; with ``keys``, a prefix
    that starts none of them.
    """
    from course_cnn.tour import PARTS

    for prefix in only or ():
        if keys is None:
            if not any(part.startswith(prefix) or prefix.startswith(part) for part in PARTS):
                raise usage_error("--only", f"start one of the demo keys ({', '.join(demo_keys_as_written())})",
                                  repr(prefix))
        elif not any(key.startswith(prefix) for key in keys):
            raise usage_error("--only", f"start one of the demo keys ({', '.join(keys)})", repr(prefix))


def run(args):
    from pathlib import Path

    _check_only(args.only)
    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise usage_error("--out", "be a folder", f"{args.out!r}, which is a file")
    import_tensorflow(args.verbose)   # the demos load it; this keeps its start-up lines and retracing warnings quiet
    from course_cnn.tour import registered_demos, run_tour

    demos = registered_demos()
    if args.list:
        for demo in demos:
            print(f"{demo.key:24s} {demo.title}")
        return 0
    _check_only(args.only, [demo.key for demo in demos])
    outcomes = run_tour(args.out, quick=args.quick, only=args.only, demos=demos)
    return 1 if any(o.error is not None for o in outcomes) else 0
