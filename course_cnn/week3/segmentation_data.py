r"""Segmentation data that works offline: the course's CARLA folders, and generated scenes.

A segmentation example is an image and a *mask* of the same height and
width holding one class id per pixel. The course reads the CARLA driving
simulator's frames (``CameraRGB/*.png``) and masks (``CameraMask/*.png``,
the class id in the red channel; the course takes the max over channels);
`load_segmentation_folder` reads that layout when you have it.

No segmentation data set ships with Debian or scikit-learn, so
`make_segmentation_scenes` generates one whose masks are exact: items of a
few Fashion-MNIST classes (or scikit-learn's digits) are scaled, coloured
and pasted at random positions on a textured background, later items
covering earlier ones, and the mask records, per pixel, the class of the item
seen there (0 for the background):

$$y[h, w] = \begin{cases} 1 + k & \text{if the top item at } (h, w) \text{ is of the } k\text{-th class} \\ 0 & \text{otherwise} \end{cases}$$

Items come from the source's training split for ``split="train"`` and from
its test split for ``split="test"``, so held-out scenes hold items no model
has seen.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from course_cnn import _checks

__all__ = ["SCENE_CLASSES", "SegmentationScenes", "make_segmentation_arrays", "make_segmentation_scenes",
           "load_segmentation_folder"]

#: Mask class names of the generated scenes, per source (index = class id).
SCENE_CLASSES = {
    "fashion": ("background", "trouser", "t-shirt", "bag", "ankle boot"),
    "digits": ("background", "zero", "one", "four", "seven"),
}
# the source labels behind SCENE_CLASSES[source][1:]
_SOURCE_LABELS = {"fashion": (1, 0, 8, 9), "digits": (0, 1, 4, 7)}
MAX_SCENES = 100_000
MAX_SIDE = 1024


class SegmentationScenes(NamedTuple):
    """Generated scenes as arrays.

    Attributes
    ----------
    images : ndarray of shape (n, n_H, n_W, 3), float32
        Values in [0, 1].
    masks : ndarray of shape (n, n_H, n_W, 1), uint8
        Class ids, 0 for the background (the course's mask layout).
    class_names : tuple of str
        Name of each class id.
    """

    images: np.ndarray
    masks: np.ndarray
    class_names: tuple


@lru_cache(maxsize=4)
def _items(source: str, split: str):
    """Item images in [0, 1] and their class ids (1 + position in the source's label list)."""
    labels = _SOURCE_LABELS[source]
    if source == "fashion":
        from course_cnn.datasets import load_fashion_mnist

        (x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
        x, y = (x_train, y_train) if split == "train" else (x_test, y_test)
        x = x.astype(np.float32) / 255.0  # (m, 28, 28)
    else:
        from course_cnn.datasets import load_digits_images

        X, y_all = load_digits_images()
        cut = 1200  # the first 1200 digits for training scenes, the other 597 for held-out ones
        x, y = (X[:cut, ..., 0], y_all[:cut]) if split == "train" else (X[cut:, ..., 0], y_all[cut:])
    keep = np.isin(y, labels)
    lookup = {label: k + 1 for k, label in enumerate(labels)}
    return x[keep], np.array([lookup[int(v)] for v in y[keep]], dtype=np.uint8)


def _resize(item: np.ndarray, height: int, width: int) -> np.ndarray:
    from PIL import Image

    img = Image.fromarray((item * 255).astype(np.uint8))
    return np.asarray(img.resize((width, height), Image.BILINEAR), dtype=np.float32) / 255.0


def _background(rng, n_H, n_W) -> np.ndarray:
    """A muted texture: low-frequency noise plus stripes, blended between two pale colours."""
    coarse = rng.uniform(0, 1, (max(2, n_H // 16), max(2, n_W // 16)))
    noise = _resize(coarse, n_H, n_W)
    yy, xx = np.mgrid[0:n_H, 0:n_W]
    angle, period = rng.uniform(0, np.pi), rng.uniform(6, 20)
    stripes = 0.5 + 0.5 * np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period)
    t = (0.6 * noise + 0.4 * stripes)[..., None]  # (n_H, n_W, 1)
    c1, c2 = rng.uniform(0.3, 0.8, 3), rng.uniform(0.3, 0.8, 3)
    return (c1 * (1 - t) + c2 * t).astype(np.float32)  # (n_H, n_W, 3)


def _scene(rng, items, item_classes, n_H, n_W, max_objects, min_scale, max_scale):
    image = _background(rng, n_H, n_W)
    mask = np.zeros((n_H, n_W), dtype=np.uint8)
    for _ in range(rng.integers(1, max_objects + 1)):
        k = rng.integers(len(items))
        side = int(round(rng.uniform(min_scale, max_scale) * min(n_H, n_W)))
        alpha = _resize(items[k], side, side)  # (side, side): the item's own shading
        top, left = rng.integers(-side // 4, n_H - 3 * side // 4), rng.integers(-side // 4, n_W - 3 * side // 4)
        # the part of the item inside the image
        r0, c0 = max(top, 0), max(left, 0)
        r1, c1 = min(top + side, n_H), min(left + side, n_W)
        a = alpha[r0 - top:r1 - top, c0 - left:c1 - left]
        on = a > 0.2  # the item's pixels: exactly what the mask records
        colour = rng.uniform(0.0, 1.0, 3)
        colour[rng.integers(3)] = rng.choice([0.05, 0.95])  # saturated: one channel near 0 or 1
        shaded = colour * (0.35 + 0.65 * a[..., None])  # (h, w, 3)
        region = image[r0:r1, c0:c1]
        region[on] = shaded[on]
        mask[r0:r1, c0:c1][on] = item_classes[k]
    return image, mask


def _check_size(size):
    if isinstance(size, str) or np.ndim(size) != 1 or len(size) != 2:
        raise _checks.fail("size", "be (n_H, n_W), two positive ints", _checks.describe(size), TypeError)
    return tuple(_checks.check_int(v, "size", 1, MAX_SIDE) for v in size)


def make_segmentation_arrays(n, size=(96, 128), seed=0, *, source="fashion", split="train", max_objects=4,
                             min_scale=0.3, max_scale=0.6):
    r"""Generate ``n`` scenes with exact per-pixel class masks, as numpy arrays.

    $$y[h, w] = 1 + k \text{ where the top item is of class } k, \quad 0 \text{ on the background}$$

    Parameters
    ----------
    n : int
        Number of scenes.
    size : tuple of int, default (96, 128)
        ``(n_H, n_W)``, the course's CARLA size.
    seed : int, default 0
        Same seed, same scenes.
    source : {"fashion", "digits"}, default "fashion"
        Fashion-MNIST items (trouser, t-shirt, bag, ankle boot; needs the
        Debian package ``dataset-fashion-mnist`` or a Keras cache) or
        scikit-learn's 8x8 digits (0, 1, 4, 7; always there, blockier).
    split : {"train", "test"}, default "train"
        Take the items from the source's training or test split (held-out scenes).
    max_objects : int, default 4
        Each scene holds 1 to ``max_objects`` items, overlapping freely.
    min_scale, max_scale : float, default 0.3 and 0.6
        Item side as a fraction of ``min(n_H, n_W)``.

    Returns
    -------
    SegmentationScenes
        ``images`` (n, n_H, n_W, 3) float32 in [0, 1], ``masks``
        (n, n_H, n_W, 1) uint8, ``class_names`` (`SCENE_CLASSES[source]`).

    Raises
    ------
    ValueError
        For ``n`` < 1, sizes outside [1, 1024], an unknown source or split,
        or scales outside (0, 1] in the wrong order.
    FileNotFoundError
        For ``source="fashion"`` when no copy of Fashion-MNIST is found.

    Examples
    --------
    >>> scenes = make_segmentation_arrays(2, size=(32, 32), source="digits")
    >>> scenes.images.shape, scenes.masks.shape, scenes.class_names[1]
    ((2, 32, 32, 3), (2, 32, 32, 1), 'zero')
    """
    n = _checks.check_int(n, "n", 1, MAX_SCENES)
    n_H, n_W = _check_size(size)
    rng = np.random.default_rng(_checks.check_seed(seed, "seed"))
    source = _checks.check_choice(source, "source", tuple(SCENE_CLASSES))
    split = _checks.check_choice(split, "split", ("train", "test"))
    max_objects = _checks.check_int(max_objects, "max_objects", 1, 64)
    min_scale = _checks.check_number(min_scale, "min_scale", 0, 1, low_inclusive=False)
    max_scale = _checks.check_number(max_scale, "max_scale", 0, 1, low_inclusive=False)
    if max_scale < min_scale:
        raise _checks.fail("max_scale", f"be at least `min_scale` = {min_scale}", f"{max_scale}")
    items, item_classes = _items(source, split)
    images = np.empty((n, n_H, n_W, 3), dtype=np.float32)
    masks = np.empty((n, n_H, n_W, 1), dtype=np.uint8)
    for i in range(n):
        images[i], masks[i, ..., 0] = _scene(rng, items, item_classes, n_H, n_W, max_objects, min_scale, max_scale)
    return SegmentationScenes(images, masks, SCENE_CLASSES[source])


def make_segmentation_scenes(n, size=(96, 128), seed=0, *, source="fashion", split="train", max_objects=4,
                             min_scale=0.3, max_scale=0.6):
    """Generated scenes as a ``tf.data.Dataset`` of ``(image, mask)``, like the course's CARLA pipeline.

    The same scenes as `make_segmentation_arrays` with the same arguments,
    unbatched: batch, cache and shuffle as the course does
    (``dataset.cache().shuffle(500).batch(32)``).

    Parameters
    ----------
    n : int
        Number of scenes.
    size : tuple of int, default (96, 128)
        ``(n_H, n_W)``.
    seed : int, default 0
        Same seed, same scenes.
    source : {"fashion", "digits"}, default "fashion"
        Where the items come from.
    split : {"train", "test"}, default "train"
        The source split the items come from.
    max_objects : int, default 4
        At most this many items per scene.
    min_scale, max_scale : float, default 0.3 and 0.6
        Item side as a fraction of ``min(n_H, n_W)``.

    Returns
    -------
    tf.data.Dataset
        Elements ``(image, mask)``: float32 (n_H, n_W, 3) in [0, 1] and
        uint8 (n_H, n_W, 1) class ids.

    Raises
    ------
    ValueError, FileNotFoundError
        As `make_segmentation_arrays`.

    Examples
    --------
    >>> ds = make_segmentation_scenes(3, size=(32, 32), source="digits")
    >>> image, mask = next(iter(ds))
    >>> tuple(image.shape), mask.dtype.name
    ((32, 32, 3), 'uint8')
    """
    import tensorflow as tf

    scenes = make_segmentation_arrays(n, size, seed, source=source, split=split, max_objects=max_objects,
                                      min_scale=min_scale, max_scale=max_scale)
    return tf.data.Dataset.from_tensor_slices((scenes.images, scenes.masks))


def _matching_files(image_dir, mask_dir):
    image_dir = _checks.check_path(image_dir, "image_dir", exists=True, what="a folder")
    mask_dir = _checks.check_path(mask_dir, "mask_dir", exists=True, what="a folder")
    for name, folder in (("image_dir", image_dir), ("mask_dir", mask_dir)):
        if not folder.is_dir():
            raise _checks.fail(name, "be a folder of PNG files (e.g. CameraRGB/)", f"'{folder}' (a file)")
    images = sorted(p.name for p in image_dir.iterdir() if p.suffix.lower() == ".png")
    if not images:
        raise _checks.fail("image_dir", "hold at least one .png image", f"'{image_dir}' (no .png files)")
    missing = [name for name in images if not (mask_dir / name).is_file()]
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise _checks.fail("mask_dir", f"hold a mask of the same name for every image in `image_dir` ({len(images)})",
                           f"none for {shown}")
    return [str(image_dir / n) for n in images], [str(mask_dir / n) for n in images]


def load_segmentation_folder(image_dir, mask_dir, size=(96, 128)):
    r"""Read the course's CARLA layout as a ``tf.data.Dataset`` of ``(image, mask)``.

    Each ``image_dir/<name>.png`` is paired with ``mask_dir/<name>.png``
    (sorted by name). The mask's class id is the max over its channels,
    as the course reads it:

    $$y[h, w] = \max_k \text{mask}[h, w, k]$$

    Images and masks are resized to ``size`` with nearest neighbour (the
    course's ``preprocess``; a mask must never be interpolated, which would
    invent class ids between two neighbours).

    Parameters
    ----------
    image_dir : str or os.PathLike
        Folder of RGB PNG frames (``CameraRGB/``).
    mask_dir : str or os.PathLike
        Folder of PNG masks of the same names (``CameraMask/``).
    size : tuple of int, default (96, 128)
        ``(n_H, n_W)`` after resizing.

    Returns
    -------
    tf.data.Dataset
        Elements ``(image, mask)``: float32 (n_H, n_W, 3) in [0, 1] and
        uint8 (n_H, n_W, 1).

    Raises
    ------
    FileNotFoundError
        For a folder that does not exist.
    ValueError
        For a folder with no PNG, an image without a mask (the message
        names it), or a bad ``size``.

    Examples
    --------
    >>> ds = load_segmentation_folder("data/CameraRGB", "data/CameraMask")  # doctest: +SKIP
    >>> image, mask = next(iter(ds))  # doctest: +SKIP
    """
    import tensorflow as tf

    n_H, n_W = _check_size(size)
    image_paths, mask_paths = _matching_files(image_dir, mask_dir)

    def process_path(image_path, mask_path):
        img = tf.image.decode_png(tf.io.read_file(image_path), channels=3)
        img = tf.image.convert_image_dtype(img, tf.float32)  # (H, W, 3) in [0, 1]
        mask = tf.image.decode_png(tf.io.read_file(mask_path), channels=3)
        mask = tf.math.reduce_max(mask, axis=-1, keepdims=True)  # (H, W, 1): the class id
        return img, mask

    def preprocess(image, mask):
        image = tf.image.resize(image, (n_H, n_W), method="nearest")
        mask = tf.image.resize(mask, (n_H, n_W), method="nearest")  # ids stay ids
        return image, tf.cast(mask, tf.uint8)

    dataset = tf.data.Dataset.from_tensor_slices((image_paths, mask_paths))
    return dataset.map(process_path).map(preprocess)
