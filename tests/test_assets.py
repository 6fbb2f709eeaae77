"""Shipped assets are verified, and the TF.js weight format round-trips."""

import json
import re

import numpy as np
import pytest

from course_cnn import _assets, _tfjs


def test_every_manifest_entry_is_shipped_verified_and_licensed():
    records = _assets.manifest()
    assert records, "MANIFEST.json lists the shipped assets"
    for name, record in records.items():
        path = _assets.asset_path(name)
        assert path.stat().st_size == record["size"]
        assert record["license"] and record["source"]
    total = sum(r["size"] for r in records.values())
    assert total < 12e6, f"assets total {total / 1e6:.1f} MB; keep them about 10 MB"


def test_asset_path_detects_damage(tmp_path, monkeypatch):
    (tmp_path / "w.bin").write_bytes(b"abc")
    good = {"size": 3, "sha256": _assets.sha256_of(tmp_path / "w.bin"), "license": "MIT", "source": "test"}
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"w.bin": good}))
    monkeypatch.setattr(_assets, "ASSETS_DIR", tmp_path)
    _assets.asset_path.cache_clear()
    try:
        assert _assets.asset_path("w.bin") == tmp_path / "w.bin"
        _assets.asset_path.cache_clear()
        (tmp_path / "w.bin").write_bytes(b"abd")  # same size, other bytes
        with pytest.raises(ValueError, match=re.escape("asset 'w.bin' is damaged: expected 3 bytes")):
            _assets.asset_path("w.bin")
        with pytest.raises(FileNotFoundError, match=re.escape("asset 'x.bin' is not shipped")):
            _assets.asset_path("x.bin")
    finally:
        _assets.asset_path.cache_clear()


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
