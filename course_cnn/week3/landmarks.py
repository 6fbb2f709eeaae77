r"""Landmark detection: regress the coordinates of key points.

A network outputs $2 n$ numbers, the $(l_{x}, l_{y})$ of $n$ landmarks
(eye corners, mouth, ... for a face), trained with squared error against
labelled points. The landmarks must mean the same thing in every image
(landmark 1 is always, say, the left eye corner). Here the images are
generated triangles and the landmarks their corners, in a fixed order:
the top corner, then the lower-left, then the lower-right one.

$$\mathcal{L} = \frac{1}{2n} \sum_{k=1}^{n} (\hat l_{x,k} - l_{x,k})^2 + (\hat l_{y,k} - l_{y,k})^2$$
"""

from __future__ import annotations

import keras
import numpy as np

from course_cnn import _checks
from course_cnn.week3.localization import _apply_small_trunk

__all__ = ["landmark_model", "make_landmark_data", "plot_landmarks"]


def landmark_model(n_landmarks, input_shape=(32, 32, 1)):
    """A small CNN regressing ``n_landmarks`` (x, y) pairs in [0, 1].

    Parameters
    ----------
    n_landmarks : int
        Number of landmarks ``n``.
    input_shape : tuple of 3 int, default (32, 32, 1)
        Image shape.

    Returns
    -------
    keras.Model
        Functional model ``"landmarks"``; output ``(None, 2 * n_landmarks)``
        ordered ``(l_x1, l_y1, l_x2, l_y2, ...)``, relative to the image.

    Examples
    --------
    >>> landmark_model(3).output_shape
    (None, 6)
    """
    n_landmarks = _checks.check_size(n_landmarks, "n_landmarks", _checks.MAX_UNITS)
    input_shape = _checks.check_input_shape(input_shape)
    inputs = keras.Input(input_shape, name="image")
    x = _apply_small_trunk(inputs)  # (None, 128)
    outputs = keras.layers.Dense(2 * n_landmarks, activation="sigmoid", name="landmarks")(x)
    return keras.Model(inputs, outputs, name="landmarks")


def _ordered_corners(corners):
    """Top corner first, then the lower two by x: a consistent landmark order."""
    top = int(np.argmin(corners[:, 1]))
    rest = np.delete(corners, top, axis=0)
    rest = rest[np.argsort(rest[:, 0])]
    return np.concatenate([corners[top:top + 1], rest])


def make_landmark_data(n, image_size=32, seed=0):
    """Generated triangles (gray images) with their three corners as landmarks.

    Parameters
    ----------
    n : int
        Number of images.
    image_size : int, default 32
        Side in pixels.
    seed : int, default 0
        Random seed.

    Returns
    -------
    X : ndarray of shape (n, image_size, image_size, 1), float32
        Images in [0, 1]: a bright filled triangle on a dark noisy background.
    Y : ndarray of shape (n, 6), float32
        Corners ``(x, y)`` relative to the image (pixel units / image_size),
        ordered top, lower-left, lower-right.

    Examples
    --------
    >>> X, Y = make_landmark_data(3)
    >>> X.shape, Y.shape
    ((3, 32, 32, 1), (3, 6))
    """
    n = _checks.check_size(n, "n", _checks.MAX_EXAMPLES)
    image_size = _checks.check_int(image_size, "image_size", 8, _checks.MAX_IMAGE_SIDE)
    rng = np.random.default_rng(_checks.check_seed(seed))
    yy, xx = np.mgrid[0:image_size, 0:image_size] + 0.5  # pixel centres
    X = np.clip(rng.normal(0.1, 0.05, (n, image_size, image_size, 1)), 0, 1).astype(np.float32)
    Y = np.zeros((n, 6), np.float32)
    margin = 0.1 * image_size
    for j in range(n):
        top = [rng.uniform(margin, image_size - margin), rng.uniform(margin, 0.4 * image_size)]
        left = [rng.uniform(margin, 0.45 * image_size), rng.uniform(0.6 * image_size, image_size - margin)]
        right = [rng.uniform(0.55 * image_size, image_size - margin), rng.uniform(0.6 * image_size, image_size - margin)]
        corners = _ordered_corners(np.array([top, left, right]))  # (3, 2) as (x, y) in pixels
        # inside test: the same sign of the three edge cross products
        signs = []
        for a, b in ((0, 1), (1, 2), (2, 0)):
            (x0, y0), (x1, y1) = corners[a], corners[b]
            signs.append((x1 - x0) * (yy - y0) - (y1 - y0) * (xx - x0))
        inside = np.all(np.stack(signs) >= 0, axis=0) | np.all(np.stack(signs) <= 0, axis=0)
        X[j, inside, 0] = rng.uniform(0.7, 1.0)
        Y[j] = (corners / image_size).ravel()
    return X, Y


def plot_landmarks(images, true_landmarks, pred_landmarks=None, path=None, ncols=4):
    """Show images with their true (circles) and predicted (crosses) landmarks.

    Parameters
    ----------
    images : array_like of shape (m, n_H, n_W) or (m, n_H, n_W, n_C)
        Images.
    true_landmarks : array_like of shape (m, 2 * n)
        ``(x, y)`` pairs relative to the image.
    pred_landmarks : array_like of shape (m, 2 * n), optional
        Predictions, same layout.
    path : str or os.PathLike, optional
        Where to save the figure.
    ncols : int, default 4
        Images per row.

    Returns
    -------
    matplotlib.figure.Figure
        The grid.

    Examples
    --------
    >>> X, Y = make_landmark_data(2)
    >>> len(plot_landmarks(X, Y, Y).axes)
    2
    """
    from course_cnn.plots import image_grid, save_figure

    images = _checks.check_array(images, "images", finite=True)
    if images.ndim not in (3, 4):
        raise _checks.fail("images", "have shape (m, n_H, n_W) or (m, n_H, n_W, n_C)", f"shape {images.shape}")
    if true_landmarks is None:
        raise _checks.fail("true_landmarks", "be an array of shape (m, 2 * n)", "None", TypeError)
    landmarks = {}
    for name, value in (("true_landmarks", true_landmarks), ("pred_landmarks", pred_landmarks)):
        if value is None:
            continue
        value = _checks.check_array(value, name, ndim=2, kinds="iuf", finite=True)
        if value.shape[0] != len(images) or value.shape[1] % 2:
            raise _checks.fail(name, f"have shape (m, 2 * n) with m = {len(images)} images", f"shape {value.shape}")
        landmarks[name] = value
    true_landmarks, pred_landmarks = landmarks["true_landmarks"], landmarks.get("pred_landmarks")
    fig = image_grid(images, ncols=ncols)
    size = np.array([images.shape[2], images.shape[1]])  # (width, height) to scale (x, y)
    for i, ax in enumerate(fig.axes[: len(images)]):
        points = true_landmarks[i].reshape(-1, 2) * size - 0.5
        ax.scatter(points[:, 0], points[:, 1], s=40, facecolors="none", edgecolors="lime", label="true")
        if pred_landmarks is not None:
            guess = pred_landmarks[i].reshape(-1, 2) * size - 0.5
            ax.scatter(guess[:, 0], guess[:, 1], s=40, marker="x", color="red", label="predicted")
    if path is not None:
        save_figure(fig, path)
    return fig
