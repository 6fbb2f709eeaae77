"""The course's YOLO utilities: read classes and anchors, preprocess, draw, load a model.

These keep the signatures of the assignment's ``yad2k`` helpers so that a
notebook can switch to them unchanged: ``coco_classes.txt`` has one class name
per line, ``yolo_anchors.txt`` one line of comma-separated ``w, h`` pairs (in
grid cells), and `preprocess_image` returns the PIL image plus a
``(1, h, w, 3)`` float array in [0, 1].
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course_cnn import _checks

__all__ = ["read_classes", "read_anchors", "preprocess_image", "draw_boxes", "load_yolo_model"]


def _existing_file(path, name, what):
    path = _checks.check_path(path, name)
    if not path.is_file():
        raise FileNotFoundError(f"`{name}` must be the path of {what}; got {str(path)!r} (no such file).")
    return path


def read_classes(classes_path):
    r"""Read class names, one per line (the course's ``coco_classes.txt``).

    Parameters
    ----------
    classes_path : str or os.PathLike
        The text file.

    Returns
    -------
    list of str
        Class names in file order (blank lines skipped).

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        When it holds no names.

    Examples
    --------
    >>> _ = Path("/tmp/course_cnn_classes.txt").write_text("person\nbicycle\n")
    >>> read_classes("/tmp/course_cnn_classes.txt")
    ['person', 'bicycle']
    """
    path = _existing_file(classes_path, "classes_path", "a class-names file")
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not names:
        raise _checks.fail("classes_path", "name a file with one class name per line", "an empty file")
    return names


def read_anchors(anchors_path):
    r"""Read anchors from one line of comma-separated ``w, h`` pairs (``yolo_anchors.txt``).

    Parameters
    ----------
    anchors_path : str or os.PathLike
        The text file, e.g. ``0.57273, 0.677385, 1.87446, 2.06253, ...``.

    Returns
    -------
    ndarray of shape (B, 2)
        Anchor ``(width, height)`` in grid cells.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        When the numbers are not an even count of positive values.

    Examples
    --------
    >>> _ = Path("/tmp/course_cnn_anchors.txt").write_text("0.57273, 0.677385, 1.87446, 2.06253\n")
    >>> read_anchors("/tmp/course_cnn_anchors.txt")
    array([[0.57273 , 0.677385],
           [1.87446 , 2.06253 ]])
    """
    path = _existing_file(anchors_path, "anchors_path", "an anchors file")
    text = path.read_text(encoding="utf-8").replace("\n", ",")
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise _checks.fail("anchors_path", "name a file of comma-separated numbers", repr(text[:60])) from None
    if not values or len(values) % 2 or min(values) <= 0:
        raise _checks.fail("anchors_path", "name a file with an even number of positive values (w, h pairs)", f"{len(values)} values")
    return np.asarray(values).reshape(-1, 2)


def preprocess_image(img_path, model_image_size):
    """Load an image and resize it for the network (the course's ``preprocess_image``).

    Parameters
    ----------
    img_path : str or os.PathLike
        The image file.
    model_image_size : tuple of 2 int
        ``(height, width)`` of the network input, e.g. ``(608, 608)``.

    Returns
    -------
    image : PIL.Image.Image
        The original image (RGB), for drawing.
    image_data : ndarray of shape (1, height, width, 3), float32
        Resized (bicubic) and scaled to [0, 1].

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        For a size that is not two positive ints.

    Examples
    --------
    >>> from PIL import Image
    >>> Image.new("RGB", (40, 30)).save("/tmp/course_cnn_pre.png")
    >>> image, image_data = preprocess_image("/tmp/course_cnn_pre.png", (64, 32))
    >>> image.size, image_data.shape
    ((40, 30), (1, 64, 32, 3))
    """
    from PIL import Image

    path = _existing_file(img_path, "img_path", "an image file")
    if isinstance(model_image_size, (str, bytes)) or not hasattr(model_image_size, "__len__"):
        raise _checks.fail("model_image_size", "be (height, width)", _checks.describe(model_image_size), TypeError)
    height, width = _checks.check_input_shape(model_image_size, "model_image_size", ndim=2)
    try:
        with Image.open(path) as img:
            image = img.convert("RGB")
    except OSError as exc:  # PIL's UnidentifiedImageError included
        raise _checks.fail("img_path", "be a readable image file (JPEG, PNG, ...)", f"{str(img_path)!r} ({exc})") from None
    resized_image = image.resize((width, height), Image.BICUBIC)  # PIL takes (width, height)
    image_data = np.asarray(resized_image, dtype=np.float32) / 255.0
    return image, image_data[None]  # (1, height, width, 3)


def draw_boxes(image, boxes, classes, class_names, scores=None, path=None):
    """Draw YOLO boxes with "class score" labels on an image (matplotlib).

    Parameters
    ----------
    image : PIL.Image.Image or array_like of shape (n_H, n_W, 3)
        The image, in pixels matching ``boxes``.
    boxes : array_like of shape (n_boxes, 4)
        Pixel corners ``(y1, x1, y2, x2)``, as `yolo_eval` returns.
    classes : array_like of shape (n_boxes,)
        Class index of each box.
    class_names : sequence of str
        Names indexed by class.
    scores : array_like of shape (n_boxes,), optional
        Printed after each name.
    path : str or os.PathLike, optional
        Where to save the figure.

    Returns
    -------
    matplotlib.figure.Figure
        The drawing.

    Raises
    ------
    ValueError
        For a class index outside ``class_names`` or mismatched lengths.

    Examples
    --------
    >>> fig = draw_boxes(np.zeros((20, 20, 3)), [[2, 2, 10, 12]], [0], ["car"], [0.9])
    >>> fig.axes[0].texts[0].get_text()
    'car 0.90'
    """
    from course_cnn.plots import draw_boxes_on_image

    class_names = _checks.check_strings(class_names, "class_names")  # a bare "car" would label a box "c"
    classes = _checks.check_array(classes, "classes", kinds="iu")
    classes = classes.reshape(-1) if classes.size == 0 else classes
    _checks.check_ndim(classes, "classes", 1)
    if len(classes) and (classes.min() < 0 or classes.max() >= len(class_names)):
        raise _checks.fail("classes", f"index `class_names` (0 to {len(class_names) - 1})", f"values {np.unique(classes).tolist()}")
    labels = [class_names[int(c)] for c in classes]
    image = image if hasattr(image, "convert") else _checks.check_array(image, "image", finite=True)  # PIL or array
    return draw_boxes_on_image(np.asarray(image), boxes, labels, scores, box_format="yxyx", path=path)


def load_yolo_model(path):
    """Load a YOLO Keras model saved as ``.keras`` or ``.h5`` (e.g. the course's ``yolo.h5``).

    Parameters
    ----------
    path : str or os.PathLike
        The saved model.

    Returns
    -------
    keras.Model
        The model (not compiled), whose output is ``(m, S, S, B * (5 + C))``
        or ``(m, S, S, B, 5 + C)``, ready for `yolo_head`.

    Raises
    ------
    FileNotFoundError
        When the file does not exist (the message says what to pass).
    ValueError
        When the model's output is not a YOLO grid.

    Examples
    --------
    >>> model = load_yolo_model("model_data/yolo.h5")  # doctest: +SKIP
    """
    import keras

    path = _existing_file(path, "path", "a saved YOLO model (.keras or .h5, e.g. the course's model_data/yolo.h5)")
    try:
        model = keras.models.load_model(path, compile=False)
    except (ValueError, OSError) as exc:
        raise _checks.fail("path", "be a saved Keras model (.keras or .h5)", f"{str(path)!r} ({exc})") from None
    shape = tuple(model.output_shape)
    if len(shape) not in (4, 5):
        raise _checks.fail("path", "name a YOLO model whose output is (m, S, S, B * (5 + C)) or (m, S, S, B, 5 + C)", f"output shape {shape}")
    return model
