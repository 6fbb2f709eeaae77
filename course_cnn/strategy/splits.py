r"""Splitting data when training and target distributions differ.

Dev and test sets steer every decision, so they must look like the data the
system will meet (the *target*). With plenty of other data (web images) and
little target data (app photos), the lecture's recipe is:

* dev and test: only target data (2,500 + 2,500 of the 10,000 app images);
* train: all the other data plus the rest of the target data
  (200,000 + 5,000 = 205,000 images);
* train-dev: a random slice of the training distribution that is *not*
  trained on, so that train -> train-dev measures variance and
  train-dev -> dev measures data mismatch (see `.diagnosis`).

Arrays are gathered once into their output (no concatenated copy of the
whole data); ``tf.data`` datasets are split lazily by index, so nothing is
loaded until iterated.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_cnn import _checks

__all__ = ["MismatchedSplit", "mismatched_split", "mismatched_split_indices"]

#: Roles of an example in the split.
TRAIN, TRAIN_DEV, DEV, TEST = 0, 1, 2, 3


class MismatchedSplit(NamedTuple):
    """The four sets of `mismatched_split`, each of the input's kind.

    Attributes
    ----------
    train, train_dev, dev, test
        Arrays (or tuples of arrays, or ``tf.data.Dataset``), like the inputs.
    """

    train: object
    train_dev: object
    dev: object
    test: object


def mismatched_split_indices(n_target, n_other, dev_size, test_size, train_dev_size, seed=0):
    """The roles and order of every example in a mismatched split (the index kernel).

    Parameters
    ----------
    n_target : int
        Number of target-distribution examples.
    n_other : int
        Number of other-distribution examples.
    dev_size, test_size : int
        Dev and test sizes, both drawn from the target.
    train_dev_size : int
        Size of the train-dev set, drawn from the training pool (other data
        plus the target data left after dev and test).
    seed : int, default 0
        Seed of the shuffles.

    Returns
    -------
    dict
        ``"dev"``, ``"test"``: target indices, shape (dev_size,), (test_size,);
        ``"train"``, ``"train_dev"``: arrays of shape (k, 2) of
        ``(source, index)`` rows in random order, source 0 = other, 1 = target.

    Raises
    ------
    ValueError
        When the sizes do not fit the data.

    Examples
    --------
    >>> idx = mismatched_split_indices(10_000, 200_000, 2_500, 2_500, 2_500)
    >>> [len(idx[k]) for k in ("train", "train_dev", "dev", "test")]
    [202500, 2500, 2500, 2500]
    """
    # a billion examples is 8 GB of int64 indices per permutation: beyond it, a typo
    n_target = _checks.check_int(n_target, "n_target", 1, 10**9)
    n_other = _checks.check_int(n_other, "n_other", 0, 10**9)
    dev_size = _checks.check_positive_int(dev_size, "dev_size")
    test_size = _checks.check_positive_int(test_size, "test_size")
    train_dev_size = _checks.check_non_negative_int(train_dev_size, "train_dev_size")
    if dev_size >= n_target:
        raise _checks.fail("dev_size", f"leave target examples for the test set: less than n_target ({n_target})",
                           repr(dev_size))
    if dev_size + test_size > n_target:
        raise _checks.fail("test_size", f"fit in the target examples left after dev_size: at most "
                           f"{n_target} - {dev_size} = {n_target - dev_size}", repr(test_size))
    n_pool = n_other + n_target - dev_size - test_size
    if train_dev_size >= n_pool:
        raise _checks.fail("train_dev_size", f"leave some training data: be below the training pool ({n_pool} = "
                           f"{n_other} other + {n_target - dev_size - test_size} target left)", str(train_dev_size))
    rng = np.random.default_rng(_checks.check_seed(seed))
    target_order = rng.permutation(n_target)
    dev, test = target_order[:dev_size], target_order[dev_size:dev_size + test_size]
    rest = target_order[dev_size + test_size:]
    # the training pool as (source, index) rows: other first, then the rest of the target
    pool = np.empty((n_pool, 2), dtype=np.int64)  # (n_pool, 2)
    pool[:n_other, 0], pool[:n_other, 1] = 0, np.arange(n_other)
    pool[n_other:, 0], pool[n_other:, 1] = 1, rest
    pool = pool[rng.permutation(n_pool)]
    return {"train": pool[train_dev_size:], "train_dev": pool[:train_dev_size], "dev": dev, "test": test}


def _as_parts(data, name):
    """(parts, is_tuple) for an array or a tuple/list of arrays sharing their length."""
    is_tuple = isinstance(data, (tuple, list))
    parts = [np.asarray(p) for p in data] if is_tuple else [np.asarray(data)]
    if not parts or any(p.ndim == 0 for p in parts):
        raise _checks.fail(name, "be an array, a tuple of arrays (X, y), or a tf.data.Dataset",
                           _checks.describe(data), TypeError)
    lengths = {len(p) for p in parts}
    if len(lengths) != 1:
        raise _checks.fail(name, "hold arrays of one length (X and y aligned)", f"lengths {sorted(lengths)}")
    return parts, is_tuple


def _gather(other, target, rows, chunk=8192):
    """Gather (source, index) rows from two arrays into one new array, chunk by chunk."""
    out = np.empty((len(rows),) + target.shape[1:], dtype=np.result_type(other.dtype, target.dtype))
    for start in range(0, len(rows), chunk):
        block = rows[start:start + chunk]
        view = out[start:start + chunk]
        from_other = block[:, 0] == 0
        view[from_other] = other[block[from_other, 1]]
        view[~from_other] = target[block[~from_other, 1]]
    return out


def _split_arrays(target, other, idx):
    t_parts, is_tuple = _as_parts(target, "target")
    o_parts, _ = _as_parts(other, "other")
    if len(o_parts) != len(t_parts):
        raise _checks.fail("other", f"hold as many arrays as `target` ({len(t_parts)})", f"{len(o_parts)}")
    for k, (t, o) in enumerate(zip(t_parts, o_parts)):
        if t.shape[1:] != o.shape[1:]:
            raise _checks.fail("other", f"hold arrays shaped like `target`'s (array {k}: (m,) + {t.shape[1:]})",
                               f"(m,) + {o.shape[1:]}")

    def pick(fn):
        parts = tuple(fn(o, t) for o, t in zip(o_parts, t_parts))
        return parts if is_tuple else parts[0]

    return MismatchedSplit(
        train=pick(lambda o, t: _gather(o, t, idx["train"])),
        train_dev=pick(lambda o, t: _gather(o, t, idx["train_dev"])),
        dev=pick(lambda o, t: t[idx["dev"]]),
        test=pick(lambda o, t: t[idx["test"]]),
    )


def _cardinality(ds, name):
    n = int(ds.cardinality())
    if n < 0:
        raise _checks.fail(name, "have a known finite size (apply tf.data.experimental.assert_cardinality(n))",
                           "unknown or infinite cardinality")
    return n


def _split_datasets(target, other, idx, n_target, n_other):
    import tensorflow as tf

    def roles(n, key_rows, source):
        role = np.full(n, -1, dtype=np.int64)
        for value, key in ((TRAIN, "train"), (TRAIN_DEV, "train_dev")):
            rows = idx[key]
            role[rows[rows[:, 0] == source, 1]] = value
        if source == 1:
            role[idx["dev"]], role[idx["test"]] = DEV, TEST
        return tf.constant(role)

    role_o, role_t = roles(n_other, idx, 0), roles(n_target, idx, 1)

    def subset(ds, role_table, value):
        kept = ds.enumerate().filter(lambda i, *_: tf.equal(tf.gather(role_table, i), value))
        return kept.map(lambda i, *element: element[0] if len(element) == 1 else element)

    def mixed(key, value):
        # interleave the two sources in the order of the shuffled pool, without materialising them
        choices = tf.data.Dataset.from_tensor_slices(idx[key][:, 0])
        parts = [subset(other, role_o, value), subset(target, role_t, value)]
        mixed_ds = tf.data.Dataset.choose_from_datasets(parts, choices, stop_on_empty_dataset=False)
        return mixed_ds.apply(tf.data.experimental.assert_cardinality(len(idx[key])))

    def target_only(key, value):
        return subset(target, role_t, value).apply(tf.data.experimental.assert_cardinality(len(idx[key])))

    return MismatchedSplit(mixed("train", TRAIN), mixed("train_dev", TRAIN_DEV),
                           target_only("dev", DEV), target_only("test", TEST))


def mismatched_split(target, other, dev_size, test_size, train_dev_size, seed=0):
    """Split target-distribution and other data into train / train-dev / dev / test.

    Dev and test come only from ``target``; the rest of ``target`` joins
    ``other`` in the training pool, from which ``train_dev_size`` random
    examples are held out as train-dev (same distribution as train, never
    trained on).

    Parameters
    ----------
    target : ndarray of shape (n_target, ...), tuple of such arrays, or tf.data.Dataset
        Data from the distribution you care about (e.g. ``(X_app, y_app)``).
    other : same kind as ``target``, with n_other examples
        Data from another distribution (e.g. ``(X_web, y_web)``).
    dev_size, test_size : int
        Sizes of dev and test, both from ``target``.
    train_dev_size : int
        Size of train-dev, from the training pool.
    seed : int, default 0
        Seed of the shuffles.

    Returns
    -------
    MismatchedSplit
        ``(train, train_dev, dev, test)`` of the inputs' kind. Arrays: new
        arrays, train and train-dev in random order mixing both sources.
        Datasets: lazy pipelines over the inputs (each input element is read
        where it is used; nothing is loaded up front), train and train-dev
        interleaving the sources in a random order (still shuffle them for
        training).

    Raises
    ------
    ValueError
        When ``dev_size + test_size`` exceeds the target data, when
        ``train_dev_size`` leaves no training data, for misaligned arrays or
        datasets of unknown size.
    TypeError
        When ``target`` and ``other`` are of different kinds.

    Examples
    --------
    The lecture: 200,000 web images and 10,000 app images (indices stand for
    the images).

    >>> split = mismatched_split(np.arange(10_000), np.arange(200_000) + 10_000,
    ...                          dev_size=2_500, test_size=2_500, train_dev_size=2_500)
    >>> [len(s) for s in split]
    [202500, 2500, 2500, 2500]
    >>> bool((split.dev < 10_000).all() and (split.test < 10_000).all())
    True
    """
    is_ds = [type(x).__name__.endswith("Dataset") or hasattr(x, "element_spec") for x in (target, other)]
    if is_ds[0] != is_ds[1]:
        raise _checks.fail("other", "be of the same kind as `target` (both arrays or both tf.data datasets)",
                           f"{type(other).__name__} with target {type(target).__name__}", TypeError)
    if is_ds[0]:
        n_target, n_other = _cardinality(target, "target"), _cardinality(other, "other")
    else:
        n_target = len(_as_parts(target, "target")[0][0])
        n_other = len(_as_parts(other, "other")[0][0])
    idx = mismatched_split_indices(n_target, n_other, dev_size, test_size, train_dev_size, seed)
    if is_ds[0]:
        return _split_datasets(target, other, idx, n_target, n_other)
    return _split_arrays(target, other, idx)
