"""Images in and out of style transfer.

The optimised image lives in [0, 1] as a float tensor of shape
(1, n_H, n_W, 3). `load_image` brings any photo (path, PIL image,
array; RGB, RGBA or grayscale; any size and aspect ratio) to that form,
resized so that its longer side is ``max_side``. `clip_0_1` and
`tensor_to_image` are the course's helpers; `make_style_texture`
generates a colourful, painting-like texture so that demos have a style
image with no download and a clear provenance.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from course_cnn import _checks

__all__ = ["clip_0_1", "tensor_to_image", "load_image", "save_image", "make_style_texture"]


def clip_0_1(image):
    """Clip pixel values to [0, 1] (course signature).

    Parameters
    ----------
    image : tensor of shape (1, n_H, n_W, n_C)
        The generated image.

    Returns
    -------
    tf.Tensor
        The same shape, every value in [0, 1].

    Examples
    --------
    >>> clip_0_1([[-0.5, 0.3, 1.7]]).numpy()
    array([[0. , 0.3, 1. ]], dtype=float32)
    """
    import tensorflow as tf

    image = _checks.check_tensor(image, "image")  # static checks only: it runs inside the training step
    return tf.clip_by_value(tf.cast(image, tf.float32), clip_value_min=0.0, clip_value_max=1.0)


# Float arithmetic may leave a [0, 1] image a few ulps outside; more than this is a bug upstream.
_ROUNDING = 1e-5


def tensor_to_image(tensor):
    """Convert a [0, 1] image tensor to a PIL image (course signature).

    Parameters
    ----------
    tensor : tensor or ndarray of shape (1, n_H, n_W, 3) or (n_H, n_W, 3)
        Pixel values in [0, 1] (values outside are clipped).

    Returns
    -------
    PIL.Image.Image
        An 8-bit RGB image (``"L"`` for one channel).

    Raises
    ------
    ValueError
        For a batch of more than one image, a wrong rank, NaN/inf or values
        outside [0, 1] (nothing is clipped).

    Examples
    --------
    >>> tensor_to_image(np.full((1, 2, 3, 3), 0.5)).size  # (width, height)
    (3, 2)
    """
    from PIL import Image

    array = _checks.check_array(tensor, "tensor", kinds="biuf", finite=True)
    if array.ndim == 4:
        if array.shape[0] != 1:
            raise _checks.fail("tensor", "hold one image, shape (1, n_H, n_W, n_C)", f"shape {array.shape}")
        array = array[0]
    if array.ndim != 3 or array.shape[-1] not in (1, 3):
        raise _checks.fail("tensor", "have shape (1, n_H, n_W, 3) or (n_H, n_W, 3)", f"shape {array.shape}")
    low, high = (float(array.min()), float(array.max())) if array.size else (0.0, 0.0)
    if low < -_ROUNDING or high > 1 + _ROUNDING:  # refused, not clipped (the course's uint8 cast would wrap)
        raise _checks.fail("tensor", "hold pixel values in [0, 1]", f"values in [{low:g}, {high:g}]")
    pixels = np.round(np.clip(array, 0.0, 1.0) * 255).astype(np.uint8)  # clips rounding error only
    return Image.fromarray(pixels[..., 0] if pixels.shape[-1] == 1 else pixels)


def _to_float_rgb(image, name):
    """Any image -> float32 (n_H, n_W, 3) in [0, 1]."""
    from PIL import Image

    if isinstance(image, (str, os.PathLike)):
        path = Path(image).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"`{name}` must be the path of an image file; got {str(image)!r} (no such file).")
        try:
            with Image.open(path) as img:
                image = np.asarray(img.convert("RGB"))
        except OSError as exc:  # PIL's UnidentifiedImageError included
            raise _checks.fail(name, "be a readable image file (JPEG, PNG, ...)", f"{str(image)!r} ({exc})") from None
    elif isinstance(image, Image.Image):
        image = np.asarray(image.convert("RGB"))
    array = _checks.check_array(image, name, kinds="biuf", finite=True)
    if array.ndim == 4 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 2:
        array = array[..., None]  # (n_H, n_W, 1)
    if array.ndim != 3 or array.shape[-1] not in (1, 3, 4) or min(array.shape[:2]) < 1:
        raise _checks.fail(name, "be an image of shape (n_H, n_W), (n_H, n_W, 1), (n_H, n_W, 3) or (n_H, n_W, 4)", f"shape {array.shape}")
    if array.dtype.kind in "iub":
        array = array.astype(np.float32) / (255.0 if array.dtype.kind != "b" else 1.0)
    elif array.min() < 0 or array.max() > 1:
        raise _checks.fail(name, "hold float pixels in [0, 1] (or be uint8)", f"values from {array.min():.3g} to {array.max():.3g}")
    array = array.astype(np.float32)
    if array.shape[-1] == 1:
        array = np.repeat(array, 3, axis=-1)  # grayscale -> RGB
    return array[..., :3]  # drop alpha


def load_image(image, max_side=400):
    """Read and resize an image for style transfer.

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like
        A file, a PIL image, or pixels of shape (n_H, n_W), (n_H, n_W, 1),
        (n_H, n_W, 3) or (n_H, n_W, 4) (uint8, or float in [0, 1]).
        Grayscale is repeated to RGB and alpha is dropped.
    max_side : int or None, default 400
        The longer side after resizing (aspect ratio kept, bilinear
        antialiased resampling); ``None`` keeps the size.

    Returns
    -------
    ndarray of shape (1, n_H, n_W, 3), float32
        Pixels in [0, 1], ready to optimise.

    Raises
    ------
    FileNotFoundError
        For a path that does not exist.
    ValueError, TypeError
        For an array of another shape, or float pixels outside [0, 1].

    Examples
    --------
    >>> load_image(np.zeros((30, 60), dtype=np.uint8), max_side=20).shape
    (1, 10, 20, 3)
    """
    return _load_resized(image, max_side, "image", "max_side")


def _load_resized(image, max_side, name, side_name):
    """`load_image` with the caller's parameter names in messages."""
    from PIL import Image

    if max_side is not None:  # checked first: a typo must not read or resize anything
        max_side = _checks.check_size(max_side, side_name, _checks.MAX_IMAGE_SIDE)
    array = _to_float_rgb(image, name)
    if max_side is not None:
        n_H, n_W = array.shape[:2]
        scale = max_side / max(n_H, n_W)
        size = (max(1, round(n_W * scale)), max(1, round(n_H * scale)))  # PIL wants (width, height)
        if size != (n_W, n_H):
            pil = Image.fromarray(np.round(array * 255).astype(np.uint8))
            array = np.asarray(pil.resize(size, Image.Resampling.BILINEAR), dtype=np.float32) / 255.0
    return array[None].astype(np.float32)  # (1, n_H, n_W, 3)


