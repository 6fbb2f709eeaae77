import re

import numpy as np
import pytest
import tensorflow as tf

from course_cnn.scdv import WordVectors, as_word_vectors, train_word2vec
from course_cnn.scdv import _sgns


def test_keep_probability_formula():
    # counts 900, 100 of total 1000, s = 0.01:
    # f = 0.9: (sqrt(0.9/0.01) + 1) * 0.01 / 0.9 = (9.4868 + 1) / 90 = 0.116520
    # f = 0.1: (sqrt(10) + 1) * 0.1 = 0.416228
    keep = _sgns.keep_probability(np.array([900, 100]), 0.01)
    np.testing.assert_allclose(keep, [0.1165203, 0.4162278], rtol=1e-6)
    np.testing.assert_array_equal(_sgns.keep_probability(np.array([5, 1]), 0.0), [1.0, 1.0])


def _pairs_loop(stream, doc_of, keep_prob, window, rng):
    """Per-token loop version of epoch_pairs with the same random draws (same order)."""
    kept = rng.random(len(stream)) < keep_prob[stream]
    ids, docs = stream[kept], doc_of[kept]
    reach = rng.integers(1, window + 1, size=len(ids))
    pairs = []
    for i in range(len(ids)):
        for j in range(max(0, i - reach[i]), min(len(ids), i + reach[i] + 1)):
            if j != i and docs[j] == docs[i]:
                pairs.append((ids[i], ids[j]))
    return sorted(pairs)


@pytest.mark.parametrize("window", [1, 3])
@pytest.mark.parametrize("sample", [0.0, 0.05])
def test_epoch_pairs_equal_the_loop(window, sample):
    rng = np.random.default_rng(0)
    stream = rng.integers(0, 6, size=60).astype(np.int32)
    doc_of = np.repeat(np.arange(4), [10, 25, 1, 24]).astype(np.int32)
    counts = np.bincount(stream, minlength=6)
    keep = _sgns.keep_probability(counts, sample)
    targets, contexts = _sgns.epoch_pairs(stream, doc_of, keep, window, np.random.default_rng(7))
    expected = _pairs_loop(stream, doc_of, keep, window, np.random.default_rng(7))
    assert sorted(zip(targets.tolist(), contexts.tolist())) == [(int(a), int(b)) for a, b in expected]


def test_negatives_follow_unigram_to_the_075():
    counts = np.array([800, 100, 50, 50])
    cdf = _sgns.negative_cdf(counts)
    n = 20000
    data = _sgns.make_dataset(np.zeros(n, np.int32), np.ones(n, np.int32), cdf, 5, 5000, seed=3)
    negatives = np.concatenate([neg.numpy().ravel() for _, _, neg in data])
    weights = counts ** 0.75 / np.sum(counts ** 0.75)        # 151.0, 31.6, 18.8, 18.8 -> 0.686, 0.144, 0.085, 0.085
    freq = np.bincount(negatives, minlength=4) / negatives.size
    np.testing.assert_allclose(freq, weights, atol=0.01)


def _sgns_loss(w_in, w_out, target, context, negatives):
    """The negative-sampling loss summed over the pairs, written plainly for autodiff."""
    u = tf.gather(w_in, target)
    pos = tf.reduce_sum(u * tf.gather(w_out, context), axis=1)
    neg = tf.einsum("bd,bkd->bk", u, tf.gather(w_out, negatives))
    valid = tf.cast(negatives != context[:, None], tf.float32)
    return -tf.reduce_sum(tf.math.log_sigmoid(pos)) - tf.reduce_sum(tf.math.log_sigmoid(-neg) * valid)


def test_step_is_sgd_on_the_sgns_loss():
    rng = np.random.default_rng(0)
    n_words, d, lr = 7, 4, 0.1
    w_in0, w_out0 = rng.normal(size=(n_words, d)).astype(np.float32), rng.normal(size=(n_words, d)).astype(np.float32)
    target = tf.constant([0, 1, 0], tf.int32)
    context = tf.constant([2, 3, 3], tf.int32)
    negatives = tf.constant([[4, 5], [3, 6], [1, 2]], tf.int32)   # row 1: negative == context, skipped
    w_in, w_out = tf.Variable(w_in0), tf.Variable(w_out0)
    _sgns.make_step(w_in, w_out)(target, context, negatives, tf.constant(lr))
    # the loss summed over pairs, with autodiff
    a, b = tf.Variable(w_in0), tf.Variable(w_out0)
    with tf.GradientTape() as tape:
        loss = _sgns_loss(a, b, target, context, negatives)
    grad_in, grad_out = tape.gradient(loss, [a, b])
    np.testing.assert_allclose(w_in.numpy(), w_in0 - lr * tf.convert_to_tensor(grad_in).numpy(), atol=1e-5)
    np.testing.assert_allclose(w_out.numpy(), w_out0 - lr * tf.convert_to_tensor(grad_out).numpy(), atol=1e-5)


