"""The docs' figure generators run, write small readable PNGs, and every figure is on a page."""

from pathlib import Path

import pytest

from course_cnn import docs_figures

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _check_png(path, max_bytes=150_000, max_width=1400):
    from PIL import Image

    path = Path(path)
    assert path.is_file() and path.suffix == ".png"
    assert path.stat().st_size < max_bytes, f"{path.name}: {path.stat().st_size} bytes"
    with Image.open(path) as img:
        assert img.width <= max_width


def _fast_modules():
    from course_cnn import _more_figures
    from course_cnn.week1 import _concept_figures as week1
    from course_cnn.week3 import _concept_figures as week3

    return [week1, week3, _more_figures]


@pytest.mark.parametrize("module_index", [0, 1, 2])
def test_fast_concept_figures_write_pngs(tmp_path, module_index):
    module = _fast_modules()[module_index]
    for name, make in module.FIGURES.items():
        if name in getattr(module, "SLOW", ()):
            continue
        _check_png(make(tmp_path / Path(name).name))


def test_week2_architecture_figures(tmp_path, monkeypatch):
    import course_cnn.week2
    from course_cnn.week2 import _concept_figures as week2
    from course_cnn.week2 import lenet5

    assert [s[0] for s in week2.architecture_stages(lenet5())][:3] == ["input", "conv 5x5, 6", "avg pool 2x2 /2"]
    _check_png(week2.architecture_figure(lenet5(), tmp_path / "lenet.png", "LeNet-5"))
    # case_studies_size.png builds five networks at their default sizes (4-5 s, most of it VGG-16's 138 M weights);
    # here each row is a LeNet-5 (the drawing is the same code), test_case_studies_figure_of_the_real_networks
    # (slow) draws the real one, and tests/week2 builds each default network
    built = []
    for name in ("lenet5", "alexnet", "vgg16", "googlenet", "ResNet50"):
        monkeypatch.setattr(course_cnn.week2, name, lambda name=name: built.append(name) or lenet5())
    for name, make in week2.FIGURES.items():
        _check_png(make(tmp_path / name))
    assert built == ["lenet5", "alexnet", "vgg16", "googlenet", "ResNet50"]


@pytest.mark.slow
def test_case_studies_figure_of_the_real_networks(tmp_path):
    from course_cnn.week2 import _concept_figures as week2

    _check_png(week2.case_studies_figure(tmp_path / "case_studies_size.png"))


def test_window_counts_match_the_output_size_formula():
    from course_cnn._diagrams import window_counts

    counts = window_counts(6, 3, 2)  # floor((6 - 3)/2) + 1 = 2 windows per side
    assert counts.sum() == 2 * 2 * 9
    assert counts[5].sum() == 0 and counts[:, 5].sum() == 0  # the leftover row and column
    assert window_counts(6, 3, 1, pad=1)[1, 1] == 4  # a corner pixel under same padding


@pytest.mark.slow
def test_week4_figures_with_the_shipped_encoder(tmp_path):
    from course_cnn.week4 import _concept_figures as week4

    for name, make in week4.FIGURES.items():
        _check_png(make(tmp_path / Path(name).name))


@pytest.mark.slow
def test_figures_that_load_the_shipped_face_models(tmp_path):
    from course_cnn import _more_figures

    for name in _more_figures.SLOW:
        _check_png(_more_figures.FIGURES[name](tmp_path / Path(name).name))


def test_every_concept_figure_is_embedded_in_a_page():
    import importlib

    pages = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    for name in ("course_cnn.week1._concept_figures", "course_cnn.week2._concept_figures",
                 "course_cnn.week3._concept_figures", "course_cnn.week4._concept_figures",
                 "course_cnn._more_figures"):
        for figure in importlib.import_module(name).FIGURES:
            assert f"img/{Path(figure).name})" in pages, figure


def test_command_lists_and_selects(capsys):
    assert docs_figures.main(["--list"]) == 0
    assert "week1_concepts" in capsys.readouterr().out
    assert "week3_concepts" in docs_figures.select(["concepts"])
    assert "week1_trained" not in docs_figures.select(["concepts"])
    assert "scdv_clusters" not in docs_figures.select([])
    assert "scdv_clusters" in docs_figures.select([], benchmarks=True)
    with pytest.raises(SystemExit, match="unknown generator 'nope'"):
        docs_figures.select(["nope"])
