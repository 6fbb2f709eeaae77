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




# --- a user's mistake: one line, exit 2, in about a second, before TensorFlow loads --------------------

_RUN_MAIN = """
import sys
from course_cnn import cli
{setup}
try:
    rc = cli.main({argv!r})
except SystemExit as exc:  # argparse's own errors
    rc = exc.code
sys.stdout.write("TF" if "tensorflow" in sys.modules or "keras" in sys.modules else "noTF")
sys.exit(rc)
"""

_NO_NETWORK = "import course_cnn.commands.style as style; style._can_download = lambda timeout=3.0: False"

# (argv, the whole stderr line after "course-cnn VERB: error: ", setup code); {tmp} is a scratch folder
# holding notes.txt (text), fake.jpg and fake.npz (text with an image's or a database's name), corpus.tgz (empty).
_MISTAKES = [
    (["detect", "{tmp}/nosuch.jpg"],
     "`IMAGE` must be an existing image file or a bundled photo name (biden, china, flower, grace_hopper, "
     "obama_1, obama_2, obama_3); got '{tmp}/nosuch.jpg' (no such file).", ""),
    (["detect", "{tmp}/fake.jpg"],
     "`IMAGE` must be an image file (JPEG, PNG, ...); got '{tmp}/fake.jpg', not an image PIL can read.", ""),
    (["detect", "grace_hopper", "--score-threshold", "2"],
     "`--score-threshold` must be a probability in [0, 1]; got 2.0.", ""),
    (["detect", "grace_hopper", "--out", "{tmp}/boxes.txt"],
     "`--out` must be a file name ending in .png or .jpg or .jpeg or .pdf or .svg; got '{tmp}/boxes.txt'.", ""),
    (["verify", "{tmp}/nosuch.jpg"],
     "`IMAGE` must be an existing image file or a bundled photo name (biden, china, flower, grace_hopper, "
     "obama_1, obama_2, obama_3); got '{tmp}/nosuch.jpg' (no such file).", ""),
    (["verify", "obama_2", "--identity", "obamma"],
     "`--identity` must be a name in the database (did you mean 'obama'?); got 'obamma'.", ""),
    (["verify", "obama_2", "--add", "x"],
     "`--add` must come with --database DB.npz (the file to add to); got no --database.", ""),
    (["verify", "obama_2", "--add", "x", "--database", "{tmp}/db.npz", "--identity", "x"],
     "`--add` must not be combined with --identity (enrol first, then verify); got --add 'x' --identity 'x'.", ""),
    (["verify", "obama_2", "--database", "{tmp}/none.npz"],
     "`--database`: no file at '{tmp}/none.npz'; create it with --add NAME.", ""),
    (["verify", "obama_2", "--threshold", "0"], "`--threshold` must be a real number > 0; got 0.0.", ""),
    (["verify", "obama_2", "--add", "me", "--database", "{tmp}/notes.txt"],
     "`--database` must be a FaceDatabase file name ending in .npz; got '{tmp}/notes.txt'.", ""),
    (["verify", "obama_2", "--database", "{tmp}/fake.npz"],
     "`--database` must be a FaceDatabase .npz file (written by --add); got '{tmp}/fake.npz', which is not an .npz "
     "archive.", ""),
    (["tour", "--out", "{tmp}/notes.txt"], "`--out` must be a folder; got '{tmp}/notes.txt', which is a file.", ""),
    (["diagnose", "--human", "0", "--train", "1", "--dev", "2", "--plot", "{tmp}/ladder.txt"],
     "`--plot` must be a file name ending in .png or .pdf or .svg; got '{tmp}/ladder.txt'.", ""),
    (["style", "{tmp}/nosuch.jpg", "texture"],
     "`CONTENT` must be an existing image file or a bundled photo name (biden, china, flower, grace_hopper, "
     "obama_1, obama_2, obama_3); got '{tmp}/nosuch.jpg' (no such file).", ""),
    (["style", "china", "nosuch"],
     "`STYLE` must be an existing image file or a bundled photo name (biden, china, flower, grace_hopper, "
     "obama_1, obama_2, obama_3, texture); got 'nosuch' (no such file).", ""),
    (["style", "china", "texture", "--weights", "{tmp}/missing.h5"],
     "`--weights` must be 'imagenet', 'random' or a local copy of vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5; "
     "got '{tmp}/missing.h5' (no such file).", ""),
    (["style", "china", "texture"],
     "`--weights` must be 'random', a local copy of vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5, or "
     "'imagenet' with that file in Keras' cache or a network to download it (about 80 MB from "
     "storage.googleapis.com); got 'imagenet', but '{tmp}/models/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5' "
     "does not exist and storage.googleapis.com cannot be reached; pass --weights random (untrained) or "
     "--weights PATH.", _NO_NETWORK),
    (["style", "china", "texture", "--weights", "random", "--size", "8"],
     "`--size` must be an int in [16, 4096]; got 8.", ""),
    (["style", "china", "texture", "--weights", "random", "--content-weight", "-1"],
     "`--content-weight` must be a real number >= 0; got -1.0.", ""),
    (["grade", "{tmp}/missing.ipynb"],
     "`PATH` must be the path of an existing .ipynb notebook or .py file; got '{tmp}/missing.ipynb' (no such file or folder).",
     ""),
    (["grade", "{tmp}/notes.txt"], "`PATH` must be a .ipynb notebook or a .py file; got '{tmp}/notes.txt'.", ""),
    (["grade", "{tmp}/notes.txt", "--exercise", "nope"],
     "`--exercise` must be the name of a graded exercise (see `course-cnn grade --list`); got 'nope'.", ""),
    (["scdv", "--corpus", "{tmp}/notes.txt"],
     "`--corpus` must be the 20news-bydate.tar.gz archive (a .tar.gz holding 20news-bydate-train/<group>/<id>); "
     "got '{tmp}/notes.txt', which is not a tar archive.", ""),
    (["scdv", "--corpus", "{tmp}/corpus.tgz", "--clusters", "0"], "`--clusters` must be a positive int; got 0.", ""),
    (["tour", "--only", "nope"], "`--only` must start one of the demo keys ({keys}); got 'nope'.", ""),
    (["diagnose", "--human", "0", "--train", "10", "--dev", "20", "--fraction"],
     "`--train` must be an error rate in [0, 1] (a fraction, --fraction); got 10.0 (is it a percentage? "
     "drop --fraction).", ""),
    (["diagnose", "--human", "0", "--train", "x", "--dev", "20"],
     "argument --train: invalid float value: 'x' (see `course-cnn diagnose --help`)", ""),
]


