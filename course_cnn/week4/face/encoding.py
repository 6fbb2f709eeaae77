r"""Face verification (1:1) and recognition (1:K) with an encoder.

*Verification* answers "is this the person they claim to be?": encode the
photo, compare with that person's stored encoding, open the door when

$$d = \lVert f(x) - f(x_{\text{identity}})\rVert_2 < \tau .$$

*Recognition* answers "who is this, if anyone?": the closest of the $K$
known people, or a $(K+1)$-th answer, "not in the database", when even the
closest is farther than $\tau$. Both are *one-shot*: one photo per person
is enough, because what was learned is the distance $d$, not the people.

Encodings are L2-normalised, $f(x) / \lVert f(x)\rVert_2$, so distances lie
in $[0, 2]$.

Any encoder is used the course's way: the whole photo resized to the
model's input (nearest neighbour, as ``keras.utils.load_img`` does),
scaled to [0, 1], encoded and L2-normalised, with the course's threshold
`COURSE_THRESHOLD` (0.7, chosen for its FaceNet). The pretrained encoder
of `load_face_encoder` carries two extras of its own: faces are found
with the week-3 detector (`course_cnn.week3.detect_faces`) and cropped as
a square around the best box (a photo with no face raises `NoFaceError`
instead of silently encoding the whole frame), and its threshold is
`DEFAULT_THRESHOLD`, calibrated on the shipped photos (see the docs page
"The pretrained encoder"). An explicit ``crop_face=`` or ``threshold=``
always wins.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course_cnn import _checks
from course_cnn.week4.face.database import FaceDatabase, _unknown_name

__all__ = ["DEFAULT_THRESHOLD", "COURSE_THRESHOLD", "NoFaceError", "read_image", "extract_face", "img_to_encoding", "verify", "who_is_it"]

#: Distance threshold between L2-normalised encodings of the pretrained
#: encoder, about midway between the largest same-person distance (0.372) and the
#: smallest different-person distance (0.437) on the shipped photos.
DEFAULT_THRESHOLD = 0.4

#: The course's distance threshold for its FaceNet encodings, used for any
#: encoder that carries no calibrated threshold of its own.
COURSE_THRESHOLD = 0.7


class NoFaceError(ValueError):
    """Raised when the face detector finds no face in an image."""


def read_image(image, name="image"):
    """Read an image from a path, a PIL image or an array, as RGB uint8.

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like of shape (n_H, n_W, 3)
        The image (arrays: uint8 0-255, or floats in [0, 1]).
    name : str, default "image"
        Parameter name for messages.

    Returns
    -------
    ndarray of shape (n_H, n_W, 3), uint8
        The RGB image.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        When the file is not a readable image.

    Examples
    --------
    >>> read_image(np.zeros((4, 5, 3), np.uint8)).shape
    (4, 5, 3)
    """
    from course_cnn.week3 import load_rgb_image

    return load_rgb_image(image, name)


def _square_crop(image, box, size):
    """Square crop of side max(h, w) centred on ``box`` (zeros outside), resized to ``size``."""
    import tensorflow as tf

    n_H, n_W = image.shape[:2]
    y1, x1, y2, x2 = (float(v) for v in box)
    cy, cx, half = (y1 + y2) / 2, (x1 + x2) / 2, max(y2 - y1, x2 - x1) / 2
    # normalised (y1, x1, y2, x2) for crop_and_resize; outside the image reads as 0
    crop_box = [[(cy - half) / (n_H - 1), (cx - half) / (n_W - 1), (cy + half) / (n_H - 1), (cx + half) / (n_W - 1)]]
    pixels = image[None].astype(np.float32) / 255.0  # (1, n_H, n_W, 3)
    return tf.image.crop_and_resize(pixels, crop_box, [0], (size, size)).numpy()[0]  # (size, size, 3)


def extract_face(image, size=150, score_threshold=0.5, name="image"):
    r"""Detect the most confident face and return it as a square crop.

    The crop is the square of side $\max(h, w)$ centred on the detector's
    box, resized to ``size`` (the way face-api.js feeds its descriptor).

    Parameters
    ----------
    image : str, os.PathLike or array_like of shape (n_H, n_W, 3)
        The photo.
    size : int, default 150
        Side of the returned crop.
    score_threshold : float, default 0.5
        Minimum detector confidence.
    name : str, default "image"
        Parameter name for messages.

    Returns
    -------
    crop : ndarray of shape (size, size, 3), float32
        RGB values in [0, 1].
    box : ndarray of shape (4,)
        The detector's box, pixels ``(y1, x1, y2, x2)``.

    Raises
    ------
    NoFaceError
        When no face scores at least ``score_threshold``.
    FileNotFoundError, ValueError
        For a missing or unreadable image.

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> crop, box = extract_face(load_photo("grace_hopper"))
    >>> crop.shape
    (150, 150, 3)
    """
    from course_cnn.week3 import detect_faces

    size = _checks.check_size(size, "size", _checks.MAX_IMAGE_SIDE)
    score_threshold = _checks.check_probability(score_threshold, "score_threshold")
    pixels = read_image(image, name)
    scores, boxes = detect_faces(pixels, score_threshold=score_threshold)
    if len(scores) == 0:
        where = repr(str(image)) if isinstance(image, (str, Path)) else f"the {pixels.shape[1]}x{pixels.shape[0]} image"
        raise NoFaceError(
            f"`{name}` must show a face; got {where}, in which the face detector found none with score "
            f">= {score_threshold:g}. Pass a photo with a visible face (or a lower `score_threshold`), "
            "or crop_face=False to encode the whole image."
        )
    return _square_crop(pixels, boxes[0], size), np.asarray(boxes[0])


def _model_input_size(model):
    shape = getattr(model, "input_shape", None)
    if not shape or len(shape) != 4 or shape[1] is None:
        requirement = "be a Keras model with a fixed image input (m, n_H, n_W, n_C)"
        raise _checks.fail("model", requirement, f"input shape {shape}", TypeError)
    return int(shape[1]), int(shape[2]), int(shape[3])


def _encoder_crops_faces(model):
    """True for the pretrained encoder of load_face_encoder (it wants face crops)."""
    return bool(getattr(model, "_course_cnn_crop_face", False))


def _encoder_threshold(model):
    """The encoder's calibrated threshold, else the course's 0.7."""
    threshold = getattr(model, "_course_cnn_threshold", None)
    return COURSE_THRESHOLD if threshold is None else threshold


def _whole_image(image_path, n_H, n_W):
    """The course's encoder input: the whole photo at (n_H, n_W), nearest-neighbour resize, /255."""
    from PIL import Image

    pixels = read_image(image_path, "image_path")  # (h, w, 3) uint8
    if pixels.shape[:2] != (n_H, n_W):
        pixels = np.asarray(Image.fromarray(pixels).resize((n_W, n_H), Image.NEAREST))  # (n_H, n_W, 3)
    return np.around(pixels / 255.0, decimals=12).astype(np.float32)


