"""SCDV on 20 Newsgroups from saved word vectors: two stop-word lists, and the mixture's random start.

Run from the repository root, with word vectors saved by ``scdv_20ng.py --vectors-cache``::

    nice .venv/bin/python benchmarks/scdv_stop_words.py --vectors /tmp/scdv10/wv.npz --stop-words nltk

The reference code drops NLTK's English stop words and one-letter tokens
from the document vectors; ``SCDV(stop_words="english")`` drops
scikit-learn's longer list, which also holds words such as "system",
"fire", "bill" and "interest". The setting is ``scdv_20ng.py
--transductive``'s: mixture and idf on all posts, the threshold and the
classifier on the training posts. For every C of the grid it prints the
3-fold cross-validated accuracy on the training posts *and* the test
accuracy (the latter for the comparison only; C is chosen by the former).
``--seed`` sets the Gaussian mixture's random start (k-means
initialisation); the reference code leaves it unseeded, so every run of it
is one draw.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

#: NLTK's English stop words (the reference code's ``stopwords.words("english")``): the entries made of letters
#: only; the others ("don't", "you're") can never match a letters-only token.
NLTK_ENGLISH = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it
its itself they them their theirs themselves what which who whom this that these those am is are was were be been
being have has had having do does did doing a an the and but if or because as until while of at by for with about
against between into through during before after above below to from up down in out on off over under again further
then once here there when where why how all any both each few more most other some such no nor not only own same so
than too very s t can will just don should now d ll m o re ve y ain aren couldn didn doesn hadn hasn haven isn ma
mightn mustn needn shan shouldn wasn weren won wouldn
""".split()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", required=True, help="npz written by scdv_20ng.py --vectors-cache")
    parser.add_argument("--stop-words", choices=("sklearn", "nltk"), default="sklearn")
    parser.add_argument("--c-grid", default="1,3,10")
    parser.add_argument("--seed", type=int, default=0, help="the Gaussian mixture's random start")
    parser.add_argument("--archive", default=None, help="20news-bydate.tar.gz (default: the usual places)")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    from sklearn.model_selection import cross_val_score
    from sklearn.svm import LinearSVC

    from course_cnn.datasets import load_20newsgroups
    from course_cnn.scdv import SCDV, WordVectors

    saved = np.load(args.vectors, allow_pickle=False)
    wv = WordVectors(list(saved["vocab"]), saved["matrix"], json.loads(str(saved["stats"])))
    news = load_20newsgroups(args.archive)
    train, test = news.train_texts, news.test_texts
    # the reference drops every one-letter token too
    stops = "english" if args.stop_words == "sklearn" else set(NLTK_ENGLISH) | set("abcdefghijklmnopqrstuvwxyz")

    start = time.perf_counter()
    scdv = SCDV(word_vectors=wv, stop_words=stops, seed=args.seed).fit(train + test)
    scdv._fit_threshold(scdv._tokenize(train))     # the threshold comes from the training posts
    X_train, X_test = scdv.transform(train), scdv.transform(test)
    results = {"stop_words": args.stop_words, "seed": args.seed, "vocabulary": len(scdv.vocabulary_),
               "test_nnz": int(X_test.nnz), "seconds_features": time.perf_counter() - start, "C": {}}
    print(f"{args.stop_words} stop words, mixture seed {args.seed}: {len(scdv.vocabulary_)} words, "
          f"test matrix {X_test.nnz:,} stored", flush=True)
    for C in (float(c) for c in args.c_grid.split(",")):
        cv = float(cross_val_score(LinearSVC(C=C), X_train, news.train_labels, cv=3).mean())
        predicted = LinearSVC(C=C).fit(X_train, news.train_labels).predict(X_test)
        test_accuracy = float((predicted == news.test_labels).mean())
        results["C"][C] = {"cv_accuracy": cv, "test_accuracy": test_accuracy}
        print(f"  C={C:g}: 3-fold CV {cv:.4f}, test {test_accuracy:.4f}", flush=True)
    best = max(results["C"], key=lambda c: results["C"][c]["cv_accuracy"])
    results["chosen_C"], results["test_accuracy"] = best, results["C"][best]["test_accuracy"]
    print(f"  C chosen by CV: {best:g}, test accuracy {results['test_accuracy']:.4f}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
