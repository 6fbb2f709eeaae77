"""`course-cnn detect --model ssd|tiny-yolo` and `--landmarks`."""

import subprocess
import sys
import time

import pytest

from course_cnn.cli import main

_RUN_MAIN = """
import sys
from course_cnn import cli
rc = cli.main({argv!r})
sys.stdout.write("TF" if "tensorflow" in sys.modules or "keras" in sys.modules else "noTF")
sys.exit(rc)
"""


def test_ssd_finds_the_face(capsys, tmp_path):
    out = tmp_path / "ssd.png"
    assert main(["detect", "grace_hopper", "--model", "ssd", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "1 face found in grace_hopper (512x600 px) by SSD MobileNet v1" in text and "face 1: score 0.999" in text
    assert out.stat().st_size > 10_000


def test_tiny_yolo_is_the_default_and_can_be_named(capsys):
    assert main(["detect", "obama_1", "--model", "tiny-yolo"]) == 0
    named = capsys.readouterr().out
    assert main(["detect", "obama_1"]) == 0
    assert capsys.readouterr().out == named and "by Tiny-YOLOv2" in named


@pytest.mark.parametrize("model", ["tiny-yolo", "ssd"])
def test_landmarks_are_printed_and_drawn(capsys, tmp_path, model):
    out = tmp_path / "points.png"
    assert main(["detect", "obama_1", "--model", model, "--landmarks", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "1 face found" in text and "68 landmarks: eyes at (" in text and "nose tip at (" in text
    assert out.stat().st_size > 10_000


def test_landmarks_with_no_face(capsys):
    assert main(["detect", "flower", "--landmarks"]) == 0
    assert "0 faces found" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["detect", "grace_hopper", "--model", "yolo9000"], "`--model` must be 'tiny-yolo' or 'ssd'; got 'yolo9000'."),
        (["detect", "grace_hopper", "--model", "ssd", "--iou-threshold", "1.5"],
         "`--iou-threshold` must be a probability in [0, 1]; got 1.5."),
    ],
)
def test_mistakes_are_one_line_exit_2_without_tensorflow(argv, message):
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUN_MAIN.format(argv=argv)], capture_output=True, text=True, timeout=120)
    assert proc.stderr == f"course-cnn detect: error: {message}\n"
    assert (proc.returncode, proc.stdout) == (2, "noTF")
    assert time.perf_counter() - start < 2.5
