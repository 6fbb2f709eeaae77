"""The strategy tour demo's quick path writes its figures and tables."""

from course_cnn.strategy._tour import DEMOS


def test_quick_demo_writes_files(tmp_path):
    (demo,) = DEMOS
    result = demo.run(tmp_path, True)
    assert result.files and all(f.is_file() and f.stat().st_size > 0 for f in result.files)
    names = {f.name for f in result.files}
    assert {"error_ladder.png", "error_analysis.png", "errors.csv", "diagnosis.txt"} <= names
    assert "verdict:" in (tmp_path / "diagnosis.txt").read_text()
    assert "| heavy noise |" in (tmp_path / "error_analysis.md").read_text()
    assert "dev errors are heavily noisy" in result.summary
