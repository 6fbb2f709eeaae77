"""Tour demo: SCDV on a slice of 20 Newsgroups (skipped with a one-line note when the archive is absent)."""

from __future__ import annotations

from course_cnn.tour import Demo, DemoResult

# four groups far apart, so that a slice small enough for a quick demo still separates them
_GROUPS = ("comp.graphics", "rec.sport.hockey", "sci.space", "soc.religion.christian")

# Posts per group and split, and the SCDV settings, with --quick and without; the test suite shrinks them to check
# the wiring fast.
QUICK = dict(per_group=40, scdv=dict(n_clusters=8, dim=24, epochs=4, min_count=5, window=5, negative=5))
FULL = dict(per_group=150, scdv=dict(n_clusters=20, dim=100, epochs=4, min_count=5))


def run(out_dir, quick):
    from course_cnn.datasets import find_20newsgroups, load_20newsgroups

    archive = find_20newsgroups()
    if archive is None:
        return DemoResult("20 Newsgroups archive not found (set $COURSE_CNN_20NG); SCDV demo skipped", [])
    import warnings

    import keras
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    from course_cnn.scdv import SCDV, plot_sparsity_pattern, plot_word_clusters

    keras.utils.set_random_seed(0)
    budget = QUICK if quick else FULL
    # without headers, signatures and quoted replies: else the clusters are of e-mail words (edu, subject, lines)
    news = load_20newsgroups(archive, max_per_group=budget["per_group"], remove=("headers", "footers", "quotes"))
    groups = [news.target_names.index(g) for g in _GROUPS]
    train = [i for i, y in enumerate(news.train_labels) if y in groups]
    test = [i for i, y in enumerate(news.test_labels) if y in groups]
    scdv = SCDV(**budget["scdv"])
    with warnings.catch_warnings():  # said in the summary instead of printed in the middle of the tour
        warnings.simplefilter("ignore", ConvergenceWarning)
        X_train = scdv.fit_transform([news.train_texts[i] for i in train])
    gmm_note = "" if scdv.gmm_.converged_ else f"; the GMM stopped at its {scdv.gmm_.n_iter_}-iteration limit"
    X_test = scdv.transform([news.test_texts[i] for i in test])
    svm = LinearSVC(C=10).fit(X_train, news.train_labels[train])
    accuracy = (svm.predict(X_test) == news.test_labels[test]).mean()
    files = [out_dir / "word_clusters.png", out_dir / "sparsity_pattern.png"]
    plot_word_clusters(scdv, files[0])
    plot_sparsity_pattern(X_test[0], scdv.n_clusters, files[1])
    density = X_test.nnz / (X_test.shape[0] * X_test.shape[1])
    return DemoResult(f"SCDV ({scdv.n_clusters} clusters x {scdv.word_matrix_.shape[1]} dims) on {len(train)} posts "
                      f"of {len(_GROUPS)} groups: LinearSVC test accuracy {accuracy:.1%} on {len(test)} "
                      f"(chance {1 / len(_GROUPS):.0%}), density {density:.1%}{gmm_note}",
                      files)


DEMOS = [Demo("scdv-20ng", "SCDV document vectors on 20 Newsgroups", run)]
