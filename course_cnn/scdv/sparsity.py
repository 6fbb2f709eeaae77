r"""SCDV's last step: unit-length document vectors, then their small components zeroed.

Each document vector $dv_D$ (`course_cnn.scdv.features`) is scaled to unit
length, and every component with

$$
|a| < t = \frac{p}{100}\,\frac{|a_{\min}| + |a_{\max}|}{2}
$$

is set to zero, where $a_{\min}, a_{\max}$ average each training
document vector's minimum and maximum component and $p$ is the sparsity
percentage. What is left is stored as a sparse (CSR) matrix.

References
----------
Mekala, Gupta, Paranjape, Karnick. "SCDV: Sparse Composite Document Vectors
using soft clustering over distributional representations", EMNLP 2017.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from course_cnn import _checks

__all__ = ["sparsity_threshold", "sparsify"]


def sparsity_threshold(normalised_vectors, sparsity_percentage):
    r"""The SCDV threshold $t = \frac{p}{100}\,\frac{|a_{\min}| + |a_{\max}|}{2}$.

    $a_{\min}$ ($a_{\max}$) is the average over the documents of
    each document vector's smallest (largest) component.

    Parameters
    ----------
    normalised_vectors : array_like of shape (n_documents, n_features)
        L2-normalised training document vectors.
    sparsity_percentage : float
        p, in [0, 100].

    Returns
    -------
    threshold : float
    a_min, a_max : float

    Raises
    ------
    ValueError
        For an empty matrix or ``sparsity_percentage`` outside [0, 100].

    Examples
    --------
    >>> # a_min = (-0.6 + 0.0) / 2 = -0.3, a_max = (0.8 + 1.0) / 2 = 0.9, t = 0.04 * 1.2 / 2
    >>> t, a_min, a_max = sparsity_threshold([[-0.6, 0.8], [0.0, 1.0]], 4)
    >>> round(t, 6), round(a_min, 6), round(a_max, 6)
    (0.024, -0.3, 0.9)
    """
    vectors = _checks.check_array(normalised_vectors, "normalised_vectors", ndim=2, finite=True)
    p = _checks.check_number(sparsity_percentage, "sparsity_percentage", 0, 100)
    if vectors.size == 0:
        raise _checks.fail("normalised_vectors", "contain at least one document and one feature",
                           f"shape {vectors.shape}")
    a_min, a_max = float(vectors.min(axis=1).mean()), float(vectors.max(axis=1).mean())
    return p / 100.0 * (abs(a_min) + abs(a_max)) / 2.0, a_min, a_max


def sparsify(vectors, threshold):
    r"""Zero every component with $|a| < t$ and return CSR.

    Parameters
    ----------
    vectors : array_like of shape (n_documents, n_features)
    threshold : float
        t >= 0.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (n_documents, n_features), float32

    Examples
    --------
    >>> sparsify([[0.01, -0.5, 0.02]], 0.02).toarray().tolist()
    [[0.0, -0.5, 0.019999999552965164]]

    Raises
    ------
    ValueError
        For NaN/inf in ``vectors`` (a NaN would be stored as 0) or ``threshold`` < 0.
    """
    vectors = _checks.check_array(vectors, "vectors", ndim=2, finite=True, dtype=np.float32)
    threshold = _checks.check_number(threshold, "threshold", low=0)
    return _sparsify(vectors, threshold)


def _sparsify(vectors, threshold):
    """Kernel: CSR of the components with |a| >= threshold (``vectors`` is a 2-D float32 array)."""
    magnitude = np.abs(vectors)
    keep = magnitude >= threshold if threshold > 0 else magnitude > 0             # (n_docs, n_features)
    indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
    np.cumsum(keep.sum(axis=1), out=indptr[1:])
    indices = np.nonzero(keep)[1].astype(np.int32)                               # row-major: sorted per row
    return sp.csr_matrix((vectors[keep], indices, indptr), shape=vectors.shape)


def l2_normalise(vectors):
    """Rows scaled to unit length in place; zero rows stay zero."""
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors, dtype=np.float64))[:, None]
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors
