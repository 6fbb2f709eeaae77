r"""Zero padding: a border of zeros around every image of a batch.

A convolution with an $f \times f$ filter shrinks an $n \times n$ image to
$(n - f + 1) \times (n - f + 1)$ and uses the corner pixels only once.
Padding with $p$ zeros on every side fixes both: the output becomes
$(n + 2p - f + 1)$ wide, and a "same" convolution (output as wide as the
input) needs $p = (f - 1)/2$ (see ``course_cnn.week1.same_padding``).
"Valid" means $p = 0$.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.week1 import _validate

__all__ = ["zero_pad"]


def zero_pad(X, pad):
    r"""Pad the height and width of every image in ``X`` with ``pad`` zeros.

    The batch and channel axes are not padded:

    $$X_{\text{pad}}[i, h + p, w + p, c] = X[i, h, w, c], \qquad
    \text{shape } (m, n_H + 2p, n_W + 2p, n_C).$$

    Parameters
    ----------
    X : ndarray of shape (m, n_H, n_W, n_C)
        A batch of images (or activations); any int or float dtype.
    pad : int
        Zeros added on each side of the height and width, ``pad >= 0``.

    Returns
    -------
    X_pad : ndarray of shape (m, n_H + 2 * pad, n_W + 2 * pad, n_C)
        The padded batch, same dtype as ``X``.

    Raises
    ------
    ValueError
        For ``X`` not of rank 4, non-finite values, or a negative ``pad``.
    TypeError
        For a ``pad`` that is not an int.

    Examples
    --------
    >>> X = np.ones((1, 2, 2, 1))
    >>> zero_pad(X, 1)[0, :, :, 0]
    array([[0., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 1., 1., 0.],
           [0., 0., 0., 0.]])
    """
    X = _validate.activations(X, "X")
    pad = _checks.check_non_negative_int(pad, "pad")
    if pad > _checks.MAX_IMAGE_SIDE:  # checked before allocating the padded array
        raise _checks.fail("pad", f"be at most {_checks.MAX_IMAGE_SIDE} (the largest image side)", repr(pad))
    return _zero_pad(X, pad) if pad else X.copy()


def _zero_pad(X: np.ndarray, pad: int) -> np.ndarray:
    # Kernel: returns X itself (no copy) when pad == 0.
    if pad == 0:
        return X
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), dtype=X.dtype)  # (m, n_H + 2p, n_W + 2p, n_C)
    X_pad[:, pad : pad + n_H, pad : pad + n_W, :] = X
    return X_pad
