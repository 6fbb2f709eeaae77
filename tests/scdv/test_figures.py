"""SCDV's figures: what they show can be read off the figure."""

import numpy as np

from course_cnn.scdv import plot_sparsity_pattern


def test_sparsity_pattern_has_one_row_per_cluster_and_whole_cluster_ticks(tmp_path):
    vector = np.zeros((20, 5))
    vector[3, [0, 2]] = [0.2, -0.1]       # cluster 3 keeps two components, every other cluster is zeroed
    fig = plot_sparsity_pattern(vector.ravel(), 20, path=tmp_path / "pattern.png")
    ax = fig.axes[0]
    shown = ax.get_images()[0].get_array()
    assert shown.shape == (20, 5) and shown.count() == 2 and shown[3, 0] == 0.2
    ticks = [t for t in ax.get_yticks() if 0 <= t <= 19]
    assert ticks and all(float(t).is_integer() for t in ticks)  # no tick at cluster 2.5
    assert ax.get_title() == "document vector: 2.0% of components non-zero"
    assert (tmp_path / "pattern.png").stat().st_size > 0
