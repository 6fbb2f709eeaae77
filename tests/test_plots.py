"""Plot helpers: figures without pyplot, saved where asked, inputs checked."""

import re

import numpy as np
import pytest

from course_cnn import plots


def test_image_grid_layout_and_save(tmp_path):
    images = np.random.default_rng(0).random((10, 8, 8, 1))
    fig = plots.image_grid(images, titles=[str(i) for i in range(10)], ncols=4, path=tmp_path / "grid.png")
    assert len(fig.axes) == 12  # 3 rows x 4 columns, two left empty
    assert [ax.get_title() for ax in fig.axes[:3]] == ["0", "1", "2"]
    assert (tmp_path / "grid.png").stat().st_size > 1000


def test_image_grid_errors():
    with pytest.raises(ValueError, match=re.escape("`images` must have shape (m, n_H, n_W) or (m, n_H, n_W, n_C); got shape (8, 8).")):
        plots.image_grid(np.zeros((8, 8)))
    with pytest.raises(ValueError, match=re.escape("`titles` must have one title per image (2); got 1 titles.")):
        plots.image_grid(np.zeros((2, 4, 4)), titles=["a"])


def test_training_curves_from_dict_and_history(tmp_path):
    logs = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.7, 0.8]}
    fig = plots.training_curves(logs, metrics=("loss", "accuracy"), path=tmp_path / "c.png")
    loss_ax, acc_ax = fig.axes
    assert len(loss_ax.lines) == 2 and len(acc_ax.lines) == 1  # val only where logged
    np.testing.assert_array_equal(loss_ax.lines[0].get_ydata(), [1.0, 0.5, 0.3])

    class History:
        history = logs

    assert len(plots.training_curves(History()).axes) == 1
    with pytest.raises(ValueError, match=re.escape("`metrics` must name logged metrics (accuracy, loss, val_loss); got 'auc'.")):
        plots.training_curves(logs, metrics=("auc",))


def test_draw_boxes_on_image_formats():
    image = np.zeros((20, 30, 3), dtype=np.uint8)
    fig = plots.draw_boxes_on_image(image, [[2, 3, 12, 8]], labels=["face"], scores=[0.91])
    (rect,) = fig.axes[0].patches
    assert rect.get_xy() == (2, 3) and rect.get_width() == 10 and rect.get_height() == 5
    assert fig.axes[0].texts[0].get_text() == "face 0.91"
    # the same box given as (y1, x1, y2, x2)
    fig = plots.draw_boxes_on_image(image, [[3, 2, 8, 12]], box_format="yxyx")
    (rect,) = fig.axes[0].patches
    assert rect.get_xy() == (2, 3) and rect.get_width() == 10


def test_draw_boxes_on_image_empty_and_errors():
    fig = plots.draw_boxes_on_image(np.zeros((5, 5)), np.zeros((0, 4)))
    assert len(fig.axes[0].patches) == 0
    with pytest.raises(ValueError, match=re.escape("`boxes` must have shape (None, 4); got shape (1, 3).")):
        plots.draw_boxes_on_image(np.zeros((5, 5)), [[1, 2, 3]])
    with pytest.raises(ValueError, match=re.escape("`scores` must have one entry per box (1); got 2 entries.")):
        plots.draw_boxes_on_image(np.zeros((5, 5)), [[1, 2, 3, 4]], scores=[0.1, 0.2])
    with pytest.raises(ValueError, match=re.escape("`box_format` must be one of 'xyxy', 'yxyx'; got 'xywh'.")):
        plots.draw_boxes_on_image(np.zeros((5, 5)), [[1, 2, 3, 4]], box_format="xywh")


def test_new_figure_uses_an_agg_canvas():
    fig, axes = plots.new_figure(2, 3)
    assert fig.canvas.__class__.__name__ == "FigureCanvasAgg"
    assert axes.shape == (2, 3)
    with pytest.raises(ValueError, match=re.escape("`nrows` must be an int in [1, 10000]; got 0.")):
        plots.new_figure(0, 1)


def test_plots_refuse_nan_bare_strings_and_huge_grids():
    with pytest.raises(ValueError, match=re.escape("`images` must contain only finite values; got 1 NaN or infinite entry.")):
        plots.image_grid(np.array([[[np.nan, 0.0]]]))
    with pytest.raises(TypeError, match=re.escape(
            "`labels` must be a sequence of str, not a single str (it would be read letter by letter); got 'car'.")):
        plots.draw_boxes_on_image(np.zeros((4, 4, 3)), [[0, 0, 2, 2]], labels="car")
    with pytest.raises(ValueError, match=re.escape("`boxes` must contain only finite values; got 1 NaN or infinite entry.")):
        plots.draw_boxes_on_image(np.zeros((4, 4, 3)), [[0, 0, np.nan, 2]])
    with pytest.raises(ValueError, match=re.escape("`nrows` must be an int in [1, 10000]; got 1000000000000.")):
        plots.new_figure(10**12)
    with pytest.raises(TypeError, match=re.escape("`fig` must be a matplotlib Figure; got None.")):
        plots.save_figure(None, "x.png")
