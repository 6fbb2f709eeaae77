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
    assert "`CONTENT` must be an existing image file or a bundled photo name (" in err
    assert all(name in err for name in ("china", "flower", "grace_hopper"))
    code = main(["style", "china", "texture", "--weights", str(tmp_path / "missing.h5"), "--size", "32"])
    assert code == 2
    assert capsys.readouterr().err == (
        "course-cnn style: error: `--weights` must be 'imagenet', 'random' or a local copy of "
        f"vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5; got '{tmp_path / 'missing.h5'}' (no such file).\n")


def test_style_imagenet_offline_fails_at_once_in_cli_terms(tmp_path, capsys, monkeypatch):
    import course_cnn.commands.style as style_command

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))                     # no cached weights there
    monkeypatch.setattr(style_command, "_can_download", lambda timeout=3.0: False)
    assert main(["style", "china", "texture", "--size", "32"]) == 2      # default --weights imagenet
    err = capsys.readouterr().err
    assert "got 'imagenet', but" in err and "pass --weights random (untrained) or --weights PATH." in err
    assert "weights=None" not in err and err.count("\n") == 1


def test_style_library_messages_are_translated(capsys):
    # china (427 x 640) with its longer side resized to 16 is 11 x 16, below VGG-19's 16 pixels per side
    assert main(["style", "china", "texture", "--weights", "random", "--size", "16", "--iterations", "1"]) == 2
    assert capsys.readouterr().err == (
        "course-cnn style: error: `CONTENT` must be at least 16 pixels on each side after resizing (VGG-19 halves "
        "it 4 times before block5_conv1); got size (11, 16).\n")


# The least that runs every line of each demo (its files, summary and figures): 32 px leave VGG-19's block5 2x2,
# and the validation sets still hold every class (seed 1: the 3 waveforms among 12, both shapes among 8).
_TINY = {
    "transfer": dict(size=32, steps=2, snapshot_every=None),
    "costs_alone": dict(size=32, steps=1),
    "probe": dict(n_train=64, epochs=1, n_test=64, units=1),
    "conv_1d_3d": dict(n_signals=32, epochs_1d=1, n_volumes=16, epochs_3d=1, n_val_signals=12, n_val_volumes=8),
}


@pytest.mark.parametrize("demo", _tour.DEMOS, ids=lambda d: d.key)
def test_tour_demo_quick(demo, tmp_path, tiny_tour_budget, eager_tf_functions):
    """Each demo's wiring at a tiny budget; the quick budget itself runs in the slow step (below)."""
    tiny_tour_budget(_tour, _TINY)
    _check_quick_demo(demo, demo.run(tmp_path, True))


@pytest.mark.slow
@pytest.mark.parametrize("demo", _tour.DEMOS, ids=lambda d: d.key)
def test_tour_demo_quick_at_its_quick_budget(demo, tmp_path):
    _check_quick_demo(demo, demo.run(tmp_path, True))


def _check_quick_demo(demo, result):
    assert result.files and all(f.is_file() for f in result.files)
    assert result.summary
    if demo.key == "week4-style-transfer" and "UNTRAINED" not in result.summary:
        assert "ImageNet" in result.summary  # only with a locally cached weights file
    elif demo.key == "week4-style-transfer":  # offline: each cost alone, and the command for the real result
        assert [f.name for f in result.files] == ["costs_alone.png"]
        assert result.summary.endswith(f"real result: {_tour.REAL_STYLE_COMMAND}")
        assert "--weights imagenet" in _tour.REAL_STYLE_COMMAND
