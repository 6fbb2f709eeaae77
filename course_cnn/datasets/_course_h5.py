"""The course's own ``.h5`` datasets (happy house, SIGNS) and one-hot labels."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from course_cnn import _checks

_COURSE_HINT = (
    "the course provides it in the assignment's `datasets/` folder; "
    "pass the folder (or file) that holds it"
)


def _require_file(path: str | os.PathLike, name: str, hint: str) -> Path:
    path = _checks.check_path(path, name)
    if not path.is_file():
        raise FileNotFoundError(f"`{name}`: no file at {str(path)!r}; {hint}.")
    return path


def _open_h5(path, name):
    import h5py

    try:
        return h5py.File(path, "r")
    except OSError as exc:  # not an HDF5 file
        raise _checks.fail(name, "be an HDF5 (.h5) file", f"{str(path)!r} ({exc})") from None


def load_course_h5(train_path, test_path):
    """Load one of the course's ``.h5`` datasets.

    The course stores each dataset as two HDF5 files with the keys
    ``train_set_x``, ``train_set_y`` (train file), ``test_set_x``,
    ``test_set_y`` and ``list_classes`` (test file).

    Parameters
    ----------
    train_path, test_path : str or os.PathLike
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
    train_path = _require_file(train_path, "train_path", _COURSE_HINT)
    test_path = _require_file(test_path, "test_path", _COURSE_HINT)
    with _open_h5(train_path, "train_path") as train:
        X_train = _h5_key(train, "train_set_x", "train_path")
        Y_train = _h5_key(train, "train_set_y", "train_path")
    with _open_h5(test_path, "test_path") as test:
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
    folder = _checks.check_path(path, "path")
    if folder.is_file():
        folder = folder.parent
    missing = [f for f in (f"train_{stem}.h5", f"test_{stem}.h5") if not (folder / f).is_file()]
    if missing:
        raise FileNotFoundError(f"`path` must be the folder of train_{stem}.h5 and test_{stem}.h5; got "
                                f"{str(path)!r} (no {missing[0]}); {_COURSE_HINT}.")
    return load_course_h5(folder / f"train_{stem}.h5", folder / f"test_{stem}.h5")


def load_happy_dataset(path="datasets"):
    """Load the course's "happy house" dataset (smiling or not, 64x64 RGB).

    Parameters
    ----------
    path : str or os.PathLike, default "datasets"
        Folder holding ``train_happy.h5`` and ``test_happy.h5``.

    Returns
    -------
    tuple
        ``(X_train, Y_train, X_test, Y_test, classes)`` as in
        `load_course_h5`; X of shape (m, 64, 64, 3), Y of shape (1, m).

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
    path : str or os.PathLike, default "datasets"
        Folder holding ``train_signs.h5`` and ``test_signs.h5``.

    Returns
    -------
    tuple
        ``(X_train, Y_train, X_test, Y_test, classes)`` as in
        `load_course_h5`; X of shape (m, 64, 64, 3), Y of shape (1, m).

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
    C = _checks.check_size(C, "C", _checks.MAX_CLASSES)  # before the (C, m) one-hot array is made
    labels = _checks.check_array(Y, "Y", kinds="iu").reshape(-1)
    if labels.size and (labels.min() < 0 or labels.max() >= C):
        raise _checks.fail("Y", f"hold labels in [0, {C})", f"values from {labels.min()} to {labels.max()}")
    return np.eye(C)[labels].T
