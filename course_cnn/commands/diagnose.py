"""``course-cnn diagnose``: read the error ladder of a model (avoidable bias, variance, data mismatch)."""

NAME = "diagnose"
HELP = "split a model's errors into avoidable bias, variance, data mismatch and dev overfitting"


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


def run(args):
    from course_cnn.strategy.diagnosis import diagnose

    result = diagnose(args.human, args.train, args.dev, train_dev=args.train_dev, test=args.test,
                      scale="fraction" if args.fraction else "percent")
    print(result.summary())
    if args.plot:
        result.plot(path=args.plot)
        print(f"error ladder written to {args.plot}")
    return 0
