"""``course-cnn tour``: run one short demo per week."""

NAME = "tour"
HELP = "run one short demo per week and write DIR/index.html linking the results"


def add_arguments(parser):
    parser.add_argument("--out", default="course_cnn_tour", metavar="DIR", help="output folder (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="the fast version of every demo (under 2 minutes)")
    parser.add_argument("--only", nargs="+", metavar="KEY", help="run only demos whose key starts with KEY")
    parser.add_argument("--list", action="store_true", help="list the registered demos and exit")


def run(args):
    from course_cnn.tour import registered_demos, run_tour

    if args.list:
        for demo in registered_demos():
            print(f"{demo.key:24s} {demo.title}")
        return 0
    outcomes = run_tour(args.out, quick=args.quick, only=args.only)
    return 1 if any(o.error is not None for o in outcomes) else 0
