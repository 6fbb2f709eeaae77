"""The command line: fast help, info, and the plugin commands."""

import subprocess
import sys
import time

import pytest

from course_cnn import cli


def test_import_course_cnn_does_not_import_tensorflow():
    code = "import sys, course_cnn, course_cnn.cli; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_help_answers_fast():
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "course_cnn.cli", "--help"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0
    assert "tour" in proc.stdout and "info" in proc.stdout
    assert elapsed < 5.0, f"--help took {elapsed:.1f} s"  # generous bound for a loaded CI machine; ~0.2 s here


def test_every_command_has_help(capsys):
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"info", "tour"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as exit_info:
            cli.main([name, "--help"])
        assert exit_info.value.code == 0
        assert "usage: course-cnn " + name in capsys.readouterr().out


def test_no_command_prints_help(capsys):
    assert cli.main([]) == 0
    assert "COMMAND" in capsys.readouterr().out


def test_info_without_tensorflow(capsys):
    assert cli.main(["info", "--no-tensorflow"]) == 0
    out = capsys.readouterr().out
    assert "course_cnn" in out and "Fashion-MNIST" in out and "grace_hopper" in out
    assert "tiny_face_detector_model.npz" in out and "ok," in out


def test_info_with_tensorflow(capsys):
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert "tensorflow" in out and "not checked" not in out


