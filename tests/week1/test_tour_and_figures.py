"""The tour demos' quick path and the figure helpers."""

import re
import time

import numpy as np
import pytest

from course_cnn.tour import run_tour
from course_cnn.week1 import convolutional_model, plot_edge_responses, plot_feature_maps
from course_cnn.week1 import _tour
from course_cnn.week1._tour import DEMOS

# The least that runs every line of each quick demo: a smaller photo, one LeNet step on all the digits, 2 feature
# maps per layer, and two faces (the figure's columns; obama_1's broad smile is the one the summary is checked for).
_TINY = dict(photo_step=4, lenet=dict(epochs=1, batch_size=2048), feature_maps=2, faces=("grace_hopper", "obama_1"))


def test_quick_tour_writes_its_files(tmp_path, tiny_tour_budget, eager_tf_functions):
    """Every demo's wiring with a tiny budget; the quick budget itself runs in the slow step (below)."""
    tiny_tour_budget(_tour, _TINY)
    _check_quick_tour(tmp_path)


@pytest.mark.slow
def test_quick_tour_writes_its_files_at_its_quick_budget(tmp_path):
    _check_quick_tour(tmp_path)


def _check_quick_tour(tmp_path):
    start = time.perf_counter()
    outcomes = run_tour(tmp_path, quick=True, demos=DEMOS, echo=lambda line: None)
    assert [o.error for o in outcomes] == [None, None, None]
    for outcome in outcomes:
        assert outcome.result.files
        for file in outcome.result.files:
            assert file.is_file() and file.stat().st_size > 0
    assert "thick edge of 30s" in outcomes[0].result.summary
    assert "obama_1 p(happy)=1.00" in outcomes[2].result.summary  # the expression demo: a broad smile
    assert (tmp_path / "index.html").is_file()
    assert time.perf_counter() - start < 120  # generous: the machine is shared


def test_plot_edge_responses_panels_and_errors(tmp_path):
    x = np.tile(np.array([10, 10, 10, 0, 0, 0]), (6, 1))
    fig = plot_edge_responses(x, filters={"v": np.array([[1, 0, -1]] * 3)}, path=tmp_path / "e.png")
    assert len(fig.axes) == 2 and (tmp_path / "e.png").is_file()
    with pytest.raises(ValueError, match=re.escape("`filters` must name at least one filter; got an empty dict.")):
        plot_edge_responses(x, filters={})


def test_plot_feature_maps_shows_the_layer_output():
    model = convolutional_model((16, 16, 3))
    fig = plot_feature_maps(model, np.ones((16, 16, 3)), "conv2", max_maps=5)
    assert sum(ax.images != [] for ax in fig.axes) == 1 + 5  # the input, then 5 maps
    assert fig.axes[0].get_title() == "input 16x16"
    # 16x16 input, 8x8 pooling with stride 8 -> 2x2, then conv2 (same, 16 filters) -> 2x2x16
    assert fig._suptitle.get_text() == "feature maps of conv2 (2x2x16): the first 5 of 16 channels"
    with pytest.raises(ValueError, match=re.escape("`layer_name` must name a layer with output (batch, n_H, n_W, n_C); got 'fc' with output shape (None, 6).")):
        plot_feature_maps(model, np.ones((16, 16, 3)), "fc")
    with pytest.raises(ValueError, match=re.escape("`image` must have shape (16, 16, 3); got shape (8, 8, 3).")):
        plot_feature_maps(model, np.ones((8, 8, 3)), "conv1")
