r"""SCDV feature formation: word-topic vectors and document vectors.

With unit word vectors $wv_i \in \mathbb{R}^d$, cluster probabilities
$P(C_k \mid w_i)$ and inverse document frequencies $idf(w_i)$,
SCDV gives every word a *word-topic vector* of length $Kd$

$$
wtv_i = idf(w_i)\,\big[\,wv_i P(C_1\mid w_i),\ \dots,\ wv_i P(C_K\mid w_i)\,\big],
$$

a document the L2-normalised sum of its tokens' word-topic vectors,

$$
dv_D = \frac{\sum_{w_i \in D} wtv_i}{\lVert \sum_{w_i \in D} wtv_i \rVert_2}
     = \frac{(X\,WTV)_D}{\lVert (X\,WTV)_D \rVert_2}
$$

($X$ the document-term count matrix); `course_cnn.scdv.sparsity` then
zeroes its small components.

The vectorised path never builds $WTV$ ($V \times Kd$): the
unnormalised sum of document $D$, arranged as a $K \times d$
matrix (row $k$ is cluster $k$'s block), is

$$
\big[\,dv_D\,\big]_{k, :} = \sum_{i \in D} x_{Di}\, idf(w_i)\, P(C_k \mid w_i)\; wv_i
\quad\Longleftrightarrow\quad
dv_D = A_D^\top B_D,
$$

with $A_D$ ($n_D \times K$) the rows $x_{Di}\, idf_i\, P(C_{:} \mid w_i)$
and $B_D$ ($n_D \times d$) the word vectors of the
$n_D$ distinct words of $D$ ($x_{Di}$ its count of word
$i$, read from the sparse count matrix $X$). Documents of similar
length are padded to a common $n_D$ and go through one stacked matrix
product (``np.matmul`` on ``(b, K, n) @ (b, n, d)``), a few such groups at a
time on the idle cores: the $2\,\text{nnz}(X)\,K d$ floating-point
operations run in BLAS instead of one $Kd$-float add per token.

References
----------
Mekala, Gupta, Paranjape, Karnick. "SCDV: Sparse Composite Document Vectors
using soft clustering over distributional representations", EMNLP 2017.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from course_cnn import _checks

__all__ = [
    "count_matrix",
    "word_topic_vectors",
    "document_vectors",
    "document_vectors_loop",
]


def count_matrix(token_lists, vocabulary):
    r"""The document-term count matrix $X$, $X_{Di}$ = how often word $i$ occurs in document $D$.

    One pass over all tokens in C (``dict.get`` through ``map``), then
    scipy sums the repeats; tokens outside ``vocabulary`` are skipped.

    Parameters
    ----------
    token_lists : sequence of list of str
        Tokenized documents.
    vocabulary : mapping of str to int, or sequence of str
        Column of each word (a sequence gives word ``vocabulary[j]`` column ``j``).

    Returns
    -------
    scipy.sparse.csr_matrix of shape (n_documents, n_words), float32
        Sorted column indices, no explicit zeros.

    Raises
    ------
    TypeError
        For a bare str where the documents or the vocabulary belong (it would
        be read letter by letter), or a document that is not a list of tokens.

    Examples
    --------
    >>> count_matrix([["a", "b", "a"], ["zzz"], ["b"]], ["a", "b"]).toarray()
    array([[2., 1.],
           [0., 0.],
           [0., 1.]], dtype=float32)
    """
    token_lists = _check_token_lists(token_lists, "token_lists")
    index = _check_vocabulary(vocabulary, "vocabulary")
    n_words = max(index.values(), default=-1) + 1
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    # the column of every token, -1 for unknown ones: (n_tokens,)
    columns = np.fromiter(map(index.get, itertools.chain.from_iterable(token_lists), itertools.repeat(-1)),
                          dtype=np.int64, count=int(lengths.sum()))
    known = columns >= 0
    # the tokens are in document order already: document D's known tokens are entries indptr[D]..indptr[D + 1]
    known_before = np.concatenate(([0], np.cumsum(known)))                        # (n_tokens + 1,)
    indptr = known_before[np.concatenate(([0], np.cumsum(lengths)))]              # (n_documents + 1,)
    counts = sp.csr_matrix((np.ones(int(indptr[-1]), dtype=np.float32), columns[known].astype(np.int32), indptr),
                           shape=(len(token_lists), n_words))
    counts.sum_duplicates()  # sorts each row's columns; repeats of a word in a document add up
    return counts


def _check_token_lists(token_lists, name):
    """A sequence of documents, each a list of tokens; one pass over the documents, not the tokens."""
    if isinstance(token_lists, (str, bytes)) or not hasattr(token_lists, "__len__"):
        raise _checks.fail(name, "be a sequence of token lists (one list of str per document)",
                           _checks.describe(token_lists), TypeError)
    for doc in token_lists:
        if not isinstance(doc, (list, tuple, np.ndarray)):  # a bare str would be read letter by letter
            raise _checks.fail(name, "be a sequence of token lists (one list of str per document)",
                               f"a document {_checks.describe(doc)}", TypeError)
    return token_lists


def _check_vocabulary(vocabulary, name):
    """Word -> column: a mapping as given, or a sequence of str numbered in order."""
    if isinstance(vocabulary, Mapping):
        return vocabulary
    try:
        words = _checks.check_strings(vocabulary, name)
    except TypeError:
        raise _checks.fail(name, "be a mapping of str to int or a sequence of str", _checks.describe(vocabulary),
                           TypeError) from None
    return {w: j for j, w in enumerate(words)}


def word_topic_vectors(word_matrix, cluster_proba, idf):
    r"""Every word's word-topic vector $wtv_i = idf_i\,[wv_i P(C_1|w_i), \dots, wv_i P(C_K|w_i)]$.

    Parameters
    ----------
    word_matrix : array_like of shape (n_words, d)
        Word vectors $wv_i$.
    cluster_proba : array_like of shape (n_words, K)
        $P(C_k \mid w_i)$.
    idf : array_like of shape (n_words,)
        Inverse document frequencies.

    Returns
    -------
    ndarray of shape (n_words, K * d), float32
        Cluster k's block is columns ``k*d`` to ``(k+1)*d``.

    Raises
    ------
    ValueError
        When the three inputs do not have one row per word.

    Examples
    --------
    >>> wtv = word_topic_vectors([[1.0, 2.0]], [[0.25, 0.75]], [2.0])
    >>> wtv.tolist()   # 2 * [1*0.25, 2*0.25, 1*0.75, 2*0.75]
    [[0.5, 1.0, 1.5, 3.0]]
    """
    word_matrix, cluster_proba, idf = _check_word_inputs(word_matrix, cluster_proba, idf)
    n_words, d = word_matrix.shape
    blocks = idf[:, None, None] * cluster_proba[:, :, None] * word_matrix[:, None, :]   # (n_words, K, d)
    return blocks.reshape(n_words, -1).astype(np.float32)                                # (n_words, K * d)


def _check_word_inputs(word_matrix, cluster_proba, idf):
    word_matrix = _checks.check_array(word_matrix, "word_matrix", ndim=2, finite=True, dtype=np.float64)
    cluster_proba = _checks.check_array(cluster_proba, "cluster_proba", ndim=2, finite=True, dtype=np.float64)
    idf = _checks.check_array(idf, "idf", ndim=1, finite=True, dtype=np.float64)
    n_words = word_matrix.shape[0]
    _checks.check_shape(cluster_proba, "cluster_proba", (n_words, None))
    _checks.check_shape(idf, "idf", (n_words,))
    return word_matrix, cluster_proba, idf


def document_vectors(counts, word_matrix, cluster_proba, idf):
    r"""Unnormalised SCDV document vectors $X\,WTV$, as one small product $A_D^\top B_D$ per document.

    Documents of similar length are batched into stacked matrix products
    (see the module's docstring); no loop over tokens.

    Parameters
    ----------
    counts : sparse matrix or array_like of shape (n_documents, n_words)
        Document-term counts $X$ (repeats count).
    word_matrix : array_like of shape (n_words, d)
    cluster_proba : array_like of shape (n_words, K)
    idf : array_like of shape (n_words,)

    Returns
    -------
    ndarray of shape (n_documents, K * d), float32
        $\sum_{w_i \in D} wtv_i$ for every document (zero for a
        document with no known word).

    Raises
    ------
    ValueError
        When ``counts`` does not have one column per word.

    Examples
    --------
    >>> X = [[2, 0], [1, 1]]          # doc 0: word 0 twice; doc 1: both words
    >>> document_vectors(X, [[1.0], [3.0]], [[1.0, 0.0], [0.5, 0.5]], [1.0, 2.0]).tolist()
    [[2.0, 0.0], [4.0, 3.0]]
    """
    word_matrix, cluster_proba, idf = _check_word_inputs(word_matrix, cluster_proba, idf)
    counts = _check_counts(counts, word_matrix.shape[0])
    return _document_vectors(counts, word_matrix, cluster_proba, idf)


def _check_counts(counts, n_words):
    if not sp.issparse(counts):
        counts = _checks.check_array(counts, "counts", ndim=2, finite=True)
    else:
        _checks.check_dtype_kind(counts, "counts", "biuf")
        _checks.check_finite(counts.data, "counts")  # the stored entries: O(nnz)
    _checks.check_shape(counts, "counts", (None, n_words))
    counts = sp.csr_matrix(counts, dtype=np.float64)
    counts.sum_duplicates()  # one entry per (document, word), sorted
    return counts


#: Bytes of the padded ``A`` and ``B`` blocks of one group of documents.
GROUP_BYTES = 4 * 2**20


def _document_groups(lengths: np.ndarray, row_bytes: int) -> list[np.ndarray]:
    """Documents with at least one word, by increasing length, cut into groups of about GROUP_BYTES once padded."""
    order = np.argsort(lengths, kind="stable")
    order = order[lengths[order] > 0]
    groups, start = [], 0
    while start < len(order):
        # the group's longest document sets its padding; grow until the padded block is full
        size = max(1, GROUP_BYTES // (row_bytes * max(1, int(lengths[order[start]]))))
        stop = min(len(order), start + size)
        while stop - start > 1 and (stop - start) * int(lengths[order[stop - 1]]) * row_bytes > GROUP_BYTES:
            stop = start + max(1, (stop - start) // 2)
        groups.append(order[start:stop])
        start = stop
    return groups


def _document_vectors(counts, word_matrix, cluster_proba, idf, out=None):
    """Kernel: ``counts`` is CSR with sorted indices; inputs are valid. Computes in float32.

    ``out``, a C-contiguous float32 buffer of at least ``n_documents`` rows of
    ``K * d`` values, receives the vectors in its first rows (returned as a
    view): a caller turning chunk after chunk into vectors reuses one buffer
    instead of having the kernel fault in new pages for every chunk.
    """
    from course_cnn import _parallel

    n_docs = counts.shape[0]
    d, n_clusters = word_matrix.shape[1], cluster_proba.shape[1]
    weights = (idf[:, None] * cluster_proba).astype(np.float32)                 # (V, K): idf_i P(C_k|w_i)
    vectors = np.asarray(word_matrix, dtype=np.float32)                           # (V, d)
    lengths = np.diff(counts.indptr)                                              # n_D, distinct words per document
    if out is None:
        out = np.empty((n_docs, n_clusters * d), dtype=np.float32)
    out = out[:n_docs].reshape(n_docs, n_clusters, d)                             # (n_docs, K, d)
    out[lengths == 0] = 0.0                                                       # no known word: the zero vector

    def group_vectors(docs: np.ndarray) -> None:
        n = int(lengths[docs].max())
        slot = np.arange(n)
        real = slot[None, :] < lengths[docs, None]                                # (b, n): not padding
        entry = np.where(real, counts.indptr[docs, None] + slot[None, :], 0)      # (b, n): position in counts
        words = counts.indices[entry]                                             # (b, n)
        x = np.where(real, counts.data[entry], 0).astype(np.float32)              # (b, n): 0 in the padding
        A = weights[words]                                                        # (b, n, K): idf_i P(C_k|w_i)
        A *= x[:, :, None]                                                        # x_Di idf_i P(C_k|w_i)
        B = vectors[words]                                                        # (b, n, d): wv_i
        out[docs] = np.matmul(A.transpose(0, 2, 1), B)                            # (b, K, d) = A_D^T B_D

    if counts.nnz:
        _parallel.run(group_vectors, _document_groups(lengths, 4 * (n_clusters + d)))
    return out.reshape(n_docs, n_clusters * d)                                    # cluster k: columns k*d..(k+1)*d


def document_vectors_loop(token_lists, vocabulary, word_matrix, cluster_proba, idf):
    r"""Reference SCDV document vectors: a Python loop over every token (slow, for checks).

    Mirrors the reference code: look up each token's word-topic vector and
    add it to the document's vector.

    Parameters
    ----------
    token_lists : sequence of list of str
        Tokenized documents.
    vocabulary : sequence of str
        The words of the rows of ``word_matrix``; other tokens are skipped.
    word_matrix : array_like of shape (n_words, d)
    cluster_proba : array_like of shape (n_words, K)
    idf : array_like of shape (n_words,)

    Returns
    -------
    ndarray of shape (n_documents, K * d), float64
        The unnormalised document vectors, like `document_vectors`.

    Examples
    --------
    >>> document_vectors_loop([["a", "a"], ["a", "b", "zzz"]], ["a", "b"],
    ...                       [[1.0], [3.0]], [[1.0, 0.0], [0.5, 0.5]], [1.0, 2.0]).tolist()
    [[2.0, 0.0], [4.0, 3.0]]
    """
    token_lists = _check_token_lists(token_lists, "token_lists")
    index = _check_vocabulary(vocabulary, "vocabulary")
    wtv = word_topic_vectors(word_matrix, cluster_proba, idf).astype(np.float64)
    out = np.zeros((len(token_lists), wtv.shape[1]))
    for doc, tokens in enumerate(token_lists):
        for token in tokens:
            if token in index:
                out[doc] += wtv[index[token]]
    return out
