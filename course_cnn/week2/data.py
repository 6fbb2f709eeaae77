"""Folder-per-class image datasets, like the course's alpaca set.

A folder such as::

    dataset/
        alpaca/      img001.jpg, img002.jpg, ...
        not alpaca/  img101.jpg, ...

becomes a ``tf.data.Dataset`` of ``(images, labels)`` batches, labels being
the index of the class folder in alphabetical order. This wraps
``keras.utils.image_dataset_from_directory`` with the package's checks, so a
wrong path or an empty folder fails with a message that says what is
expected instead of a bare "No images found".
"""

from __future__ import annotations

import os
from pathlib import Path

import keras

from course_cnn import _checks

__all__ = ["image_dataset_from_folder"]

#: File suffixes Keras' image loader reads.
IMAGE_SUFFIXES = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def _count_images(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def _check_folder(directory):
    if not isinstance(directory, (str, os.PathLike)):
        raise _checks.fail("directory", "be a str or path-like", _checks.describe(directory), TypeError)
    folder = Path(directory)
    if not folder.is_dir():
        raise _checks.fail("directory", "be an existing folder with one sub-folder of images per class",
                           f"{os.fspath(directory)!r}, which is not a folder")
    classes = sorted(p.name for p in folder.iterdir() if p.is_dir() and _count_images(p))
    if not classes:
        raise _checks.fail("directory", f"contain one sub-folder of images ({', '.join(IMAGE_SUFFIXES)}) per class",
                           f"{os.fspath(directory)!r}, with no sub-folder holding images")
    return folder, classes


def image_dataset_from_folder(directory, image_size=(160, 160), batch_size=32, validation_split=None, subset=None,
                              seed=42, shuffle=True, label_mode="int", color_mode="rgb"):
    """Load a folder-per-class image dataset as batches of ``(images, labels)``.

    Parameters
    ----------
    directory : str or os.PathLike
        Folder with one sub-folder per class (class names = sub-folder names,
        sorted; label k = k-th name).
    image_size : tuple of 2 int, default (160, 160)
        ``(n_H, n_W)`` every image is resized to.
    batch_size : int, default 32
        Images per batch.
    validation_split : float, optional
        Fraction in (0, 1) held out for validation (then ``subset`` is required).
    subset : {"training", "validation", "both"}, optional
        Which part to return when ``validation_split`` is given; ``"both"``
        returns ``(train, validation)``.
    seed : int, default 42
        Seed of the shuffle and of the split (use the same for both subsets).
    shuffle : bool, default True
        Shuffle the files.
    label_mode : {"int", "binary", "categorical"}, default "int"
        Labels as class indices, as 0/1 floats (two classes), or one-hot.
    color_mode : {"rgb", "grayscale", "rgba"}, default "rgb"
        Channels of the images.

    Returns
    -------
    tf.data.Dataset or tuple of two
        Batches ``(images, labels)`` with images float32 of shape
        (batch, n_H, n_W, n_C) in [0, 255]; the dataset's ``class_names``
        attribute lists the classes.

    Raises
    ------
    TypeError, ValueError
        For a folder that does not exist or has no class sub-folder with
        images, or bad sizes, fractions and choices.

    Examples
    --------
    >>> train = image_dataset_from_folder("dataset/", validation_split=0.2, subset="training")  # doctest: +SKIP
    >>> train.class_names  # doctest: +SKIP
    ['alpaca', 'not alpaca']
    """
    folder, classes = _check_folder(directory)
    if (isinstance(image_size, (str, bytes)) or not hasattr(image_size, "__len__") or len(image_size) != 2):
        raise _checks.fail("image_size", "be a pair (n_H, n_W) of positive ints", _checks.describe(image_size),
                           TypeError)
    image_size = tuple(_checks.check_positive_int(d, "image_size") for d in image_size)
    if max(image_size) > _checks.MAX_IMAGE_SIDE:
        raise _checks.fail("image_size", f"hold sides of at most {_checks.MAX_IMAGE_SIDE}", repr(image_size))
    batch_size = _checks.check_positive_int(batch_size, "batch_size")
    seed = _checks.check_seed(seed)
    seed = _checks.check_int(seed, "seed")
    _checks.check_choice(label_mode, "label_mode", ("int", "binary", "categorical"))
    _checks.check_choice(color_mode, "color_mode", ("rgb", "grayscale", "rgba"))
    if label_mode == "binary" and len(classes) != 2:
        raise _checks.fail("label_mode", "be 'int' or 'categorical' unless there are exactly 2 classes",
                           f"'binary' with {len(classes)} classes {classes}")
    if validation_split is not None:
        _checks.check_number(validation_split, "validation_split", 0.0, 1.0, low_inclusive=False,
                             high_inclusive=False)
        _checks.check_choice(subset, "subset", ("training", "validation", "both"))
    elif subset is not None:
        raise _checks.fail("subset", "be None when `validation_split` is None", repr(subset))
    return keras.utils.image_dataset_from_directory(
        folder, labels="inferred", label_mode=label_mode, class_names=classes, color_mode=color_mode,
        batch_size=batch_size, image_size=image_size, shuffle=shuffle, seed=seed,
        validation_split=validation_split, subset=subset, verbose=False,
    )
