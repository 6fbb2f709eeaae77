r"""Landmark detection on real faces: face-api.js's 68-point landmark net, in Keras.

The lecture's landmark network outputs $2 n$ numbers, the $(x, y)$ of $n$
points, and is trained by regression on labelled points. This is the real
one: the 68-point net of the MIT-licensed npm package
``@vladmandic/face-api@1.7.15`` (trained on the iBUG 300-W points), weights
converted by ``tools/convert_face_api.py`` and shipped in
``course_cnn/assets/face_landmark_68_model.npz`` (and ``..._tiny_model.npz``).

Pipeline (`detect_landmarks`):

1. find the face with the week-3 detector (`detect_faces`), or take a given box;
2. cut the box out, pad it with black to a centred square of side $s$, resize
   to $112 \times 112$;
3. the network (dense blocks of depthwise-separable convolutions, see
   ``course_cnn._face_api``; a $256 \to 136$ fully connected layer at the end)
   outputs $(u_k, v_k) \in [0, 1]^2$ for $k = 0 \dots 67$, relative to the square;
4. back to photo pixels: $x_k = \text{left} + u_k s$, $y_k = \text{top} + v_k s$.

The 68 points come in the standard iBUG order; `LANDMARK_GROUPS` names the
index ranges. "left"/"right" are as seen in the photo (face-api's names): the
person's right eye is ``"left_eye"``.
"""

from __future__ import annotations

import functools

import numpy as np

from course_cnn import _checks

__all__ = ["LANDMARK_GROUPS", "load_landmark_detector", "detect_landmarks", "plot_face_landmarks"]

#: Index ranges of the 68 points (iBUG 300-W order), left/right as seen in the photo.
LANDMARK_GROUPS = {
    "jaw": tuple(range(0, 17)),
    "left_brow": tuple(range(17, 22)),
    "right_brow": tuple(range(22, 27)),
    "nose": tuple(range(27, 36)),
    "left_eye": tuple(range(36, 42)),
    "right_eye": tuple(range(42, 48)),
    "mouth": tuple(range(48, 68)),
}
_WEIGHTS = {"full": "face_landmark_68_model.npz", "tiny": "face_landmark_68_tiny_model.npz"}


def load_landmark_detector(variant="full"):
    r"""Build face-api.js's 68-point landmark net as a Keras model with its pretrained weights.

    Parameters
    ----------
    variant : {"full", "tiny"}, default "full"
        ``"full"``: 4 dense blocks of 4 separable convolutions (357 KB of
        weights); ``"tiny"``: 3 blocks of 3 (77 KB), a little less precise.

    Returns
    -------
    keras.Model
        Functional model ``"face_landmark_68_net"`` (or ``..._tiny_net``):
        input ``(m, 112, 112, 3)`` RGB face crops in 0-255, output
        ``(m, 68, 2)``: $(u, v)$ of each point, relative to the crop
        ($0$ = left/top edge, $1$ = right/bottom edge).

    Raises
    ------
    ValueError
        For an unknown ``variant`` or damaged weights.

    Examples
    --------
    >>> model = load_landmark_detector()
    >>> model.output_shape
    (None, 68, 2)
    """
    variant = _checks.check_choice(variant, "variant", _WEIGHTS)
    return _cached_landmark_detector(variant)


@functools.lru_cache(maxsize=2)
def _cached_landmark_detector(variant):
    import keras

    from course_cnn._assets import asset_path
    from course_cnn._face_api import assign_face_features, build_face_features
    from course_cnn._tfjs import load_weights_npz

    weights = load_weights_npz(asset_path(_WEIGHTS[variant]))
    features, inputs = build_face_features(variant)  # (m, 256) or (m, 128)
    coords = keras.layers.Dense(136, name="fc")(features)  # (m, 136) = (u_0, v_0, u_1, v_1, ...)
    outputs = keras.layers.Reshape((68, 2), name="landmarks")(coords)  # (m, 68, 2)
    name = "face_landmark_68_net" if variant == "full" else "face_landmark_68_tiny_net"
    model = keras.Model(inputs, outputs, name=name)
    assign_face_features(model, weights, variant)
    model.trainable = False
    return model