def img_to_encoding(image_path, model, crop_face=None, score_threshold=0.5):
    r"""Encode a photo: run the encoder on it, L2-normalise.

    $$\text{encoding} = \frac{f(x)}{\lVert f(x)\rVert_2}$$

    As in the course, $x$ is the whole photo resized to the model's input
    (nearest neighbour, like ``keras.utils.load_img(path, target_size=...)``)
    and scaled to [0, 1]. The pretrained encoder of `load_face_encoder`
    wants a face crop instead: for it, the face is first found and cropped
    (`extract_face`).

    Parameters
    ----------
    image_path : str, os.PathLike or array_like of shape (n_H, n_W, 3)
        The photo (a path, as in the course, or an RGB array).
    model : keras.Model
        The encoder, input (m, n_H, n_W, n_C) with values in [0, 1].
    crop_face : bool, optional
        Crop the detected face first. Default: True for the pretrained
        encoder, False (the course's whole image) for any other model.
    score_threshold : float, default 0.5
        Minimum face-detector confidence, when cropping.

    Returns
    -------
    ndarray of shape (1, d), float32
        The unit-length encoding.

    Raises
    ------
    NoFaceError
        When cropping and no face is detected.
    FileNotFoundError, ValueError
        For a missing or unreadable image file.
    TypeError
        For a model without a fixed image input.

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> from course_cnn.week4.face import load_face_encoder
    >>> enc = img_to_encoding(load_photo("grace_hopper"), load_face_encoder())
    >>> enc.shape, round(float(np.linalg.norm(enc)), 5)
    ((1, 128), 1.0)
    """
    n_H, n_W, n_C = _model_input_size(model)
    score_threshold = _checks.check_probability(score_threshold, "score_threshold")
    if crop_face is None:
        crop_face = _encoder_crops_faces(model)
    elif not isinstance(crop_face, (bool, np.bool_)):
        raise _checks.fail("crop_face", "be True, False or None", _checks.describe(crop_face), TypeError)
    if crop_face:
        x = extract_face(image_path, size=n_H, score_threshold=score_threshold, name="image_path")[0]  # (n_H, n_H, 3)
    else:
        x = _whole_image(image_path, n_H, n_W)  # (n_H, n_W, 3)
    if n_C == 1:
        x = x.mean(axis=-1, keepdims=True)  # gray encoders (e.g. trained on Fashion-MNIST)
    embedding = np.asarray(model.predict_on_batch(x[None]), dtype=np.float32)  # (1, d)
    return embedding / np.linalg.norm(embedding, ord=2)


