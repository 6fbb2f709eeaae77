"""The ``course-cnn style`` command and the tour demos (quick paths)."""

import numpy as np
import pytest
from PIL import Image

from course_cnn.cli import main
from course_cnn.week4.style import _tour


def test_style_command_random_weights(tmp_path, capsys):
    rng = np.random.default_rng(0)
    content = tmp_path / "content.png"
    Image.fromarray(rng.integers(0, 256, size=(30, 40), dtype=np.uint8)).save(content)  # grayscale, 3:4
    out = tmp_path / "out" / "result.png"
    code = main(["style", str(content), "texture", "--out", str(out), "--iterations", "3", "--size", "32",
                 "--weights", "random", "--quiet", "--snapshot-every", "3"])
    assert code == 0
    text = capsys.readouterr().out
    assert "RANDOM weights: the network is untrained" in text
    assert "in 3 steps" in text
    for name in ("result.png", "result_side_by_side.png", "result_cost.png", "result_snapshots/step_00003.png"):
        assert (out.parent / name).is_file(), name
    with Image.open(out) as img:
        assert img.size == (32, 24) and img.mode == "RGB"  # longer side 32, aspect 3:4 kept


def test_style_command_errors(tmp_path, capsys):
    assert main(["style", "no_such_image.png", "texture", "--weights", "random"]) == 2
    err = capsys.readouterr().err
    assert "no image file 'no_such_image.png', and it is not a bundled name (" in err
    assert all(name in err for name in ("china", "flower", "grace_hopper"))
    code = main(["style", "china", "texture", "--weights", str(tmp_path / "missing.h5"), "--size", "32"])
    assert code == 2
    assert "missing.h5" in capsys.readouterr().err


@pytest.mark.parametrize("demo", _tour.DEMOS, ids=lambda d: d.key)
def test_tour_demo_quick(demo, tmp_path):
    result = demo.run(tmp_path, True)
    assert result.files and all(f.is_file() for f in result.files)
    assert result.summary
    if demo.key == "week4-style-transfer" and "UNTRAINED" not in result.summary:
        assert "ImageNet" in result.summary  # only with a locally cached weights file
