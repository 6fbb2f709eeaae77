"""Loaders on real or test-written data, and their error messages."""

import gzip
import re
import struct

import h5py
import numpy as np
import pytest

from course_cnn import datasets


# ---------------------------------------------------------------- course .h5
def _write_course_files(folder, stem, m_train=5, m_test=3, size=4, classes=(0, 1)):
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, (m_train, size, size, 3), dtype=np.uint8)
    y_train = rng.integers(0, len(classes), m_train)
    x_test = rng.integers(0, 256, (m_test, size, size, 3), dtype=np.uint8)
    y_test = rng.integers(0, len(classes), m_test)
    with h5py.File(folder / f"train_{stem}.h5", "w") as f:
        f["train_set_x"] = x_train
        f["train_set_y"] = y_train
        f["list_classes"] = np.array(classes)
    with h5py.File(folder / f"test_{stem}.h5", "w") as f:
        f["test_set_x"] = x_test
        f["test_set_y"] = y_test
        f["list_classes"] = np.array(classes)
    return x_train, y_train, x_test, y_test


@pytest.mark.parametrize("stem, loader", [("happy", datasets.load_happy_dataset), ("signs", datasets.load_signs_dataset)])
def test_course_loaders_read_the_course_format(tmp_path, stem, loader):
    x_train, y_train, x_test, y_test = _write_course_files(tmp_path, stem, classes=tuple(range(6)))
    X_train, Y_train, X_test, Y_test, classes = loader(tmp_path)
    np.testing.assert_array_equal(X_train, x_train)
    np.testing.assert_array_equal(X_test, x_test)
    assert Y_train.shape == (1, 5) and Y_test.shape == (1, 3)  # the course's (1, m)
    np.testing.assert_array_equal(Y_train[0], y_train)
    np.testing.assert_array_equal(classes, np.arange(6))


def test_course_loader_accepts_a_file_inside_the_folder(tmp_path):
    _write_course_files(tmp_path, "signs")
    X_train, *_ = datasets.load_signs_dataset(tmp_path / "train_signs.h5")
    assert X_train.shape == (5, 4, 4, 3)


def test_course_loader_missing_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"`path` must be the folder of train_happy\.h5 and test_happy\.h5; "
                                                 r"got '.*' \(no train_happy\.h5\); the course provides it"):
        datasets.load_happy_dataset(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"`train_path`: no file at '.*train_happy\.h5'; the course provides it"):
        datasets.load_course_h5(tmp_path / "train_happy.h5", tmp_path / "test_happy.h5")
    (tmp_path / "bad.h5").write_text("not hdf5")
    with pytest.raises(ValueError, match=r"`train_path` must be an HDF5 \(\.h5\) file; got '.*bad\.h5'"):
        datasets.load_course_h5(tmp_path / "bad.h5", tmp_path / "bad.h5")


def test_course_loader_missing_key(tmp_path):
    _write_course_files(tmp_path, "happy")
    with h5py.File(tmp_path / "test_happy.h5", "w") as f:
        f["test_set_x"] = np.zeros((1, 2, 2, 3))
    with pytest.raises(ValueError, match=re.escape("`test_path` must hold the key 'test_set_y'; got a file with test_set_x.")):
        datasets.load_happy_dataset(tmp_path)


def test_convert_to_one_hot_matches_the_course_layout():
    Y = np.array([[1, 0, 2, 2]])
    # column i is the one-hot vector of example i: (C, m)
    expected = np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 1]], dtype=float)
    np.testing.assert_array_equal(datasets.convert_to_one_hot(Y, 3), expected)
    np.testing.assert_array_equal(datasets.convert_to_one_hot(Y[0], 3), expected)


def test_convert_to_one_hot_errors():
    with pytest.raises(ValueError, match=re.escape("`Y` must hold labels in [0, 3); got values from 0 to 3.")):
        datasets.convert_to_one_hot(np.array([[0, 3]]), 3)
    with pytest.raises(ValueError, match=re.escape("`C` must be an int in [1, 1000000]; got 0.")):
        datasets.convert_to_one_hot(np.array([[0]]), 0)
    with pytest.raises(TypeError, match=re.escape("`Y` must have an int or unsigned int dtype; got dtype float64.")):
        datasets.convert_to_one_hot(np.array([[0.5]]), 2)


