import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from course_cnn.scdv import SCDV, stop_word_set, tokenize

WORDS = ["apple", "banana", "cherry", "grape", "lemon", "mango",
         "rocket", "orbit", "planet", "comet", "launch", "moon"]


def _corpus(rng, n_docs=40):
    """Two topics (fruit / space) with a rare word and punctuation; labels are the topics."""
    docs, labels = [], []
    for i in range(n_docs):
        topic = WORDS[:6] if i % 2 == 0 else WORDS[6:]
        words = list(rng.choice(topic, size=rng.integers(5, 15))) + ["the", "rareword" if i == 0 else "the"]
        docs.append(" ".join(words).title() + "!")
        labels.append(i % 2)
    return docs, np.array(labels)


def _vectors(rng, d=4):
    fruit, space = rng.normal(size=d), rng.normal(size=d)
    vectors = {w: (fruit if i < 6 else space) + 0.3 * rng.normal(size=d) for i, w in enumerate(WORDS)}
    vectors["the"] = rng.normal(size=d)
    vectors["unseen"] = rng.normal(size=d)      # in the vectors, never in the documents
    return vectors


def _loop_pipeline(scdv, train_docs, test_docs):
    """SCDV by a per-token loop from the fitted P, idf and word vectors (the reference code's way)."""
    index = {w: i for i, w in enumerate(scdv.vocabulary_)}
    stops = stop_word_set(scdv.stop_words)

    def vectors(docs):
        out = []
        for doc in docs:
            dv = np.zeros(scdv.n_clusters * scdv.word_matrix_.shape[1])
            for token in tokenize(doc):
                if token in index and token not in stops:
                    i = index[token]
                    # wtv_i = idf_i * [wv_i P(C_1|w_i), ..., wv_i P(C_K|w_i)]
                    dv += scdv.idf_[i] * np.concatenate([scdv.word_matrix_[i] * p for p in scdv.cluster_proba_[i]])
            norm = np.linalg.norm(dv)
            out.append(dv / norm if norm else dv)
        return np.array(out)

    train, test = vectors(train_docs), vectors(test_docs)
    a_min, a_max = train.min(axis=1).mean(), train.max(axis=1).mean()
    threshold = scdv.sparsity_percentage / 100 * (abs(a_min) + abs(a_max)) / 2
    return train, test, threshold, a_min, a_max


@pytest.mark.parametrize("covariance_type", ["tied", "diag"])
@pytest.mark.parametrize("p", [0, 4, 30])
def test_transform_equals_the_token_loop(covariance_type, p):
    rng = np.random.default_rng(0)
    docs, _ = _corpus(rng)
    train_docs, test_docs = docs[:30], docs[30:] + ["", "nothing known here"]
    scdv = SCDV(n_clusters=3, sparsity_percentage=p, word_vectors=_vectors(rng), min_count=2,
                covariance_type=covariance_type).fit(train_docs)
    train, test, threshold, a_min, a_max = _loop_pipeline(scdv, train_docs, test_docs)
    assert (scdv.a_min_, scdv.a_max_, scdv.threshold_) == pytest.approx((a_min, a_max, threshold), rel=1e-6)
    for docs_, dense in ((train_docs, train), (test_docs, test)):
        expected = np.where(np.abs(dense) < threshold, 0.0, dense)
        X = scdv.transform(docs_)
        assert isinstance(X, sp.csr_matrix) and X.dtype == np.float32
        assert X.shape == (len(docs_), 3 * 4)
        np.testing.assert_allclose(X.toarray(), expected, atol=1e-6)
    # the two documents with no known word are zero vectors
    assert scdv.transform(["", "nothing known here"]).nnz == 0


def test_threshold_is_applied_to_new_documents():
    rng = np.random.default_rng(1)
    docs, _ = _corpus(rng)
    scdv = SCDV(n_clusters=2, sparsity_percentage=20, word_vectors=_vectors(rng), min_count=2).fit(docs[:20])
    X = scdv.transform(docs[20:])
    assert np.all(np.abs(X.data) >= scdv.threshold_)
    assert X.nnz < X.shape[0] * X.shape[1]                     # something was zeroed


