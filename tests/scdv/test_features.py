import re

import numpy as np
import pytest
import scipy.sparse as sp

from course_cnn.scdv import (
    document_vectors,
    document_vectors_loop,
    sparsify,
    sparsity_threshold,
    word_topic_vectors,
)


def test_word_topic_vectors_by_hand():
    # idf 2, wv (1, -1), P = (0.2, 0.8): 2 * [0.2, -0.2, 0.8, -0.8]
    wtv = word_topic_vectors([[1.0, -1.0]], [[0.2, 0.8]], [2.0])
    np.testing.assert_allclose(wtv, [[0.4, -0.4, 1.6, -1.6]], rtol=1e-6)
    assert wtv.dtype == np.float32


def _random_problem(rng, n_docs=12, n_words=30, d=5, k=4, zero_fraction=0.0):
    W = rng.normal(size=(n_words, d))
    P = rng.dirichlet(np.ones(k), size=n_words)
    P[rng.random(P.shape) < zero_fraction] = 0.0     # exact zeros: words outside a cluster's support
    idf = 1 + rng.random(n_words) * 3
    vocab = [f"w{i}" for i in range(n_words)]
    tokens = [list(rng.choice(vocab + ["unknown"], size=rng.integers(0, 25))) for _ in range(n_docs)]
    counts = np.zeros((n_docs, n_words))
    for doc, toks in enumerate(tokens):
        for t in toks:
            if t != "unknown":
                counts[doc, int(t[1:])] += 1
    return tokens, vocab, counts, W, P, idf


@pytest.mark.parametrize("zero_fraction", [0.0, 0.6, 1.0])
@pytest.mark.parametrize("as_sparse", [False, True])
def test_document_vectors_equal_the_token_loop(zero_fraction, as_sparse):
    rng = np.random.default_rng(0)
    tokens, vocab, counts, W, P, idf = _random_problem(rng, zero_fraction=zero_fraction)
    fast = document_vectors(sp.csr_matrix(counts) if as_sparse else counts, W, P, idf)
    slow = document_vectors_loop(tokens, vocab, W, P, idf)
    assert fast.shape == (12, 4 * 5)
    np.testing.assert_allclose(fast, slow, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("workers", [1, 2])
def test_document_groups_of_every_size_give_the_loop(monkeypatch, workers):
    import importlib

    from course_cnn import _parallel

    features = importlib.import_module("course_cnn.scdv.features")
    rng = np.random.default_rng(1)
    tokens, vocab, counts, W, P, idf = _random_problem(rng, n_docs=60, n_words=40)
    slow = document_vectors_loop(tokens, vocab, W, P, idf)
    monkeypatch.setattr(_parallel, "n_workers", lambda: workers)
    whole = document_vectors(counts, W, P, idf)                 # one group
    # 4 * (K + d) = 36 bytes per padded word: groups of a few documents, from 1 to 25 words long
    monkeypatch.setattr(features, "GROUP_BYTES", 36 * 40)
    lengths = np.count_nonzero(counts, axis=1)
    groups = features._document_groups(lengths, 36)
    assert len(groups) > 10 and sorted(np.concatenate(groups).tolist()) == np.flatnonzero(lengths).tolist()
    assert all(len(g) == 1 or len(g) * lengths[g].max() * 36 <= 36 * 40 for g in groups)
    grouped = document_vectors(counts, W, P, idf)
    np.testing.assert_allclose(grouped, slow, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grouped, whole, rtol=1e-6, atol=1e-6)


def test_document_vectors_equal_dense_formula():
    rng = np.random.default_rng(0)
    _, _, counts, W, P, idf = _random_problem(rng, zero_fraction=0.3)
    # X @ WTV with the full (n_words, K*d) matrix
    expected = counts @ word_topic_vectors(W, P, idf).astype(np.float64)
    np.testing.assert_allclose(document_vectors(counts, W, P, idf), expected, rtol=1e-5, atol=1e-5)


def test_kernel_writes_into_a_reused_buffer():
    from course_cnn.scdv.features import _check_counts, _document_vectors

    rng = np.random.default_rng(2)
    tokens, vocab, counts, W, P, idf = _random_problem(rng)
    counts[3] = 0                                          # a document with no known word, over old values
    slow = document_vectors_loop([[] if i == 3 else t for i, t in enumerate(tokens)], vocab, W, P, idf)
    buffer = np.full((20, 4 * 5), np.nan, dtype=np.float32)   # more rows than documents, none of them zero
    fast = _document_vectors(_check_counts(counts, 30), W, P, idf, out=buffer)
    assert fast.shape == (12, 20) and np.shares_memory(fast, buffer)
    np.testing.assert_allclose(fast, slow, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(fast[3], 0.0)


def test_empty_document_is_zero():
    out = document_vectors_loop([[], ["b"]], ["a", "b"], [[1.0], [2.0]], [[1.0], [1.0]], [1.0, 1.0])
    np.testing.assert_array_equal(out, [[0.0], [2.0]])
    np.testing.assert_array_equal(document_vectors([[0, 0], [0, 1]], [[1.0], [2.0]], [[1.0], [1.0]], [1.0, 1.0]),
                                  [[0.0], [2.0]])


@pytest.mark.parametrize("args, message", [
    (([[1.0]], [[1.0]], [1.0, 2.0]), r"`idf` must have shape \(1,\); got shape \(2,\)\."),
    (([[1.0]], [[1.0], [1.0]], [1.0]), r"`cluster_proba` must have shape \(1, None\); got shape \(2, 1\)\."),
    (([1.0], [[1.0]], [1.0]), r"`word_matrix` must have 2 dimensions; got shape \(1,\)\."),
])
def test_word_topic_vectors_shape_messages(args, message):
    with pytest.raises(ValueError, match=message):
        word_topic_vectors(*args)


def test_document_vectors_counts_width_message():
    with pytest.raises(ValueError, match=r"`counts` must have shape \(None, 2\); got shape \(1, 3\)\."):
        document_vectors([[1, 0, 0]], [[1.0], [1.0]], [[1.0], [1.0]], [1.0, 1.0])


def test_sparsity_threshold_by_hand():
    # mins -0.6, 0.0 -> a_min -0.3; maxes 0.8, 1.0 -> a_max 0.9; t = 0.04 * (0.3 + 0.9) / 2 = 0.024
    t, a_min, a_max = sparsity_threshold([[-0.6, 0.8], [0.0, 1.0]], 4)
    assert (t, a_min, a_max) == pytest.approx((0.024, -0.3, 0.9))


@pytest.mark.parametrize("p", [-1, 100.5, float("nan")])
def test_sparsity_threshold_percentage_range(p):
    with pytest.raises(ValueError, match=r"`sparsity_percentage` must be a (finite )?real number in \[0, 100\]"):
        sparsity_threshold([[1.0]], p)


def test_sparsify_zeroes_below_threshold_and_returns_csr():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 40)).astype(np.float32)
    out = sparsify(vectors, 0.5)
    assert sp.isspmatrix_csr(out) or isinstance(out, sp.csr_matrix)
    dense = out.toarray()
    keep = np.abs(vectors) >= 0.5
    np.testing.assert_array_equal(dense[keep], vectors[keep])
    assert np.all(dense[~keep] == 0)
    with pytest.raises(ValueError, match=r"`threshold` must be a real number >= 0; got -0.1\."):
        sparsify(vectors, -0.1)


