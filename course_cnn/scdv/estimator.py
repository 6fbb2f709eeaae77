r"""The SCDV transformer: text in, sparse composite document vectors out.

``SCDV().fit(train_texts)`` learns (or takes) word vectors, soft-clusters
them with a Gaussian mixture, reads the smooth idf of the training texts and
the sparsity threshold of the training document vectors; ``transform(texts)``
then turns any texts into CSR rows of length ``n_clusters * dim``. The
formulas are in `course_cnn.scdv.features` and `course_cnn.scdv.sparsity`.

References
----------
Mekala, Gupta, Paranjape, Karnick. "SCDV: Sparse Composite Document Vectors
using soft clustering over distributional representations", EMNLP 2017.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError

from course_cnn import _checks
from course_cnn.scdv import _sgns
from course_cnn.scdv._gmm import TiedFastGaussianMixture
from course_cnn.scdv.features import _document_vectors, count_matrix
from course_cnn.scdv.sparsity import _sparsify, l2_normalise
from course_cnn.scdv.tokenize import check_documents, stop_word_set, tokenize
from course_cnn.scdv.word2vec import WORD2VEC_BOUNDS, as_word_vectors, check_bounded, train_word2vec

__all__ = ["SCDV"]

_COVARIANCES = ("tied", "full", "diag", "spherical")


class SCDV(TransformerMixin, BaseEstimator):
    r"""Sparse Composite Document Vectors as a scikit-learn transformer.

    Defaults are the paper's 20 Newsgroups setting: 60 clusters, 200-d
    skip-gram vectors (window 10, 10 negatives, min count 20, subsampling
    1e-3), a tied-covariance Gaussian mixture, and p = 4 % sparsity.

    Parameters
    ----------
    n_clusters : int, default 60
        K, the number of Gaussian-mixture components.
    sparsity_percentage : float, default 4
        p in [0, 100]: components with $|a| < \frac{p}{100}\frac{|a_{\min}|+|a_{\max}|}{2}$ are zeroed.
    word_vectors : None, WordVectors, gensim KeyedVectors or mapping word -> vector, default None
        Vectors to use; None trains them on the documents given to ``fit``
        with `train_word2vec`.
    dim, window, negative, min_count, sample, epochs, batch_size : int or float
        word2vec settings, used when ``word_vectors`` is None (``min_count``
        also filters given vectors: only words seen that often in the fitting
        documents are kept). ``epochs`` defaults to gensim's 5; the
        reference code trains 25, which on 20 Newsgroups gave no better
        accuracy than 10 (docs, performance page).
    hs : bool, default False
        word2vec setting: also train `train_word2vec`'s hierarchical softmax
        beside the negatives (the reference code's ``hs=1``).
    covariance_type : {"tied", "full", "diag", "spherical"}, default "tied"
        Of the ``sklearn.mixture.GaussianMixture`` (the reference code uses "tied").
    gmm_max_iter : int, default 50
        EM iterations of the mixture (the reference code's 50).
    min_proba : float, default 0.0
        Cluster probabilities below this are set to exactly 0 after the
        mixture is fitted (and stored so in ``cluster_proba_``), for
        sparser word-topic vectors. The default keeps the reference formula
        exactly.
    tokenizer : callable, default `tokenize`
        ``str -> list of str``.
    stop_words : "english", None or collection of str, default "english"
        Tokens left out of the document vectors, their idf and the mixture's
        vocabulary (see `stop_word_set`; "english"
        is scikit-learn's list and the one-letter tokens, as the reference
        code drops stop words and one-letter words). Word vectors trained by
        ``fit`` still see every token, as in the reference code.
    seed : int, default 0
        Seeds word2vec and the mixture.
    chunk_size : int, default 2048
        Documents turned into dense vectors at a time (memory bound).
    verbose : int, default 0
        1 prints progress.

    Attributes
    ----------
    word_vectors_ : WordVectors
        The vectors used (trained or given).
    vocabulary_ : list of str
        Words with a word-topic vector (in the vectors and seen in the fitting documents).
    word_matrix_ : ndarray of shape (n_words, dim)
    cluster_proba_ : ndarray of shape (n_words, n_clusters)
        $P(C_k \mid w_i)$.
    idf_ : ndarray of shape (n_words,)
        ``sklearn`` smooth idf $\ln\frac{1+n}{1+df} + 1$ over the fitting documents.
    gmm_ : sklearn.mixture.GaussianMixture
    a_min_, a_max_, threshold_ : float
        Averaged extreme components of the training vectors, and the threshold.
    n_features_out_ : int
        ``n_clusters * dim``.

    Raises
    ------
    TypeError
        In ``fit``/``transform``, for documents that are not strings.
    ValueError
        For bad settings, a vocabulary smaller than ``n_clusters``.
    sklearn.exceptions.NotFittedError
        From ``transform`` before ``fit`` (a ``ValueError``).

    Examples
    --------
    >>> docs = ["cats purr and cats sleep", "dogs bark and dogs run", "cats and dogs"] * 10
    >>> scdv = SCDV(n_clusters=2, dim=8, window=2, negative=2, min_count=5, epochs=1)
    >>> X = scdv.fit_transform(docs)
    >>> X.shape, type(X).__name__
    ((30, 16), 'csr_matrix')

    References
    ----------
    Mekala, Gupta, Paranjape, Karnick. "SCDV: Sparse Composite Document
    Vectors using soft clustering over distributional representations",
    EMNLP 2017.
    """

    def __init__(self, n_clusters=60, sparsity_percentage=4, word_vectors=None, dim=200, window=10, negative=10,
                 min_count=20, sample=1e-3, epochs=5, batch_size=4096, hs=False, covariance_type="tied",
                 gmm_max_iter=50, min_proba=0.0, tokenizer=tokenize, stop_words="english", seed=0, chunk_size=2048,
                 verbose=0):
        self.n_clusters = n_clusters
        self.sparsity_percentage = sparsity_percentage
        self.word_vectors = word_vectors
        self.dim = dim
        self.window = window
        self.negative = negative
        self.min_count = min_count
        self.sample = sample
        self.epochs = epochs
        self.batch_size = batch_size
        self.hs = hs
        self.covariance_type = covariance_type
        self.gmm_max_iter = gmm_max_iter
        self.min_proba = min_proba
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.seed = seed
        self.chunk_size = chunk_size
        self.verbose = verbose

    # --- fitting -------------------------------------------------------------------------------------------

    def fit(self, documents, y=None):
        """Learn word vectors (unless given), clusters, idf and the sparsity threshold.

        Parameters
        ----------
        documents : sequence of str
            Training texts.
        y : ignored
            Accepted for ``Pipeline`` compatibility.

        Returns
        -------
        SCDV
            ``self``.
        """
        self._check_settings()
        all_tokens = [list(self.tokenizer(doc)) for doc in check_documents(documents)]
        token_lists = self._without_stop_words(all_tokens)
        words, _ = _sgns.build_vocabulary(token_lists, self.min_count)
        self._check_vocabulary_size(len(words))
        if self.word_vectors is None:
            self.word_vectors_ = train_word2vec(all_tokens, dim=self.dim, window=self.window, negative=self.negative,
                                                min_count=self.min_count, sample=self.sample, epochs=self.epochs,
                                                seed=self.seed, batch_size=self.batch_size, hs=self.hs,
                                                verbose=self.verbose)
        else:
            self.word_vectors_ = as_word_vectors(self.word_vectors, name="word_vectors")
        self._fit_vocabulary(token_lists, set(words))
        self._fit_clusters()
        self._fit_threshold(token_lists)
        return self

    def _check_settings(self):
        for name in ("n_clusters", "min_count", "batch_size", "gmm_max_iter", "chunk_size"):
            _checks.check_positive_int(getattr(self, name), name)
        for name in WORD2VEC_BOUNDS:
            check_bounded(getattr(self, name), name)
        _checks.check_size(self.n_clusters, "n_clusters", _checks.MAX_UNITS)  # the mixture's means: K x dim
        _checks.check_non_negative_int(self.seed, "seed")
        _checks.check_number(self.sparsity_percentage, "sparsity_percentage", 0, 100)
        _checks.check_number(self.min_proba, "min_proba", 0, 1)
        _checks.check_choice(self.covariance_type, "covariance_type", _COVARIANCES)
        if not callable(self.tokenizer):
            raise _checks.fail("tokenizer", "be a callable str -> list of str", _checks.describe(self.tokenizer),
                               TypeError)
        self._stop_words = stop_word_set(self.stop_words)

    def _tokenize(self, documents):
        """Token lists of the documents, stop words left out."""
        return self._without_stop_words([list(self.tokenizer(doc)) for doc in check_documents(documents)])

    def _without_stop_words(self, token_lists):
        stops = self._stop_words
        return [[t for t in tokens if t not in stops] for tokens in token_lists] if stops else token_lists

    def _check_vocabulary_size(self, n_words):
        if n_words < self.n_clusters:
            raise _checks.fail(
                "n_clusters", f"be at most the vocabulary size after `min_count`={self.min_count} and stop words "
                f"({n_words} words); lower `n_clusters` or `min_count`", repr(self.n_clusters))

    def _fit_vocabulary(self, token_lists, frequent_words):
        vectors = self.word_vectors_
        candidates = [w for w in vectors.vocab if w in frequent_words]
        self._check_vocabulary_size(len(candidates))
        self.vocabulary_ = candidates
        self._word_index = {w: i for i, w in enumerate(candidates)}
        counts = self._counts(token_lists)                                   # (n_documents, V)
        # sklearn's smooth idf: ln((1 + n) / (1 + df)) + 1, df = documents holding the word
        document_frequency = np.bincount(counts.indices, minlength=len(candidates))
        self.idf_ = np.log((1.0 + counts.shape[0]) / (1.0 + document_frequency)) + 1.0
        self.word_matrix_ = vectors.matrix[[vectors.index[w] for w in candidates]].astype(np.float64)
        self.n_features_out_ = self.n_clusters * self.word_matrix_.shape[1]

    def _counts(self, token_lists):
        """Document-term counts of the vocabulary's words, CSR of shape (n_documents, V), float32."""
        return count_matrix(token_lists, self._word_index)

    def _fit_clusters(self):
        self.gmm_ = TiedFastGaussianMixture(n_components=self.n_clusters, covariance_type=self.covariance_type,
                                    max_iter=self.gmm_max_iter, random_state=self.seed, verbose=self.verbose)
        self.gmm_.fit(self.word_matrix_)
        proba = self.gmm_.predict_proba(self.word_matrix_)                  # (n_words, K)
        proba[proba < self.min_proba] = 0.0
        self.cluster_proba_ = proba

    def _fit_threshold(self, token_lists):
        n_docs, sum_min, sum_max = 0, 0.0, 0.0
        for dense in self._normalised_chunks(token_lists):
            sum_min += float(dense.min(axis=1).sum())
            sum_max += float(dense.max(axis=1).sum())
            n_docs += dense.shape[0]
        self.a_min_, self.a_max_ = sum_min / n_docs, sum_max / n_docs
        self.threshold_ = self.sparsity_percentage / 100.0 * (abs(self.a_min_) + abs(self.a_max_)) / 2.0

    # --- transforming --------------------------------------------------------------------------------------

    def _normalised_chunks(self, token_lists):
        """L2-normalised dense document vectors, ``chunk_size`` documents at a time.

        Every chunk is written into the same buffer: use each one before asking for the next.
        """
        buffer = np.empty((min(self.chunk_size, len(token_lists)), self.n_features_out_), dtype=np.float32)
        for start in range(0, len(token_lists), self.chunk_size):
            counts = self._counts(token_lists[start:start + self.chunk_size])                    # (m, V)
            dense = _document_vectors(counts, self.word_matrix_, self.cluster_proba_, self.idf_,
                                      out=buffer)                                                # (m, K * d)
            yield l2_normalise(dense)

    def transform(self, documents):
        """SCDV vectors of ``documents``, sparsified with the training threshold.

        Parameters
        ----------
        documents : sequence of str
            Texts; a text with no known word gets the zero vector.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_documents, n_clusters * dim), float32
        """
        if not hasattr(self, "threshold_"):
            raise NotFittedError("`SCDV` must be fitted before `transform` (call `fit` or `fit_transform` first); "
                                 "got an unfitted SCDV.")
        token_lists = self._tokenize(documents)
        return sp.vstack([_sparsify(dense, self.threshold_) for dense in self._normalised_chunks(token_lists)],
                         format="csr")

    def get_feature_names_out(self, input_features=None):
        """Names ``cluster<k>_dim<j>`` of the output columns.

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        ndarray of str of shape (n_clusters * dim,)
        """
        if not hasattr(self, "n_features_out_"):
            raise NotFittedError("`SCDV` must be fitted before `get_feature_names_out`; got an unfitted SCDV.")
        d = self.word_matrix_.shape[1]
        return np.array([f"cluster{k}_dim{j}" for k in range(self.n_clusters) for j in range(d)], dtype=object)
