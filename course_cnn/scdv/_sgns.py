"""Kernels of skip-gram with negative sampling (SGNS): data and one SGD step.

Private: `course_cnn.scdv.train_word2vec` checks its input and calls
these. Everything here works on whole arrays: the (target, context) pairs of
one epoch come from ``2 * window`` numpy shifts of the token stream, the
negatives are drawn per batch inside ``tf.data`` by inverting the
unigram^0.75 CDF, and the update is one ``tf.function`` over a batch. With
``hs=True`` the step also trains word2vec's hierarchical softmax (a Huffman
tree over the vocabulary, `huffman_tree`) beside the negatives, as gensim
does for ``Word2Vec(hs=1, negative=10)``, the SCDV reference code's setting.
"""

from __future__ import annotations

import heapq
from collections import Counter

import numpy as np


def build_vocabulary(token_lists, min_count):
    """Words seen at least ``min_count`` times, most frequent first (ties alphabetical)."""
    counts = Counter()
    for tokens in token_lists:
        counts.update(tokens)
    kept = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return kept, np.array([counts[w] for w in kept], dtype=np.int64)


def encode(token_lists, index):
    """Token ids of the in-vocabulary words (concatenated) and each one's document number."""
    ids = [np.fromiter((index[w] for w in tokens if w in index), dtype=np.int32) for tokens in token_lists]
    lengths = np.array([len(a) for a in ids], dtype=np.int64)
    stream = np.concatenate(ids) if ids else np.zeros(0, np.int32)
    doc_of = np.repeat(np.arange(len(ids), dtype=np.int32), lengths)
    return stream, doc_of


def keep_probability(counts, sample):
    r"""word2vec's subsampling: keep word w with probability min(1, (sqrt(f/t) + 1) t / f).

    ``f = count(w) / total`` and ``t = sample``; ``sample = 0`` keeps everything.
    """
    if sample <= 0:
        return np.ones(len(counts))
    freq = counts / counts.sum()
    return np.minimum(1.0, (np.sqrt(freq / sample) + 1.0) * sample / freq)


def epoch_pairs(stream, doc_of, keep_prob, window, rng):
    """(target, context) id pairs of one epoch, shuffled.

    Frequent words are dropped first (subsampling), then every kept token
    draws its reduced window b in [1, window] (word2vec's random window) and
    pairs with the tokens at offsets +-1..b inside its own document. One numpy
    pass per offset; no loop over pairs.
    """
    kept = rng.random(len(stream)) < keep_prob[stream]
    ids, docs = stream[kept], doc_of[kept]
    reach = rng.integers(1, window + 1, size=len(ids))
    targets, contexts = [], []
    for offset in range(1, window + 1):
        same_doc = docs[:-offset] == docs[offset:]
        left, right = ids[:-offset], ids[offset:]
        forward = same_doc & (reach[:-offset] >= offset)   # target i, context i + offset
        backward = same_doc & (reach[offset:] >= offset)   # target i + offset, context i
        targets += [left[forward], right[backward]]
        contexts += [right[forward], left[backward]]
    targets = np.concatenate(targets)
    contexts = np.concatenate(contexts)
    order = rng.permutation(len(targets))
    return targets[order], contexts[order]


def negative_cdf(counts, power=0.75):
    """Cumulative distribution of unigram^power, the negative-sampling noise."""
    weights = counts.astype(np.float64) ** power
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    return cdf.astype(np.float32)


def make_dataset(targets, contexts, cdf, negative, batch_size, seed):
    """``tf.data`` of ((target, context, negatives), batch number) batches.

    Negatives are drawn per batch with a stateless uniform (seeded by
    ``seed`` and the batch number) pushed through the inverse CDF.
    """
    import tensorflow as tf

    n_words = len(cdf)
    cdf_row = tf.constant(cdf[None, :])                                  # (1, V)

    def add_negatives(number, pair):
        target, context = pair
        uniform = tf.random.stateless_uniform([1, tf.size(target) * negative], seed=tf.stack([seed, number]))
        negatives = tf.searchsorted(cdf_row, uniform, side="right", out_type=tf.int32)
        negatives = tf.reshape(tf.minimum(negatives, n_words - 1), [-1, negative])   # (B, K)
        return target, context, negatives

    data = tf.data.Dataset.from_tensor_slices((targets, contexts)).batch(batch_size)
    data = data.enumerate().map(lambda i, pair: add_negatives(tf.cast(i, tf.int64), pair),
                                num_parallel_calls=tf.data.AUTOTUNE)
    return data.prefetch(tf.data.AUTOTUNE)


def huffman_tree(counts):
    """Huffman codes of the words, for hierarchical softmax.

    The two least frequent nodes are merged until one is left (on ties the
    lower-numbered node goes first: words, then internal nodes in the order
    they were made); internal node ``j`` (0-based; the root is the last one,
    ``V - 2``) has one output vector. Word ``w`` reaches its leaf through the
    internal nodes ``points[w, :lengths[w]]`` (root first), turning left
    (bit 0) or right (bit 1) as ``codes[w, :lengths[w]]`` says.

    Returns
    -------
    points : ndarray of shape (V, L), int32
        Internal nodes on each word's path, 0 past its length.
    codes : ndarray of shape (V, L), float32
        The bits of the path, 0 past its length.
    lengths : ndarray of shape (V,), int32
        Code lengths; ``L = max(1, lengths.max())``. A one-word vocabulary has no internal node and length 0.
    """
    n_words = len(counts)
    parent = np.zeros(max(0, 2 * n_words - 1), dtype=np.int64)
    bit = np.zeros(max(0, 2 * n_words - 1), dtype=np.int8)
    heap = [(int(c), i) for i, c in enumerate(counts)]
    heapq.heapify(heap)
    for new in range(n_words, 2 * n_words - 1):
        (c0, left), (c1, right) = heapq.heappop(heap), heapq.heappop(heap)
        parent[left], parent[right], bit[right] = new, new, 1
        heapq.heappush(heap, (c0 + c1, new))
    root = 2 * n_words - 2
    paths = []
    for word in range(n_words):
        path, node = [], word
        while node != root:
            path.append((int(parent[node]) - n_words, int(bit[node])))
            node = parent[node]
        paths.append(path[::-1])
    lengths = np.array([len(p) for p in paths], dtype=np.int32)
    width = max(1, int(lengths.max(initial=0)))
    points = np.zeros((n_words, width), dtype=np.int32)
    codes = np.zeros((n_words, width), dtype=np.float32)
    for word, path in enumerate(paths):
        if path:
            points[word, :len(path)], codes[word, :len(path)] = zip(*path)
    return points, codes, lengths


