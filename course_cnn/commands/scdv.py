"""``course-cnn scdv``: train SCDV on 20 Newsgroups and print the test accuracy of a LinearSVC."""

NAME = "scdv"
HELP = "train SCDV document vectors on 20 Newsgroups and print LinearSVC test accuracy"


def add_arguments(parser):
    parser.add_argument("--corpus", default=None,
                        help="20news-bydate.tar.gz (default: $COURSE_CNN_20NG, ../shared/data, ./)")
    parser.add_argument("--clusters", type=int, default=60, help="Gaussian-mixture components K (default 60)")
    parser.add_argument("--dim", type=int, default=200, help="word-vector length d (default 200)")
    parser.add_argument("--epochs", type=int, default=3, help="word2vec epochs (default 3)")
    parser.add_argument("--min-count", type=int, default=20, help="drop rarer words (default 20)")
    parser.add_argument("--sparsity", type=float, default=4.0, help="sparsity percentage p (default 4)")
    parser.add_argument("--max-per-group", type=int, default=None, help="use only this many posts per group")
    parser.add_argument("--C", default="0.1,1,10", help="LinearSVC C values, chosen by 3-fold CV (default 0.1,1,10)")
    parser.add_argument("--seed", type=int, default=0)


def run(args):
    import time

    import numpy as np
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import LinearSVC

    from course_cnn.datasets import load_20newsgroups
    from course_cnn.scdv import SCDV

    try:
        news = load_20newsgroups(args.corpus, max_per_group=args.max_per_group)
    except FileNotFoundError as exc:
        print(f"course-cnn scdv: {exc}")
        return 1
    print(f"20 Newsgroups: {len(news.train_texts)} training, {len(news.test_texts)} test posts", flush=True)
    start = time.perf_counter()
    scdv = SCDV(n_clusters=args.clusters, dim=args.dim, epochs=args.epochs, min_count=args.min_count,
                sparsity_percentage=args.sparsity, seed=args.seed, verbose=1)
    X_train = scdv.fit_transform(news.train_texts)
    X_test = scdv.transform(news.test_texts)
    stats = scdv.word_vectors_.stats
    print(f"SCDV: {len(scdv.vocabulary_)} words, {X_train.shape[1]} features, word2vec "
          f"{stats.get('words_per_second', float('nan')):,.0f} words/s, threshold {scdv.threshold_:.4g}, "
          f"test density {X_test.nnz / max(1, X_test.shape[0] * X_test.shape[1]):.1%} "
          f"({time.perf_counter() - start:.0f} s)", flush=True)
    grid = [float(c) for c in args.C.split(",")]
    folds = max(2, min(3, int(np.bincount(news.train_labels).min())))   # 3-fold CV, fewer on tiny slices
    search = GridSearchCV(LinearSVC(), {"C": grid}, cv=folds).fit(X_train, news.train_labels)
    accuracy = (search.predict(X_test) == news.test_labels).mean()
    print(f"LinearSVC (C={search.best_params_['C']:g}): test accuracy {accuracy:.4f} on {len(news.test_texts)} posts")
    return 0