def test_idf_is_sklearn_smooth_idf_and_vocabulary_filtered():
    rng = np.random.default_rng(2)
    docs, _ = _corpus(rng)
    scdv = SCDV(n_clusters=2, word_vectors=_vectors(rng), min_count=2, stop_words=None).fit(docs)
    # "unseen" (never in the documents) and "rareword" (seen once < min_count) have no vector
    assert "unseen" not in scdv.vocabulary_ and "rareword" not in scdv.vocabulary_
    assert set(scdv.vocabulary_) == set(WORDS) | {"the"}
    reference = TfidfVectorizer(analyzer=tokenize).fit(docs)
    expected = [reference.idf_[reference.vocabulary_[w]] for w in scdv.vocabulary_]
    np.testing.assert_allclose(scdv.idf_, expected, rtol=1e-12)
    # "the" is in all 40 documents: ln(41 / 41) + 1 = 1
    assert scdv.idf_[scdv.vocabulary_.index("the")] == pytest.approx(1.0)
    np.testing.assert_allclose(scdv.cluster_proba_.sum(axis=1), 1.0)
    assert scdv.get_feature_names_out()[:2].tolist() == ["cluster0_dim0", "cluster0_dim1"]


def test_pipeline_and_cross_val_score():
    rng = np.random.default_rng(3)
    docs, labels = _corpus(rng)
    pipe = Pipeline([("scdv", SCDV(n_clusters=2, word_vectors=_vectors(rng), min_count=2)), ("svm", LinearSVC())])
    scores = cross_val_score(pipe, docs, labels, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.9          # two well-separated topics
    params = pipe.get_params()
    assert params["scdv__n_clusters"] == 2 and params["scdv__sparsity_percentage"] == 4
    pipe.set_params(scdv__n_clusters=3)
    assert clone(pipe).get_params()["scdv__n_clusters"] == 3


# a wiring test: the word2vec steps run eagerly (tracing and compiling them proves nothing here)
def test_fit_trains_word_vectors_when_none_given(eager_tf_functions):
    rng = np.random.default_rng(4)
    docs, labels = _corpus(rng, 60)
    scdv = SCDV(n_clusters=2, dim=6, window=2, negative=2, min_count=3, epochs=2, batch_size=256)
    X = scdv.fit_transform(docs)
    assert X.shape == (60, 12) and scdv.word_vectors_.dim == 6
    # word2vec trains on every token, as the reference code does; the document vectors skip stop words
    assert "the" in scdv.word_vectors_ and set(scdv.vocabulary_) == set(WORDS)
    assert scdv.word_vectors_.stats["hs"] is False
    with_tree = SCDV(n_clusters=2, dim=6, window=2, negative=2, min_count=3, epochs=1, batch_size=256, hs=True)
    assert with_tree.fit(docs).word_vectors_.stats["hs"] is True


def test_stop_words_are_left_out_of_document_vectors():
    rng = np.random.default_rng(10)
    docs, _ = _corpus(rng)
    docs = [d + " x y of" for d in docs]                       # one-letter tokens and another stop word
    vectors = _vectors(rng) | {"x": rng.normal(size=4), "y": rng.normal(size=4), "of": rng.normal(size=4)}
    default = SCDV(n_clusters=3, word_vectors=vectors, min_count=2).fit(docs[:30])
    assert set(default.vocabulary_) == set(WORDS)               # "the", "of", "x", "y" skipped
    kept = SCDV(n_clusters=3, word_vectors=vectors, min_count=2, stop_words=None).fit(docs[:30])
    assert set(kept.vocabulary_) == set(WORDS) | {"the", "of", "x", "y"}
    custom = SCDV(n_clusters=3, word_vectors=vectors, min_count=2, stop_words={"the", "apple"}).fit(docs[:30])
    assert set(custom.vocabulary_) == set(WORDS) - {"apple"} | {"of", "x", "y"}
    for scdv in (default, kept, custom):
        _, test, threshold, _, _ = _loop_pipeline(scdv, docs[:30], docs[30:])
        np.testing.assert_allclose(scdv.transform(docs[30:]).toarray(), np.where(np.abs(test) < threshold, 0, test),
                                   atol=1e-6)


@pytest.mark.parametrize("stop_words, error, message", [
    ("french", ValueError, r"`stop_words` must be \"english\", None or a collection of str; got 'french'\."),
    (5, TypeError, r"`stop_words` must be \"english\", None or a collection of str; got 5\."),
    ([1, 2], TypeError, r"`stop_words` must be \"english\", None or a collection of str; got a collection holding "),
])
def test_bad_stop_words(stop_words, error, message):
    rng = np.random.default_rng(11)
    docs, _ = _corpus(rng)
    with pytest.raises(error, match=message):
        SCDV(n_clusters=2, word_vectors=_vectors(rng), min_count=2, stop_words=stop_words).fit(docs)


def test_pluggable_tokenizer():
    rng = np.random.default_rng(5)
    vectors = {"ab": rng.normal(size=3), "cd": rng.normal(size=3), "ef": rng.normal(size=3)}
    scdv = SCDV(n_clusters=2, word_vectors=vectors, min_count=1, tokenizer=str.split).fit(["ab cd", "cd ef", "ab ef"])
    assert sorted(scdv.vocabulary_) == ["ab", "cd", "ef"]


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(sparsity_percentage=-1), ValueError, r"`sparsity_percentage` must be a real number in \[0, 100\]; got -1\."),
    (dict(sparsity_percentage=101), ValueError, r"`sparsity_percentage` must be a real number in \[0, 100\]; got 101\."),
    (dict(n_clusters=0), ValueError, r"`n_clusters` must be a positive int; got 0\."),
    (dict(covariance_type="full-ish"), ValueError, r"`covariance_type` must be one of 'tied', 'full', 'diag', "),
    (dict(tokenizer="split"), TypeError, r"`tokenizer` must be a callable str -> list of str; got 'split'\."),
])
def test_bad_settings(kwargs, error, message):
    rng = np.random.default_rng(6)
    docs, _ = _corpus(rng)
    with pytest.raises(error, match=message):
        SCDV(word_vectors=_vectors(rng), min_count=2, **{"n_clusters": 2, **kwargs}).fit(docs)


