r"""Edge detection: the convolution before it was learned.

A vertical-edge filter is positive on its left column and negative on its
right one, so laid over a region of constant brightness it sums to 0 and
laid across a bright-to-dark change it gives a large value:

$$K_{\text{vertical}} = \begin{pmatrix} 1 & 0 & -1 \\ 1 & 0 & -1 \\ 1 & 0 & -1 \end{pmatrix},\qquad
\text{edges}[h, w] = \sum_{u, v} x[h + u, w + v]\, K[u, v]$$

(a cross-correlation, what deep learning calls convolution: the kernel is
not flipped). Sobel and Scharr weigh the centre row more
($\begin{smallmatrix}1 & 2 & 1\end{smallmatrix}$ and
$\begin{smallmatrix}3 & 10 & 3\end{smallmatrix}$); a CNN learns its nine
numbers instead of choosing them.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks
from course_cnn.week1.conv import _conv_forward

__all__ = ["vertical_edge_filter", "horizontal_edge_filter", "sobel_filter", "scharr_filter", "detect_edges"]

#: ITU-R BT.601 luma weights used to turn RGB into grayscale.
LUMA_WEIGHTS = (0.299, 0.587, 0.114)
_AXES = ("vertical", "horizontal")


def vertical_edge_filter():
    r"""The course's 3x3 vertical-edge filter: bright on the left, dark on the right gives a positive response.

    $$\begin{pmatrix} 1 & 0 & -1 \\ 1 & 0 & -1 \\ 1 & 0 & -1 \end{pmatrix}$$

    Returns
    -------
    ndarray of shape (3, 3), float64
        The filter.

    Examples
    --------
    >>> vertical_edge_filter()
    array([[ 1.,  0., -1.],
           [ 1.,  0., -1.],
           [ 1.,  0., -1.]])
    """
    return np.array([[1.0, 0.0, -1.0]] * 3)


def horizontal_edge_filter():
    r"""The course's 3x3 horizontal-edge filter: bright above, dark below gives a positive response.

    $$\begin{pmatrix} 1 & 1 & 1 \\ 0 & 0 & 0 \\ -1 & -1 & -1 \end{pmatrix}$$

    Returns
    -------
    ndarray of shape (3, 3), float64
        The filter (the transpose of ``vertical_edge_filter``).

    Examples
    --------
    >>> horizontal_edge_filter()
    array([[ 1.,  1.,  1.],
           [ 0.,  0.,  0.],
           [-1., -1., -1.]])
    """
    return vertical_edge_filter().T.copy()


def _weighted_filter(side: float, centre: float, axis: str) -> np.ndarray:
    axis = _checks.check_choice(axis, "axis", _AXES)
    # left column +weights, right column -weights: responds to bright-left / dark-right
    vertical = np.array([[side, 0.0, -side], [centre, 0.0, -centre], [side, 0.0, -side]])
    return vertical if axis == "vertical" else vertical.T.copy()


def sobel_filter(axis="vertical"):
    r"""The Sobel filter: the vertical-edge filter with the centre row weighted 2.

    $$\text{vertical: } \begin{pmatrix} 1 & 0 & -1 \\ 2 & 0 & -2 \\ 1 & 0 & -1 \end{pmatrix},
    \qquad \text{horizontal: its transpose}$$

    Parameters
    ----------
    axis : {"vertical", "horizontal"}, default "vertical"
        Which edges the filter responds to.

    Returns
    -------
    ndarray of shape (3, 3), float64
        The filter.

    Raises
    ------
    ValueError
        For another ``axis``.

    Examples
    --------
    >>> sobel_filter("horizontal")
    array([[ 1.,  2.,  1.],
           [ 0.,  0.,  0.],
           [-1., -2., -1.]])

    References
    ----------
    I. Sobel and G. Feldman, "A 3x3 isotropic gradient operator for image processing", 1968.
    """
    return _weighted_filter(1.0, 2.0, axis)


def scharr_filter(axis="vertical"):
    r"""The Scharr filter: weights 3, 10, 3, closer to rotation invariance than Sobel.

    $$\text{vertical: } \begin{pmatrix} 3 & 0 & -3 \\ 10 & 0 & -10 \\ 3 & 0 & -3 \end{pmatrix},
    \qquad \text{horizontal: its transpose}$$

    Parameters
    ----------
    axis : {"vertical", "horizontal"}, default "vertical"
        Which edges the filter responds to.

    Returns
    -------
    ndarray of shape (3, 3), float64
        The filter.

    Raises
    ------
    ValueError
        For another ``axis``.

    Examples
    --------
    >>> scharr_filter()[1]
    array([ 10.,   0., -10.])

    References
    ----------
    H. Scharr, "Optimale Operatoren in der digitalen Bildverarbeitung", PhD thesis, Heidelberg, 2000.
    """
    return _weighted_filter(3.0, 10.0, axis)


def detect_edges(image, kernel):
    r"""Convolve a grayscale or RGB image with an edge filter ("valid": no padding, stride 1).

    $$\text{edges}[h, w] = \sum_{u, v} x[h + u, w + v]\, K[u, v], \qquad
    \text{shape } (n_H - f + 1,\; n_W - f + 1)$$

    An RGB image is first turned to grayscale with the luma weights
    $x = 0.299 R + 0.587 G + 0.114 B$. Values keep the image's scale
    (0-255 for ``uint8``).

    Parameters
    ----------
    image : ndarray of shape (n_H, n_W), (n_H, n_W, 1) or (n_H, n_W, 3)
        Grayscale or RGB image, int or float.
    kernel : ndarray of shape (f, f)
        The filter, e.g. ``vertical_edge_filter``.

    Returns
    -------
    ndarray of shape (n_H - f + 1, n_W - f + 1), float64
        The filter's response at every position.

    Raises
    ------
    ValueError
        For an image of another shape, a kernel that is not square 2-D or is
        larger than the image, or non-finite values.
    TypeError
        For non-numeric arrays.

    Examples
    --------
    >>> x = np.array([[10, 10, 10, 0, 0, 0]] * 6)  # bright left half, dark right half
    >>> detect_edges(x, vertical_edge_filter())  # 10+10+10 - (0+0+0) = 30 where the window straddles the edge
    array([[ 0., 30., 30.,  0.],
           [ 0., 30., 30.,  0.],
           [ 0., 30., 30.,  0.],
           [ 0., 30., 30.,  0.]])
    """
    image = _checks.check_array(image, "image", kinds="iuf", finite=True)
    if image.ndim == 3 and image.shape[-1] in (1, 3):
        gray = image[..., 0] if image.shape[-1] == 1 else image @ np.asarray(LUMA_WEIGHTS)  # (n_H, n_W)
    elif image.ndim == 2:
        gray = image
    else:
        raise _checks.fail("image", "have shape (n_H, n_W), (n_H, n_W, 1) or (n_H, n_W, 3)", f"shape {image.shape}")
    kernel = _checks.check_array(kernel, "kernel", ndim=2, kinds="iuf", finite=True)
    if kernel.shape[0] != kernel.shape[1]:
        raise _checks.fail("kernel", "be a square (f, f) filter", f"shape {kernel.shape}")
    if kernel.shape[0] > min(gray.shape):
        raise _checks.fail("kernel", f"be at most as large as the image ({gray.shape[0]} x {gray.shape[1]})", f"shape {kernel.shape}")
    f = kernel.shape[0]
    A_prev = gray.astype(np.float64)[None, :, :, None]  # (1, n_H, n_W, 1)
    W = kernel.astype(np.float64).reshape(f, f, 1, 1)  # one filter over one channel
    Z = _conv_forward(A_prev, W, np.zeros((1, 1, 1, 1)), stride=1, pad=0)  # (1, n_H - f + 1, n_W - f + 1, 1)
    return Z[0, :, :, 0]
