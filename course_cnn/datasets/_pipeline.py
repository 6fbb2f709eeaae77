"""The ``tf.data`` input pipeline every week trains from."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from course_cnn import _checks


def make_dataset(X, Y=None, batch_size=64, shuffle=True, seed=0, augment=None, cache=True):
    """Build the ``tf.data`` input pipeline every week trains from.

    ``from_tensor_slices -> cache -> shuffle -> batch -> augment -> prefetch``.
    Caching comes before shuffling so each epoch reshuffles cached examples;
    augmentation comes after batching so a Keras augmentation layer works on
    whole batches and draws fresh randomness every epoch.

    Parameters
    ----------
    X : array_like of shape (m, ...)
        Inputs, e.g. images of shape (m, n_H, n_W, n_C).
    Y : array_like of shape (m, ...), optional
        Targets; without them the dataset yields inputs only.
    batch_size : int, default 64
        Examples per batch (the last batch may be smaller).
    shuffle : bool, default True
        Shuffle the whole set, reshuffling each epoch.
    seed : int, default 0
        Seed of the shuffle (and nothing else).
    augment : callable, optional
        Applied to each batch of inputs, e.g. a ``keras.Sequential`` of
        random layers (called with ``training=True``).
    cache : bool, default True
        Cache the examples in memory after the first pass.

    Returns
    -------
    tf.data.Dataset
        Yields ``(x_batch, y_batch)`` (or ``x_batch`` when ``Y`` is None).

    Raises
    ------
    ValueError
        When ``X`` and ``Y`` have different numbers of examples, or for a
        non-positive ``batch_size``.

    Examples
    --------
    >>> from course_cnn.datasets import load_digits_images
    >>> X, y = load_digits_images()
    >>> ds = make_dataset(X, y, batch_size=32)
    >>> [tuple(t.shape) for t in next(iter(ds))]
    [(32, 8, 8, 1), (32,)]
    """
    import tensorflow as tf

    batch_size = _checks.check_positive_int(batch_size, "batch_size")
    seed = _checks.check_seed(seed, allow_none=False)
    X = _checks.check_array(X, "X", finite=True)
    if X.ndim == 0:
        raise _checks.fail("X", "have one example per row, shape (m, ...)", "a scalar")
    if Y is not None:
        Y = _checks.check_array(Y, "Y", finite=True)
        if Y.ndim == 0 or len(Y) != len(X):
            raise _checks.fail("Y", f"have as many examples as `X` ({len(X)})", f"{len(Y)}")
    ds = tf.data.Dataset.from_tensor_slices(X if Y is None else (X, Y))
    if cache:
        ds = ds.cache()
    if shuffle:
        ds = ds.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if augment is not None:
        ds = ds.map(_augmenter(augment, has_labels=Y is not None), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


def _augmenter(augment: Callable, has_labels: bool) -> Callable[..., Any]:
    import keras

    def apply(x):
        return augment(x, training=True) if isinstance(augment, keras.layers.Layer) else augment(x)

    if has_labels:
        return lambda x, y: (apply(x), y)
    return apply
