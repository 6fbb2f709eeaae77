"""Graded-style verify / who_is_it with the pretrained encoder, and bad input."""

import numpy as np
import pytest
from PIL import Image

from course_cnn.datasets import load_photo
from course_cnn.week4.face import FaceDatabase, NoFaceError, extract_face, img_to_encoding, load_face_encoder, read_image, verify, who_is_it


@pytest.fixture(scope="module")
def model():
    return load_face_encoder()


@pytest.fixture(scope="module")
def database(model):
    # one reference photo per person, as in the course
    return {"obama": img_to_encoding(load_photo("obama_1"), model), "biden": img_to_encoding(load_photo("biden"), model)}


@pytest.fixture(scope="module")
def photo_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos")
    paths = {}
    for name in ("obama_2", "obama_3", "grace_hopper"):
        paths[name] = folder / f"{name}.jpg"
        Image.fromarray(load_photo(name)).save(paths[name])
    return paths


@pytest.mark.parametrize("photo", ["obama_2", "obama_3"])
def test_verify_accepts_right_person_and_rejects_wrong(photo, photo_files, database, model):
    dist_ok, door_ok = verify(str(photo_files[photo]), "obama", database, model)
    dist_no, door_no = verify(str(photo_files[photo]), "biden", database, model)
    assert door_ok is True and door_no is False and dist_ok < dist_no


@pytest.mark.parametrize("photo", ["obama_2", "obama_3"])
def test_who_is_it_names_the_person(photo, photo_files, database, model):
    min_dist, identity = who_is_it(photo_files[photo], database, model)
    assert identity == "obama" and 0 <= min_dist < 0.4


def test_who_is_it_unknown_person(photo_files, database, model):
    min_dist, identity = who_is_it(photo_files["grace_hopper"], database, model)
    assert identity is None and min_dist >= 0.4


def test_face_database_works_like_dict(database, model):
    db = FaceDatabase()
    for name, enc in database.items():
        db.add(name, enc)
    assert who_is_it(load_photo("obama_2"), db, model)[1] == "obama"


def test_threshold_changes_answer(database, model):
    # a tiny threshold rejects even the right person; a huge one accepts anyone
    assert verify(load_photo("obama_2"), "obama", database, model, threshold=1e-3)[1] is False
    assert who_is_it(load_photo("grace_hopper"), database, model, threshold=2.0)[1] is not None


def test_unknown_identity_lists_close_names(database, model):
    with pytest.raises(KeyError, match=r"`identity` must be a name in the database \(did you mean 'obama'\?\); got 'obamma'"):
        verify(load_photo("obama_2"), "obamma", database, model)


def test_empty_database(model):
    with pytest.raises(ValueError, match=r"`database` must contain at least one identity; got an empty database"):
        who_is_it(load_photo("obama_2"), {}, model)
    with pytest.raises(TypeError, match=r"`database` must be a dict of name -> encoding or a FaceDatabase"):
        who_is_it(load_photo("obama_2"), [1, 2], model)


def test_dimension_mismatch(model):
    with pytest.raises(ValueError, match=r"`model` must produce encodings of dimension 64 like the database; got dimension 128"):
        who_is_it(load_photo("obama_2"), {"x": np.zeros((1, 64))}, model)
    with pytest.raises(ValueError, match=r"`database\['b'\]` must be encodings of one dimension"):
        who_is_it(load_photo("obama_2"), {"a": np.zeros((1, 128)), "b": np.zeros((1, 64))}, model)


def test_bad_threshold(database, model):
    with pytest.raises(ValueError, match=r"`threshold` must be a real number > 0; got -0.5"):
        verify(load_photo("obama_2"), "obama", database, model, threshold=-0.5)


def test_no_face_raises(model, tmp_path):
    flat = np.full((200, 300, 3), 128, np.uint8)
    with pytest.raises(NoFaceError, match=r"`image_path` must show a face; got the 300x200 image, in which the face detector found none"):
        img_to_encoding(flat, model)
    path = tmp_path / "flat.png"
    Image.fromarray(flat).save(path)
    with pytest.raises(ValueError, match=r"found none with score >= 0.5.*crop_face=False"):
        verify(str(path), "obama", {"obama": np.zeros((1, 128))}, model)


def test_crop_face_false_encodes_whole_image(model):
    flat = np.full((200, 300, 3), 128, np.uint8)
    enc = img_to_encoding(flat, model, crop_face=False)
    assert enc.shape == (1, 128) and np.linalg.norm(enc) == pytest.approx(1.0, abs=1e-5)


def test_unreadable_and_missing_files(tmp_path, model):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"this is not a jpeg")
    with pytest.raises(ValueError, match=r"`image_path` must be a readable image file \(JPEG, PNG, ...\); got '.*broken.jpg'"):
        img_to_encoding(str(bad), model)
    with pytest.raises(FileNotFoundError, match=r"`image` must be an existing image file; got '/no/such.jpg'"):
        read_image("/no/such.jpg")  # read_image's own parameter; img_to_encoding names its image_path
    with pytest.raises(FileNotFoundError, match=r"`image_path` must be an existing image file; got '/no/such.jpg'"):
        img_to_encoding("/no/such.jpg", model)


def test_bad_size_threshold_and_identity(database, model):
    with pytest.raises(ValueError, match=r"`size` must be an int in \[1, 16384\]; got 1000000000000\."):
        extract_face(load_photo("obama_1"), size=10**12)
    with pytest.raises(ValueError, match=r"`score_threshold` must be a probability in \[0, 1\]; got 1.5\."):
        img_to_encoding(load_photo("obama_1"), model, score_threshold=1.5)
    with pytest.raises(TypeError, match=r"`identity` must be the name \(a str\) the person claims; got None\."):
        verify(load_photo("obama_2"), None, database, model)


def test_model_without_image_input():
    import keras

    dense = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(TypeError, match=r"`model` must be a Keras model with a fixed image input"):
        img_to_encoding(np.zeros((8, 8, 3), np.uint8), dense, crop_face=False)


def test_gray_encoder_on_whole_image():
    from course_cnn.week4.face import siamese_encoder

    enc = siamese_encoder((28, 28, 1), embedding_dim=8, filters=(4,))
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(60, 40, 3), dtype=np.uint8)
    out = img_to_encoding(image, enc, crop_face=False)
    # the same as the course's load_img(target_size=...) (nearest neighbour), /255, gray, then the model
    from PIL import Image

    resized = np.asarray(Image.fromarray(image).resize((28, 28), Image.NEAREST))  # (28, 28, 3)
    gray = (resized.astype(np.float32) / 255.0).mean(axis=-1, keepdims=True)
    ref = enc.predict(gray[None], verbose=0)
    np.testing.assert_allclose(out, ref / np.linalg.norm(ref), rtol=1e-5, atol=1e-6)