def test_huffman_tree_by_hand():
    # counts 5, 2, 1, 1: merge 1+1 -> node a (internal 0), 2+a -> b (1), 5+b -> root (2)
    points, codes, lengths = _sgns.huffman_tree(np.array([5, 2, 1, 1]))
    np.testing.assert_array_equal(lengths, [1, 2, 3, 3])
    np.testing.assert_array_equal(points[:, 0], [2, 2, 2, 2])          # every path starts at the root
    np.testing.assert_array_equal(points[2, :3], [2, 1, 0])
    np.testing.assert_array_equal(points[3, :3], [2, 1, 0])
    assert codes[2, 2] != codes[3, 2] and codes[0, 0] != codes[1, 0]   # siblings differ in their last bit


@pytest.mark.parametrize("n_words", [1, 2, 7, 300])
def test_huffman_tree_is_a_prefix_code_of_optimal_length(n_words):
    import heapq

    counts = np.random.default_rng(n_words).zipf(1.5, size=n_words).clip(max=10**6)
    points, codes, lengths = _sgns.huffman_tree(counts)
    words = ["".join(str(int(b)) for b in codes[w, :lengths[w]]) for w in range(n_words)]
    assert len(set(words)) == n_words
    assert not any(a != b and b.startswith(a) for a in words for b in words)    # prefix-free
    if n_words > 1:
        assert np.sum(2.0 ** -lengths) == pytest.approx(1.0)                     # a full binary tree
        # optimal: the expected length equals the sum of all merge weights (the classic greedy's cost)
        heap, cost = [int(c) for c in counts], 0
        heapq.heapify(heap)
        while len(heap) > 1:
            merged = heapq.heappop(heap) + heapq.heappop(heap)
            cost += merged
            heapq.heappush(heap, merged)
        assert int(np.sum(counts * lengths)) == cost
        assert points.max() == n_words - 2 and points[:, 0].tolist() == [n_words - 2] * n_words
    else:
        assert lengths.tolist() == [0]


def test_step_with_hierarchical_softmax_is_sgd_on_both_losses_with_mean_node_updates():
    rng = np.random.default_rng(1)
    counts = np.array([9, 6, 4, 3, 2, 1, 1])
    n_words, d, lr = len(counts), 4, 0.1
    points, codes, lengths = _sgns.huffman_tree(counts)
    w_in0, w_out0 = rng.normal(size=(n_words, d)).astype(np.float32), rng.normal(size=(n_words, d)).astype(np.float32)
    w_hs0 = rng.normal(size=(n_words - 1, d)).astype(np.float32)
    target = tf.constant([0, 1, 0, 6], tf.int32)
    context = tf.constant([5, 3, 3, 0], tf.int32)
    negatives = tf.constant([[4, 5], [3, 6], [1, 2], [2, 2]], tf.int32)
    w_in, w_out, w_hs = tf.Variable(w_in0), tf.Variable(w_out0), tf.Variable(w_hs0)
    loss = _sgns.make_step(w_in, w_out, (w_hs, points, codes, lengths))(target, context, negatives, tf.constant(lr))
    # the two losses summed over pairs, the tree's term written as a loop over each path
    a, b, h = tf.Variable(w_in0), tf.Variable(w_out0), tf.Variable(w_hs0)
    with tf.GradientTape() as tape:
        total = _sgns_loss(a, b, target, context, negatives)
        u = tf.gather(a, target)
        for i, c in enumerate(context.numpy()):
            for node, bit in zip(points[c, :lengths[c]], codes[c, :lengths[c]]):
                sign = 1.0 if bit == 0 else -1.0        # bit 0: sigma(u . h), bit 1: sigma(-u . h)
                total -= tf.math.log_sigmoid(sign * tf.reduce_sum(u[i] * h[int(node)]))
    grads = [tf.convert_to_tensor(g).numpy() for g in tape.gradient(total, [a, b, h])]
    # a node's output vector moves by the mean of its updates: the summed gradient over its visits in the batch
    visits = np.zeros(n_words - 1)
    for c in context.numpy():
        np.add.at(visits, points[c, :lengths[c]], 1)
    assert visits[n_words - 2] == 4                                   # the root, on every path
    grads[2] /= np.maximum(visits, 1)[:, None]
    for var, start, grad in zip((w_in, w_out, w_hs), (w_in0, w_out0, w_hs0), grads):
        np.testing.assert_allclose(var.numpy(), start - lr * grad, atol=1e-5)
    np.testing.assert_allclose(float(loss), float(total) / 4, rtol=1e-5)


