"""``course-cnn scdv``: train SCDV on 20 Newsgroups and print the test accuracy of a LinearSVC."""

import os
from pathlib import Path

from course_cnn.commands._common import UsageError, add_verbose, import_tensorflow, usage_error

NAME = "scdv"
HELP = "train SCDV document vectors on 20 Newsgroups and print LinearSVC test accuracy"

#: Where the archive is looked for when --corpus is not given.
CORPUS_ENV = "COURSE_CNN_20NG"
CORPUS_NAME = "20news-bydate.tar.gz"
#: Measured with the defaults on the whole corpus (11,314 + 7,532 posts), 2-core machine.
DEFAULT_MINUTES = 13
QUICK = "--max-per-group 50 --clusters 10 --dim 50"
WHERE_TO_GET = (f"the standard \"bydate\" archive {CORPUS_NAME} is published on Jason Rennie's 20 Newsgroups page "
                "(scikit-learn's fetch_20newsgroups deletes its copy after extracting, so it cannot be reused)")

#: The library's parameter names, in this verb's words.
RENAMES = {"path": "--corpus", "n_clusters": "--clusters", "sparsity_percentage": "--sparsity"}

EPILOG = (f"The defaults on the whole corpus take about {DEFAULT_MINUTES} minutes on a 2-core machine (word2vec "
          f"and the Gaussian mixture dominate). For a run of a minute or two, shrink it: {QUICK} "
          f"(--epochs 1 cuts word2vec's share to a third). The archive is found through --corpus or "
          f"${CORPUS_ENV}; {WHERE_TO_GET}.")


def add_arguments(parser):
    parser.epilog = EPILOG
    parser.add_argument("--corpus", default=None, metavar="PATH",
                        help=f"the {CORPUS_NAME} archive (default: ${CORPUS_ENV})")
    parser.add_argument("--clusters", type=int, default=60,
                        help="Gaussian-mixture components K (default 60; 10 is quick)")
    parser.add_argument("--dim", type=int, default=200, help="word-vector length d (default 200; 50 is quick)")
    parser.add_argument("--epochs", type=int, default=3, help="word2vec epochs (default 3)")
    parser.add_argument("--min-count", type=int, default=20, help="drop rarer words (default 20)")
    parser.add_argument("--sparsity", type=float, default=4.0, help="sparsity percentage p (default 4)")
    parser.add_argument("--max-per-group", type=int, default=None, metavar="N",
                        help="use only the first N posts of each group in each split (default: all; 50 is quick)")
    parser.add_argument("--C", default="0.1,1,10", help="LinearSVC C values, chosen by 3-fold CV (default 0.1,1,10)")
    parser.add_argument("--seed", type=int, default=0, help="seed of word2vec and the mixture (default 0)")
    add_verbose(parser)


def _corpus(spec):
    """The archive from --corpus or $COURSE_CNN_20NG, checked to be a tar archive."""
    import tarfile

    flag = "--corpus" if spec is not None else f"${CORPUS_ENV}"
    spec = spec if spec is not None else os.environ.get(CORPUS_ENV)
    if not spec:
        raise UsageError(f"no 20 Newsgroups archive: pass --corpus PATH/{CORPUS_NAME} or set ${CORPUS_ENV} "
                         f"to it; {WHERE_TO_GET}.")
    path = Path(spec).expanduser()
    if not path.is_file():
        why = "which is a folder" if path.is_dir() else "no such file"
        raise usage_error(flag, f"be the {CORPUS_NAME} archive; {WHERE_TO_GET}", f"{spec!r} ({why})")
    if not tarfile.is_tarfile(path):
        raise usage_error(flag, f"be the {CORPUS_NAME} archive (a .tar.gz holding 20news-bydate-train/<group>/<id>)",
                          f"{spec!r}, which is not a tar archive")
    return path


def _check_arguments(args):
    from course_cnn import _checks

    for flag, value in (("--clusters", args.clusters), ("--dim", args.dim), ("--epochs", args.epochs),
                        ("--min-count", args.min_count)):
        _checks.check_positive_int(value, flag)
    if args.max_per_group is not None:
        _checks.check_positive_int(args.max_per_group, "--max-per-group")
    _checks.check_number(args.sparsity, "--sparsity", 0, 100)
    _checks.check_non_negative_int(args.seed, "--seed")
    try:
        grid = [float(c) for c in args.C.split(",")]
    except ValueError:
        raise usage_error("--C", "be comma-separated positive numbers such as 0.1,1,10", repr(args.C)) from None
    for c in grid:
        _checks.check_number(c, "--C", low=0, low_inclusive=False)
    return _corpus(args.corpus), grid


def run(args):
    import time

    archive, grid = _check_arguments(args)
    start = time.perf_counter()

    def stage(i, text):
        print(f"[{i}/5 at {time.perf_counter() - start:.0f} s] {text}", flush=True)

    if args.max_per_group is None:
        print(f"the whole corpus: about {DEFAULT_MINUTES} min with the default settings on a 2-core machine; "
              f"for a quick run add {QUICK}", flush=True)
    stage(1, f"reading {archive}")
    import_tensorflow(args.verbose)   # word2vec trains with TensorFlow
    import numpy as np
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import LinearSVC

    from course_cnn.datasets import load_20newsgroups
    from course_cnn.scdv import SCDV

    news = load_20newsgroups(archive, max_per_group=args.max_per_group)
    print(f"20 Newsgroups: {len(news.train_texts)} training, {len(news.test_texts)} test posts", flush=True)
    stage(2, f"fitting SCDV on the training posts: word2vec ({args.epochs} epochs, d={args.dim}), "
             f"Gaussian mixture (K={args.clusters}), sparsity threshold")
    scdv = SCDV(n_clusters=args.clusters, dim=args.dim, epochs=args.epochs, min_count=args.min_count,
                sparsity_percentage=args.sparsity, seed=args.seed, verbose=1)
    X_train = scdv.fit_transform(news.train_texts)
    stage(3, "document vectors of the test posts")
    X_test = scdv.transform(news.test_texts)
    stats = scdv.word_vectors_.stats
    print(f"SCDV: {len(scdv.vocabulary_)} words, {X_train.shape[1]} features, word2vec "
          f"{stats.get('words_per_second', float('nan')):,.0f} words/s, threshold {scdv.threshold_:.4g}, "
          f"test density {X_test.nnz / max(1, X_test.shape[0] * X_test.shape[1]):.1%} "
          f"({time.perf_counter() - start:.0f} s)", flush=True)
    folds = max(2, min(3, int(np.bincount(news.train_labels).min())))   # 3-fold CV, fewer on tiny slices
    stage(4, f"LinearSVC: {folds}-fold cross-validation over C = {', '.join(f'{c:g}' for c in grid)}")
    search = GridSearchCV(LinearSVC(), {"C": grid}, cv=folds).fit(X_train, news.train_labels)
    stage(5, "test accuracy")
    accuracy = (search.predict(X_test) == news.test_labels).mean()
    print(f"LinearSVC (C={search.best_params_['C']:g}): test accuracy {accuracy:.4f} on {len(news.test_texts)} posts")
    return 0
