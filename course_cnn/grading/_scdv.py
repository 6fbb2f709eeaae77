"""Check suites for SCDV: word-topic vectors, document vectors and the sparsity threshold.

Inputs are small random word vectors, cluster probabilities (rows summing
to 1), idf weights and document-term counts, drawn from
``numpy.random.default_rng(seed)``; edge cases: one cluster, a document with
no known word, a word whose counts repeat.
"""

from __future__ import annotations

import numpy as np

from course_cnn.grading._suite import Case, Hint, Suite, same_as

SCDV = "course_cnn.scdv"
_TOL = {"rtol": 1e-4, "atol": 1e-6}


def _word_inputs(seed, n_words, d, k):
    rng = np.random.default_rng(seed)
    proba = rng.dirichlet(np.ones(k), size=n_words)
    return {"word_matrix": rng.normal(size=(n_words, d)), "cluster_proba": proba,
            "idf": rng.uniform(1.0, 4.0, n_words)}


_WORD_SPECS = [(0, 6, 4, 3), (1, 10, 2, 5), (2, 4, 3, 1), (3, 1, 5, 2)]


def _wtv_cases():
    return [Case(f"seed {seed}, {n} words, d {d}, K {k}", lambda spec=(seed, n, d, k): (_word_inputs(*spec), {}))
            for seed, n, d, k in _WORD_SPECS]


def _wtv_variant(d, kind):
    wv, proba, idf = (np.asarray(d.args[k], np.float64) for k in ("word_matrix", "cluster_proba", "idf"))
    if kind == "no_idf":
        idf = np.ones_like(idf)
    blocks = idf[:, None, None] * proba[:, :, None] * wv[:, None, :]  # (n_words, K, d)
    if kind == "d_major":
        blocks = blocks.transpose(0, 2, 1)  # (n_words, d, K): the wrong concatenation order
    return blocks.reshape(len(wv), -1)


WORD_TOPIC_VECTORS = Suite(
    "scdv.word_topic_vectors", f"{SCDV}:word_topic_vectors", _wtv_cases, **_TOL,
    summary="idf-weighted concatenation of the word vector scaled by each cluster probability",
    hints=(
        Hint("Concatenate cluster by cluster: columns k*d to (k+1)*d hold idf_i * P(C_k | w_i) * wv_i.",
             lambda d: d.args["cluster_proba"].shape[1] > 1 and d.args["word_matrix"].shape[1] > 1
             and same_as(lambda d: _wtv_variant(d, "d_major"), **_TOL)(d)),
        Hint("Multiply by the word's idf: wtv_i = idf(w_i) * [wcv_i1 ... wcv_iK].",
             same_as(lambda d: _wtv_variant(d, "no_idf"), **_TOL)),
    ),
)


def _doc_inputs(seed, n_docs, n_words, d, k):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 3, (n_docs, n_words))
    counts[-1] = 0  # a document with no known word: its vector is zero
    return {"counts": counts, **_word_inputs(seed, n_words, d, k)}


def _doc_cases():
    specs = [(0, 4, 6, 3, 2), (1, 3, 5, 2, 4), (2, 2, 3, 4, 1)]
    return [Case(f"seed {seed}, {n_docs} documents (the last one empty), {n} words, d {d}, K {k}",
                 lambda spec=(seed, n_docs, n, d, k): (_doc_inputs(*spec), {}))
            for seed, n_docs, n, d, k in specs]


DOCUMENT_VECTORS = Suite(
    "scdv.document_vectors", f"{SCDV}:document_vectors", _doc_cases, **_TOL,
    summary="sum of the word-topic vectors of a document's tokens (repeats count), as counts @ WTV",
    hints=(Hint("Repeated words count as many times as they occur: multiply by the counts, not by their presence "
                "(counts @ wtv, not (counts > 0) @ wtv).",
                same_as(lambda d: d.reference((np.asarray(d.args["counts"]) > 0).astype(float),
                                              d.args["word_matrix"], d.args["cluster_proba"], d.args["idf"]),
                        **_TOL)),),
)


def _threshold_inputs(seed, n_docs, n_features):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n_docs, n_features))
    return {"normalised_vectors": vectors / np.linalg.norm(vectors, axis=1, keepdims=True)}


def _threshold_cases():
    specs = [(0, 5, 8, 4), (1, 20, 3, 10), (2, 1, 6, 4), (3, 4, 4, 0)]
    return [Case(f"seed {seed}, {n} documents x {f} features, p {p}",
                 lambda seed=seed, n=n, f=f, p=p: (dict(_threshold_inputs(seed, n, f), sparsity_percentage=p), {}))
            for seed, n, f, p in specs]


def _global_extremes(d):
    vectors, p = d.args["normalised_vectors"], d.args["sparsity_percentage"]
    a_min, a_max = float(vectors.min()), float(vectors.max())
    return p / 100 * (abs(a_min) + abs(a_max)) / 2, a_min, a_max


SPARSITY_THRESHOLD = Suite(
    "scdv.sparsity_threshold", f"{SCDV}:sparsity_threshold", _threshold_cases, rtol=1e-6, atol=1e-9,
    output_names=("threshold", "a_min", "a_max"),
    summary="t = p/100 * (|a_min| + |a_max|) / 2 from the documents' average min and max",
    hints=(
        Hint("a_min and a_max are averages over the documents of each document vector's minimum and maximum "
             "(vectors.min(axis=1).mean()), not the smallest and largest entries overall.",
             lambda d: d.args["normalised_vectors"].shape[0] > 1 and same_as(_global_extremes, rtol=1e-6)(d)),
        Hint("p is a percentage: t = (p / 100) * (|a_min| + |a_max|) / 2.",
             lambda d: isinstance(d.got, tuple) and d.args["sparsity_percentage"] > 0 and float(d.expected[0]) != 0
             and np.isclose(float(d.got[0]), float(d.expected[0]) * 100)),
    ),
)

SUITES = [WORD_TOPIC_VECTORS, DOCUMENT_VECTORS, SPARSITY_THRESHOLD]
