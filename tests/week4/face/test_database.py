"""FaceDatabase: contents, queries, and safe save/load."""

import json
import os

import numpy as np
import pytest

from course_cnn.week4.face import FaceDatabase


def _db():
    return FaceDatabase().add("ada", [1.0, 0.0]).add("alan", [[0.0, 1.0], [0.6, 0.8]])


def test_add_remove_and_queries():
    db = _db()
    assert db.names == ["ada", "alan"] and len(db) == 2 and "ada" in db and db.dim == 2
    assert db["alan"].shape == (2, 2)
    # alan's closest encoding to (0.8, 0.6) is (0.6, 0.8): sqrt(0.04+0.04) = 0.28284
    d = db.distances([0.8, 0.6])
    assert d["alan"] == pytest.approx(np.sqrt(0.08)) and d["ada"] == pytest.approx(np.sqrt(0.04 + 0.36))
    assert db.nearest(np.array([[0.8, 0.6]]))[1] == "alan"
    db.add("ada", [0.8, 0.6])  # a second photo of ada: now at distance 0
    assert db.nearest([0.8, 0.6]) == (0.0, "ada")
    db.remove("alan")
    assert db.names == ["ada"] and db["ada"].shape == (2, 2)


def test_getitem_returns_copy():
    db = _db()
    db["ada"][0, 0] = 99.0
    assert db["ada"][0, 0] == 1.0


def test_bad_input_messages():
    db = _db()
    with pytest.raises(ValueError, match=r"`encodings` must have dimension 2 like the database; got shape \(1, 3\)"):
        db.add("grace", [0.0, 0.0, 1.0])
    with pytest.raises(TypeError, match=r"`name` must be a non-empty str; got 3"):
        db.add(3, [0.0, 1.0])
    with pytest.raises(KeyError, match=r"`name` must be a name in the database \(did you mean 'alan', 'ada'\?\); got 'alna'."):
        db.remove("alna")
    with pytest.raises(KeyError, match=r"known: 'ada', 'alan'\); got 'zzz'") as info:
        db["zzz"]
    assert str(info.value).startswith("`name` must")  # no KeyError quoting
    with pytest.raises(ValueError, match=r"`encoding` must have dimension 2 like the database; got shape \(3,\)"):
        db.nearest([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"`database` must contain at least one identity; got an empty database"):
        FaceDatabase().nearest([1.0])
    with pytest.raises(ValueError, match=r"`encodings` must contain only finite values"):
        db.add("x", [np.nan, 0.0])


def test_save_load_round_trip(tmp_path):
    db = _db()
    path = db.save(tmp_path / "faces.npz")
    loaded = FaceDatabase.load(path)
    assert loaded.names == db.names and loaded.dim == 2
    for name in db.names:
        np.testing.assert_array_equal(loaded[name], db[name])
    # the file is a plain npz: no pickled objects
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["encodings", "header", "owners"]
        assert json.loads(npz["header"].tobytes())["version"] == 1


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "faces.npz"
    _db().save(path)
    before = path.read_bytes()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)  # the crash comes after the temp file is written
    with pytest.raises(OSError, match="disk full"):
        FaceDatabase().add("new", [5.0, 5.0]).save(path)
    assert path.read_bytes() == before  # the old database is intact
    assert [p.name for p in tmp_path.iterdir()] == ["faces.npz"]  # and the temp file is gone


def test_save_errors(tmp_path):
    with pytest.raises(ValueError, match=r"`database` must contain at least one identity to be saved"):
        FaceDatabase().save(tmp_path / "x.npz")
    with pytest.raises(FileNotFoundError, match=r"`path`: folder .* does not exist"):
        _db().save(tmp_path / "no" / "x.npz")


def test_load_corrupt_truncated_and_foreign_files(tmp_path):
    good = _db().save(tmp_path / "good.npz")
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:50])
    with pytest.raises(ValueError, match=r"`path` must be a FaceDatabase .npz file; got '.*truncated.npz', which cannot be read \(corrupt or truncated"):
        FaceDatabase.load(truncated)
    text = tmp_path / "text.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match=r"cannot be read"):
        FaceDatabase.load(text)
    other = tmp_path / "other.npz"
    np.savez(other, x=np.zeros(3))
    with pytest.raises(ValueError, match=r"which holds the arrays \['x'\] instead of encodings, owners and header"):
        FaceDatabase.load(other)
    with pytest.raises(FileNotFoundError, match=r"`path`: no FaceDatabase file at"):
        FaceDatabase.load(tmp_path / "missing.npz")


def _rewrite(path, out, **changes):
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    header = json.loads(arrays["header"].tobytes())
    header.update(changes.pop("header", {}))
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    arrays.update(changes)
    np.savez(out, **arrays)
    return out


def test_load_wrong_version_and_inconsistent(tmp_path):
    good = _db().save(tmp_path / "good.npz")
    v2 = _rewrite(good, tmp_path / "v2.npz", header={"version": 2})
    with pytest.raises(ValueError, match=r"of format version 2; this course_cnn reads version 1"):
        FaceDatabase.load(v2)
    foreign = _rewrite(good, tmp_path / "foreign.npz", header={"format": "something else"})
    with pytest.raises(ValueError, match=r"does not name the course_cnn.FaceDatabase format"):
        FaceDatabase.load(foreign)
    bad_owner = _rewrite(good, tmp_path / "owner.npz", owners=np.array([0, 1, 7], np.int32))
    with pytest.raises(ValueError, match=r"whose arrays do not match its header \(damaged file\)"):
        FaceDatabase.load(bad_owner)
    orphan = _rewrite(good, tmp_path / "orphan.npz", owners=np.array([0, 0, 0], np.int32))  # 'alan' has no encoding
    with pytest.raises(ValueError, match=r"whose arrays do not match its header \(damaged file\)"):
        FaceDatabase.load(orphan)
    bad_json = _rewrite(good, tmp_path / "json.npz")
    arrays = dict(np.load(bad_json))
    arrays["header"] = np.frombuffer(b"{not json", np.uint8)
    np.savez(bad_json, **arrays)
    with pytest.raises(ValueError, match=r"whose header is not valid JSON"):
        FaceDatabase.load(bad_json)
