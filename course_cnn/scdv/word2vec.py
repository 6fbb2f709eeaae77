r"""Word vectors: skip-gram with negative sampling (SGNS), trained in TensorFlow.

Skip-gram (Mikolov et al., 2013) learns an input vector $u_w$ and an
output vector $v_w$ for every word so that words seen near each other
score high. For a (target $t$, context $c$) pair taken from a
window around each token and $K$ negatives $n_j$ drawn from the
unigram distribution raised to 0.75, SGNS maximises

$$
\log\sigma(u_t\cdot v_c) + \sum_{j=1}^{K}\log\sigma(-u_t\cdot v_{n_j}).
$$

Frequent words are subsampled (word $w$ of frequency $f$ is kept
with probability $(\sqrt{f/s}+1)\,s/f$), the window is drawn uniformly
in $[1, \text{window}]$ per token, and the learning rate decays
linearly to almost zero. The returned vectors ($u_w$) are scaled to
unit length, like the SCDV reference code does.

References
----------
Mikolov, Sutskever, Chen, Corrado, Dean. "Distributed Representations of
Words and Phrases and their Compositionality", NeurIPS 2013.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np

from course_cnn import _checks
from course_cnn.scdv import _sgns
from course_cnn.scdv.tokenize import check_documents, tokenize

__all__ = ["WordVectors", "train_word2vec", "as_word_vectors"]


class WordVectors:
    """A vocabulary and its unit-length word vectors.

    Parameters
    ----------
    vocab : sequence of str
        The words, one per row of ``matrix``, no duplicates.
    matrix : array_like of shape (n_words, dim)
        Their vectors; rows are scaled to unit length (zero rows stay zero).
    stats : dict, optional
        Training statistics (``words_per_second``, ``seconds``, ``losses``...).

    Attributes
    ----------
    vocab : list of str
    matrix : ndarray of shape (n_words, dim), float32
    index : dict of str to int
        Row of each word.
    dim : int
    stats : dict

    Examples
    --------
    >>> wv = WordVectors(["cat", "dog", "car"], [[1, 0], [3, 1], [0, 2]])
    >>> wv["cat"]
    array([1., 0.], dtype=float32)
    >>> wv.most_similar("cat", topn=1)[0][0]
    'dog'
    """

    def __init__(self, vocab, matrix, stats=None):
        vocab = _checks.check_strings(vocab, "vocab")  # a bare str would give the vocabulary c, a, t
        if stats is not None and not isinstance(stats, Mapping):
            raise _checks.fail("stats", "be a dict or None", _checks.describe(stats), TypeError)
        matrix = _checks.check_array(matrix, "matrix", ndim=2, finite=True, dtype=np.float32)
        if matrix.shape[0] != len(vocab):
            raise _checks.fail("matrix", f"have one row per word ({len(vocab)})", f"shape {matrix.shape}")
        if len(set(vocab)) != len(vocab):
            raise _checks.fail("vocab", "contain each word once", f"{len(vocab) - len(set(vocab))} repeated words")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.vocab = vocab
        self.matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
        self.index = {w: i for i, w in enumerate(vocab)}
        self.dim = int(matrix.shape[1])
        self.stats = dict(stats or {})

    def __len__(self):
        return len(self.vocab)

    def __contains__(self, word):
        return word in self.index

    def __getitem__(self, word):
        return self.matrix[self.index[word]]

    def __repr__(self):
        return f"WordVectors({len(self)} words, dim={self.dim})"

    def most_similar(self, word, topn=10):
        """The ``topn`` words of highest cosine similarity to ``word``.

        Parameters
        ----------
        word : str
            A word of the vocabulary.
        topn : int, default 10
            How many neighbours to return.

        Returns
        -------
        list of (str, float)
            Neighbours and their cosine similarity, best first, ``word`` excluded.

        Raises
        ------
        KeyError
            When ``word`` is not in the vocabulary.
        """
        topn = _checks.check_positive_int(topn, "topn")
        if word not in self.index:
            raise KeyError(f"word {word!r} is not in the vocabulary ({len(self)} words)")
        cosine = self.matrix @ self.matrix[self.index[word]]            # (n_words,)
        cosine[self.index[word]] = -np.inf
        best = np.argsort(-cosine, kind="stable")[:topn]
        return [(self.vocab[i], float(cosine[i])) for i in best if np.isfinite(cosine[i])]


def as_word_vectors(vectors, *, name="vectors"):
    """Wrap word vectors from anywhere as `WordVectors`.

    Parameters
    ----------
    vectors : WordVectors, gensim KeyedVectors or mapping of str to vector
        Anything with ``index_to_key`` and ``vectors`` (gensim 4), or a mapping
        word -> 1-D vector of one common length.
    name : str, default "vectors"
        Parameter name for messages (`SCDV` passes ``"word_vectors"``).

    Returns
    -------
    WordVectors
        The same words, vectors scaled to unit length.

    Raises
    ------
    TypeError
        For anything else.
    ValueError
        For an empty mapping or vectors of different lengths.

    Examples
    --------
    >>> as_word_vectors({"a": [3.0, 4.0]})["a"]
    array([0.6, 0.8], dtype=float32)
    """
    if isinstance(vectors, WordVectors):
        return vectors
    if hasattr(vectors, "index_to_key") and hasattr(vectors, "vectors"):
        return WordVectors(list(vectors.index_to_key), np.asarray(vectors.vectors))
    if not isinstance(vectors, Mapping):
        raise _checks.fail(name, "be a WordVectors, gensim KeyedVectors or a mapping word -> vector",
                           _checks.describe(vectors), TypeError)
    if not vectors:
        raise _checks.fail(name, "contain at least one word", "an empty mapping")
    words = list(vectors)
    rows = [np.ravel(np.asarray(vectors[w], dtype=np.float32)) for w in words]
    lengths = {len(r) for r in rows}
    if len(lengths) != 1:
        raise _checks.fail(name, "map every word to a vector of the same length", f"lengths {sorted(lengths)}")
    return WordVectors(words, np.stack(rows))


def _token_lists(corpus, tokenizer):
    """Documents (str) are tokenized; lists of tokens are taken as they are."""
    if not isinstance(corpus, (str, bytes)) and hasattr(corpus, "__iter__"):
        corpus = list(corpus)
        if corpus and all(isinstance(d, (list, tuple)) for d in corpus):
            return [list(map(str, d)) for d in corpus]
    return [tokenizer(d) for d in check_documents(corpus, "corpus")]


# Upper bounds, checked before any training: a vector of 65,536 dimensions or a
# window of 10,000 words (longer than most documents) is already far past any
# use; a typo beyond them would allocate terabytes or train for days.
WORD2VEC_BOUNDS = {"dim": _checks.MAX_UNITS, "window": 10_000, "negative": 10_000, "epochs": _checks.MAX_REPEATS}


def check_bounded(value, name):
    """A positive int no larger than ``WORD2VEC_BOUNDS[name]``."""
    return _checks.check_size(value, name, WORD2VEC_BOUNDS[name])


def train_word2vec(corpus, dim=200, window=10, negative=10, min_count=20, sample=1e-3, epochs=5, seed=0,
                   batch_size=4096, learning_rate=0.025, min_learning_rate=1e-4, hs=False, tokenizer=tokenize,
                   verbose=0):
    r"""Train skip-gram word vectors with negative sampling (the SCDV setting by default).

    Pairs of one epoch are built by numpy shifts of the token stream, batched
    by ``tf.data`` (which draws the negatives), and consumed by a
    ``tf.function`` SGD step with sparse scatter updates. The learning rate
    decays linearly from ``learning_rate`` to ``min_learning_rate`` over all
    pairs of all epochs.

    Parameters
    ----------
    corpus : sequence of str, or sequence of lists of str
        Documents (tokenized with ``tokenizer``) or already-tokenized documents.
        Windows never cross documents.
    dim : int, default 200
        Vector length d.
    window : int, default 10
        Largest distance between target and context; each token draws its own
        window uniformly from 1..window.
    negative : int, default 10
        Negatives per pair K, drawn from unigram^0.75.
    min_count : int, default 20
        Words seen fewer times are dropped before training.
    sample : float, default 1e-3
        Subsampling threshold s (0 keeps every token).
    epochs : int, default 5
        Passes over the corpus.
    seed : int, default 0
        Seeds the initial vectors, subsampling, windows, shuffling and negatives.
    batch_size : int, default 4096
        Pairs per SGD step (larger is faster on CPU).
    learning_rate, min_learning_rate : float, default 0.025, 1e-4
        Start and end of the linear decay.
    hs : bool, default False
        Also train a hierarchical softmax over a Huffman tree of the
        vocabulary, beside the negatives (gensim's ``hs=1, negative=K``; the
        SCDV reference code trains its 20 Newsgroups vectors this way). Each
        pair then also updates the output vectors of the internal nodes on the
        context word's path (each node by the mean of its updates in the
        batch; docs, word vectors page), which made training 1.9x slower on 20
        Newsgroups posts.
    tokenizer : callable, default `tokenize`
        ``str -> list of str``.
    verbose : int, default 0
        1 prints one progress line per epoch.

    Returns
    -------
    WordVectors
        Words by decreasing count, unit-length vectors; ``stats`` holds
        ``words_per_second`` (corpus tokens in the vocabulary, before
        subsampling, per wall-clock second), ``pairs_per_second``,
        ``seconds``, ``cpu_seconds`` (process CPU time, all threads),
        per-epoch ``losses`` (mean per pair; with ``hs`` the hierarchical
        softmax's term is added) and ``hs``.

    Raises
    ------
    TypeError
        For a corpus that is not a sequence of strings.
    ValueError
        For a bad hyperparameter, or when no word reaches ``min_count``.

    Examples
    --------
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 20
    >>> wv = train_word2vec(corpus, dim=8, window=2, negative=2, min_count=5, epochs=2, batch_size=64)
    >>> len(wv), wv.dim
    (7, 8)

    References
    ----------
    Mikolov et al., "Distributed Representations of Words and Phrases and
    their Compositionality", NeurIPS 2013.
    """
    dim, window = check_bounded(dim, "dim"), check_bounded(window, "window")
    negative = check_bounded(negative, "negative")
    min_count = _checks.check_positive_int(min_count, "min_count")
    epochs, batch_size = check_bounded(epochs, "epochs"), _checks.check_positive_int(batch_size, "batch_size")
    seed = _checks.check_non_negative_int(seed, "seed")
    if not isinstance(hs, (bool, np.bool_)):
        raise _checks.fail("hs", "be a bool", f"{type(hs).__name__} {hs!r}", TypeError)
    sample = _checks.check_number(sample, "sample", low=0)
    learning_rate = _checks.check_number(learning_rate, "learning_rate", low=0, low_inclusive=False)
    min_learning_rate = _checks.check_number(min_learning_rate, "min_learning_rate", 0, learning_rate)
    token_lists = _token_lists(corpus, tokenizer)
    vocab, counts = _sgns.build_vocabulary(token_lists, min_count)
    if not vocab:
        raise _checks.fail("min_count", "be at most the count of the most frequent word",
                           f"{min_count} (no word of the corpus is seen that often)")
    stream, doc_of = _sgns.encode(token_lists, {w: i for i, w in enumerate(vocab)})
    matrix, stats = _train(stream, doc_of, counts, dim, window, negative, sample, epochs, seed, batch_size,
                           learning_rate, min_learning_rate, bool(hs), verbose)
    return WordVectors(vocab, matrix, stats)


def _train(stream, doc_of, counts, dim, window, negative, sample, epochs, seed, batch_size, lr0, lr1, hs, verbose):
    import tensorflow as tf

    rng = np.random.default_rng(_checks.check_seed(seed))
    init = rng.uniform(-0.5 / dim, 0.5 / dim, size=(len(counts), dim)).astype(np.float32)
    w_in, w_out = tf.Variable(init, name="w_in"), tf.Variable(tf.zeros_like(init), name="w_out")
    tree = None
    if hs:   # one output vector per internal node of the Huffman tree, zero at the start as word2vec's
        points, codes, lengths = _sgns.huffman_tree(counts)
        tree = (tf.Variable(tf.zeros((max(1, len(counts) - 1), dim)), name="w_hs"), points, codes, lengths)
    step = _sgns.make_step(w_in, w_out, tree)
    keep, cdf = _sgns.keep_probability(counts, sample), _sgns.negative_cdf(counts)
    # expected pairs per epoch, to schedule the linear decay before the pairs exist
    losses, pairs_done, total_pairs = [], 0, None
    start, cpu_start = time.perf_counter(), time.process_time()
    for epoch in range(epochs):
        targets, contexts = _sgns.epoch_pairs(stream, doc_of, keep, window, rng)
        total_pairs = total_pairs or max(1, len(targets) * epochs)
        batch_losses = []
        for target, context, negatives in _sgns.make_dataset(targets, contexts, cdf, negative, batch_size,
                                                              seed * 1000 + epoch):
            lr = max(lr1, lr0 * (1.0 - pairs_done / total_pairs))
            batch_losses.append(float(step(target, context, negatives, tf.constant(lr, tf.float32))))
            pairs_done += int(target.shape[0])
        losses.append(float(np.mean(batch_losses)) if batch_losses else float("nan"))
        if verbose:
            rate = (epoch + 1) * len(stream) / (time.perf_counter() - start)
            print(f"word2vec epoch {epoch + 1}/{epochs}: loss {losses[-1]:.4f}, {rate:,.0f} words/s", flush=True)
    seconds = time.perf_counter() - start
    stats = {"seconds": seconds, "cpu_seconds": time.process_time() - cpu_start, "epochs": epochs,
             "losses": losses, "pairs": pairs_done, "hs": hs,
             "words_per_second": epochs * len(stream) / seconds, "pairs_per_second": pairs_done / seconds}
    return w_in.numpy(), stats
