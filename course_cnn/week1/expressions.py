r"""Is this person happy? A real pretrained expression classifier, in Keras.

Week 1's application assignment trains ``happyModel`` on 64x64 photos to say
"happy or not". This module answers the same question with a network trained
on real faces: face-api.js's expression net (MIT-licensed npm package
``@vladmandic/face-api@1.7.15``; weights converted by
``tools/convert_face_api.py`` and shipped in
``course_cnn/assets/face_expression_model.npz``).

It is a classifier over $K = 7$ expressions, `EXPRESSIONS`:

1. a $112 \times 112$ face crop (found with week 3's `detect_faces`, padded
   with black to a centred square) goes through a feature extractor of dense
   blocks of depthwise-separable convolutions (see ``course_cnn._face_api``;
   the same architecture as the 68-point landmark net, other weights) to a
   256-D feature vector $a$;
2. a fully connected layer gives 7 logits $z = W a + b$ and a softmax the
   probabilities $\hat y_k = e^{z_k} / \sum_j e^{z_j}$.

The course's binary task sits on top: `is_happy` says whether
$\hat y_{\text{happy}} \ge$ a threshold (the course's sigmoid output becomes one
class of a softmax).
"""

from __future__ import annotations

import functools

import numpy as np

from course_cnn import _checks

__all__ = ["EXPRESSIONS", "load_expression_classifier", "classify_expression", "is_happy"]

#: The 7 classes of the expression net, in the order of its outputs.
EXPRESSIONS = ("neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised")
_WEIGHTS = "face_expression_model.npz"


def load_expression_classifier():
    """Build face-api.js's expression net as a Keras model with its pretrained weights.

    Returns
    -------
    keras.Model
        Functional model ``"face_expression_net"``: input ``(m, 112, 112, 3)``
        RGB face crops in 0-255, output ``(m, 7)`` probabilities over
        `EXPRESSIONS` (a softmax). Cached and frozen: do not modify it in
        place.

    Raises
    ------
    ValueError
        When the shipped weights are damaged.

    Examples
    --------
    >>> model = load_expression_classifier()
    >>> model.output_shape
    (None, 7)
    """
    return _cached_classifier()


@functools.lru_cache(maxsize=1)
def _cached_classifier():
    import keras

    from course_cnn._assets import asset_path
    from course_cnn._face_api import assign_face_features, build_face_features
    from course_cnn._tfjs import load_weights_npz

    weights = load_weights_npz(asset_path(_WEIGHTS))
    features, inputs = build_face_features("full")  # (m, 256)
    logits = keras.layers.Dense(len(EXPRESSIONS), name="fc")(features)  # (m, 7): z = W a + b
    outputs = keras.layers.Softmax(name="softmax")(logits)  # (m, 7)
    model = keras.Model(inputs, outputs, name="face_expression_net")
    assign_face_features(model, weights, "full")
    model.trainable = False
    return model


def classify_expression(image, box=None, *, score_threshold=0.5, model=None):
    """Probabilities of the 7 expressions of the face in a photo.

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like of shape (n_H, n_W, 3)
        The photo (see ``course_cnn.week3.load_rgb_image``).
    box : array_like of shape (4,), optional
        The face, pixel corners ``(y1, x1, y2, x2)``; by default the most
        confident face of ``course_cnn.week3.detect_faces``. For a photo that
        is already a face crop (the course's 64x64 images), pass
        ``(0, 0, n_H, n_W)``.
    score_threshold : float, default 0.5
        Detector confidence needed when ``box`` is not given, in [0, 1].
    model : keras.Model, optional
        A model from `load_expression_classifier`.

    Returns
    -------
    ndarray of shape (7,), float32
        Probabilities over `EXPRESSIONS` (they sum to 1).

    Raises
    ------
    NoFaceError
        When ``box`` is None and no face is found (a ``ValueError``).
    FileNotFoundError, TypeError, ValueError
        For a missing file, something that is not an image, or a bad ``box``.

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> probs = classify_expression(load_photo("grace_hopper"))
    >>> probs.shape, round(float(probs.sum()), 4)
    ((7,), 1.0)
    """
    from course_cnn._face_api import check_face_box, face_crop
    from course_cnn.week3.face_detector import load_rgb_image
    from course_cnn.week3.face_landmarks import _find_face

    model = load_expression_classifier() if model is None else _checks.check_model(model)
    rgb = load_rgb_image(image)
    box = _find_face(rgb, image, score_threshold) if box is None else check_face_box(box, rgb.shape)
    crop, _ = face_crop(rgb, box)
    return np.asarray(model(crop[None], training=False))[0].astype(np.float32)  # (7,)


def is_happy(image, threshold=0.5, *, box=None, model=None):
    r"""The course's "happy or not" on a real photo: $\hat y_{\text{happy}} \ge$ threshold.

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like of shape (n_H, n_W, 3)
        The photo.
    threshold : float, default 0.5
        Probability of "happy" from which the answer is yes, in [0, 1].
    box : array_like of shape (4,), optional
        The face ``(y1, x1, y2, x2)`` in pixels (found by the detector by default).
    model : keras.Model, optional
        A model from `load_expression_classifier`.

    Returns
    -------
    bool
        Whether the face is classified happy.

    Raises
    ------
    NoFaceError
        When no face is found and no ``box`` is given.
    TypeError, ValueError
        For bad input (see `classify_expression`) or a threshold outside [0, 1].

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> is_happy(load_photo("obama_1")), is_happy(load_photo("grace_hopper"))  # a smile; a straight face
    (True, False)
    """
    threshold = _checks.check_probability(threshold, "threshold")
    probs = classify_expression(image, box, model=model)
    return bool(probs[EXPRESSIONS.index("happy")] >= threshold)
