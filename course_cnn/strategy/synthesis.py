r"""Artificial data synthesis: make clean training data look like the target.

When error analysis shows that the dev images are foggy, noisy or partly
hidden and the training images are not, composite the clean images with a
pool of perturbations. For an image $x$ in $[0, 1]$, a perturbation $o$
drawn from the pool and a strength $s$:

$$
\text{add: } \operatorname{clip}(x + s\,o),\qquad
\text{blend (fog): } (1 - s)\,x + s\,o,\qquad
\text{occlude: } x\,(1 - s\,a) + s\,a\,o,\ a = \mathbb{1}[o > 0].
$$

The lecture's caveat: an hour of car noise laid over 10,000 hours of speech
sounds fine to a person, but the network can overfit to that one hour. A
pool that is tiny compared with the data is a subset of the space of
perturbations, and `synthesize` warns about it.
"""

from __future__ import annotations

import warnings

import numpy as np

from course_cnn import _checks

__all__ = ["MODES", "make_perturbation_pool", "synthesize"]

#: How a perturbation is composited onto an image.
MODES = ("add", "blend", "occlude")


def _smooth_field(rng, n, n_H, n_W, cells):
    """Random low-frequency fields: a coarse random grid upsampled bilinearly, (n, n_H, n_W) in [0, 1]."""
    coarse = rng.random((n, cells + 1, cells + 1))
    ys, xs = np.linspace(0, cells, n_H), np.linspace(0, cells, n_W)
    y0, x0 = np.minimum(ys.astype(int), cells - 1), np.minimum(xs.astype(int), cells - 1)
    wy, wx = (ys - y0)[None, :, None], (xs - x0)[None, None, :]
    c = lambda dy, dx: coarse[:, (y0 + dy)[:, None], (x0 + dx)[None, :]]  # noqa: E731 (n, n_H, n_W)
    return (1 - wy) * ((1 - wx) * c(0, 0) + wx * c(0, 1)) + wy * ((1 - wx) * c(1, 0) + wx * c(1, 1))