# ------------------------------------------------------------- Fashion-MNIST
def _write_idx(path, array):
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C}
    header = bytes([0, 0, codes[array.dtype], array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as fh:
        fh.write(header + array.tobytes())


def test_read_idx_round_trip(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    _write_idx(tmp_path / "x-idx3-ubyte.gz", images)
    np.testing.assert_array_equal(datasets.read_idx(tmp_path / "x-idx3-ubyte.gz"), images)
    ints = np.array([1, -2, 300], dtype=">i4")
    _write_idx(tmp_path / "y-idx1-ubyte.gz", ints)
    np.testing.assert_array_equal(datasets.read_idx(tmp_path / "y-idx1-ubyte.gz"), [1, -2, 300])


def test_read_idx_rejects_bad_files(tmp_path):
    (tmp_path / "bad").write_bytes(b"PK\x03\x04rest")
    with pytest.raises(ValueError, match=r"`path` must be an IDX file; got '.*bad' with header b'PK\\x03\\x04'."):
        datasets.read_idx(tmp_path / "bad")
    with gzip.open(tmp_path / "short.gz", "wb") as fh:
        fh.write(bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + b"\x00" * 3)
    with pytest.raises(ValueError, match=re.escape("`path` must hold 10 data bytes for shape (10,); got 3 bytes.")):
        datasets.read_idx(tmp_path / "short.gz")


def test_load_fashion_mnist_from_a_folder(tmp_path):
    rng = np.random.default_rng(0)
    arrays = [rng.integers(0, 256, s, dtype=np.uint8) for s in [(6, 28, 28), (6,), (2, 28, 28), (2,)]]
    for name, array in zip(datasets._fashion._FASHION_FILES, arrays):
        _write_idx(tmp_path / name, array)
    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist(tmp_path)
    for got, want in zip((x_train, y_train, x_test, y_test), arrays):
        np.testing.assert_array_equal(got, want)


def test_load_fashion_mnist_real_debian_copy(fashion_mnist_dir):
    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8
    # Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    np.testing.assert_array_equal(np.bincount(y_train), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [1000] * 10)
    assert len(datasets.FASHION_MNIST_CLASSES) == 10


def test_load_fashion_mnist_env_var(tmp_path, monkeypatch, fashion_mnist_dir):
    monkeypatch.setenv("COURSE_CNN_FASHION_MNIST", str(fashion_mnist_dir))
    assert datasets.find_fashion_mnist() == fashion_mnist_dir


def test_load_fashion_mnist_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"Fashion-MNIST not found \(looked in: .*\)\. Install Debian's `dataset-fashion-mnist`"):
        datasets.load_fashion_mnist(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match=r"looked in: \$COURSE_CNN_FASHION_MNIST"):
        _without_default_dirs(lambda: datasets.load_fashion_mnist(download=False))


def _without_default_dirs(call):
    saved = datasets._fashion._FASHION_DIRS
    datasets._fashion._FASHION_DIRS = ()
    try:
        return call()
    finally:
        datasets._fashion._FASHION_DIRS = saved


# --------------------------------------------------------- digits and photos
def test_load_digits_images():
    X, y = datasets.load_digits_images()
    assert X.shape == (1797, 8, 8, 1) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(y)) == set(range(10))


@pytest.mark.parametrize("name, shape", [("china", (427, 640, 3)), ("flower", (427, 640, 3)), ("grace_hopper", (600, 512, 3))])
def test_load_photo(name, shape):
    photo = datasets.load_photo(name)
    assert photo.shape == shape and photo.dtype == np.uint8


def test_load_photo_unknown_name_lists_known_ones():
    with pytest.raises(ValueError, match=r"`name` must be one of 'china', 'flower', 'grace_hopper'.*; got 'cat'\."):
        datasets.load_photo("cat")


# ------------------------------------------------------------ 20 Newsgroups
def _write_news_archive(path, posts):
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as tar:
        for name, text in posts.items():
            data = text.encode("latin-1")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_load_20newsgroups_small_archive(tmp_path):
    archive = tmp_path / "20news-bydate.tar.gz"
    _write_news_archive(archive, {
        "20news-bydate-train/sci.space/2": "From: b\tSubject: orbit\t\tbody caf\xe9",
        "20news-bydate-train/sci.space/10": "From: c\tSubject: moon",
        "20news-bydate-train/alt.atheism/1": "From: a\tSubject: x",
        "20news-bydate-test/sci.space/5": "From: d\tSubject: rocket",
    })
    news = datasets.load_20newsgroups(archive)
    assert news.target_names == ["alt.atheism", "sci.space"]
    assert news.train_texts[0] == "From: a\nSubject: x"
    assert news.train_texts[1] == "From: b\nSubject: orbit\n\nbody caf\xe9"  # tabs back to newlines, Latin-1
    np.testing.assert_array_equal(news.train_labels, [0, 1, 1])  # ids sorted numerically: 2 before 10
    np.testing.assert_array_equal(news.test_labels, [1])
    small = datasets.load_20newsgroups(archive, max_per_group=1)
    assert len(small.train_texts) == 2


def test_load_20newsgroups_removes_headers_footers_and_quotes(tmp_path):
    archive = tmp_path / "20news-bydate.tar.gz"
    post = ("From: a@b.edu\tSubject: orbit\tLines: 6\t\tIn article <1@x.edu> c@d.edu (C) writes:\t> quoted\t"
            "| also quoted\tThe moon orbits.\tShe says that too.\t-- \tJohn, NASA\t")
    _write_news_archive(archive, {"20news-bydate-train/sci.space/1": post,
                                  "20news-bydate-train/sci.space/2": "Subject: only a header"})
    texts = datasets.load_20newsgroups(archive, remove=("headers", "footers", "quotes")).train_texts
    assert texts == ["The moon orbits.\nShe says that too.", ""]  # a post with no blank line is all header
    body = datasets.load_20newsgroups(archive, remove=["headers"]).train_texts[0]
    assert body.startswith("In article <1@x.edu>") and body.endswith("-- \nJohn, NASA")
    assert datasets.load_20newsgroups(archive, remove=["footers"]).train_texts[0].endswith("She says that too.")
    with pytest.raises(TypeError, match="`remove` must be a sequence of str, not a single str"):
        datasets.load_20newsgroups(archive, remove="headers")
    with pytest.raises(ValueError, match=re.escape("`remove` must be one of 'headers', 'footers', 'quotes'; got 'header'.")):
        datasets.load_20newsgroups(archive, remove=["header"])


def test_load_20newsgroups_real_archive(newsgroups_archive):
    news = datasets.load_20newsgroups(newsgroups_archive)
    assert len(news.train_texts) == 11314 and len(news.test_texts) == 7532
    assert len(news.target_names) == 20
    assert np.bincount(news.train_labels).min() > 350
    assert news.train_texts[0].startswith("From:") and "\t" not in news.train_texts[0]


def test_load_20newsgroups_errors(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match=r"`path` must be an existing 20news-bydate.tar.gz archive \(the standard \"bydate\" archive, published on Jason Rennie's 20 Newsgroups page\); got '.*missing.tar.gz'\."):
        datasets.load_20newsgroups(tmp_path / "missing.tar.gz")
    # by default only where a user puts it: $COURSE_CNN_20NG, then the working directory (never ../shared/data)
    monkeypatch.delenv("COURSE_CNN_20NG", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=re.escape(
            "20 Newsgroups archive not found (looked in: $COURSE_CNN_20NG, ./20news-bydate.tar.gz). Pass the path of the "
            "standard \"bydate\" archive 20news-bydate.tar.gz, published on Jason Rennie's 20 Newsgroups page, or set "
            "$COURSE_CNN_20NG to it (scikit-learn's fetch_20newsgroups deletes its copy after extracting, so that cannot "
            "be reused).")):
        datasets.load_20newsgroups()
    empty = tmp_path / "empty.tar.gz"
    _write_news_archive(empty, {"README": "nothing"})
    with pytest.raises(ValueError, match=r"`path` must hold 20news-bydate-train/<group>/<id> posts; got none in"):
        datasets.load_20newsgroups(empty)
    with pytest.raises(ValueError, match=re.escape("`max_per_group` must be a positive int; got 0.")):
        datasets.load_20newsgroups(empty, max_per_group=0)


# ------------------------------------------------------------- make_dataset
def test_make_dataset_batches_shuffles_and_repeats_each_example_once():
    X = np.arange(10, dtype=np.float32).reshape(10, 1)
    y = np.arange(10)
    ds = datasets.make_dataset(X, y, batch_size=4, seed=1)
    batches = list(ds)
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    seen = np.concatenate([b[1].numpy() for b in batches])
    assert sorted(seen) == list(range(10)) and list(seen) != list(range(10))
    for xb, yb in batches:  # pairs stay together through the shuffle
        np.testing.assert_array_equal(xb.numpy()[:, 0], yb.numpy())
    second_epoch = np.concatenate([b[1].numpy() for b in ds])
    assert list(second_epoch) != list(seen)  # reshuffled each epoch


def test_make_dataset_without_labels_or_shuffle_and_with_augment():
    X = np.ones((5, 2, 2, 1), dtype=np.float32)
    ds = datasets.make_dataset(X, batch_size=5, shuffle=False, augment=lambda x: x * 2)
    (batch,) = list(ds)
    np.testing.assert_array_equal(batch.numpy(), 2 * X)


def test_make_dataset_calls_keras_layers_in_training_mode():
    import keras

    X = np.ones((4, 3, 3, 1), dtype=np.float32)
    drop = keras.layers.Dropout(0.999, seed=0)  # active only with training=True
    (xb, _), = list(datasets.make_dataset(X, np.zeros(4), batch_size=4, augment=drop))
    assert float(np.mean(xb.numpy() == 0)) > 0.5


def test_make_dataset_errors():
    with pytest.raises(ValueError, match=re.escape("`Y` must have as many examples as `X` (3); got 2.")):
        datasets.make_dataset(np.zeros((3, 1)), np.zeros(2))
    with pytest.raises(ValueError, match=re.escape("`batch_size` must be a positive int; got 0.")):
        datasets.make_dataset(np.zeros((3, 1)), batch_size=0)


def test_image_dataset_from_folder_shortcut(tmp_path):
    from PIL import Image

    rng = np.random.default_rng(0)
    for label in ("alpaca", "not_alpaca"):
        (tmp_path / label).mkdir()
        for i in range(3):
            Image.fromarray(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)).save(tmp_path / label / f"{i}.png")
    ds = datasets.image_dataset_from_folder(tmp_path, image_size=(16, 16), batch_size=6, shuffle=False)
    images, labels = next(iter(ds))
    assert tuple(images.shape) == (6, 16, 16, 3)
    assert sorted(labels.numpy().tolist()) == [0, 0, 0, 1, 1, 1]
