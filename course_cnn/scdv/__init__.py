"""SCDV: Sparse Composite Document Vectors (Mekala et al., EMNLP 2017).

Skip-gram word vectors trained in TensorFlow (`train_word2vec`), soft
clusters from a Gaussian mixture, and sparse idf-weighted document vectors
(`SCDV`, a scikit-learn transformer). Formulas in
`course_cnn.scdv.features` and `course_cnn.scdv.sparsity`.
"""

from course_cnn.scdv.estimator import SCDV
from course_cnn.scdv.features import count_matrix, document_vectors, document_vectors_loop, word_topic_vectors
from course_cnn.scdv.figures import plot_sparsity_pattern, plot_word_clusters
from course_cnn.scdv.sparsity import sparsify, sparsity_threshold
from course_cnn.scdv.tokenize import check_documents, stop_word_set, tokenize
from course_cnn.scdv.word2vec import WordVectors, as_word_vectors, train_word2vec

__all__ = [
    "SCDV",
    "WordVectors",
    "train_word2vec",
    "as_word_vectors",
    "tokenize",
    "check_documents",
    "stop_word_set",
    "count_matrix",
    "word_topic_vectors",
    "document_vectors",
    "document_vectors_loop",
    "sparsity_threshold",
    "sparsify",
    "plot_word_clusters",
    "plot_sparsity_pattern",
]
