"""Datasets that work with no network.

Every loader here reads local files first and says exactly what to provide
when nothing is found:

* the course's own ``.h5`` datasets (happy faces, SIGNS), at a path you give;
* Fashion-MNIST from the IDX files of Debian's ``dataset-fashion-mnist``
  package, a folder you name, or ``keras.datasets`` when online;
* scikit-learn's 8x8 digits as images, for the quickest demos;
* sample photos that ship with scikit-learn, matplotlib and this package;
* the 20 Newsgroups "bydate" archive, read straight from its ``.tar.gz``.

:func:`make_dataset` turns arrays into the ``tf.data`` pipeline every week
trains from. TensorFlow is imported inside the functions that need it, so
importing this module stays fast.
"""

from __future__ import annotations

import gzip
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from course_cnn import _checks

__all__ = [
    "load_course_h5",
    "load_happy_dataset",
    "load_signs_dataset",
    "convert_to_one_hot",
    "read_idx",
    "find_fashion_mnist",
    "load_fashion_mnist",
    "FASHION_MNIST_CLASSES",
    "load_digits_images",
    "list_photos",
    "load_photo",
    "Newsgroups",
    "find_20newsgroups",
    "load_20newsgroups",
    "make_dataset",
    "image_dataset_from_folder",
]

_COURSE_HINT = (
    "the course provides it in the assignment's `datasets/` folder; "
    "pass the folder (or file) that holds it"
)


# --------------------------------------------------------------------------
# The course's .h5 files
# --------------------------------------------------------------------------
def _require_file(path: str | os.PathLike, name: str, hint: str) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"`{name}`: no file at {str(path)!r}; {hint}.")
    return path


def load_course_h5(train_path, test_path):
    """Load one of the course's ``.h5`` datasets.

    The course stores each dataset as two HDF5 files with the keys
    ``train_set_x``, ``train_set_y`` (train file), ``test_set_x``,
    ``test_set_y`` and ``list_classes`` (test file).

    Parameters
    ----------
    train_path, test_path : str or path-like
        The two files, e.g. ``datasets/train_signs.h5`` and
        ``datasets/test_signs.h5``.

    Returns
    -------
    X_train : ndarray of shape (m_train, n_H, n_W, n_C)
        Training images, as stored (usually uint8).
    Y_train : ndarray of shape (1, m_train)
        Training labels.
    X_test : ndarray of shape (m_test, n_H, n_W, n_C)
        Test images.
    Y_test : ndarray of shape (1, m_test)
        Test labels.
    classes : ndarray of shape (n_classes,)
        The class names stored in ``list_classes``.

    Raises
    ------
    FileNotFoundError
        When a file is missing; the message names it.
    ValueError
        When a file lacks one of the expected keys.

    Examples
    --------
    >>> X_train, Y_train, X_test, Y_test, classes = load_course_h5(
    ...     "datasets/train_signs.h5", "datasets/test_signs.h5")  # doctest: +SKIP
    """
    import h5py

    train_path = _require_file(train_path, "train_path", _COURSE_HINT)
    test_path = _require_file(test_path, "test_path", _COURSE_HINT)
    with h5py.File(train_path, "r") as train:
        X_train = _h5_key(train, "train_set_x", "train_path")
        Y_train = _h5_key(train, "train_set_y", "train_path")
    with h5py.File(test_path, "r") as test:
        X_test = _h5_key(test, "test_set_x", "test_path")
        Y_test = _h5_key(test, "test_set_y", "test_path")
        classes = _h5_key(test, "list_classes", "test_path")
    return X_train, Y_train.reshape(1, -1), X_test, Y_test.reshape(1, -1), classes


def _h5_key(h5file, key: str, name: str) -> np.ndarray:
    if key not in h5file:
        keys = ", ".join(sorted(h5file.keys())) or "no keys"
        raise _checks.fail(name, f"hold the key {key!r}", f"a file with {keys}")
    return np.array(h5file[key][:])


def _load_course_folder(path, stem: str):
    folder = Path(path).expanduser()
    if folder.is_file():
        folder = folder.parent
    return load_course_h5(folder / f"train_{stem}.h5", folder / f"test_{stem}.h5")


