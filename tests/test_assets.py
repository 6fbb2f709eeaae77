"""Shipped assets are verified, and the TF.js weight format round-trips."""

import importlib.util
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from course_cnn import _assets, _tfjs, datasets

ROOT = Path(__file__).resolve().parents[1]


def test_every_manifest_entry_is_shipped_verified_and_licensed():
    records = _assets.manifest()
    assert records, "MANIFEST.json lists the shipped assets"
    for name, record in records.items():
        path = _assets.asset_path(name)
        assert path.stat().st_size == record["size"]
        assert record["license"] and record["source"]
    total = sum(r["size"] for r in records.values())
    assert total < 12e6, f"assets total {total / 1e6:.1f} MB; keep them about 12 MB"


def test_asset_path_detects_damage(tmp_path, monkeypatch):
    (tmp_path / "w.bin").write_bytes(b"abc")
    good = {"size": 3, "sha256": _assets.sha256_of(tmp_path / "w.bin"), "license": "MIT", "source": "test"}
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"w.bin": good, "gone.bin": good}))
    monkeypatch.setattr(_assets, "ASSETS_DIR", tmp_path)
    (tmp_path / "w.bin").write_bytes(b"abd")  # same size, other bytes
    with pytest.raises(ValueError, match=re.escape("asset 'w.bin' is damaged: expected 3 bytes with SHA-256 ")
                       + r".*found 3 bytes with SHA-256 .* in '.*w.bin'; the file was changed after installation, "
                       + re.escape("reinstall the package (pip install --force-reinstall course_cnn).")):
        _assets.asset_path("w.bin")
    (tmp_path / "w.bin").write_bytes(b"abcd")  # another size: no need to hash it
    with pytest.raises(ValueError, match=r"expected 3 bytes with SHA-256 \w{12}\.\.\., found 4 bytes in "):
        _assets.asset_path("w.bin")
    (tmp_path / "w.bin").write_bytes(b"abc")
    assert _assets.asset_path("w.bin") == tmp_path / "w.bin"
    with pytest.raises(FileNotFoundError, match=re.escape("asset 'x.bin' is not shipped with this install of course_cnn: "
                                                          "MANIFEST.json does not list it (known assets: gone.bin, w.bin)")):
        _assets.asset_path("x.bin")
    with pytest.raises(FileNotFoundError, match=r"asset 'gone.bin' is missing: '.*gone.bin' is not a file; reinstall"):
        _assets.asset_path("gone.bin")


def test_asset_path_verifies_once_per_process(tmp_path, monkeypatch):
    (tmp_path / "w.bin").write_bytes(b"abc")
    record = {"size": 3, "sha256": _assets.sha256_of(tmp_path / "w.bin"), "license": "MIT", "source": "test"}
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"w.bin": record}))
    monkeypatch.setattr(_assets, "ASSETS_DIR", tmp_path)
    calls = []
    real = _assets.sha256_of
    monkeypatch.setattr(_assets, "sha256_of", lambda path: calls.append(path) or real(path))
    for _ in range(100):
        assert _assets.asset_path("w.bin") == tmp_path / "w.bin"
    assert len(calls) == 1


# ------------------------------------------------ the shipped photos
def _copy_of_assets(tmp_path, monkeypatch):
    """A copy of the manifest, licences and photos (never touch the real ones), served instead of them."""
    copy = tmp_path / "assets"
    shutil.copytree(_assets.ASSETS_DIR, copy, ignore=shutil.ignore_patterns("*.npz"))
    monkeypatch.setattr(_assets, "ASSETS_DIR", copy)
    return copy


def test_every_shipped_file_is_in_the_manifest_with_its_licence():
    assert _assets.unlisted_files() == []
    photos = _assets.asset_names("photos")
    assert photos == ["photos/biden.jpg", "photos/obama_1.jpg", "photos/obama_2.jpg", "photos/obama_3.jpg"]
    records = _assets.manifest()
    for name in photos:
        assert records[name]["license"] == "MIT (LICENSES/face_recognition.txt)"
        assert records[name]["source"].startswith("PyPI sdist face_recognition==1.3.0 (MIT, Adam Geitgey)")
        assert len(records[name]["sha256"]) == 64
    for record in records.values():
        licence = re.search(r"\((LICENSES/[^)]+)\)", record["license"]).group(1)
        assert (_assets.ASSETS_DIR / licence).is_file()


