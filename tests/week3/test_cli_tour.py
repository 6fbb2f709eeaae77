"""`course-cnn detect` and the week-3 tour demos."""

import numpy as np
import pytest
from PIL import Image

from course_cnn.cli import main
from course_cnn.datasets import load_photo
from course_cnn.week3._tour import DEMOS


def test_detect_command_prints_and_draws(tmp_path, capsys):
    photo = tmp_path / "grace.jpg"
    Image.fromarray(load_photo("grace_hopper")).save(photo)
    out = tmp_path / "boxes.png"
    assert main(["detect", str(photo), "--out", str(out), "--score-threshold", "0.6"]) == 0
    text = capsys.readouterr().out
    assert "1 face found" in text and "face 1: score 0.9" in text
    assert out.stat().st_size > 10_000


def test_detect_command_no_face(tmp_path, capsys):
    photo = tmp_path / "flower.png"
    Image.fromarray(load_photo("flower")).save(photo)
    assert main(["detect", str(photo)]) == 0
    assert "0 faces found" in capsys.readouterr().out


def test_detect_command_takes_a_bundled_photo_name(capsys):
    assert main(["detect", "grace_hopper"]) == 0      # named as in verify and style
    assert "1 face found in grace_hopper" in capsys.readouterr().out


def test_detect_command_errors(tmp_path, capsys):
    assert main(["detect", str(tmp_path / "none.jpg")]) == 2
    assert "`IMAGE` must be an existing image file or a bundled photo name (" in capsys.readouterr().err
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(tmp_path / "x.png")
    assert main(["detect", str(tmp_path / "x.png"), "--score-threshold", "2"]) == 2
    assert capsys.readouterr().err == "course-cnn detect: error: `--score-threshold` must be a probability in [0, 1]; got 2.0.\n"
    assert main(["detect", str(tmp_path / "x.png"), "--iou-threshold", "-0.1"]) == 2
    assert capsys.readouterr().err == "course-cnn detect: error: `--iou-threshold` must be a probability in [0, 1]; got -0.1.\n"


# The least that runs every line of each quick demo: a photo with a face and one without (the SSD demo's IoU is
# taken only when both detectors find one), the 4 shapes images shown, and the U-Net's scenes 0, 1, 4 and 5.
_TINY = {"shapes_test_images": 4, "unet_test_scenes": 6, "digits_unet": dict(n_train=8, epochs=1)}
_TINY_FACE_API = {"landmarks": ("grace_hopper",), "ssd": ("grace_hopper", "flower")}


def test_quick_tour_demos_write_their_figures(tmp_path, tiny_tour_budget, eager_tf_functions):
    """Every demo's wiring with a tiny budget; the quick budget itself runs in the slow step (below)."""
    from course_cnn.week3 import _tour, _tour_face_api

    tiny_tour_budget(_tour, _TINY)
    tiny_tour_budget(_tour_face_api, _TINY_FACE_API)
    _check_quick_demos(tmp_path)


@pytest.mark.slow
def test_quick_tour_demos_write_their_figures_at_their_quick_budget(tmp_path):
    _check_quick_demos(tmp_path)


def _check_quick_demos(tmp_path):
    assert [d.key for d in DEMOS][:4] == ["week3-faces", "week3-landmarks", "week3-ssd", "week3-shapes"]
    summaries = {}
    for demo in DEMOS:
        folder = tmp_path / demo.key
        folder.mkdir()
        result = demo.run(folder, True)
        assert result.files and all(f.exists() and f.stat().st_size > 0 for f in result.files)
        summaries[demo.key] = result.summary
    assert "grace_hopper: 1" in summaries["week3-faces"] and "flower: 0" in summaries["week3-faces"]
    assert "68-point landmark net" in summaries["week3-landmarks"]
    assert "IoU of their boxes" in summaries["week3-ssd"] and "less with depthwise separation" in summaries["week3-ssd"]
    assert "mAP@0.5" in summaries["week3-shapes"]
    assert "held-out mean IoU" in summaries["week3-unet"]