def load_happy_dataset(path="datasets"):
    """Load the course's "happy house" dataset (smiling or not, 64x64 RGB).

    Parameters
    ----------
    path : str or path-like, default "datasets"
        Folder holding ``train_happy.h5`` and ``test_happy.h5``.

    Returns
    -------
    tuple
        ``(X_train, Y_train, X_test, Y_test, classes)`` as in
        :func:`load_course_h5`; X of shape (m, 64, 64, 3), Y of shape (1, m).

    Raises
    ------
    FileNotFoundError
        When a file is missing.

    Examples
    --------
    >>> X_train, Y_train, X_test, Y_test, classes = load_happy_dataset("datasets")  # doctest: +SKIP
    """
    return _load_course_folder(path, "happy")


def load_signs_dataset(path="datasets"):
    """Load the course's SIGNS dataset (hand signs 0-5, 64x64 RGB).

    Parameters
    ----------
    path : str or path-like, default "datasets"
        Folder holding ``train_signs.h5`` and ``test_signs.h5``.

    Returns
    -------
    tuple
        ``(X_train, Y_train, X_test, Y_test, classes)`` as in
        :func:`load_course_h5`; X of shape (m, 64, 64, 3), Y of shape (1, m).

    Raises
    ------
    FileNotFoundError
        When a file is missing.

    Examples
    --------
    >>> X_train, Y_train, X_test, Y_test, classes = load_signs_dataset("datasets")  # doctest: +SKIP
    """
    return _load_course_folder(path, "signs")


def convert_to_one_hot(Y, C):
    """One-hot encode integer labels, the course's way round: classes first.

    Parameters
    ----------
    Y : array_like of int, shape (1, m) or (m,)
        Labels in ``[0, C)``.
    C : int
        Number of classes.

    Returns
    -------
    ndarray of shape (C, m)
        ``out[c, i] = 1`` where ``Y[i] == c`` (transpose it for Keras).

    Raises
    ------
    ValueError
        For labels outside ``[0, C)`` or a non-positive ``C``.

    Examples
    --------
    >>> convert_to_one_hot(np.array([[1, 0, 2]]), 3)
    array([[0., 1., 0.],
           [1., 0., 0.],
           [0., 0., 1.]])
    """
    C = _checks.check_positive_int(C, "C")
    labels = _checks.check_array(Y, "Y", kinds="iu").reshape(-1)
    if labels.size and (labels.min() < 0 or labels.max() >= C):
        raise _checks.fail("Y", f"hold labels in [0, {C})", f"values from {labels.min()} to {labels.max()}")
    return np.eye(C)[labels].T


