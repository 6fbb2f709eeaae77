"""Edge filters and detect_edges: the notes' example, RGB, a real photo, scipy as reference."""

import re

import numpy as np
import pytest
from scipy.signal import correlate2d

from course_cnn.datasets import load_photo
from course_cnn.week1 import detect_edges, horizontal_edge_filter, scharr_filter, sobel_filter, vertical_edge_filter


def test_notes_six_by_six_example_thick_edge_of_30s():
    x = np.array([[10, 10, 10, 0, 0, 0]] * 6)  # bright left half, dark right half
    edges = detect_edges(x, vertical_edge_filter())
    # every window straddling the edge: (10 + 10 + 10) * 1 + 0 * 0 + 0 * (-1) per row... = 30
    np.testing.assert_array_equal(edges, [[0, 30, 30, 0]] * 4)
    # dark to bright gives -30; the horizontal filter sees no edge
    np.testing.assert_array_equal(detect_edges(x[:, ::-1], vertical_edge_filter()), [[0, -30, -30, 0]] * 4)
    np.testing.assert_array_equal(detect_edges(x, horizontal_edge_filter()), np.zeros((4, 4)))


def test_filters():
    np.testing.assert_array_equal(vertical_edge_filter(), [[1, 0, -1]] * 3)
    np.testing.assert_array_equal(horizontal_edge_filter(), vertical_edge_filter().T)
    np.testing.assert_array_equal(sobel_filter(), [[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    np.testing.assert_array_equal(sobel_filter("horizontal"), [[1, 2, 1], [0, 0, 0], [-1, -2, -1]])
    np.testing.assert_array_equal(scharr_filter(), [[3, 0, -3], [10, 0, -10], [3, 0, -3]])
    np.testing.assert_array_equal(scharr_filter("horizontal"), scharr_filter().T)
    for kernel in (vertical_edge_filter(), sobel_filter(), scharr_filter("horizontal")):
        assert kernel.sum() == 0  # flat regions give 0
    with pytest.raises(ValueError, match=re.escape("`axis` must be one of 'vertical', 'horizontal'; got 'diagonal'.")):
        sobel_filter("diagonal")


@pytest.mark.parametrize("kernel", [vertical_edge_filter(), sobel_filter("horizontal"), scharr_filter()])
def test_detect_edges_matches_scipy_cross_correlation(kernel):
    rng = np.random.default_rng(0)
    image = rng.random((12, 15))
    np.testing.assert_allclose(detect_edges(image, kernel), correlate2d(image, kernel, mode="valid"), rtol=0, atol=1e-12)


def test_detect_edges_rgb_uses_luma():
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, size=(10, 9, 3), dtype=np.uint8)
    gray = rgb @ np.array([0.299, 0.587, 0.114])
    np.testing.assert_allclose(detect_edges(rgb, sobel_filter()), detect_edges(gray, sobel_filter()), atol=1e-9)
    np.testing.assert_array_equal(detect_edges(gray[..., None], sobel_filter()), detect_edges(gray, sobel_filter()))


def test_detect_edges_on_a_real_photo():
    photo = load_photo("china")  # (427, 640, 3) uint8
    vertical = np.abs(detect_edges(photo, vertical_edge_filter()))
    horizontal = np.abs(detect_edges(photo, horizontal_edge_filter()))
    assert vertical.shape == horizontal.shape == (photo.shape[0] - 2, photo.shape[1] - 2)
    # the strongest vertical responses come from columns where brightness changes left to right
    h, w = np.unravel_index(np.argmax(vertical), vertical.shape)
    gray = photo @ np.array([0.299, 0.587, 0.114])
    assert abs(gray[h : h + 3, w].sum() - gray[h : h + 3, w + 2].sum()) == pytest.approx(vertical[h, w])
    assert vertical.max() > 100 and horizontal.max() > 100  # 0-255 scale, a real image has edges


def test_detect_edges_errors():
    with pytest.raises(ValueError, match=re.escape("`image` must have shape (n_H, n_W), (n_H, n_W, 1) or (n_H, n_W, 3); got shape (5, 5, 2).")):
        detect_edges(np.zeros((5, 5, 2)), vertical_edge_filter())
    with pytest.raises(ValueError, match=re.escape("`kernel` must be a square (f, f) filter; got shape (3, 2).")):
        detect_edges(np.zeros((5, 5)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=re.escape("`kernel` must be at most as large as the image (2 x 5); got shape (3, 3).")):
        detect_edges(np.zeros((2, 5)), vertical_edge_filter())
    with pytest.raises(ValueError, match=re.escape("`image` must contain only finite values; got 3 NaN or infinite entries.")):
        detect_edges(np.array([[np.nan, 0, 0]] * 3), vertical_edge_filter())
