"""Sampling misclassified examples and exporting them for a person to tag.

Error analysis starts by looking: pick about 100 misclassified dev examples
at random (`sample_errors`), then show them to a person as an image grid
with a CSV to fill in (`export_error_sample`). The filled CSV goes back
into `course_cnn.strategy.ErrorAnalysis.from_csv`.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np

from course_cnn import _checks

__all__ = ["sample_errors", "export_error_sample"]

#: CSV columns that are not tags.
META_COLUMNS = ("id", "index", "true_label", "predicted_label", "tags", "comment", "comments")


def _labels(y, name):
    y = _checks.check_array(y, name, finite=True)
    if y.ndim == 2:  # one-hot labels or class scores
        return np.argmax(y, axis=1)
    if y.ndim != 1:
        raise _checks.fail(name, "have shape (m,) (labels) or (m, n_classes) (one-hot or scores)", f"shape {y.shape}")
    return y


def sample_errors(y_true, y_pred, n=100, seed=0):
    """Pick ``n`` misclassified examples at random, for a person to inspect.

    Parameters
    ----------
    y_true : array_like of shape (m,) or (m, n_classes)
        True labels, or one-hot labels.
    y_pred : array_like of shape (m,) or (m, n_classes)
        Predicted labels, or class scores (the argmax is the prediction).
    n : int, default 100
        How many errors to sample (the lecture's "about 100").
    seed : int, default 0
        Seed of the sampling.

    Returns
    -------
    ndarray of shape (min(n, n_errors),), int64
        Indices of misclassified examples, sorted.

    Raises
    ------
    ValueError
        For mismatched lengths, or ``n`` < 1.

    Warns
    -----
    CourseCNNWarning
        When there are fewer errors than ``n`` (all of them are returned).

    Examples
    --------
    >>> sample_errors([0, 1, 1, 0, 2], [0, 2, 1, 1, 2], n=2)
    array([1, 3])
    """
    y_true = _labels(y_true, "y_true")
    y_pred = _labels(y_pred, "y_pred")
    if len(y_pred) != len(y_true):
        raise _checks.fail("y_pred", f"have one prediction per label of `y_true` ({len(y_true)})", f"{len(y_pred)}")
    n = _checks.check_positive_int(n, "n")
    errors = np.flatnonzero(y_true != y_pred)
    if len(errors) < n:
        warnings.warn(f"asked for {n} errors but there are only {len(errors)}; returning all of them",
                      _checks.CourseCNNWarning, stacklevel=2)
        return errors.astype(np.int64)
    rng = np.random.default_rng(_checks.check_seed(seed))
    return np.sort(rng.choice(errors, size=n, replace=False)).astype(np.int64)


def export_error_sample(images, y_true, y_pred, indices, out_dir, class_names=None, tags=(), ncols=10):
    """Write a sample of errors as an image grid (PNG) and a CSV to tag by hand.

    The CSV has one row per example (``id, index, true_label,
    predicted_label``), one empty column per declared tag (put an ``x`` in
    it), a free ``tags`` column (``;``-separated) and a ``comment`` column;
    `ErrorAnalysis.from_csv` reads it back. The grid titles each image
    with its ``id`` and ``true -> predicted``.

    Parameters
    ----------
    images : array_like of shape (m, n_H, n_W) or (m, n_H, n_W, n_C)
        All examples (floats in [0, 1] or uint8).
    y_true, y_pred : array_like of shape (m,) or (m, n_classes)
        True and predicted labels (or one-hot / scores).
    indices : array_like of shape (k,)
        Which examples to export (e.g. from `sample_errors`).
    out_dir : str or os.PathLike
        Folder for ``errors.png`` and ``errors.csv`` (created).
    class_names : sequence of str, optional
        Names of the classes, for the titles and the CSV.
    tags : sequence of str, default ()
        Tags to offer as tick columns ("dog", "blurry", ...).
    ncols : int, default 10
        Images per row of the grid.

    Returns
    -------
    dict
        ``{"grid": Path, "csv": Path}``.

    Raises
    ------
    ValueError
        For an index outside the data or a tag that clashes with a fixed column.

    Examples
    --------
    >>> import tempfile
    >>> X = np.zeros((4, 8, 8)); y = np.array([0, 1, 1, 0]); p = np.array([1, 1, 0, 0])
    >>> out = export_error_sample(X, y, p, [0, 2], tempfile.mkdtemp(), tags=["blurry"])
    >>> out["csv"].read_text().splitlines()[0]
    'id,index,true_label,predicted_label,blurry,tags,comment'
    """
    from course_cnn.plots import image_grid

    images = _checks.check_array(images, "images", finite=True)
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    for label_name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if len(labels) != len(images):
            raise _checks.fail(label_name, f"have one label per image ({len(images)})", f"{len(labels)} labels")
    if class_names is not None:
        class_names = _checks.check_strings(class_names, "class_names")
    ncols = _checks.check_positive_int(ncols, "ncols")
    indices = _checks.check_array(indices, "indices", ndim=1, kinds="iu")
    if len(indices) and (indices.min() < 0 or indices.max() >= len(images)):
        raise _checks.fail("indices", f"be valid example indices in [0, {len(images) - 1}]",
                           f"values from {indices.min()} to {indices.max()}")
    tags = _checks.check_strings(tags, "tags")
    clash = [t for t in tags if t in META_COLUMNS]
    if clash:
        raise _checks.fail("tags", f"not reuse a fixed column name {META_COLUMNS}", repr(clash[0]))

    def name(c):
        return class_names[int(c)] if class_names is not None else str(int(c))

    out = _checks.check_path(out_dir, "out_dir")
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "errors.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "index", "true_label", "predicted_label", *tags, "tags", "comment"])
        for k, i in enumerate(indices):
            writer.writerow([k, int(i), name(y_true[i]), name(y_pred[i]), *[""] * len(tags), "", ""])
    titles = [f"#{k} {name(y_true[i])}->{name(y_pred[i])}" for k, i in enumerate(indices)]
    grid_path = out / "errors.png"
    image_grid(images[indices], titles=titles, ncols=ncols, path=grid_path,
               suptitle="sampled errors: #id true->predicted")
    return {"grid": grid_path, "csv": csv_path}


