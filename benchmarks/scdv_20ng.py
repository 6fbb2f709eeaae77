"""SCDV on 20 Newsgroups: accuracy, feature-formation speed, memory (one run, not a test).

Run from the repository root::

    nice -n 10 .venv/bin/python benchmarks/scdv_20ng.py --epochs 3 --json /tmp/scdv_20ng.json

Word vectors, the Gaussian mixture, the idf and the sparsity threshold are
fitted on the 11,314 training posts only (the paper also used the test
text; pass ``--transductive`` to do the same for the word vectors, the
mixture and the idf). Prints every number and, with ``--json``, saves them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", default=None, help="20news-bydate.tar.gz (default: the usual places)")
    parser.add_argument("--max-per-group", type=int, default=None, help="use a slice (quick trial runs)")
    parser.add_argument("--epochs", type=int, default=3, help="word2vec epochs")
    parser.add_argument("--dim", type=int, default=200)
    parser.add_argument("--clusters", type=int, default=60)
    parser.add_argument("--min-count", type=int, default=20)
    parser.add_argument("--c-grid", default="1,10", help="LinearSVC C values tried by 3-fold CV")
    parser.add_argument("--transductive", action="store_true", help="also fit word vectors/GMM/idf on test text")
    parser.add_argument("--sentences", action="store_true",
                        help="train word2vec on sentences (windows stop at . ! ?), as the reference code does")
    parser.add_argument("--hs", action="store_true",
                        help="word2vec also trains a hierarchical softmax beside the negatives (the reference's hs=1)")
    parser.add_argument("--gensim", action="store_true",
                        help="train the word vectors with gensim's Word2Vec instead of ours (the reference code's "
                             "trainer; gensim must be importable, it is not a dependency)")
    parser.add_argument("--vectors-cache", default=None, help="npz to load/save the word vectors")
    parser.add_argument("--figures", default=None, help="folder for the docs figures")
    parser.add_argument("--json", default=None, help="save the results here")
    return parser.parse_args(argv)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_sentences(text):
    """Sentences of a post, cut after ``.``, ``!`` or ``?`` followed by white space (the reference used NLTK's Punkt)."""
    return _SENTENCE_END.split(text)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def word_vectors(args, texts):
    from course_cnn.scdv import WordVectors, train_word2vec

    if args.vectors_cache and Path(args.vectors_cache).is_file():
        saved = np.load(args.vectors_cache, allow_pickle=False)
        log(f"word vectors loaded from {args.vectors_cache}")
        return WordVectors(list(saved["vocab"]), saved["matrix"], json.loads(str(saved["stats"])))
    if args.gensim:
        wv = gensim_word_vectors(args, texts)
    else:
        wv = train_word2vec(texts, dim=args.dim, min_count=args.min_count, epochs=args.epochs, hs=args.hs, seed=0,
                            verbose=1)
    if args.vectors_cache:
        np.savez(args.vectors_cache, vocab=np.array(wv.vocab), matrix=wv.matrix, stats=json.dumps(wv.stats))
    return wv


def gensim_word_vectors(args, texts):
    """The reference code's trainer: gensim's skip-gram, per-pair updates on worker threads, same settings as ours."""
    import gensim
    from gensim.models import Word2Vec

    from course_cnn.scdv import WordVectors

    start, cpu = time.perf_counter(), time.process_time()
    model = Word2Vec(sentences=texts, vector_size=args.dim, window=10, negative=10, hs=int(args.hs), sg=1,
                     min_count=args.min_count, sample=1e-3, epochs=args.epochs, workers=os.cpu_count(), seed=1)
    seconds = time.perf_counter() - start
    words = model.corpus_total_words * args.epochs
    stats = {"trainer": f"gensim {gensim.__version__}", "seconds": seconds,
             "cpu_seconds": time.process_time() - cpu, "words_per_second": words / seconds}
    log(f"gensim word2vec: {len(model.wv)} words, {seconds:.0f} s")
    return WordVectors(list(model.wv.index_to_key), model.wv.vectors, stats)   # scaled to unit length


def loop_vectors(token_lists, scdv):
    """The reference code's per-token loop: add each token's word-topic vector, normalise, threshold."""
    from course_cnn.scdv import word_topic_vectors

    wtv = word_topic_vectors(scdv.word_matrix_, scdv.cluster_proba_, scdv.idf_)   # (V, K * d) float32
    index = {w: i for i, w in enumerate(scdv.vocabulary_)}
    rows = []
    for tokens in token_lists:
        vector = np.zeros(wtv.shape[1], dtype=np.float32)
        for token in tokens:
            if token in index:
                vector += wtv[index[token]]
        norm = np.sqrt(vector @ vector)
        if norm:
            vector /= norm
        vector[np.abs(vector) < scdv.threshold_] = 0
        rows.append(sp.csr_matrix(vector))
    return sp.vstack(rows, format="csr")


def vectorised_vectors(token_lists, scdv):
    """The same from token lists, the way SCDV.transform does it."""
    from course_cnn.scdv.sparsity import _sparsify

    return sp.vstack([_sparsify(dense, scdv.threshold_) for dense in scdv._normalised_chunks(token_lists)],
                     format="csr")


def speed(results, scdv, test_tokens):
    sample = test_tokens[:300]
    # unthresholded agreement on a sample: loop vs vectorised
    from course_cnn.scdv import document_vectors_loop
    from course_cnn.scdv.features import _document_vectors
    from course_cnn.scdv.sparsity import l2_normalise

    ref = l2_normalise(document_vectors_loop(sample, scdv.vocabulary_, scdv.word_matrix_, scdv.cluster_proba_,
                                             scdv.idf_))
    fast = l2_normalise(_document_vectors(scdv._counts(sample), scdv.word_matrix_, scdv.cluster_proba_, scdv.idf_))
    results["sample_max_abs_diff"] = float(np.abs(ref - fast).max())
    start = time.perf_counter()
    fast_all = vectorised_vectors(test_tokens, scdv)
    results["vectorised_seconds_test"] = time.perf_counter() - start
    start = time.perf_counter()
    loop_all = loop_vectors(test_tokens, scdv)
    results["loop_seconds_test"] = time.perf_counter() - start
    results["speedup"] = results["loop_seconds_test"] / results["vectorised_seconds_test"]
    both = fast_all.multiply(loop_all) != 0                    # kept by both sides
    diff = abs(fast_all - loop_all)
    results["thresholded_max_abs_diff_kept_by_both"] = float(diff.multiply(both).max())
    # components within float rounding of the threshold: one side keeps ~t, the other zeroes it
    results["threshold_flips"] = int((fast_all != 0).sum() + (loop_all != 0).sum() - 2 * both.sum())
    results["thresholded_max_abs_diff"] = float(diff.max())
    log(f"feature formation on the test set: vectorised {results['vectorised_seconds_test']:.2f} s, "
        f"per-token loop {results['loop_seconds_test']:.2f} s, {results['speedup']:.1f}x; "
        f"max |diff| {results['sample_max_abs_diff']:.2e} (sample, before threshold), "
        f"{results['thresholded_max_abs_diff_kept_by_both']:.2e} (all, thresholded, where both keep a component), "
        f"{results['threshold_flips']} components within rounding of the threshold kept by one side only")


def classify(name, X_train, y_train, X_test, y_test, grid, results):
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import LinearSVC

    start = time.perf_counter()
    search = GridSearchCV(LinearSVC(), {"C": grid}, cv=3, n_jobs=1).fit(X_train, y_train)
    accuracy = float((search.predict(X_test) == y_test).mean())
    results[name] = {"accuracy": accuracy, "C": search.best_params_["C"], "cv_accuracy": search.best_score_,
                     "seconds": time.perf_counter() - start}
    log(f"{name}: test accuracy {accuracy:.4f} (C={search.best_params_['C']}, 3-fold CV {search.best_score_:.4f})")


def main(argv=None):
    args = parse_args(argv)
    import sklearn
    import tensorflow as tf
    from sklearn.feature_extraction.text import TfidfVectorizer

    from course_cnn.datasets import load_20newsgroups
    from course_cnn.scdv import SCDV, plot_sparsity_pattern, plot_word_clusters, tokenize

    results = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs", "numpy": np.__version__,
               "tensorflow": tf.__version__, "sklearn": sklearn.__version__, "args": vars(args)}
    news = load_20newsgroups(args.archive, max_per_group=args.max_per_group)
    train, test = news.train_texts, news.test_texts
    log(f"{len(train)} training and {len(test)} test posts")
    fit_texts = train + test if args.transductive else train

    # word2vec sees every token, stop words too; with --sentences its windows stop at sentence ends
    w2v_texts = [s for t in fit_texts for s in split_sentences(t)] if args.sentences else fit_texts
    wv = word_vectors(args, [tokens for tokens in map(tokenize, w2v_texts) if tokens])
    results["word2vec"] = {k: v for k, v in wv.stats.items()}
    results["neighbours"] = {w: [n for n, _ in wv.most_similar(w, 6)] for w in
                             ("god", "car", "windows", "hockey", "encryption", "space") if w in wv}
    log(f"word2vec: {len(wv)} words, {wv.stats['words_per_second']:,.0f} words/s, neighbours {results['neighbours']}")

    start = time.perf_counter()
    scdv = SCDV(n_clusters=args.clusters, min_count=args.min_count, word_vectors=wv).fit(fit_texts)
    # the documents' tokens without stop words, as SCDV.transform sees them
    train_tokens, test_tokens = scdv._tokenize(train), scdv._tokenize(test)
    if args.transductive:   # the threshold always comes from the training documents
        scdv._fit_threshold(train_tokens)
    results["fit_seconds_gmm_idf_threshold"] = time.perf_counter() - start
    results["threshold"] = {"a_min": scdv.a_min_, "a_max": scdv.a_max_, "t": scdv.threshold_}
    log(f"SCDV fitted in {results['fit_seconds_gmm_idf_threshold']:.1f} s; threshold {results['threshold']}")

    start = time.perf_counter()
    X_train, X_test = vectorised_vectors(train_tokens, scdv), vectorised_vectors(test_tokens, scdv)
    results["transform_seconds_all"] = time.perf_counter() - start
    dense_bytes = X_test.shape[0] * X_test.shape[1] * 4
    sparse_bytes = X_test.data.nbytes + X_test.indices.nbytes + X_test.indptr.nbytes
    results["memory"] = {"shape": list(X_test.shape), "nnz": int(X_test.nnz), "density": X_test.nnz / np.prod(X_test.shape),
                         "sparse_mb": sparse_bytes / 2**20, "dense_float32_mb": dense_bytes / 2**20}
    log(f"all {len(train) + len(test)} documents transformed in {results['transform_seconds_all']:.1f} s; "
        f"test matrix {results['memory']}")

    speed(results, scdv, test_tokens)
    if args.figures:
        plot_word_clusters(scdv, Path(args.figures) / "word_clusters.png")
        plot_sparsity_pattern(X_test[0], args.clusters, Path(args.figures) / "sparsity_pattern.png")

    grid = [float(c) for c in args.c_grid.split(",")]
    y_train, y_test = news.train_labels, news.test_labels
    save = (lambda: Path(args.json).write_text(json.dumps(results, indent=2, default=str))) if args.json else (lambda: None)
    save()
    tfidf = TfidfVectorizer().fit(train)
    T_train, T_test = tfidf.transform(train), tfidf.transform(test)
    classify("tfidf_linear_svc", T_train, y_train, T_test, y_test, grid, results)
    save()
    classify("scdv_linear_svc", X_train, y_train, X_test, y_test, grid, results)
    save()
    classify("scdv_plus_tfidf_linear_svc", sp.hstack([X_train, T_train], format="csr"), y_train,
             sp.hstack([X_test, T_test], format="csr"), y_test, grid, results)
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