# --------------------------------------------------------------------------
# Fashion-MNIST
# --------------------------------------------------------------------------
FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
_FASHION_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
_FASHION_ENV = "COURSE_CNN_FASHION_MNIST"
_FASHION_DIRS = (
    "/usr/share/datasets/fashion-mnist",  # Debian's dataset-fashion-mnist
    "~/.keras/datasets/fashion-mnist",  # keras.datasets' cache
)
_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path):
    """Read an IDX file (the MNIST format), gzipped or not.

    The format: two zero bytes, a dtype code, the number of dimensions, one
    big-endian uint32 per dimension, then the data in C order.

    Parameters
    ----------
    path : str or path-like
        An ``*-idx?-ubyte`` file, optionally ``.gz``.

    Returns
    -------
    ndarray
        The array, e.g. of shape (60000, 28, 28) and dtype uint8.

    Raises
    ------
    ValueError
        When the header is not an IDX header or the data is truncated.

    Examples
    --------
    >>> images = read_idx("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")  # doctest: +SKIP
    >>> images.shape  # doctest: +SKIP
    (10000, 28, 28)
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        raw = fh.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise _checks.fail("path", "be an IDX file", f"{str(path)!r} with header {raw[:4]!r}")
    ndim = raw[3]
    dims = tuple(int(d) for d in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    offset = 4 + 4 * ndim
    expected = int(np.prod(dims)) * dtype.itemsize
    if len(raw) - offset != expected:
        raise _checks.fail("path", f"hold {expected} data bytes for shape {dims}", f"{len(raw) - offset} bytes")
    return np.frombuffer(raw, dtype, offset=offset).reshape(dims).astype(dtype.newbyteorder("="))


def find_fashion_mnist(path=None):
    """Return the folder holding the four Fashion-MNIST IDX files, or None.

    Looks, in order, at ``path``, the ``COURSE_CNN_FASHION_MNIST`` environment
    variable, Debian's ``/usr/share/datasets/fashion-mnist`` and the Keras
    cache ``~/.keras/datasets/fashion-mnist``.

    Parameters
    ----------
    path : str or path-like, optional
        A folder to try first.

    Returns
    -------
    pathlib.Path or None
        The first folder that has all four files.

    Examples
    --------
    >>> find_fashion_mnist("/nowhere") is None
    True
    """
    candidates = [path] if path is not None else [os.environ.get(_FASHION_ENV), *_FASHION_DIRS]
    for folder in candidates:
        if folder and all((Path(folder).expanduser() / f).is_file() for f in _FASHION_FILES):
            return Path(folder).expanduser()
    return None


def load_fashion_mnist(path=None, download=True):
    """Load Fashion-MNIST (70,000 28x28 grayscale clothing images, 10 classes).

    Parameters
    ----------
    path : str or path-like, optional
        Folder with the four IDX files (``train-images-idx3-ubyte.gz``, ...).
        When given it is the only place looked at.
    download : bool, default True
        With no local copy, fall back to ``keras.datasets.fashion_mnist``
        (which downloads when the network works). ``False`` never touches
        the network.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        uint8 images of shape (60000, 28, 28) and (10000, 28, 28), uint8
        labels of shape (60000,) and (10000,), like ``keras.datasets``.
        Class names are in :data:`FASHION_MNIST_CLASSES`.

    Raises
    ------
    FileNotFoundError
        When no copy is found (and downloading is off or failed); the message
        lists every place looked at and how to provide one.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_fashion_mnist()  # doctest: +SKIP
    >>> x_train.shape, y_test.shape  # doctest: +SKIP
    ((60000, 28, 28), (10000,))
    """
    folder = find_fashion_mnist(path)
    if folder is not None:
        x_train, y_train, x_test, y_test = (read_idx(folder / f) for f in _FASHION_FILES)
        return (x_train, y_train), (x_test, y_test)
    looked = [str(path)] if path is not None else [f"${_FASHION_ENV}", *_FASHION_DIRS]
    hint = (
        f"Fashion-MNIST not found (looked in: {', '.join(looked)}). Install Debian's "
        "`dataset-fashion-mnist` package, or put the four IDX files "
        f"({', '.join(_FASHION_FILES)}) in a folder and pass it as `path` or set ${_FASHION_ENV}"
    )
    if path is None and download:
        try:
            import keras

            return keras.datasets.fashion_mnist.load_data()
        except Exception as exc:  # no network, no cache
            raise FileNotFoundError(f"{hint}; the keras.datasets download failed too ({exc}).") from None
    raise FileNotFoundError(hint + ".")


# --------------------------------------------------------------------------
# Digits and photos
# --------------------------------------------------------------------------
def load_digits_images():
    """scikit-learn's handwritten digits as images for a CNN.

    Returns
    -------
    X : ndarray of shape (1797, 8, 8, 1), float32
        Pixel intensities scaled to [0, 1] (the originals are 0-16).
    y : ndarray of shape (1797,), int64
        Digit labels 0-9.

    Examples
    --------
    >>> X, y = load_digits_images()
    >>> X.shape, float(X.max()), int(y[0])
    ((1797, 8, 8, 1), 1.0, 0)
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.images / 16.0).astype(np.float32)[..., None]  # (m, 8, 8, 1)
    return X, digits.target.astype(np.int64)


_ASSET_PHOTOS = Path(__file__).parent / "assets" / "photos"
_PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")


