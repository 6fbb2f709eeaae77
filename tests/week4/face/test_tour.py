"""The face part's tour demo (quick path) writes its files and gets the answers right."""

from course_cnn.week4._tour import DEMOS as WEEK4_DEMOS
from course_cnn.week4.face._tour import DEMOS


def test_registered_in_week4_tour():
    assert [d.key for d in DEMOS][0] in [d.key for d in WEEK4_DEMOS]


def test_verification_demo_quick(tmp_path):
    result = DEMOS[0].run(tmp_path, True)
    assert all(f.exists() and f.stat().st_size > 0 for f in result.files)
    answers = (tmp_path / "who_is_it.txt").read_text()
    assert "who_is_it(obama_2.jpg) -> obama" in answers and "who_is_it(obama_3.jpg) -> obama" in answers
    assert "who_is_it(grace_hopper.jpg) -> not in the database" in answers
    assert "verify(obama_2.jpg, 'obama') -> door open: True" in answers
    assert "verify(obama_2.jpg, 'biden') -> door open: False" in answers
    assert "grace_hopper -> not in the database" in result.summary


def test_distance_figure_names_photos_alike_on_both_axes_and_labels_its_colour_bar(tmp_path, monkeypatch):
    import numpy as np

    import course_cnn.plots
    from course_cnn.week4.face import _tour

    figures = []
    save = course_cnn.plots.save_figure
    monkeypatch.setattr(course_cnn.plots, "save_figure", lambda fig, path, **kw: figures.append(fig) or save(fig, path, **kw))
    rng = np.random.default_rng(0)
    encodings = rng.normal(size=(5, 128))
    _tour._distance_figure(rng.uniform(size=(5, 8, 8, 3)), encodings / np.linalg.norm(encodings, axis=1, keepdims=True),
                           tmp_path / "d.png")
    matrix = next(ax for ax in figures[0].axes if len(ax.texts) == 25)  # the 5 x 5 distances, written in the cells
    rows = [t.get_text() for t in matrix.get_yticklabels()]
    assert rows == [t.get_text() for t in matrix.get_xticklabels()] == _tour._PHOTOS  # "grace_hopper", not "hopper"
    colour_bar = next(ax for ax in figures[0].axes if ax.get_label() == "<colorbar>")
    assert colour_bar.get_ylabel().startswith("distance")
    renderer = figures[0].canvas.get_renderer()
    width = figures[0].bbox.width
    for label in matrix.get_yticklabels():  # no row label clipped at the figure's left edge
        assert 0 <= label.get_window_extent(renderer).x0 < width
