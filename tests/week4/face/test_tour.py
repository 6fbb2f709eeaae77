"""The face part's tour demo (quick path) writes its files and gets the answers right."""

from course_cnn.week4._tour import DEMOS as WEEK4_DEMOS
from course_cnn.week4.face._tour import DEMOS


def test_registered_in_week4_tour():
    assert [d.key for d in DEMOS][0] in [d.key for d in WEEK4_DEMOS]


def test_verification_demo_quick(tmp_path):
    result = DEMOS[0].run(tmp_path, True)
    assert all(f.exists() and f.stat().st_size > 0 for f in result.files)
    answers = (tmp_path / "who_is_it.txt").read_text()
    assert "who_is_it(obama_2.jpg) -> obama" in answers and "who_is_it(obama_3.jpg) -> obama" in answers
    assert "who_is_it(grace_hopper.jpg) -> not in the database" in answers
    assert "verify(obama_2.jpg, 'obama') -> door open: True" in answers
    assert "verify(obama_2.jpg, 'biden') -> door open: False" in answers
    assert "grace_hopper -> not in the database" in result.summary