def test_count_matrix_equals_count_vectorizer():
    from sklearn.feature_extraction.text import CountVectorizer

    from course_cnn.scdv import count_matrix

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30)]
    token_lists = [list(rng.choice(words + ["oov"], size=rng.integers(0, 40))) for _ in range(50)] + [[]]
    vocabulary = words[5:25]
    X = count_matrix(token_lists, vocabulary)
    expected = CountVectorizer(analyzer=lambda tokens: tokens, vocabulary=vocabulary).transform(token_lists)
    assert X.shape == (51, 20) and X.dtype == np.float32 and X.has_sorted_indices
    np.testing.assert_array_equal(X.toarray(), expected.toarray())
    assert X.nnz == expected.nnz                                   # no explicit zeros
    # a mapping gives the columns
    np.testing.assert_array_equal(count_matrix([["b", "a", "b"]], {"a": 1, "b": 0}).toarray(), [[2.0, 1.0]])


def test_bare_strings_and_nan_are_refused():
    from course_cnn.scdv import count_matrix, document_vectors, sparsify

    with pytest.raises(TypeError, match=re.escape(
            "`token_lists` must be a sequence of token lists (one list of str per document); got a document 'the cat'.")):
        count_matrix(["the cat", "dog"], ["cat"])
    with pytest.raises(TypeError, match=re.escape("`vocabulary` must be a mapping of str to int or a sequence of str; got 'cat'.")):
        count_matrix([["cat"]], "cat")
    with pytest.raises(ValueError, match=re.escape("`vectors` must contain only finite values; got 1 NaN or infinite entry.")):
        sparsify([[np.nan, 0.5]], 0.1)  # would have been stored as 0
    counts = sp.csr_matrix(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match=re.escape("`counts` must contain only finite values; got 1 NaN or infinite entry.")):
        document_vectors(counts, np.ones((2, 1)), np.ones((2, 1)), np.ones(2))