@pytest.mark.parametrize("argv, message, setup", _MISTAKES, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_a_mistake_is_one_line_exit_2_fast_and_without_tensorflow(argv, message, setup, tmp_path):
    import os

    (tmp_path / "notes.txt").write_text("not an archive, not a notebook\n")
    (tmp_path / "fake.jpg").write_text("not an image\n")
    (tmp_path / "fake.npz").write_text("not a database\n")
    (tmp_path / "corpus.tgz").write_bytes(b"")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    env = {k: v for k, v in os.environ.items() if k != "COURSE_CNN_20NG"}
    env["KERAS_HOME"] = str(tmp_path)               # no cached VGG-19 weights
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUN_MAIN.format(setup=setup, argv=argv)],
                          capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.perf_counter() - start
    from course_cnn.commands.tour import demo_keys_as_written   # week1-edges, ..., scdv-20ng

    keys = ", ".join(demo_keys_as_written())
    expected = f"course-cnn {argv[0]}: error: " + message.replace("{tmp}", str(tmp_path)).replace("{keys}", keys)
    assert proc.stderr == expected + "\n"
    assert (proc.returncode, proc.stdout) == (2, "noTF")
    # 0.3-1.0 s on a 2-core machine (at a load average of 7); TensorFlow's import alone takes 5-20 s
    assert elapsed < 2.5, f"{argv} took {elapsed:.1f} s"