def detect_landmarks(image, box=None, *, score_threshold=0.5, model=None):
    r"""The 68 landmarks of a face in a photo, in pixels.

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like of shape (n_H, n_W, 3)
        The photo (see `load_rgb_image`).
    box : array_like of shape (4,), optional
        The face, pixel corners ``(y1, x1, y2, x2)`` as `detect_faces`
        returns them. It may reach past the photo's edges (the part outside
        reads as black) but must overlap it. By default the most confident
        face of `detect_faces` is used.
    score_threshold : float, default 0.5
        Detector confidence needed when ``box`` is not given, in [0, 1].
    model : keras.Model, optional
        A model from `load_landmark_detector` (the full one by default).

    Returns
    -------
    ndarray of shape (68, 2), float32
        ``(x, y)`` of each point in pixels of the photo, in the order of
        `LANDMARK_GROUPS`.

    Raises
    ------
    NoFaceError
        When ``box`` is None and the detector finds no face (a ``ValueError``;
        the message says to pass a ``box`` or a photo with a face).
    FileNotFoundError
        For a missing image file.
    TypeError, ValueError
        For something that is not an image, or a ``box`` of the wrong
        shape, with ``y2 <= y1`` or ``x2 <= x1``, or outside the photo.

    Examples
    --------
    >>> from course_cnn.datasets import load_photo
    >>> points = detect_landmarks(load_photo("grace_hopper"))
    >>> points.shape
    (68, 2)
    >>> eyes_y = points[list(LANDMARK_GROUPS["left_eye"])][:, 1].mean()
    >>> bool(eyes_y < points[list(LANDMARK_GROUPS["mouth"])][:, 1].mean())  # eyes above the mouth
    True
    """
    from course_cnn._face_api import check_face_box, face_crop
    from course_cnn.week3.face_detector import load_rgb_image

    model = load_landmark_detector() if model is None else _checks.check_model(model)
    rgb = load_rgb_image(image)
    box = _find_face(rgb, image, score_threshold) if box is None else check_face_box(box, rgb.shape)
    crop, (top, left, side) = face_crop(rgb, box)
    uv = np.asarray(model(crop[None], training=False))[0]  # (68, 2), relative to the square
    return (uv * side + [left, top]).astype(np.float32)  # (x, y) = corner + (u, v) s


def _find_face(rgb, image, score_threshold, name="image"):
    """The most confident face box of the week-3 detector, or NoFaceError."""
    from pathlib import Path

    from course_cnn.week3.face_detector import detect_faces
    from course_cnn.week4.face.encoding import NoFaceError

    score_threshold = _checks.check_probability(score_threshold, "score_threshold")
    scores, boxes = detect_faces(rgb, score_threshold=score_threshold)
    if len(scores) == 0:
        where = repr(str(image)) if isinstance(image, (str, Path)) else f"the {rgb.shape[1]}x{rgb.shape[0]} image"
        raise NoFaceError(
            f"`{name}` must show a face; got {where}, in which the face detector found none with score "
            f">= {score_threshold:g}. Pass a photo with a visible face, a lower `score_threshold`, "
            "or the face's `box` (y1, x1, y2, x2) in pixels."
        )
    return boxes[0].astype(np.float64)


def plot_face_landmarks(image, landmarks, ax=None, path=None, box=None):
    """Draw 68 landmarks on a photo, one colour per group of `LANDMARK_GROUPS`.

    Parameters
    ----------
    image : array_like of shape (n_H, n_W, 3)
        The photo.
    landmarks : array_like of shape (68, 2)
        Pixel ``(x, y)`` as `detect_landmarks` returns them.
    ax : matplotlib.axes.Axes, optional
        Where to draw (a new figure by default).
    path : str or os.PathLike, optional
        Save the figure there (only with a new figure).
    box : array_like of shape (4,), optional
        A face box ``(y1, x1, y2, x2)`` in pixels to outline (it must overlap the photo).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    TypeError, ValueError
        For an image that is not one, landmarks that are not (68, 2) finite
        numbers, or a bad ``box``.

    Examples
    --------
    >>> fig = plot_face_landmarks(np.zeros((40, 40, 3), np.uint8), np.full((68, 2), 20.0))
    >>> len(fig.axes)
    1
    """
    from course_cnn._face_api import check_face_box
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3.face_detector import load_rgb_image

    rgb = load_rgb_image(image)
    points = _checks.check_array(landmarks, "landmarks", shape=(68, 2), kinds="iuf", finite=True, dtype=np.float64)
    fig = None
    if ax is None:
        fig, ax = new_figure(figsize=(4, 4 * rgb.shape[0] / rgb.shape[1]))
    ax.imshow(rgb)
    for (group, index), color in zip(LANDMARK_GROUPS.items(), ("C0", "C1", "C1", "C2", "C3", "C3", "C4")):
        ax.plot(points[list(index), 0], points[list(index), 1], ".-", color=color, markersize=3, linewidth=0.8, label=group)
    if box is not None:
        y1, x1, y2, x2 = check_face_box(box, rgb.shape)
        ax.plot([x1, x2, x2, x1, x1], [y1, y1, y2, y2, y1], color="lime", linewidth=1)
    ax.set_axis_off()
    if fig is not None and path is not None:
        save_figure(fig, path)
    return ax.figure
