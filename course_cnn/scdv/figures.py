"""Figures for SCDV: word clusters in 2-D and a document vector's sparsity pattern."""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.plots import new_figure, save_figure

__all__ = ["plot_word_clusters", "plot_sparsity_pattern"]


def _fitted(scdv):
    if not hasattr(scdv, "cluster_proba_"):
        raise _checks.fail("scdv", "be a fitted SCDV (call `fit` first)", "an unfitted SCDV")


def plot_word_clusters(scdv, path=None, n_highlight=8, words_per_label=4, max_words=4000, seed=0):
    """Scatter the word vectors in 2-D, coloured by their most likely cluster.

    The ``n_highlight`` clusters with the most words (by most likely cluster)
    get their own colour and a label of their most frequent words; the other
    words are drawn in light grey. The 2-D projection is the PCA of the
    highlighted clusters' word vectors.

    Parameters
    ----------
    scdv : SCDV
        A fitted `SCDV`.
    path : str or os.PathLike, optional
        Where to save the PNG.
    n_highlight : int, default 8
        How many clusters to colour (at most 10).
    words_per_label : int, default 4
        Words named in each highlighted cluster's label.
    max_words : int, default 4000
        Words drawn (a random sample when the vocabulary is larger).
    seed : int, default 0
        Seeds the sample.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unfitted ``scdv`` or ``n_highlight`` outside [1, 10].

    Examples
    --------
    >>> from course_cnn.scdv import SCDV
    >>> docs = ["cats purr and cats sleep", "dogs bark and dogs run"] * 10
    >>> fig = plot_word_clusters(SCDV(n_clusters=2, dim=4, min_count=5, epochs=1).fit(docs))
    """
    _fitted(scdv)
    n_highlight = _checks.check_int(n_highlight, "n_highlight", 1, 10)
    max_words = _checks.check_positive_int(max_words, "max_words")
    words_per_label = _checks.check_positive_int(words_per_label, "words_per_label")
    cluster = scdv.cluster_proba_.argmax(axis=1)                                  # (n_words,)
    sizes = np.bincount(cluster, minlength=scdv.n_clusters)
    highlight = np.argsort(-sizes, kind="stable")[:min(n_highlight, int(np.count_nonzero(sizes)))]
    chosen = np.isin(cluster, highlight)
    centre = scdv.word_matrix_[chosen].mean(axis=0)
    _, _, vt = np.linalg.svd(scdv.word_matrix_[chosen] - centre, full_matrices=False)
    axes_2d = vt[:2] if vt.shape[0] >= 2 else np.vstack([vt[:1], np.zeros_like(vt[:1])])
    rng = np.random.default_rng(_checks.check_seed(seed))
    rows = np.sort(rng.choice(len(cluster), size=min(max_words, len(cluster)), replace=False))
    xy = (scdv.word_matrix_ - centre) @ axes_2d.T                                 # (n_words, 2)
    fig, ax = new_figure(figsize=(7.5, 6))
    grey = rows[~np.isin(cluster[rows], highlight)]
    if len(grey):  # only when some clusters are not highlighted
        ax.scatter(xy[grey, 0], xy[grey, 1], color="0.85", s=4, linewidths=0, label="other clusters")
    colours = [f"C{i}" for i in range(10)]
    for colour, k in zip(colours, highlight):
        members = rows[cluster[rows] == k]
        top = np.flatnonzero(cluster == k)[:words_per_label]                       # vocabulary is by frequency
        label = f"{k}: " + ", ".join(scdv.vocabulary_[i] for i in top)
        ax.scatter(xy[members, 0], xy[members, 1], color=colour, s=7, linewidths=0, label=label)
    ax.legend(fontsize=7, markerscale=2, loc="best", framealpha=0.8)
    ax.set_title(f"word vectors (PCA), coloured by most likely cluster: the {len(highlight)} largest of "
                 f"{scdv.n_clusters}", fontsize=9)
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
    path : str or os.PathLike, optional
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
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # clusters are whole numbers: no tick at 2.5
    if path is not None:
        save_figure(fig, path)
    return fig