def test_scdv_looks_only_where_a_user_puts_the_archive(tmp_path, monkeypatch, capsys):
    from pathlib import Path

    monkeypatch.delenv("COURSE_CNN_20NG", raising=False)
    monkeypatch.chdir(Path(__file__).resolve().parents[1])      # ../shared/data holds an archive: not looked at
    assert cli.main(["scdv"]) == 2
    assert capsys.readouterr().err == (
        "course-cnn scdv: error: no 20 Newsgroups archive: pass --corpus PATH/20news-bydate.tar.gz or set "
        "$COURSE_CNN_20NG to it; the standard \"bydate\" archive 20news-bydate.tar.gz is published on Jason "
        "Rennie's 20 Newsgroups page (scikit-learn's fetch_20newsgroups deletes its copy after extracting, so it "
        "cannot be reused).\n")
    monkeypatch.setenv("COURSE_CNN_20NG", str(tmp_path / "none.tar.gz"))
    assert cli.main(["scdv"]) == 2
    assert "course-cnn scdv: error: `$COURSE_CNN_20NG` must be the 20news-bydate.tar.gz archive; " in \
        capsys.readouterr().err


def test_scdv_help_names_the_time_and_the_quick_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["scdv", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "about 13 minutes on a 2-core machine" in help_text
    assert "--max-per-group 50 --clusters 10 --dim 50" in help_text


def test_tour_only_with_no_matching_demo_lists_the_keys(tmp_path, capsys, monkeypatch):
    from course_cnn import tour

    demos = [tour.Demo("week1-x", "X", lambda out, quick: tour.DemoResult("x")),
             tour.Demo("week3-y", "Y", lambda out, quick: tour.DemoResult("y"))]
    monkeypatch.setattr(tour, "registered_demos", lambda parts=tour.PARTS: demos)
    assert cli.main(["tour", "--only", "week2", "--out", str(tmp_path / "t")]) == 2
    assert capsys.readouterr().err == (
        "course-cnn tour: error: `--only` must start one of the demo keys (week1-x, week3-y); got 'week2'.\n")
    assert not (tmp_path / "t" / "index.html").exists()


def test_tensorflow_verbs_print_only_their_own_lines(tmp_path):
    """TensorFlow's start-up lines (C++, before its log level applies) and Python warnings stay hidden.

    One fresh process (importing TensorFlow is most of the cost): `info` imports it first, then the tour runs.
    """
    code = ("import logging, sys; from course_cnn import cli; rc = cli.main(['info']); "
            f"rc = rc or cli.main(['tour', '--quick', '--only', 'week1-edges', '--out', {str(tmp_path)!r}]); "
            "import tensorflow as tf; print('logger at ERROR:', tf.get_logger().level == logging.ERROR); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert (proc.returncode, proc.stderr) == (0, "")
    lines = proc.stdout.splitlines()
    assert "tensorflow" in proc.stdout and lines[-1] == "logger at ERROR: True"
    tour = lines[lines.index("[1/1] Week 1: edge detection on a photo ..."):-1]
    assert len(tour) == 3, proc.stdout
    assert tour[2].startswith("1 of 1 demos ran in ")


def test_demo_keys_read_from_the_source_are_the_registered_ones():
    from course_cnn.commands.tour import demo_keys_as_written
    from course_cnn.tour import registered_demos

    assert demo_keys_as_written() == [demo.key for demo in registered_demos()]


def test_every_tensorflow_verb_has_verbose(capsys):
    for name in ("detect", "verify", "style", "tour", "scdv", "info"):
        with pytest.raises(SystemExit):
            cli.main([name, "--help"])
        assert "--verbose" in capsys.readouterr().out, name


def test_an_oversized_photo_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    import numpy as np
    from PIL import Image

    path = tmp_path / "big.png"
    Image.fromarray(np.zeros((20, 20, 3), np.uint8)).save(path)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)    # 400 pixels > 2 x 10: PIL's decompression-bomb error
    assert cli.main(["detect", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"course-cnn detect: error: `IMAGE` must be an image file (JPEG, PNG, ...); got '{path}', unreadable: Image "
        "size (400 pixels) exceeds limit of 20 pixels, could be decompression bomb DOS attack.\n")


def test_main_refuses_a_bare_string_argv():
    from course_cnn.cli import main

    with pytest.raises(TypeError, match=r"`argv` must be .*; got 'info'"):
        main("info")  # would be read letter by letter: i, n, f, o