def _as_database(database):
    if isinstance(database, FaceDatabase):
        db = database
    elif isinstance(database, dict):
        db = FaceDatabase()
        for name, enc in database.items():
            try:
                db.add(str(name), enc)
            except ValueError as exc:
                raise _checks.fail(f"database[{name!r}]", "be encodings of one dimension", str(exc).rstrip(".")) from None
    else:
        raise _checks.fail("database", "be a dict of name -> encoding or a FaceDatabase", _checks.describe(database), TypeError)
    if len(db) == 0:
        raise _checks.fail("database", "contain at least one identity", "an empty database")
    return db


def _check_dims(encoding, db):
    if encoding.shape[-1] != db.dim:
        raise _checks.fail("model", f"produce encodings of dimension {db.dim} like the database", f"dimension {encoding.shape[-1]}")


def _threshold(threshold, model):
    if threshold is None:
        return _encoder_threshold(model)
    return _checks.check_number(threshold, "threshold", low=0.0, low_inclusive=False)


def verify(image_path, identity, database, model, threshold=None):
    r"""Face verification (1:1): is the person in the photo ``identity``?

    $$d = \min_j \lVert \text{enc}(x) - e_{\text{identity}, j}\rVert_2,\qquad
      \text{door\_open} = d < \tau$$

    Parameters
    ----------
    image_path : str, os.PathLike or array_like of shape (n_H, n_W, 3)
        The photo taken at the door.
    identity : str
        The name the person claims.
    database : dict of str to array_like of shape (1, d), or FaceDatabase
        Known encodings (the course's ``database`` dict works as is).
    model : keras.Model
        The encoder the database was built with.
    threshold : float, optional
        The distance threshold $\tau > 0$. Default: the encoder's calibrated
        threshold (`DEFAULT_THRESHOLD` for the pretrained encoder), else
        the course's `COURSE_THRESHOLD` (0.7).

    Returns
    -------
    dist : float
        Distance to the identity's (closest) stored encoding.
    door_open : bool
        ``dist < threshold``.

    Raises
    ------
    KeyError
        When ``identity`` is not in the database (close names are listed).
    ValueError
        For an empty database, encodings of another dimension, a bad
        threshold or a photo without a face.

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> from course_cnn.week4.face import load_face_encoder
    >>> model = load_face_encoder()
    >>> db = {"obama": img_to_encoding(load_photo("obama_1"), model)}
    >>> dist, door_open = verify(load_photo("obama_2"), "obama", db, model)
    >>> bool(door_open)
    True
    """
    threshold = _threshold(threshold, model)
    db = _as_database(database)
    if not isinstance(identity, str):
        raise _checks.fail("identity", "be the name (a str) the person claims", _checks.describe(identity), TypeError)
    if identity not in db:
        raise _unknown_name(identity, db.names, "identity")
    encoding = img_to_encoding(image_path, model)
    _check_dims(encoding, db)
    dist = db.distances(encoding)[identity]
    return dist, bool(dist < threshold)


def who_is_it(image_path, database, model, threshold=None):
    r"""Face recognition (1:K): who is in the photo, or nobody we know?

    $$\hat{k} = \arg\min_k d_k, \qquad \text{identity} =
      \hat{k} \text{ if } d_{\hat{k}} < \tau \text{ else None}$$

    Unlike the course (which returns the closest name even above the
    threshold and only prints "Not in the database"), the identity is
    ``None`` for an unknown person: the $(K+1)$-th class.

    Parameters
    ----------
    image_path : str, os.PathLike or array_like of shape (n_H, n_W, 3)
        The photo.
    database : dict of str to array_like of shape (1, d), or FaceDatabase
        Known encodings.
    model : keras.Model
        The encoder the database was built with.
    threshold : float, optional
        The distance threshold $\tau > 0$. Default: the encoder's calibrated
        threshold (`DEFAULT_THRESHOLD` for the pretrained encoder), else
        the course's `COURSE_THRESHOLD` (0.7).

    Returns
    -------
    min_dist : float
        Distance to the closest identity.
    identity : str or None
        Its name, or None when ``min_dist >= threshold`` ("not in the database").

    Raises
    ------
    ValueError
        For an empty database, encodings of another dimension, a bad
        threshold or a photo without a face.

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> from course_cnn.week4.face import load_face_encoder
    >>> model = load_face_encoder()
    >>> db = {"obama": img_to_encoding(load_photo("obama_1"), model)}
    >>> who_is_it(load_photo("grace_hopper"), db, model)[1] is None
    True
    """
    threshold = _threshold(threshold, model)
    db = _as_database(database)
    encoding = img_to_encoding(image_path, model)
    _check_dims(encoding, db)
    min_dist, identity = db.nearest(encoding)
    return min_dist, (identity if min_dist < threshold else None)
