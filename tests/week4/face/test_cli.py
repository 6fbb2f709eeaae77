"""`course-cnn verify`: verification, recognition and enrolment from the command line."""

import pytest
from PIL import Image

from course_cnn.cli import main
from course_cnn.datasets import load_photo
from course_cnn.week4.face import FaceDatabase


def test_verify_right_and_wrong_person(capsys):
    assert main(["verify", "obama_2", "--identity", "obama"]) == 0
    assert "it's obama, welcome in!" in capsys.readouterr().out
    assert main(["verify", "obama_2", "--identity", "biden"]) == 1
    assert "it's not biden, please go away" in capsys.readouterr().out


def test_recognition_known_and_unknown(capsys, tmp_path):
    path = tmp_path / "someone.jpg"
    Image.fromarray(load_photo("obama_3")).save(path)
    assert main(["verify", str(path)]) == 0
    assert "it's obama" in capsys.readouterr().out
    assert main(["verify", "grace_hopper"]) == 1
    assert "not in the database" in capsys.readouterr().out


def test_enrol_then_recognise(capsys, tmp_path):
    db = tmp_path / "faces.npz"
    assert main(["verify", "grace_hopper", "--add", "grace", "--database", str(db)]) == 0
    assert main(["verify", "biden", "--add", "joe", "--database", str(db)]) == 0
    assert FaceDatabase.load(db).names == ["grace", "joe"]
    capsys.readouterr()
    assert main(["verify", "grace_hopper", "--database", str(db)]) == 0
    assert "it's grace (distance 0.000" in capsys.readouterr().out


def test_errors_are_reported(capsys, tmp_path):
    assert main(["verify", "obama_2", "--identity", "obamma"]) == 2
    assert "did you mean 'obama'?" in capsys.readouterr().err
    assert main(["verify", "obama_2", "--database", str(tmp_path / "none.npz")]) == 2
    assert "create it with --add NAME" in capsys.readouterr().err
    assert main(["verify", "obama_2", "--add", "x"]) == 2
    assert "`--add` must come with --database" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "missing.jpg")]) == 2
    assert "must be an existing image file" in capsys.readouterr().err