def test_flipped_byte_in_a_shipped_photo_is_refused(tmp_path, monkeypatch):
    copy = _copy_of_assets(tmp_path, monkeypatch)
    data = bytearray((copy / "photos" / "obama_1.jpg").read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit in the middle of the JPEG data
    (copy / "photos" / "obama_1.jpg").write_bytes(bytes(data))
    assert datasets.load_photo("obama_2").shape == (640, 334, 3)  # the others still load
    with pytest.raises(ValueError, match=re.escape("asset 'photos/obama_1.jpg' is damaged: expected 58342 bytes")
                       + r".*obama_1.jpg'.*reinstall the package"):
        datasets.load_photo("obama_1")


def test_a_file_dropped_into_the_photos_folder_is_not_listed_or_served(tmp_path, monkeypatch):
    copy = _copy_of_assets(tmp_path, monkeypatch)
    shutil.copy(copy / "photos" / "biden.jpg", copy / "photos" / "intruder.jpg")
    (copy / "stray.npz").write_bytes(b"not listed")
    assert _assets.unlisted_files() == ["photos/intruder.jpg", "stray.npz"]
    photos = datasets.list_photos()
    assert "intruder" not in photos and {"obama_1", "obama_2", "obama_3", "biden"} <= set(photos)
    with pytest.raises(ValueError, match=r"`name` must be one of .*'obama_3'.*; got 'intruder'\."):
        datasets.load_photo("intruder")
    with pytest.raises(FileNotFoundError, match=r"asset 'photos/intruder.jpg' is not shipped .*MANIFEST.json does not list it"):
        _assets.asset_path("photos/intruder.jpg")
    with pytest.raises(FileNotFoundError, match=r"asset 'stray.npz' is not shipped"):
        _assets.asset_path("stray.npz")


def test_listing_follows_the_manifest_not_the_folder(tmp_path, monkeypatch):
    copy = _copy_of_assets(tmp_path, monkeypatch)
    (copy / "photos" / "biden.jpg").unlink()  # listed but missing: a broken install says so
    assert "biden" in datasets.list_photos()
    with pytest.raises(FileNotFoundError, match=r"asset 'photos/biden.jpg' is missing: .*reinstall the package"):
        datasets.load_photo("biden")


def test_shipped_photo_is_hashed_once_per_process(tmp_path, monkeypatch):
    _copy_of_assets(tmp_path, monkeypatch)
    calls = []
    real = _assets.sha256_of
    monkeypatch.setattr(_assets, "sha256_of", lambda path: calls.append(path) or real(path))
    for _ in range(3):
        assert datasets.load_photo("biden").shape == (640, 282, 3)
    assert len(calls) == 1


def _load_tool(name):
    spec = importlib.util.spec_from_file_location(f"_tool_{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ship_face_photos_tool_records_photos_and_keeps_other_records(tmp_path):
    tool = _load_tool("ship_face_photos")
    rng = np.random.default_rng(0)
    sdist = tmp_path / "face_recognition-1.3.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as tar:
        files = {"LICENSE": b"MIT License\n"}
        for shape, file in [((900, 700), "obama.jpg"), ((300, 400), "biden.jpg")]:
            out = io.BytesIO()
            Image.fromarray(rng.integers(0, 256, (*shape, 3), dtype=np.uint8)).save(out, "JPEG")
            files[f"tests/test_images/{file}"] = out.getvalue()
        for name, data in files.items():
            info = tarfile.TarInfo(f"face_recognition-1.3.0/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    out_dir = tmp_path / "assets"
    out_dir.mkdir()
    weights = {"size": 1, "sha256": "0" * 64, "license": "MIT (LICENSES/face-api.txt)", "source": "npm"}
    (out_dir / "MANIFEST.json").write_text(json.dumps({"w.npz": weights}))
    tool.ship(sdist, names=("obama_1", "biden"), out_dir=out_dir)
    records = json.loads((out_dir / "MANIFEST.json").read_text())
    assert sorted(records) == ["photos/biden.jpg", "photos/obama_1.jpg", "w.npz"] and records["w.npz"] == weights
    with Image.open(out_dir / "photos" / "obama_1.jpg") as img:
        assert img.size == (498, 640)  # 700 x 900 scaled by 640/900: 497.8 -> 498
    with Image.open(out_dir / "photos" / "biden.jpg") as img:
        assert img.size == (400, 300)  # already small: not enlarged
    record = records["photos/obama_1.jpg"]
    assert record["sha256"] == _assets.sha256_of(out_dir / "photos" / "obama_1.jpg")
    assert record["source"] == "PyPI sdist face_recognition==1.3.0 (MIT, Adam Geitgey), tests/test_images/obama.jpg"
    assert record["license"] == "MIT (LICENSES/face_recognition.txt)"
    assert (out_dir / "LICENSES" / "face_recognition.txt").read_bytes() == b"MIT License\n"


def test_tfjs_parse_dequantise_round_trip(tmp_path):
    # two tensors: a uint8-quantised (2, 2) and a float32 (3,)
    manifest = [{"paths": ["a.bin", "b.bin"], "weights": [
        {"name": "conv/filters", "shape": [2, 2], "dtype": "float32",
         "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
        {"name": "conv/bias", "shape": [3], "dtype": "float32"},
    ]}]
    q = bytes([0, 1, 2, 255])
    bias = np.array([0.25, -2.0, 7.5], dtype="<f4").tobytes()
    shards = [q + bias[:5], bias[5:]]  # a tensor may straddle two shards
    tensors = _tfjs.parse_tfjs_weights(json.dumps(manifest), shards)
    np.testing.assert_array_equal(tensors["conv/filters"]["data"], [[0, 1], [2, 255]])
    weights = _tfjs.load_weights_npz(_tfjs.save_weights_npz(tmp_path / "w.npz", tensors))
    # w = q * scale + min: 0 -> -1, 1 -> -0.5, 2 -> 0, 255 -> 126.5
    np.testing.assert_allclose(weights["conv/filters"], [[-1.0, -0.5], [0.0, 126.5]])
    np.testing.assert_array_equal(weights["conv/bias"], [0.25, -2.0, 7.5])
    assert all(w.dtype == np.float32 for w in weights.values())


def test_tfjs_size_mismatch():
    manifest = [{"paths": ["a"], "weights": [{"name": "w", "shape": [4], "dtype": "float32"}]}]
    with pytest.raises(ValueError, match="TF.js shards end before tensor 'w'"):
        _tfjs.parse_tfjs_weights(manifest, [b"\x00" * 8])
    with pytest.raises(ValueError, match="TF.js shards hold 4 bytes the manifest does not describe"):
        _tfjs.parse_tfjs_weights(manifest, [b"\x00" * 20])


def test_shipped_face_api_weights_have_the_expected_tensors():
    detector = _tfjs.load_weights_npz(_assets.asset_path("tiny_face_detector_model.npz"))
    assert detector["conv0/filters"].shape == (3, 3, 3, 16)
    encoder = _tfjs.load_weights_npz(_assets.asset_path("face_recognition_model.npz"))
    assert encoder["conv32_down/conv/filters"].shape == (7, 7, 3, 32)
    assert len(detector) == 19 and len(encoder) == 117


def test_convert_face_api_tool_keeps_the_photo_records(tmp_path):
    tool = _load_tool("convert_face_api")
    spec = [{"paths": ["shard1"], "weights": [{"name": "conv0/bias", "shape": [2], "dtype": "float32"}]}]
    files = {
        "package/LICENSE": b"MIT License (face-api)\n",
        "package/model/tiny_face_detector_model-weights_manifest.json": json.dumps(spec).encode(),
        "package/model/shard1": np.array([0.5, -1.0], dtype="<f4").tobytes(),
    }
    tarball = tmp_path / "face-api.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    out_dir = tmp_path / "assets"
    out_dir.mkdir()
    photos = {name: record for name, record in _assets.manifest().items() if name.startswith("photos/")}
    (out_dir / "MANIFEST.json").write_text(json.dumps(photos))
    tool.convert(tarball, models=("tiny_face_detector_model",), out_dir=out_dir)
    records = json.loads((out_dir / "MANIFEST.json").read_text())
    assert sorted(records) == sorted([*photos, "tiny_face_detector_model.npz"])
    assert all(records[name] == record for name, record in photos.items())
    weights = records["tiny_face_detector_model.npz"]
    assert weights["sha256"] == _assets.sha256_of(out_dir / "tiny_face_detector_model.npz")
    assert weights["license"] == "MIT (LICENSES/face-api.txt)"
