"""Fashion-MNIST from IDX files: Debian's package, a folder, or keras.datasets."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

from course_cnn import _checks


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
    path : str or os.PathLike
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
    path = _checks.check_path(path, "path", exists=True)
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
    path : str or os.PathLike, optional
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
    if path is not None:
        _checks.check_path(path, "path")
    candidates = [path] if path is not None else [os.environ.get(_FASHION_ENV), *_FASHION_DIRS]
    for folder in candidates:
        if folder and all((Path(folder).expanduser() / f).is_file() for f in _FASHION_FILES):
            return Path(folder).expanduser()
    return None


def load_fashion_mnist(path=None, download=True):
    """Load Fashion-MNIST (70,000 28x28 grayscale clothing images, 10 classes).

    Parameters
    ----------
    path : str or os.PathLike, optional
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
        Class names are in `FASHION_MNIST_CLASSES`.

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
