"""The pretrained face encoder against face-api.js, and on the shipped photos."""

import json
from pathlib import Path

import keras
import numpy as np
import pytest

from course_cnn.datasets import load_photo
from course_cnn.week4.face import (
    DEFAULT_THRESHOLD,
    ChannelScale,
    ChannelZeroPad,
    extract_face,
    img_to_encoding,
    load_face_encoder,
)

DATA = Path(__file__).parent / "data"
PEOPLE = {"obama_1": "obama", "obama_2": "obama", "obama_3": "obama", "biden": "biden"}


@pytest.fixture(scope="module")
def model():
    return load_face_encoder()


@pytest.fixture(scope="module")
def encodings(model):
    return {name: img_to_encoding(load_photo(name), model)[0] for name in [*PEOPLE, "grace_hopper"]}


def test_matches_face_api_js_reference(model):
    # face-api.js's own FaceRecognitionNet (TF.js, CPU) on the same input: see data/make_faceapi_reference.mjs
    ref = json.loads((DATA / "faceapi_reference.json").read_text())
    i, j, c = np.meshgrid(np.arange(150), np.arange(150), np.arange(3), indexing="ij")
    x = ((7 * i + 13 * j + 50 * c + (i * j) % 17) % 256).astype(np.float32)
    out = model.predict(x[None] / 255.0, verbose=0)[0]
    np.testing.assert_allclose(out, ref["descriptor"], atol=1e-5)


def test_architecture_sizes_and_names(model):
    assert model.input_shape == (None, 150, 150, 3) and model.output_shape == (None, 128)
    assert model.get_layer("conv32_pool").output.shape[1:] == (35, 35, 32)  # (150-7)//2+1=72, (72-3)//2+1=35
    assert model.get_layer("conv128_down_out").output.shape[1:] == (8, 8, 128)  # (17-3)//2+1 = 8
    assert model.get_layer("conv256_down_out_out").output.shape[1:] == (2, 2, 256)  # 4 -> conv 1, pool 2, padded
    names = [layer.name for layer in model.layers]
    assert len(names) == len(set(names)) and not any(n.startswith(("conv2d", "dense", "re_lu")) for n in names)


def test_custom_layers_round_trip(tmp_path):
    inp = keras.Input((4, 4, 3), name="x")
    out = ChannelZeroPad(2, name="pad")(ChannelScale(name="scale")(inp))
    model = keras.Model(inp, out, name="tiny")
    model.get_layer("scale").set_weights([np.array([1.0, 2.0, 3.0], "float32"), np.array([0.5, 0.0, -1.0], "float32")])
    x = np.random.default_rng(0).random((2, 4, 4, 3)).astype("float32")
    model.save(tmp_path / "tiny.keras")
    loaded = keras.models.load_model(tmp_path / "tiny.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert loaded.get_layer("pad").extra == 2


@pytest.mark.slow
def test_random_model_round_trips(tmp_path):
    m = load_face_encoder(weights=None)
    x = np.random.default_rng(0).random((2, 150, 150, 3)).astype("float32")
    m.save(tmp_path / "face.keras")
    loaded = keras.models.load_model(tmp_path / "face.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), m.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_custom_layers():
    x = np.arange(12, dtype="float32").reshape(1, 2, 2, 3)
    scale = ChannelScale(name="s")
    scale.build(x.shape)
    scale.set_weights([np.array([1.0, 2.0, 3.0], "float32"), np.array([0.0, 1.0, -1.0], "float32")])
    # channel 1 of pixel (0,0) is 1 -> 2*1+1 = 3
    assert float(scale(x)[0, 0, 0, 1]) == 3.0
    padded = np.asarray(ChannelZeroPad(2)(x))
    assert padded.shape == (1, 2, 2, 5) and np.all(padded[..., 3:] == 0) and np.array_equal(padded[..., :3], x)
    with pytest.raises(ValueError, match=r"`extra` must be an int in \[0, 65536\]; got -1"):
        ChannelZeroPad(-1)


def test_missing_weights_file():
    with pytest.raises(FileNotFoundError, match=r"`weights`: no file at"):
        load_face_encoder("/no/such/weights.npz")


def test_same_person_closer_than_different(encodings):
    names = list(PEOPLE)
    same, diff = [], []
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            d = float(np.linalg.norm(encodings[names[a]] - encodings[names[b]]))
            (same if PEOPLE[names[a]] == PEOPLE[names[b]] else diff).append(d)
    assert len(same) == 3 and len(diff) == 3
    assert max(same) < DEFAULT_THRESHOLD < min(diff)


def test_encodings_are_unit_length(encodings):
    for enc in encodings.values():
        assert np.linalg.norm(enc) == pytest.approx(1.0, abs=1e-5)


def test_extract_face_box_on_grace_hopper():
    crop, box = extract_face(load_photo("grace_hopper"))
    y1, x1, y2, x2 = box
    # the face lies in the upper middle of the 600x512 portrait
    assert 100 < y1 < y2 < 400 and 100 < x1 < x2 < 420
    assert crop.shape == (150, 150, 3) and 0.0 <= crop.min() and crop.max() <= 1.0
