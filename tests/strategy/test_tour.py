"""The strategy tour demo's quick path writes its figures and tables."""

import pytest

from course_cnn.strategy import _tour
from course_cnn.strategy._tour import DEMOS


def test_quick_demo_writes_files(tmp_path, tiny_tour_budget):
    """The demo's wiring after one epoch (its dev errors still include heavily noisy ones), 4 errors to tag.

    In graph mode: eagerly, its 36 training and 65 prediction batches take longer than tracing them.
    """
    tiny = dict(epochs=1, errors_to_tag=4)
    tiny_tour_budget(_tour, tiny)
    _check_quick_demo(tmp_path)


@pytest.mark.slow
def test_quick_demo_writes_files_at_its_quick_budget(tmp_path):
    _check_quick_demo(tmp_path)


def _check_quick_demo(tmp_path):
    (demo,) = DEMOS
    result = demo.run(tmp_path, True)
    assert result.files and all(f.is_file() and f.stat().st_size > 0 for f in result.files)
    names = {f.name for f in result.files}
    assert {"error_ladder.png", "error_analysis.png", "errors.csv", "diagnosis.txt"} <= names
    assert "verdict:" in (tmp_path / "diagnosis.txt").read_text()
    assert "| heavy noise |" in (tmp_path / "error_analysis.md").read_text()
    assert "dev errors are heavily noisy" in result.summary
