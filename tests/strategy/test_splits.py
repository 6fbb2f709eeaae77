"""mismatched_split: the lecture's sizes on index arrays, (X, y) tuples, tf.data datasets, bad input."""

import numpy as np
import pytest
import tensorflow as tf

from course_cnn.strategy import mismatched_split, mismatched_split_indices

N_TARGET, N_OTHER = 10_000, 200_000  # the lecture: 10,000 app images, 200,000 web images


def test_lecture_sizes_on_index_arrays():
    # each "image" is its id: target ids 0..9,999, other ids 10,000..209,999
    target, other = np.arange(N_TARGET), N_TARGET + np.arange(N_OTHER)
    split = mismatched_split(target, other, dev_size=2_500, test_size=2_500, train_dev_size=2_500, seed=0)
    # train = 200,000 + 5,000 target left - 2,500 train-dev = 202,500
    assert [len(s) for s in split] == [202_500, 2_500, 2_500, 2_500]
    assert (split.dev < N_TARGET).all() and (split.test < N_TARGET).all()
    # every id used exactly once across the four sets
    everything = np.concatenate(list(split))
    np.testing.assert_array_equal(np.sort(everything), np.arange(N_TARGET + N_OTHER))
    # the 5,000 target ids left over join the training distribution (train or train-dev)
    assert ((split.train < N_TARGET).sum() + (split.train_dev < N_TARGET).sum()) == 5_000
    # train-dev is drawn from the mixed pool: about 5,000/205,000 of it is target data (~61 of 2,500)
    assert 20 < (split.train_dev < N_TARGET).sum() < 130
    # train is shuffled, not "web block then app block"
    assert (split.train[-5_000:] >= N_TARGET).mean() > 0.9


def test_seed_reproducible_and_changes_the_split():
    a = mismatched_split(np.arange(100), np.arange(100, 400), 10, 10, 20, seed=3)
    b = mismatched_split(np.arange(100), np.arange(100, 400), 10, 10, 20, seed=3)
    c = mismatched_split(np.arange(100), np.arange(100, 400), 10, 10, 20, seed=4)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.dev, c.dev)


def test_tuples_keep_x_and_y_aligned():
    rng = np.random.default_rng(0)
    X_t, X_o = rng.random((50, 4, 4, 1)), rng.random((120, 4, 4, 1))
    # label = a hash of the image, so alignment can be checked after the split
    y_t, y_o = X_t.sum(axis=(1, 2, 3)), X_o.sum(axis=(1, 2, 3))
    split = mismatched_split((X_t, y_t), (X_o, y_o), 10, 10, 15, seed=0)
    for X, y in split:
        np.testing.assert_allclose(X.sum(axis=(1, 2, 3)), y)
    assert split.train[0].shape == (120 + 30 - 15, 4, 4, 1)


def test_indices_kernel_roles_are_disjoint():
    idx = mismatched_split_indices(30, 70, 5, 5, 10, seed=0)
    pooled = np.concatenate([idx["train"], idx["train_dev"]])
    target_used = np.concatenate([idx["dev"], idx["test"], pooled[pooled[:, 0] == 1, 1]])
    np.testing.assert_array_equal(np.sort(target_used), np.arange(30))
    np.testing.assert_array_equal(np.sort(pooled[pooled[:, 0] == 0, 1]), np.arange(70))


def test_tf_data_split_matches_the_array_split():
    target, other = np.arange(40), 1_000 + np.arange(160)
    arrays = mismatched_split(target, other, 8, 8, 12, seed=5)
    ds_t = tf.data.Dataset.from_tensor_slices(target)
    ds_o = tf.data.Dataset.from_tensor_slices(other)
    datasets = mismatched_split(ds_t, ds_o, 8, 8, 12, seed=5)
    for arr, ds in zip(arrays, datasets):
        got = np.array([int(v) for v in ds])
        assert int(ds.cardinality()) == len(arr)
        np.testing.assert_array_equal(np.sort(got), np.sort(arr))  # same members
    assert (np.array(list(datasets.dev.as_numpy_iterator())) < 40).all()


def test_tf_data_with_tuples_and_lazy_reading():
    reads = []

    def gen():
        for i in range(30):
            reads.append(i)
            yield np.float32(i), np.int64(i % 2)

    spec = (tf.TensorSpec((), tf.float32), tf.TensorSpec((), tf.int64))
    target = tf.data.Dataset.from_generator(gen, output_signature=spec).apply(
        tf.data.experimental.assert_cardinality(30))
    other = tf.data.Dataset.from_tensor_slices((np.arange(100, 160, dtype=np.float32), np.zeros(60, np.int64)))
    split = mismatched_split(target, other, 5, 5, 10, seed=0)
    assert reads == []  # nothing read when splitting
    x, y = next(iter(split.dev))
    assert float(x) < 30 and int(y) == int(x) % 2
    assert sum(1 for _ in split.train) == 60 + 20 - 10


@pytest.mark.parametrize(
    "sizes, match",
    [
        ((6_000, 5_000, 10), r"`test_size` must fit in the target examples left after dev_size: at most "
                             r"10000 - 6000 = 4000; got 5000\."),
        ((10_000, 1, 10), r"`dev_size` must leave target examples for the test set: less than n_target \(10000\); "
                          r"got 10000\."),
        ((2_500, 2_500, 205_000), r"`train_dev_size` must leave some training data.*205000.*got 205000"),
        ((0, 2_500, 10), "`dev_size` must be a positive int; got 0"),
        ((2_500, 2_500, -1), "`train_dev_size` must be a non-negative int; got -1"),
    ],
)
def test_sizes_larger_than_the_data(sizes, match):
    with pytest.raises(ValueError, match=match):
        mismatched_split(np.arange(N_TARGET), np.arange(N_OTHER), *sizes)


def test_bad_kinds_and_shapes():
    with pytest.raises(TypeError, match="`other` must be of the same kind as `target`"):
        mismatched_split(np.arange(10), tf.data.Dataset.range(10), 2, 2, 2)
    with pytest.raises(ValueError, match=r"`target` must hold arrays of one length.*\[4, 5\]"):
        mismatched_split((np.zeros(5), np.zeros(4)), (np.zeros(5), np.zeros(5)), 1, 1, 1)
    with pytest.raises(ValueError, match=r"`other` must hold arrays shaped like `target`'s"):
        mismatched_split(np.zeros((5, 3)), np.zeros((5, 4)), 1, 1, 1)
    with pytest.raises(ValueError, match=r"`other` must hold as many arrays as `target` \(2\)"):
        mismatched_split((np.zeros(5), np.zeros(5)), np.zeros(5), 1, 1, 1)
    endless = tf.data.Dataset.range(5).repeat()
    with pytest.raises(ValueError, match="`target` must have a known finite size"):
        mismatched_split(endless, tf.data.Dataset.range(5), 1, 1, 1)
