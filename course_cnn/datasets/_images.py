"""Image data: scikit-learn digits, bundled photos, folder-per-class datasets."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Callable

import numpy as np

from course_cnn import _assets, _checks


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


_PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")


def _shipped_photos():
    """Photo name -> its asset name (``"obama_1"`` -> ``"photos/obama_1.jpg"``), from the manifest only."""
    names = (PurePosixPath(asset) for asset in _assets.asset_names("photos"))
    return {name.stem: str(name) for name in names if name.suffix.lower() in _PHOTO_EXTENSIONS}


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
    """Names of the photos `load_photo` can load, with their source.

    The shipped photos are those listed in ``course_cnn/assets/MANIFEST.json``;
    a file dropped into the photos folder without a manifest record is not
    listed (nor loaded).

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
    for name, asset in _shipped_photos().items():
        photos.setdefault(name, f"shipped with course_cnn (assets/{asset})")
    return photos


def load_photo(name):
    """Load a bundled sample photo as an RGB array.

    Parameters
    ----------
    name : str
        One of `list_photos`: ``"china"``, ``"flower"`` (scikit-learn),
        ``"grace_hopper"`` (matplotlib), or a photo shipped in
        ``course_cnn/assets/photos`` (verified against its SHA-256 in the
        manifest the first time it is loaded in a process).

    Returns
    -------
    ndarray of shape (n_H, n_W, 3), uint8
        The photo.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones), or a
        shipped photo whose bytes differ from the manifest (a damaged
        install: reinstall the package).
    FileNotFoundError
        For a shipped photo missing from the install.

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

    file = _assets.asset_path(_shipped_photos()[name])  # size + SHA-256, once per process
    with Image.open(file) as img:
        return np.asarray(img.convert("RGB"))


def image_dataset_from_folder(directory, **kwargs):
    """Load a folder-per-class image dataset (the course's alpaca set, say).

    A shortcut to `course_cnn.week2.data.image_dataset_from_folder`,
    which holds the full description of the options; it is imported on call,
    since it needs Keras.

    Parameters
    ----------
    directory : str or os.PathLike
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