def save_image(image, path):
    """Write a [0, 1] image (tensor or array) to a PNG/JPEG file.

    Parameters
    ----------
    image : tensor or ndarray of shape (1, n_H, n_W, 3) or (n_H, n_W, 3)
        Pixels in [0, 1].
    path : str or os.PathLike
        Destination; folders are created.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    TypeError, ValueError
        For a path that is not a str or path-like, or an image of the wrong
        shape, with NaN/inf or with values outside [0, 1] (nothing is clipped).

    Examples
    --------
    >>> save_image(np.zeros((4, 4, 3)), "/tmp/course_cnn_style_doctest.png").name
    'course_cnn_style_doctest.png'
    """
    path = _checks.check_path(path, "path")
    try:
        pil = tensor_to_image(image)
    except (TypeError, ValueError) as exc:  # the caller's name for it is `image`
        raise type(exc)(str(exc).replace("`tensor`", "`image`", 1)) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    pil.save(path)
    return path


# A warm palette (RGB in [0, 1]) loosely after late-19th-century paintings.
_PALETTE = np.array(
    [[0.06, 0.11, 0.33], [0.13, 0.35, 0.65], [0.95, 0.80, 0.20], [0.90, 0.45, 0.12], [0.55, 0.75, 0.85]],
    dtype=np.float32,
)


def make_style_texture(size=256, seed=0):
    r"""Generate a swirling, brush-stroke-like colour texture (a style image).

    The texture is a sum of random sinusoidal waves, $v(x, y) = \sum_k
    \sin(\omega_k \cdot (x, y) + \phi_k + a_k \sin(\ldots))$, warped by a
    second set of waves to make swirls, mapped through a five-colour
    palette and streaked along one direction like brush strokes. It is made
    by this function (no third-party image, no licence to worry about) and
    has what a style cost captures: colours, strokes, repeated patterns.

    Parameters
    ----------
    size : int, default 256
        Width and height in pixels.
    seed : int, default 0
        Seed of the random waves.

    Returns
    -------
    ndarray of shape (size, size, 3), uint8
        The texture.

    Examples
    --------
    >>> texture = make_style_texture(32)
    >>> texture.shape, texture.dtype
    ((32, 32, 3), dtype('uint8'))
    """
    size = _checks.check_size(size, "size", _checks.MAX_IMAGE_SIDE)  # before the (size, size, 3) canvas
    rng = np.random.default_rng(_checks.check_seed(seed))
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size  # (size, size) each in [0, 1)
    # Warp field: low-frequency waves displacing the coordinates (the swirls).
    warp_x = sum(0.08 * np.sin(2 * np.pi * (rng.uniform(1, 3) * y + rng.uniform(0, 1))) for _ in range(3))
    warp_y = sum(0.08 * np.sin(2 * np.pi * (rng.uniform(1, 3) * x + rng.uniform(0, 1))) for _ in range(3))
    u, v = x + warp_x, y + warp_y
    value = np.zeros_like(x)
    for _ in range(6):
        freq = rng.uniform(3, 12)
        angle = rng.uniform(0, np.pi)
        value += np.sin(2 * np.pi * freq * (np.cos(angle) * u + np.sin(angle) * v) + rng.uniform(0, 2 * np.pi))
    value = (value - value.min()) / (np.ptp(value) + 1e-8)  # (size, size) in [0, 1]
    # Palette lookup with linear interpolation between the colours.
    position = value * (len(_PALETTE) - 1)
    low = np.floor(position).astype(int).clip(0, len(_PALETTE) - 2)
    frac = (position - low)[..., None]
    rgb = (1 - frac) * _PALETTE[low] + frac * _PALETTE[low + 1]  # (size, size, 3)
    # Brush strokes: fine streaks along a diagonal.
    strokes = 0.08 * np.sin(2 * np.pi * 40 * (x + 0.5 * y) + 3 * value)[..., None]
    rgb = np.clip(rgb + strokes, 0.0, 1.0)
    return np.round(rgb * 255).astype(np.uint8)