def _topic_corpus(rng, n_docs=120):
    """Two topics with disjoint vocabularies, plus shared filler words."""
    animals = ["cat", "dog", "horse", "cow", "sheep", "goat"]
    machines = ["engine", "motor", "piston", "gear", "valve", "wheel"]
    filler = ["the", "a", "and"]
    docs = []
    for i in range(n_docs):
        topic = animals if i % 2 else machines
        docs.append(" ".join(rng.choice(topic + filler, size=30)))
    return docs, animals, machines


# The two learning tests run ~100 steps eagerly (each epoch's last batch has a new size, which costs the
# XLA-compiled step a compilation; the step tests above check that step in graph mode). 60 documents x 3
# epochs leave a wide margin: a word's 3rd nearest own-topic cosine exceeds its nearest other-topic cosine
# by 0.77-0.88 over 4 corpus/training seeds (0.92 at 120 x 5; 40 x 2 is where the margin nears 0).
def test_train_word2vec_learns_topics(eager_tf_functions):
    rng = np.random.default_rng(0)
    docs, animals, machines = _topic_corpus(rng, 60)
    wv = train_word2vec(docs, dim=16, window=3, negative=4, min_count=5, sample=0, epochs=3, batch_size=256, seed=1)
    assert len(wv) == 15 and wv.dim == 16
    np.testing.assert_allclose(np.linalg.norm(wv.matrix, axis=1), 1.0, rtol=1e-5)
    for group, other in ((animals, machines), (machines, animals)):
        for word in group:
            neighbours = [w for w, _ in wv.most_similar(word, topn=5) if w in animals + machines]
            # a word's nearest topic words are from its own topic
            assert set(neighbours[:3]) <= set(group), (word, neighbours)
    assert wv.stats["losses"][-1] < wv.stats["losses"][0]
    assert wv.stats["words_per_second"] > 0 and wv.stats["pairs"] > 0


def test_train_word2vec_with_hierarchical_softmax_learns_topics(eager_tf_functions):
    rng = np.random.default_rng(0)
    docs, animals, machines = _topic_corpus(rng, 60)
    wv = train_word2vec(docs, dim=16, window=3, negative=4, min_count=5, sample=0, epochs=3, batch_size=256, seed=1,
                        hs=True)
    assert wv.stats["hs"] is True
    for group in (animals, machines):
        for word in group:
            neighbours = [w for w, _ in wv.most_similar(word, topn=5) if w in animals + machines]
            assert set(neighbours[:3]) <= set(group), (word, neighbours)
    assert wv.stats["losses"][-1] < wv.stats["losses"][0]


def test_train_word2vec_is_reproducible_with_seed():
    rng = np.random.default_rng(0)
    docs, _, _ = _topic_corpus(rng, 30)
    a = train_word2vec(docs, dim=8, window=2, negative=2, min_count=5, epochs=1, batch_size=128, seed=4)
    b = train_word2vec(docs, dim=8, window=2, negative=2, min_count=5, epochs=1, batch_size=128, seed=4)
    assert a.vocab == b.vocab
    np.testing.assert_array_equal(a.matrix, b.matrix)


