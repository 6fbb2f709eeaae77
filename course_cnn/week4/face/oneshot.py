r"""One-shot verification on classes the encoder never saw (Fashion-MNIST).

With no face data set offline, Fashion-MNIST's clothing classes stand in for
people: a `siamese_encoder` is trained
with the triplet loss on classes 0-6 ("identities" seen in training) and
evaluated on classes 7-9 (sneaker, bag, ankle boot), which it never saw. As
in face verification, each unseen class gets **one** reference image; every
other image of the unseen classes is a query compared with each reference:

* pairs (query, reference) with the same class are "same person" pairs;
* the ROC AUC of $-d$ measures how well distance separates them;
* the threshold is chosen (`choose_threshold`)
  on half of the queries and its accuracy reported on the other half;
* one-shot identification: is the nearest reference the right class?

The same protocol runs on an *untrained* encoder (same architecture, random
weights) and on raw pixels ($L_2$ distance between images), the baselines a
learned distance has to beat. Results are averaged over several draws of
the reference images.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course_cnn import _checks
from course_cnn.week4.face.classify import choose_threshold, verification_auc
from course_cnn.week4.face.identities import rotation_identities
from course_cnn.week4.face.siamese import as_float_images, siamese_encoder, train_triplet_encoder

__all__ = ["one_shot_scores", "fashion_one_shot_experiment"]


def _pairs(embeddings, labels, rng):
    """One reference per class; (query, reference) distances and truth, queries shuffled."""
    classes = np.unique(labels)
    refs = np.array([rng.choice(np.flatnonzero(labels == c)) for c in classes])
    queries = np.setdiff1d(np.arange(len(labels)), refs)
    rng.shuffle(queries)
    # distances from every query to every reference: (n_queries, n_classes)
    dist = np.linalg.norm(embeddings[queries, None, :] - embeddings[refs][None, :, :], axis=-1)
    same = labels[queries, None] == classes[None, :]
    return classes, queries, dist, same


def _trial(embeddings, labels, rng):
    classes, queries, dist, same = _pairs(embeddings, labels, rng)
    half = len(queries) // 2
    threshold, _ = choose_threshold(dist[:half].ravel(), same[:half].ravel())
    held_d, held_same = dist[half:].ravel(), same[half:].ravel()
    return {
        "auc": verification_auc(held_d, held_same),
        "accuracy": float(np.mean((held_d < threshold) == held_same)),
        "threshold": threshold,
        "identification": float(np.mean(classes[np.argmin(dist, axis=1)] == labels[queries])),
    }


def one_shot_scores(embeddings, labels, n_trials=5, seed=0):
    r"""One-shot verification and identification scores of embeddings.

    For each trial: draw one reference per class, compare every other
    embedding with each reference, choose the threshold on half of the
    queries, and score the other half.

    Parameters
    ----------
    embeddings : array_like of shape (m, d)
        Embeddings (or flattened pixels) of the evaluation images.
    labels : array_like of shape (m,), int
        Their classes (at least 2, each with at least 2 images).
    n_trials : int, default 5
        Number of reference draws averaged.
    seed : int, default 0
        Seed of the draws.

    Returns
    -------
    dict
        Means over trials of ``auc`` (ROC AUC on held-out pairs),
        ``accuracy`` (at the chosen threshold), ``threshold`` and
        ``identification`` (nearest reference is the right class).

    Raises
    ------
    ValueError, TypeError
        For bad shapes, fewer than 2 classes, or a class with one image.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> labels = np.repeat([0, 1, 2], 20)
    >>> emb = np.eye(3)[labels] + 0.05 * rng.normal(size=(60, 3))  # well-separated classes
    >>> scores = one_shot_scores(emb, labels, n_trials=2)
    >>> scores["auc"], scores["identification"]
    (1.0, 1.0)
    """
    X = _checks.check_array(embeddings, "embeddings", ndim=2, kinds="biuf", finite=True, dtype=np.float64)
    y = _checks.check_array(labels, "labels", ndim=1, kinds="iu")
    if len(y) != len(X):
        raise _checks.fail("labels", f"have one label per embedding ({len(X)})", f"shape {y.shape}")
    counts = np.unique(y, return_counts=True)[1]
    if len(counts) < 2 or counts.min() < 2:
        raise _checks.fail("labels", "hold at least 2 classes with at least 2 examples each", f"class sizes {counts.tolist()}")
    rng = np.random.default_rng(_checks.check_seed(seed))
    n_trials = _checks.check_size(n_trials, "n_trials", _checks.MAX_REPEATS)
    trials = [_trial(X, y, rng) for _ in range(n_trials)]
    return {key: float(np.mean([t[key] for t in trials])) for key in trials[0]}


def _subset(x, y, classes, per_class, rng):
    idx = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:per_class] for c in classes])
    return as_float_images(x[idx]), y[idx].astype(np.int64)


def _figures(out_dir, history, emb, labels, curves):
    from sklearn.decomposition import PCA

    from course_cnn.datasets import FASHION_MNIST_CLASSES
    from course_cnn.plots import new_figure, save_figure, training_curves
    from course_cnn.week4.face.classify import plot_roc

    out = Path(out_dir)
    files = [out / "triplet_loss_curve.png", out / "embedding_pca.png", out / "one_shot_roc.png"]
    training_curves(history, metrics=("loss",), path=files[0], title="Semi-hard triplet loss (training classes 0-6)")
    fig, ax = new_figure(figsize=(5.5, 4.5))
    points = PCA(n_components=2).fit_transform(emb)  # (m, 2)
    for c in np.unique(labels):
        mask = labels == c
        ax.scatter(points[mask, 0], points[mask, 1], s=6, alpha=0.6, label=f"{c} {FASHION_MNIST_CLASSES[c]}")
    ax.set(title="Trained embedding, PCA (7-9 never seen)", xlabel="PC 1", ylabel="PC 2")
    ax.legend(fontsize=7, markerscale=2, loc="best")
    save_figure(fig, files[1], dpi=80)
    fig, axes = new_figure(1, 2, figsize=(10, 4.6))
    for ax, (split, title) in zip(axes, (("seen", "classes 0-6, new images"), ("unseen", "unseen classes 7-9"))):
        ax.plot([0, 1], [0, 1], color="0.7", linestyle="--", linewidth=1)
        for name, (d, same) in curves[split].items():
            plot_roc(d, same, label=name, ax=ax, title=f"One-shot verification: {title}")
    save_figure(fig, files[2], dpi=80)
    return files


_METHODS = {"trained": "trained encoder", "untrained": "untrained encoder", "pixels": "raw-pixel L2"}


def _encode(encoder, x):
    return encoder.predict(x, batch_size=512, verbose=0)


def fashion_one_shot_experiment(
    out_dir=None,
    *,
    train_per_class=2000,
    test_per_class=300,
    epochs=10,
    steps_per_epoch=200,
    embedding_dim=None,
    filters=(16, 32, 64),
    pooling="flatten",
    margin=0.5,
    rotations=True,
    augment=2,
    projection_dim=32,
    identities_per_batch=7,
    images_per_identity=8,
    n_trials=20,
    seed=0,
    data_path=None,
    verbose=1,
):
    r"""Train a siamese encoder on Fashion-MNIST 0-6, test one-shot on seen and unseen classes.

    Two evaluations, each with one reference image per class
    (`one_shot_scores`): ``"seen"`` on new test images of the training
    classes 0-6 (new photos of known people), ``"unseen"`` on classes 7-9,
    which the encoder never saw (new people).

    By default the training uses the three remedies of
    `identities`: each (class, quarter turn) is an
    identity (28 of them), the images are random views, and the semi-hard
    loss is applied through a projection head to an encoder whose encoding is
    its L2-normalised flattened features. ``rotations=False, augment=0,
    projection_dim=None, embedding_dim=32`` is the plain setup (seven
    identities, the images as they are, the loss on the encoding itself).

    Parameters
    ----------
    out_dir : str or os.PathLike, optional
        Where to write the figures (loss curve, embedding PCA, ROC); none when omitted.
    train_per_class : int, default 2000
        Training images per seen class (from the training split).
    test_per_class : int, default 300
        Evaluation images per class (from the test split).
    epochs, steps_per_epoch : int, default 10 and 200
        Training length.
    embedding_dim : int or None, default None
        Encoding size (None: the flattened features, see
        `siamese_encoder`).
    filters : sequence of int, default (16, 32, 64)
        Encoder widths.
    pooling : {"avg", "flatten"}, default "flatten"
        Encoder pooling (flatten keeps the garment's layout).
    margin : float, default 0.5
        Semi-hard triplet margin.
    rotations : bool, default True
        Train on `rotation_identities`
        of the images (4 identities per class).
    augment : int, default 2
        Random views of every training image in a batch (0: the images themselves).
    projection_dim : int or None, default 32
        Size of the projection head the loss is applied to (None: the encoding).
    identities_per_batch, images_per_identity : int, default 7 and 8
        $P$ and $K$ of the training batches (each image then comes as
        ``augment`` views: 112 images a batch by default).
    n_trials : int, default 20
        Reference draws averaged in `one_shot_scores` (one reference
        per class is a noisy protocol: single draws vary by several points).
    seed : int, default 0
        Seed of weights, sampling, views and draws.
    data_path : str or os.PathLike, optional
        Folder of the Fashion-MNIST IDX files (see
        `course_cnn.datasets.load_fashion_mnist`); never downloads.
    verbose : int, default 1
        Keras verbosity while training.

    Returns
    -------
    dict
        ``"seen"`` and ``"unseen"``: for each of ``"trained"``,
        ``"untrained"`` (same architecture, random weights) and ``"pixels"``
        the scores of `one_shot_scores`; ``"loss"``: the loss per
        epoch; ``"files"``: the figures written.

    Raises
    ------
    FileNotFoundError
        When Fashion-MNIST is not available locally.

    Examples
    --------
    >>> r = fashion_one_shot_experiment(train_per_class=50, test_per_class=20, epochs=1,
    ...                                 steps_per_epoch=2, filters=(4,), verbose=0)  # doctest: +SKIP
    >>> sorted(r)  # doctest: +SKIP
    ['files', 'loss', 'seen', 'unseen']
    """
    import keras

    from course_cnn.datasets import load_fashion_mnist

    # Everything is checked before Fashion-MNIST is read or a layer is built.
    _checks.check_size(train_per_class, "train_per_class", 6000)  # Fashion-MNIST: 6,000 training images per class
    _checks.check_size(test_per_class, "test_per_class", 1000)  # and 1,000 test images per class
    _checks.check_size(epochs, "epochs", _checks.MAX_REPEATS)
    _checks.check_size(steps_per_epoch, "steps_per_epoch", _checks.MAX_REPEATS)
    if embedding_dim is not None:
        _checks.check_size(embedding_dim, "embedding_dim", _checks.MAX_UNITS)
    if isinstance(filters, (str, bytes)) or not hasattr(filters, "__len__"):
        raise _checks.fail("filters", "be a sequence of positive ints", _checks.describe(filters), TypeError)
    for f in filters:
        _checks.check_size(f, "filters", _checks.MAX_UNITS)
    _checks.check_choice(pooling, "pooling", ("avg", "flatten"))
    _checks.check_number(margin, "margin", low=0.0)
    _checks.check_int(augment, "augment", 0, _checks.MAX_REPEATS)
    if projection_dim is not None:
        _checks.check_size(projection_dim, "projection_dim", _checks.MAX_UNITS)
    _checks.check_size(identities_per_batch, "identities_per_batch", _checks.MAX_EXAMPLES)
    _checks.check_int(images_per_identity, "images_per_identity", 2, _checks.MAX_EXAMPLES)
    _checks.check_size(n_trials, "n_trials", _checks.MAX_REPEATS)
    seed = _checks.check_seed(seed, allow_none=False)
    if out_dir is not None:
        _checks.check_path(out_dir, "out_dir")
    if data_path is not None:
        _checks.check_path(data_path, "data_path", exists=True, what="folder of Fashion-MNIST's IDX files")
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(data_path, download=False)
    rng = np.random.default_rng(_checks.check_seed(seed))
    x_fit, y_fit = _subset(x_train, y_train, range(7), train_per_class, rng)
    if rotations:
        x_fit, y_fit = rotation_identities(x_fit, y_fit)  # identity 4c + k: class c turned k quarter turns
    evaluation = {"seen": _subset(x_test, y_test, range(7), test_per_class, rng),
                  "unseen": _subset(x_test, y_test, (7, 8, 9), test_per_class, rng)}  # fmt: skip
    keras.utils.set_random_seed(seed)
    encoder = siamese_encoder((28, 28, 1), embedding_dim=embedding_dim, filters=filters, pooling=pooling,
                              name="fashion_encoder")  # fmt: skip
    embeddings = {split: {"untrained": _encode(encoder, x)} for split, (x, _) in evaluation.items()}
    history = train_triplet_encoder(
        encoder, x_fit, y_fit, loss="semi-hard", margin=margin, identities_per_batch=identities_per_batch,
        images_per_identity=images_per_identity, steps_per_epoch=steps_per_epoch, epochs=epochs,
        augment=augment, projection_dim=projection_dim, seed=seed, verbose=verbose,
    )  # fmt: skip
    results, curves = {"loss": [float(v) for v in history.history["loss"]], "files": []}, {}
    for split, (x, y) in evaluation.items():
        embeddings[split].update(trained=_encode(encoder, x), pixels=x.reshape(len(x), -1))
        results[split] = {m: one_shot_scores(embeddings[split][m], y, n_trials=n_trials, seed=seed) for m in _METHODS}
        pairs = {m: _pairs(embeddings[split][m], y, np.random.default_rng(_checks.check_seed(seed)))[2:] for m in _METHODS}
        curves[split] = {_METHODS[m]: (d.ravel(), same.ravel()) for m, (d, same) in pairs.items()}
    if out_dir is not None:
        x_pca = np.concatenate([evaluation["seen"][0][::2], evaluation["unseen"][0]])
        y_pca = np.concatenate([evaluation["seen"][1][::2], evaluation["unseen"][1]])
        results["files"] = _figures(out_dir, history, _encode(encoder, x_pca), y_pca, curves)
    return results