def test_vocabulary_smaller_than_clusters():
    rng = np.random.default_rng(7)
    docs, _ = _corpus(rng)
    # 12 words reach min_count 2 (the 12 topic words; "the" is a stop word)
    with pytest.raises(ValueError, match=r"`n_clusters` must be at most the vocabulary size after `min_count`=2 and stop words "
                                         r"\(12 words\); lower `n_clusters` or `min_count`; got 60\."):
        SCDV(word_vectors=_vectors(rng), min_count=2).fit(docs)
    # with trained vectors the check comes before any training
    with pytest.raises(ValueError, match=r"\(0 words\); lower `n_clusters` or `min_count`; got 2\."):
        SCDV(n_clusters=2, min_count=1000).fit(docs)


def test_non_string_documents():
    rng = np.random.default_rng(8)
    docs, _ = _corpus(rng)
    with pytest.raises(TypeError, match=r"`documents` must contain only str; got int 5 at index 2\."):
        SCDV(n_clusters=2, word_vectors=_vectors(rng), min_count=2).fit(docs[:2] + [5])
    scdv = SCDV(n_clusters=2, word_vectors=_vectors(rng), min_count=2).fit(docs)
    with pytest.raises(TypeError, match=r"`documents` must contain only str; got float 1.5 at index 0\."):
        scdv.transform([1.5])
    with pytest.raises(TypeError, match=r"`documents` must be a sequence of str \(one per document\)"):
        scdv.transform("a single string")


def test_transform_before_fit():
    with pytest.raises(NotFittedError, match=r"`SCDV` must be fitted before `transform`"):
        SCDV().transform(["text"])
    assert issubclass(NotFittedError, ValueError)


def test_min_proba_zeroes_small_probabilities_and_matches_the_loop():
    rng = np.random.default_rng(9)
    docs, _ = _corpus(rng)
    exact = SCDV(n_clusters=3, word_vectors=_vectors(rng), min_count=2, covariance_type="diag").fit(docs[:30])
    pruned = clone(exact).set_params(min_proba=0.2).fit(docs[:30])
    P = exact.cluster_proba_.copy()
    P[P < 0.2] = 0.0
    np.testing.assert_array_equal(pruned.cluster_proba_, P)
    train, test, threshold, _, _ = _loop_pipeline(pruned, docs[:30], docs[30:])
    np.testing.assert_allclose(pruned.transform(docs[30:]).toarray(), np.where(np.abs(test) < threshold, 0, test),
                               atol=1e-6)
    with pytest.raises(ValueError, match=r"`min_proba` must be a real number in \[0, 1\]; got 2\."):
        clone(exact).set_params(min_proba=2).fit(docs)
