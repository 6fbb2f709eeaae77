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
    assert f"added 'grace' to {db} (1 person: grace)" in capsys.readouterr().out
    assert main(["verify", "biden", "--add", "joe", "--database", str(db)]) == 0
    assert f"added 'joe' to {db} (2 people: grace, joe)" in capsys.readouterr().out
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
    assert "`IMAGE` must be an existing image file or a bundled photo name (" in capsys.readouterr().err


def test_a_photo_without_a_face_is_answered_in_cli_terms(capsys, tmp_path):
    db = tmp_path / "faces.npz"
    assert main(["verify", "grace_hopper", "--add", "grace", "--database", str(db)]) == 0
    capsys.readouterr()
    assert main(["verify", "china", "--database", str(db), "--identity", "grace"]) == 2
    err = capsys.readouterr().err
    assert err == ("course-cnn verify: error: `IMAGE` must show a face; got 'china', in which the face detector "
                   "found none with score >= 0.5; pass a photo with a clearly visible face (`course-cnn detect "
                   "IMAGE` shows what it finds).\n")
    assert "score_threshold" not in err and "crop_face" not in err
    assert main(["verify", "grace_hopper", "--database", str(db), "--identity", "gracie"]) == 2
    assert capsys.readouterr().err == (
        "course-cnn verify: error: `--identity` must be a name in the database (did you mean 'grace'?); "
        "got 'gracie'.\n")
