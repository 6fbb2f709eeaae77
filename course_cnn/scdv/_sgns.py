"""Kernels of skip-gram with negative sampling (SGNS): data and one SGD step.

Private: `course_cnn.scdv.train_word2vec` checks its input and calls
these. Everything here works on whole arrays: the (target, context) pairs of
one epoch come from ``2 * window`` numpy shifts of the token stream, the
negatives are drawn per batch inside ``tf.data`` by inverting the
unigram^0.75 CDF, and the update is one ``tf.function`` over a batch.
"""

from __future__ import annotations

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


def make_step(w_in, w_out):
    r"""One SGD step of SGNS on a batch, with sparse (scatter) updates.

    For input vector $u = W_{in}[t]$ and output vectors
    $v_j = W_{out}[c_j]$ (the context, label 1, then the negatives,
    label 0), the log-likelihood
    $\log\sigma(u\cdot v_0) + \sum_j \log\sigma(-u\cdot v_j)$ has
    gradients $g_j v_j$ for ``u`` and $g_j u$ for $v_j$,
    with $g_j = \text{label}_j - \sigma(u\cdot v_j)$. Each pair takes a
    plain SGD step (``lr * g``); repeats of a word within a batch add up, as
    in word2vec's Hogwild updates.
    """
    import tensorflow as tf

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
        w_in.scatter_add(tf.IndexedSlices(grad_u, target))
        w_out.scatter_add(tf.IndexedSlices(tf.reshape(grad_v, [-1, tf.shape(u)[1]]), tf.reshape(outputs, [-1])))
        sign = 2.0 * label - 1.0
        loss = -tf.reduce_sum(tf.math.log_sigmoid(sign * score) * valid) / tf.cast(tf.shape(score)[0], score.dtype)
        return loss

    return step