def make_step(w_in, w_out, tree=None):
    r"""One SGD step of SGNS on a batch, with sparse (scatter) updates.

    For input vector $u = W_{in}[t]$ and output vectors
    $v_j = W_{out}[c_j]$ (the context, label 1, then the negatives,
    label 0), the log-likelihood
    $\log\sigma(u\cdot v_0) + \sum_j \log\sigma(-u\cdot v_j)$ has
    gradients $g_j v_j$ for ``u`` and $g_j u$ for $v_j$,
    with $g_j = \text{label}_j - \sigma(u\cdot v_j)$. Each pair takes a
    plain SGD step (``lr * g``); repeats of a word within a batch add up, as
    in word2vec's Hogwild updates.

    With ``tree = (w_hs, points, codes, lengths)`` (the internal nodes'
    output vectors and `huffman_tree`'s arrays) the step also takes the
    hierarchical-softmax term of the context word $c$: for the nodes
    $n_l$ on its path with bits $b_l$,
    $\sum_l \log\sigma\big((1 - 2 b_l)\, u\cdot h_{n_l}\big)$, whose
    gradients are $g_l h_{n_l}$ for ``u`` and $g_l u$ for $h_{n_l}$ with
    $g_l = 1 - b_l - \sigma(u\cdot h_{n_l})$. Both terms use the same
    ``u`` and are added, as gensim does with ``hs=1`` and ``negative > 0``.
    Unlike the word vectors, a node's output vector takes the *mean* of its
    updates in the batch: every pair passes the root (and half of them each
    of its children), so their sum would be thousands of SGD steps computed
    at one point, which diverges.
    """
    import tensorflow as tf

    if tree is not None:
        w_hs, points, codes, lengths = tree
        points, codes = tf.constant(points), tf.constant(codes)
        on_path = tf.constant((np.arange(points.shape[1])[None, :] < np.asarray(lengths)[:, None]).astype(np.float32))

    @tf.function(jit_compile=True, reduce_retracing=True)
    def step(target, context, negatives, lr):
        outputs = tf.concat([context[:, None], negatives], axis=1)       # (B, 1 + K)
        u = tf.gather(w_in, target)                                      # (B, d)
        v = tf.gather(w_out, outputs)                                    # (B, 1 + K, d)
        score = tf.einsum("bd,bkd->bk", u, v)                            # (B, 1 + K)
        label = tf.concat([tf.ones_like(score[:, :1]), tf.zeros_like(score[:, 1:])], axis=1)
        # a negative that happens to be the context itself is skipped, as in word2vec
        valid = tf.concat([tf.ones_like(score[:, :1]),
                           tf.cast(negatives != context[:, None], score.dtype)], axis=1)
        g = (label - tf.sigmoid(score)) * valid * lr                     # (B, 1 + K)
        grad_u = tf.einsum("bk,bkd->bd", g, v)                           # (B, d)
        grad_v = g[:, :, None] * u[:, None, :]                           # (B, 1 + K, d)
        sign = 2.0 * label - 1.0
        loss = -tf.reduce_sum(tf.math.log_sigmoid(sign * score) * valid)
        if tree is not None:
            nodes, bits = tf.gather(points, context), tf.gather(codes, context)      # (B, L)
            on = tf.gather(on_path, context)                                         # (B, L): 0 past the code
            h = tf.gather(w_hs, nodes)                                               # (B, L, d)
            node_score = tf.einsum("bd,bld->bl", u, h)                               # (B, L)
            g_hs = (1.0 - bits - tf.sigmoid(node_score)) * on * lr                   # (B, L)
            grad_u += tf.einsum("bl,bld->bd", g_hs, h)
            # every pair passes the root, so a node's summed update would be up to B SGD steps taken at once
            # (it diverges); each node moves by the mean of its updates in the batch instead
            visits = tf.math.unsorted_segment_sum(tf.reshape(on, [-1]), tf.reshape(nodes, [-1]), tf.shape(w_hs)[0])
            g_node = g_hs / tf.gather(tf.maximum(visits, 1.0), nodes)                # (B, L)
            grad_h = g_node[:, :, None] * u[:, None, :]                              # (B, L, d)
            w_hs.scatter_add(tf.IndexedSlices(tf.reshape(grad_h, [-1, tf.shape(u)[1]]), tf.reshape(nodes, [-1])))
            loss -= tf.reduce_sum(tf.math.log_sigmoid((1.0 - 2.0 * bits) * node_score) * on)
        w_in.scatter_add(tf.IndexedSlices(grad_u, target))
        w_out.scatter_add(tf.IndexedSlices(tf.reshape(grad_v, [-1, tf.shape(u)[1]]), tf.reshape(outputs, [-1])))
        return loss / tf.cast(tf.shape(score)[0], score.dtype)

    return step