def test_train_word2vec_accepts_token_lists():
    wv = train_word2vec([["x", "y", "x"]] * 10, dim=4, window=1, negative=1, min_count=10, epochs=1)
    assert wv.vocab == ["x", "y"]         # x seen 20 times, y 10: most frequent first


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(min_count=1000), ValueError, r"`min_count` must be at most the count of the most frequent word; got 1000"),
    (dict(dim=0), ValueError, r"`dim` must be an int in \[1, 65536\]; got 0\."),
    (dict(sample=-1e-3), ValueError, r"`sample` must be a real number >= 0; got -0.001\."),
    (dict(learning_rate=0), ValueError, r"`learning_rate` must be a real number > 0; got 0\."),
    (dict(epochs=1.5), TypeError, r"`epochs` must be an int in \[1, 1000000\]; got 1.5\."),
    (dict(hs=1), TypeError, r"`hs` must be a bool; got int 1\."),
])
def test_train_word2vec_messages(kwargs, error, message):
    with pytest.raises(error, match=message):
        train_word2vec(["a b c a b"] * 3, **kwargs)


def test_train_word2vec_rejects_non_string_documents():
    with pytest.raises(TypeError, match=r"`corpus` must contain only str; got int 7 at index 1\."):
        train_word2vec(["a b", 7])


def test_word_vectors_most_similar_by_hand():
    # cosines to "a" (1, 0): b (1, 1)/sqrt2 -> 0.7071, c (0, 1) -> 0, d (-1, 0) -> -1
    wv = WordVectors(["a", "b", "c", "d"], [[2, 0], [1, 1], [0, 3], [-1, 0]])
    result = wv.most_similar("a", topn=3)
    assert [w for w, _ in result] == ["b", "c", "d"]
    np.testing.assert_allclose([s for _, s in result], [2 ** -0.5, 0.0, -1.0], atol=1e-6)
    with pytest.raises(KeyError, match="'zzz' is not in the vocabulary"):
        wv.most_similar("zzz")
    assert "a" in wv and "zzz" not in wv and len(wv) == 4


def test_word_vectors_messages():
    with pytest.raises(ValueError, match=r"`matrix` must have one row per word \(2\); got shape \(3, 2\)\."):
        WordVectors(["a", "b"], np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"`vocab` must contain each word once; got 1 repeated words\."):
        WordVectors(["a", "a"], np.ones((2, 2)))


class _FakeKeyedVectors:
    """What gensim 4's KeyedVectors exposes."""
    index_to_key = ["x", "y"]
    vectors = np.array([[3.0, 4.0], [0.0, 2.0]])


def test_as_word_vectors_from_mapping_and_keyed_vectors():
    from_kv = as_word_vectors(_FakeKeyedVectors())
    np.testing.assert_allclose(from_kv.matrix, [[0.6, 0.8], [0.0, 1.0]])   # rows / (5, 2)
    from_map = as_word_vectors({"x": np.array([3.0, 4.0]), "y": [0, 2]})
    np.testing.assert_allclose(from_map.matrix, from_kv.matrix)
    assert as_word_vectors(from_map) is from_map


@pytest.mark.parametrize("vectors, error, message", [
    ([1, 2], TypeError, r"`vectors` must be a WordVectors, gensim KeyedVectors or a mapping"),
    ({}, ValueError, r"`vectors` must contain at least one word; got an empty mapping\."),
    ({"a": [1, 2], "b": [1]}, ValueError, r"`vectors` must map every word to a vector of the same length; "
                                          r"got lengths \[1, 2\]\."),
])
def test_as_word_vectors_messages(vectors, error, message):
    with pytest.raises(error, match=message):
        as_word_vectors(vectors)


@pytest.mark.parametrize("corpus, error, message", [
    (5, TypeError, r"`corpus` must be a sequence of str; got 5\."),
    ([], ValueError, r"`corpus` must contain at least one document; got an empty sequence\."),
])
def test_train_word2vec_corpus_messages(corpus, error, message):
    with pytest.raises(error, match=message):
        train_word2vec(corpus)


def test_word_vectors_refuse_a_bare_str_vocabulary():
    with pytest.raises(TypeError, match=re.escape(
            "`vocab` must be a sequence of str, not a single str (it would be read letter by letter); got 'cat'.")):
        WordVectors("cat", np.ones((3, 2)))
    with pytest.raises(TypeError, match=re.escape("`vocab` must be a sequence of str; got an item 1.")):
        WordVectors([1, 2], np.ones((2, 2)))
