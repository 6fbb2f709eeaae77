"""Figures for SCDV: word clusters in 2-D and a document vector's sparsity pattern."""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.plots import new_figure, save_figure

__all__ = ["plot_word_clusters", "plot_sparsity_pattern"]


def _fitted(scdv):
    if not hasattr(scdv, "cluster_proba_"):
        raise _checks.fail("scdv", "be a fitted SCDV (call `fit` first)", "an unfitted SCDV")


def plot_word_clusters(scdv, path=None, max_words=3000, label_words=40, seed=0):
    """Scatter the word vectors in 2-D (PCA), coloured by their most likely cluster.

    Parameters
    ----------
    scdv : SCDV
        A fitted :class:`~course_cnn.scdv.SCDV`.
    path : str or path-like, optional
        Where to save the PNG.
    max_words : int, default 3000
        Words drawn (a random sample when the vocabulary is larger).
    label_words : int, default 40
        How many of the most frequent drawn words get a text label.
    seed : int, default 0
        Seeds the sample.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unfitted ``scdv``.

    Examples
    --------
    >>> from course_cnn.scdv import SCDV
    >>> docs = ["cats purr and cats sleep", "dogs bark and dogs run"] * 10
    >>> fig = plot_word_clusters(SCDV(n_clusters=2, dim=4, min_count=5, epochs=1).fit(docs))
    """
    _fitted(scdv)
    max_words = _checks.check_positive_int(max_words, "max_words")
    rng = np.random.default_rng(seed)
    n_words = len(scdv.vocabulary_)
    rows = np.sort(rng.choice(n_words, size=min(max_words, n_words), replace=False))   # vocabulary is by count
    vectors = scdv.word_matrix_[rows] - scdv.word_matrix_[rows].mean(axis=0)             # (n, d)
    _, _, vt = np.linalg.svd(vectors, full_matrices=False)
    xy = vectors @ vt[:2].T if vt.shape[0] >= 2 else np.c_[vectors @ vt[:1].T, np.zeros(len(rows))]   # (n, 2)
    cluster = scdv.cluster_proba_[rows].argmax(axis=1)
    fig, ax = new_figure(figsize=(7, 6))
    ax.scatter(xy[:, 0], xy[:, 1], c=cluster, cmap="tab20", s=6, alpha=0.7, linewidths=0)
    for i in range(min(label_words, len(rows))):
        ax.annotate(scdv.vocabulary_[rows[i]], xy[i], fontsize=7)
    ax.set_title(f"{len(rows)} words, PCA of the word vectors, colour = most likely of {scdv.n_clusters} clusters")
    ax.set_xlabel("principal component 1")
    ax.set_ylabel("principal component 2")
    if path is not None:
        save_figure(fig, path)
    return fig


def plot_sparsity_pattern(vector, n_clusters, path=None, title=None):
    """Show one document vector as a (clusters x dim) image: white where it is zero.

    Parameters
    ----------
    vector : array_like or sparse row of shape (n_clusters * dim,)
        One SCDV document vector.
    n_clusters : int
        K; the vector is reshaped to (K, dim).
    path : str or path-like, optional
        Where to save the PNG.
    title : str, optional
        Figure title (default: the density).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When the length is not a multiple of ``n_clusters``.

    Examples
    --------
    >>> fig = plot_sparsity_pattern(np.r_[np.zeros(6), np.ones(2)], 2)
    """
    if hasattr(vector, "toarray"):
        vector = vector.toarray()
    vector = _checks.check_array(vector, "vector", finite=True, dtype=np.float64).ravel()
    n_clusters = _checks.check_positive_int(n_clusters, "n_clusters")
    if vector.size % n_clusters:
        raise _checks.fail("vector", f"have a length that is a multiple of `n_clusters`={n_clusters}",
                           f"length {vector.size}")
    grid = vector.reshape(n_clusters, -1)                                     # (K, d)
    limit = float(np.abs(grid).max()) or 1.0
    shown = np.ma.masked_where(grid == 0, grid)
    fig, ax = new_figure(figsize=(8, 4))
    ax.set_facecolor("white")
    image = ax.imshow(shown, aspect="auto", cmap="coolwarm", vmin=-limit, vmax=limit, interpolation="nearest")
    fig.colorbar(image, ax=ax, label="component value (white: zeroed)")
    density = np.count_nonzero(grid) / grid.size
    ax.set_title(title or f"document vector: {density:.1%} of components non-zero")
    ax.set_xlabel("word-vector dimension j")
    ax.set_ylabel("cluster k")
    if path is not None:
        save_figure(fig, path)
    return fig
