"""``course-cnn diagnose``: read the error ladder of a model (avoidable bias, variance, data mismatch)."""

import sys

from course_cnn.commands._common import check_output

NAME = "diagnose"
HELP = "split a model's errors into avoidable bias, variance, data mismatch and dev overfitting"

#: The library's phrases, in this verb's words (longest first).
PHRASES = {"pass scale='percent'": "drop --fraction", "scale='fraction'": "--fraction",
           "scale='percent'": "without --fraction"}


def add_arguments(parser):
    parser.add_argument("--human", type=float, required=True, help="human-level error (proxy for Bayes error)")
    parser.add_argument("--train", type=float, required=True, help="training error")
    parser.add_argument("--train-dev", type=float, default=None,
                        help="error on train-dev (training distribution, not trained on)")
    parser.add_argument("--dev", type=float, required=True, help="dev error (target distribution)")
    parser.add_argument("--test", type=float, default=None, help="test error (target distribution)")
    parser.add_argument("--fraction", action="store_true",
                        help="errors are fractions in [0, 1] (default: percent in [0, 100])")
    parser.add_argument("--plot", metavar="PNG", default=None, help="save the error-ladder figure here")


def _warn_if_fractions(args):
    """0.01 read as percent is 0.01 %: say so when every rate looks like a fraction."""
    rates = [r for r in (args.human, args.train, args.train_dev, args.dev, args.test) if r is not None]
    if not args.fraction and all(0 <= r < 1 for r in rates) and any(r > 0 for r in rates):
        print("course-cnn diagnose: warning: every error is below 1 and read as percent (0.01 means 0.01 %); "
              "if they are fractions (0.01 = 1 %), add --fraction", file=sys.stderr)


def run(args):
    from course_cnn.strategy.diagnosis import diagnose

    if args.plot:
        check_output(args.plot, "--plot", (".png", ".pdf", ".svg"))
    _warn_if_fractions(args)

    result = diagnose(args.human, args.train, args.dev, train_dev=args.train_dev, test=args.test,
                      scale="fraction" if args.fraction else "percent")
    print(result.summary())
    if args.plot:
        result.plot(path=args.plot)
        print(f"error ladder written to {args.plot}")
    return 0