def make_perturbation_pool(kind, n, shape, seed=0):
    """Generate a pool of perturbations to composite with `synthesize`.

    Parameters
    ----------
    kind : {"noise", "fog", "occluder"}
        ``"noise"``: Gaussian noise (mean 0, std 1; use ``mode="add"``);
        ``"fog"``: smooth bright haze fields in [0.5, 1] (``mode="blend"``);
        ``"occluder"``: 1 to 3 random bars or blocks of grey levels, 0
        elsewhere (``mode="occlude"``).
    n : int
        Pool size.
    shape : tuple of int
        ``(n_H, n_W)`` or ``(n_H, n_W, n_C)`` of one perturbation.
    seed : int, default 0
        Seed of the generator.

    Returns
    -------
    ndarray of shape (n,) + shape, float32
        The pool.

    Raises
    ------
    ValueError
        For an unknown kind, a bad ``n`` or shape.

    Examples
    --------
    >>> make_perturbation_pool("fog", 3, (28, 28)).shape
    (3, 28, 28)
    """
    kind = _checks.check_choice(kind, "kind", ("noise", "fog", "occluder"))
    n = _checks.check_size(n, "n", _checks.MAX_EXAMPLES)
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) not in (2, 3):
        raise _checks.fail("shape", "be (n_H, n_W) or (n_H, n_W, n_C)", _checks.describe(shape), TypeError)
    shape = _checks.check_input_shape(shape, "shape", ndim=None)
    if n * int(np.prod(shape)) > _checks.MAX_EXAMPLES * 64:  # 640 M floats (5 GB): checked before allocating
        raise _checks.fail("n", f"give at most {_checks.MAX_EXAMPLES * 64} values with `shape` {shape}", repr(n))
    rng = np.random.default_rng(_checks.check_seed(seed))
    n_H, n_W = shape[:2]
    if kind == "noise":
        pool = rng.normal(size=(n, n_H, n_W))
    elif kind == "fog":
        pool = 0.5 + 0.5 * _smooth_field(rng, n, n_H, n_W, cells=3)  # (n, n_H, n_W) in [0.5, 1]
    else:
        pool = np.zeros((n, n_H, n_W))
        for k in range(n):
            for _ in range(rng.integers(1, 4)):
                h, w = rng.integers(max(1, n_H // 8), max(2, n_H // 2)), rng.integers(max(1, n_W // 8), max(2, n_W // 2))
                y, x = rng.integers(0, n_H - h + 1), rng.integers(0, n_W - w + 1)
                pool[k, y:y + h, x:x + w] = rng.uniform(0.3, 1.0)
    if len(shape) == 3:
        pool = np.repeat(pool[..., None], shape[2], axis=-1)  # (n, n_H, n_W, n_C)
    return pool.astype(np.float32)


def _crop(pool, picks, n_H, n_W, rng):
    """One perturbation per image, randomly cropped when the pool's perturbations are larger."""
    p_H, p_W = pool.shape[1:3]
    ys = rng.integers(0, p_H - n_H + 1, size=len(picks))
    xs = rng.integers(0, p_W - n_W + 1, size=len(picks))
    return np.stack([pool[k, y:y + n_H, x:x + n_W] for k, y, x in zip(picks, ys, xs)])


def synthesize(images, overlays, mode="blend", strength=(0.3, 0.7), seed=0, max_reuse=100):
    """Composite every image with a perturbation drawn at random from a pool.

    See the module formula for each ``mode``; results are clipped to [0, 1].

    Parameters
    ----------
    images : array_like of shape (m, n_H, n_W) or (m, n_H, n_W, n_C)
        Clean images, floats in [0, 1].
    overlays : array_like of shape (k, p_H, p_W) or (k, p_H, p_W, n_C)
        The perturbation pool (e.g. from `make_perturbation_pool`);
        each is at least as large as an image and is randomly cropped when
        larger (one long noise recording cut into many clips).
    mode : {"blend", "add", "occlude"}, default "blend"
        How to composite.
    strength : float or (float, float), default (0.3, 0.7)
        The strength $s$, or a range it is drawn from uniformly per image.
    seed : int, default 0
        Seed of the draws (perturbation, crop and strength per image).
    max_reuse : float, default 100
        Warn when each perturbation would be reused more than this many
        times on average (``m / k > max_reuse``).

    Returns
    -------
    ndarray, same shape as ``images``, float32
        The synthesised images.

    Raises
    ------
    ValueError
        For images outside [0, 1], perturbations smaller than the images or
        with other channels, a bad ``mode`` or ``strength``.

    Warns
    -----
    CourseCNNWarning
        When the pool is small compared with the data.

    Examples
    --------
    >>> clean = np.zeros((4, 8, 8)); fog = np.ones((2, 8, 8))
    >>> out = synthesize(clean, fog, mode="blend", strength=0.25)
    >>> float(out.max())  # (1 - 0.25) * 0 + 0.25 * 1
    0.25
    """
    images = _checks.check_array(images, "images", kinds="biuf", finite=True)
    overlays = _checks.check_array(overlays, "overlays", kinds="biuf", finite=True)
    if images.ndim not in (3, 4):
        raise _checks.fail("images", "have shape (m, n_H, n_W) or (m, n_H, n_W, n_C)", f"shape {images.shape}")
    if images.size and (images.min() < 0 or images.max() > 1):
        raise _checks.fail("images", "hold floats in [0, 1] (divide uint8 images by 255)",
                           f"values in [{images.min():g}, {images.max():g}]")
    if overlays.ndim != images.ndim or overlays.shape[3:] != images.shape[3:] or len(overlays) == 0:
        raise _checks.fail("overlays", f"have shape (k, p_H, p_W{', n_C' if images.ndim == 4 else ''}) like `images`",
                           f"shape {overlays.shape}")
    m, n_H, n_W = images.shape[:3]
    if overlays.shape[1] < n_H or overlays.shape[2] < n_W:
        raise _checks.fail("overlays", f"be at least as large as the images ({n_H}x{n_W})",
                           f"{overlays.shape[1]}x{overlays.shape[2]}")
    mode = _checks.check_choice(mode, "mode", MODES)
    low, high = (strength, strength) if np.ndim(strength) == 0 else tuple(strength)
    low = _checks.check_probability(low, "strength")
    high = _checks.check_probability(high, "strength")
    if low > high:
        raise _checks.fail("strength", "be a range (low, high) with low <= high", repr(tuple(strength)))
    max_reuse = _checks.check_number(max_reuse, "max_reuse", low=0.0, low_inclusive=False)
    if m / len(overlays) > max_reuse:
        warnings.warn(
            f"each of the {len(overlays)} perturbations is reused about {m / len(overlays):.0f} times over "
            f"{m} images: the model may overfit to this small pool (like one hour of car noise over "
            "10,000 hours of speech); use a larger or more varied pool",
            _checks.CourseCNNWarning, stacklevel=2)
    rng = np.random.default_rng(_checks.check_seed(seed))
    picks = rng.integers(0, len(overlays), size=m)
    o = _crop(overlays.astype(np.float32), picks, n_H, n_W, rng)  # (m, n_H, n_W[, n_C])
    s = rng.uniform(low, high, size=(m,) + (1,) * (images.ndim - 1)).astype(np.float32)
    x = images.astype(np.float32)
    if mode == "add":
        out = x + s * o
    elif mode == "blend":
        out = (1 - s) * x + s * o
    else:
        a = (o > 0).astype(np.float32)
        out = x * (1 - s * a) + s * a * o
    return np.clip(out, 0.0, 1.0).astype(np.float32)