def _library_photo(name: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        if name in ("china", "flower"):
            from sklearn.datasets import load_sample_image

            return load_sample_image(f"{name}.jpg")
        from matplotlib import cbook
        from PIL import Image

        with cbook.get_sample_data(f"{name}.jpg") as fh:
            return np.asarray(Image.open(fh).convert("RGB"))

    return load


_LIBRARY_PHOTOS = {
    "china": "scikit-learn sample image (china.jpg)",
    "flower": "scikit-learn sample image (flower.jpg)",
    "grace_hopper": "matplotlib sample data (grace_hopper.jpg)",
}


def list_photos():
    """Names of the photos :func:`load_photo` can load, with their source.

    Returns
    -------
    dict of str to str
        Photo name -> where it comes from.

    Examples
    --------
    >>> "grace_hopper" in list_photos()
    True
    """
    photos = dict(_LIBRARY_PHOTOS)
    if _ASSET_PHOTOS.is_dir():
        for file in sorted(_ASSET_PHOTOS.iterdir()):
            if file.suffix.lower() in _PHOTO_EXTENSIONS:
                photos[file.stem] = f"shipped with course_cnn (assets/photos/{file.name})"
    return photos


def load_photo(name):
    """Load a bundled sample photo as an RGB array.

    Parameters
    ----------
    name : str
        One of :func:`list_photos`: ``"china"``, ``"flower"`` (scikit-learn),
        ``"grace_hopper"`` (matplotlib), or a photo shipped in
        ``course_cnn/assets/photos``.

    Returns
    -------
    ndarray of shape (n_H, n_W, 3), uint8
        The photo.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.

    Examples
    --------
    >>> load_photo("china").shape
    (427, 640, 3)
    """
    photos = list_photos()
    _checks.check_choice(name, "name", photos)
    if name in _LIBRARY_PHOTOS:
        return _library_photo(name)()
    from PIL import Image

    file = next(f for f in _ASSET_PHOTOS.iterdir() if f.stem == name and f.suffix.lower() in _PHOTO_EXTENSIONS)
    with Image.open(file) as img:
        return np.asarray(img.convert("RGB"))


# --------------------------------------------------------------------------
# 20 Newsgroups
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Newsgroups:
    """The 20 Newsgroups "bydate" split, as texts and integer labels.

    Attributes
    ----------
    train_texts, test_texts : list of str
        The posts, headers included (11,314 and 7,532 of them).
    train_labels, test_labels : ndarray of shape (n_documents,), int64
        Index into ``target_names``.
    target_names : list of str
        The 20 group names, sorted.
    """

    train_texts: list
    train_labels: np.ndarray
    test_texts: list
    test_labels: np.ndarray
    target_names: list


_NEWS_ENV = "COURSE_CNN_20NG"
_NEWS_NAME = "20news-bydate.tar.gz"


def find_20newsgroups(path=None):
    """Return the 20 Newsgroups archive's path, or None.

    Looks at ``path``, the ``COURSE_CNN_20NG`` environment variable, then
    ``../shared/data/20news-bydate.tar.gz`` and ``./20news-bydate.tar.gz``
    relative to the working directory.

    Parameters
    ----------
    path : str or path-like, optional
        The archive, tried first.

    Returns
    -------
    pathlib.Path or None
        The first existing file.

    Examples
    --------
    >>> find_20newsgroups("/nowhere.tar.gz") is None
    True
    """
    if path is not None:
        candidates = [path]
    else:
        candidates = [os.environ.get(_NEWS_ENV), Path("..") / "shared" / "data" / _NEWS_NAME, Path(_NEWS_NAME)]
    for candidate in candidates:
        if candidate and Path(candidate).expanduser().is_file():
            return Path(candidate).expanduser()
    return None


def load_20newsgroups(path=None, max_per_group=None):
    r"""Read the 20 Newsgroups "bydate" archive without extracting it.

    The archive holds ``20news-bydate-train/<group>/<id>`` and
    ``20news-bydate-test/<group>/<id>``, Latin-1 text. Copies whose line
    breaks were turned into tabs (like the project's ``shared/data`` copy)
    get them back: every ``\t`` becomes ``\n``.

    Parameters
    ----------
    path : str or path-like, optional
        The ``20news-bydate.tar.gz`` archive; see :func:`find_20newsgroups`
        for where it is looked for by default.
    max_per_group : int, optional
        Keep only the first posts (by id) of each group in each split, for
        quick demos and tests.

    Returns
    -------
    Newsgroups
        Texts, labels and the sorted group names.

    Raises
    ------
    FileNotFoundError
        When the archive is not found; the message says where to get it.
    ValueError
        When the archive has no ``20news-bydate-train`` posts.

    Examples
    --------
    >>> news = load_20newsgroups("../shared/data/20news-bydate.tar.gz")  # doctest: +SKIP
    >>> len(news.train_texts), len(news.test_texts)  # doctest: +SKIP
    (11314, 7532)
    """
    if max_per_group is not None:
        max_per_group = _checks.check_positive_int(max_per_group, "max_per_group")
    archive = find_20newsgroups(path)
    if archive is None:
        where = repr(str(path)) if path is not None else f"${_NEWS_ENV}, ../shared/data/{_NEWS_NAME}, ./{_NEWS_NAME}"
        raise FileNotFoundError(
            f"20 Newsgroups archive not found (looked in: {where}). Pass the path of the "
            f"standard {_NEWS_NAME} archive, or fetch the corpus with "
            "sklearn.datasets.fetch_20newsgroups when online."
        )
    posts: dict[str, list[tuple[str, int, str]]] = {"train": [], "test": []}
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            parts = member.name.strip("./").split("/")
            if not member.isfile() or len(parts) != 3 or not parts[0].startswith("20news-bydate-"):
                continue
            split, group, post_id = parts[0].rsplit("-", 1)[1], parts[1], parts[2]
            text = tar.extractfile(member).read().decode("latin-1").replace("\t", "\n")
            posts[split].append((group, int(post_id) if post_id.isdigit() else 0, text))
    if not posts["train"]:
        raise _checks.fail("path", "hold 20news-bydate-train/<group>/<id> posts", f"none in {str(archive)!r}")
    target_names = sorted({group for group, _, _ in posts["train"]})
    index = {name: i for i, name in enumerate(target_names)}
    out = {}
    for split, items in posts.items():
        items.sort(key=lambda item: (item[0], item[1]))
        if max_per_group is not None:
            kept, seen = [], {}
            for item in items:
                seen[item[0]] = seen.get(item[0], 0) + 1
                if seen[item[0]] <= max_per_group:
                    kept.append(item)
            items = kept
        out[split] = ([text for _, _, text in items], np.array([index[g] for g, _, _ in items], dtype=np.int64))
    return Newsgroups(out["train"][0], out["train"][1], out["test"][0], out["test"][1], target_names)


# --------------------------------------------------------------------------
# The tf.data pipeline
# --------------------------------------------------------------------------
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
    >>> X, y = load_digits_images()
    >>> ds = make_dataset(X, y, batch_size=32)
    >>> [tuple(t.shape) for t in next(iter(ds))]
    [(32, 8, 8, 1), (32,)]
    """
    import tensorflow as tf

    batch_size = _checks.check_positive_int(batch_size, "batch_size")
    seed = _checks.check_int(seed, "seed")
    X = np.asarray(X)
    if Y is not None:
        Y = np.asarray(Y)
        if len(Y) != len(X):
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


def image_dataset_from_folder(directory, **kwargs):
    """Load a folder-per-class image dataset (the course's alpaca set, say).

    A shortcut to :func:`course_cnn.week2.data.image_dataset_from_folder`,
    which holds the full description of the options; it is imported on call,
    since it needs Keras.

    Parameters
    ----------
    directory : str or path-like
        Folder with one sub-folder of images per class.
    **kwargs
        ``image_size``, ``batch_size``, ``validation_split``, ``subset``,
        ``seed``, ``shuffle``, ``label_mode``, ``color_mode``.

    Returns
    -------
    tf.data.Dataset or tuple of two
        Batches ``(images, labels)``, images of shape (batch, n_H, n_W, n_C).

    Examples
    --------
    >>> train = image_dataset_from_folder("dataset/", image_size=(160, 160))  # doctest: +SKIP
    """
    from course_cnn.week2.data import image_dataset_from_folder as load

    return load(directory, **kwargs)
