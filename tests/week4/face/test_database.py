"""FaceDatabase: contents, queries, and safe save/load."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from course_cnn.week4.face import FaceDatabase, _atomic


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


# ------------------------------------------ paths, leftovers, what load refuses
def test_path_errors_name_the_parameter(tmp_path):
    db = _db()
    with pytest.raises(TypeError, match=r"^`path` must be a str or path-like naming a FaceDatabase .npz file; got None\.$"):
        FaceDatabase.load(None)
    with pytest.raises(TypeError, match=r"^`path` must be a str or path-like naming the file to write; got None\.$"):
        db.save(None)
    with pytest.raises(TypeError, match=r"`path` must be a str or path-like naming the file to write; got bytes b'x.npz'\."):
        db.save(b"x.npz")
    with pytest.raises(ValueError, match=r"^`path` must name a FaceDatabase .npz file; got an empty string\.$"):
        FaceDatabase.load("")
    with pytest.raises(ValueError, match=r"^`path` must be a FaceDatabase .npz file; got '.*', which is a folder\.$"):
        FaceDatabase.load(tmp_path)
    with pytest.raises(ValueError, match=r"^`path` must name a file, not a folder \(a file inside it: '.*faces.npz'\); "
                                         r"got '.*', which is a folder\.$"):
        db.save(tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_load_refuses_a_npy_file(tmp_path):
    np.save(tmp_path / "encodings.npy", np.zeros((3, 128), np.float32))
    with pytest.raises(ValueError, match=r"^`path` must be a FaceDatabase .npz file written by FaceDatabase.save; "
                                         r"got '.*encodings.npy', a .npy file holding one array \(numpy.save\); "
                                         r"build the database with FaceDatabase\(\).add\(name, encodings\)"):
        FaceDatabase.load(tmp_path / "encodings.npy")


def test_load_refuses_what_save_refuses(tmp_path):
    good = _db().save(tmp_path / "good.npz")
    empty = _rewrite(good, tmp_path / "empty.npz", header={"names": []},
                     encodings=np.zeros((0, 2), np.float32), owners=np.zeros(0, np.int32))  # fmt: skip
    with pytest.raises(ValueError, match=r"^`path` must be a FaceDatabase .npz file; got '.*empty.npz', which holds "
                                         r"no identities \(FaceDatabase.save never writes an empty database\)\.$"):
        FaceDatabase.load(empty)
    with pytest.raises(ValueError, match=r"`database` must contain at least one identity to be saved"):
        FaceDatabase().save(tmp_path / "empty2.npz")  # the same refusal on the way out
    blank = _rewrite(good, tmp_path / "blank.npz", header={"names": ["ada", ""]})  # add() refuses an empty name
    with pytest.raises(ValueError, match=r"whose header's names are not a list of non-empty strings \(damaged file\)"):
        FaceDatabase.load(blank)
    zero_dim = _rewrite(good, tmp_path / "dim.npz", header={"dim": 0}, encodings=np.zeros((3, 0), np.float32))
    with pytest.raises(ValueError, match=r"whose header's dim is 0, not a positive int \(damaged file\)"):
        FaceDatabase.load(zero_dim)


def _dead_pid():
    """The id of a process that has exited (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(os.name != "posix", reason="process ids are checked with os.kill(pid, 0) on POSIX")
def test_next_save_removes_a_killed_saves_temporary_file(tmp_path):
    path = tmp_path / "faces.npz"
    _db().save(path)
    dead, alive = _dead_pid(), os.getppid()
    stale = tmp_path / (_atomic.temp_prefix(path, dead) + "k3x9_q2a" + _atomic.TEMP_SUFFIX)
    stale.write_bytes(b"\0" * 1_000_000)  # what a save killed after writing leaves
    running = tmp_path / (_atomic.temp_prefix(path, alive) + "abcdefgh.tmp")  # another process, still saving
    neighbour = tmp_path / (_atomic.temp_prefix(tmp_path / "other.npz", dead) + "abcdefgh.tmp")  # not ours
    legacy_old = tmp_path / ".faces.npz.oldname1.tmp"  # no pid (older course_cnn), untouched for an hour
    legacy_new = tmp_path / ".faces.npz.newname1.tmp"  # no pid, written just now: may be running
    for file in (running, neighbour, legacy_old, legacy_new):
        file.write_bytes(b"x")
    hour_ago = time.time() - 3600
    os.utime(legacy_old, (hour_ago, hour_ago))
    FaceDatabase().add("new", [5.0, 5.0]).save(path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["faces.npz", running.name, neighbour.name, legacy_new.name])
    assert FaceDatabase.load(path).names == ["new"]


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_during_save_keeps_the_old_file_and_the_next_save_cleans_up(tmp_path):
    path = _db().save(tmp_path / "faces.npz")
    before = path.read_bytes()
    # a process killed after writing its temporary file, before the rename (only _atomic.py is loaded: no TensorFlow)
    script = (
        "import importlib.util, os, signal, sys\n"
        f"spec = importlib.util.spec_from_file_location('atomic', {_atomic.__file__!r})\n"
        "atomic = importlib.util.module_from_spec(spec); spec.loader.exec_module(atomic)\n"
        "os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)\n"
        "atomic.write_atomic(sys.argv[1], b'half a database' * 1000)\n"
    )
    killed = subprocess.Popen([sys.executable, "-c", script, str(path)])
    assert killed.wait(timeout=120) == -signal.SIGKILL
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "faces.npz"]
    assert len(leftovers) == 1 and leftovers[0].startswith(f".faces.npz.{killed.pid}.") and leftovers[0].endswith(".tmp")
    assert path.read_bytes() == before  # the old database is intact
    _db().add("grace", [0.0, 0.5]).save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["faces.npz"]  # the killed save's leftover is gone


def test_dim_is_bounded():
    assert FaceDatabase(dim=2**20).dim == 2**20  # a 512 x 512 x 3 image, flattened
    with pytest.raises(ValueError, match=r"^`dim` must be an int in \[1, 1048576\]; got 1000000000000\.$"):
        FaceDatabase(dim=10**12)
    with pytest.raises(TypeError, match=r"^`dim` must be an int in \[1, 1048576\]; got 2.5\.$"):
        FaceDatabase(dim=2.5)
