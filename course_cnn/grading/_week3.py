"""Check suites for week 3: boxes, IoU and the YOLO post-processing.

Inputs are TensorFlow tensors (float32) drawn from
``numpy.random.default_rng(seed)``, with the edge cases of detection: a
threshold no box reaches (an empty set of boxes), boxes touching at an edge
or a corner, disjoint boxes, identical boxes; and the course's own tests'
inputs (``tf.random.normal(..., mean=1, stddev=4, seed=1)`` after
``tf.random.set_seed(10)``: corners in any order, negative scores, float
class ids), so that a solution the course accepts passes here too.
"""

from __future__ import annotations

import numpy as np

from course_cnn.grading._compare import shape_of
from course_cnn.grading._course_inputs import course_normals
from course_cnn.grading._suite import Case, Hint, Suite, same_as

W3 = "course_cnn.week3"
_TF_TOL = {"rtol": 1e-4, "atol": 1e-5}


def _tensor(x, dtype="float32"):
    import tensorflow as tf

    return tf.constant(np.asarray(x, dtype=dtype))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _np(x) -> np.ndarray:
    return np.asarray(x)


# ---- iou ------------------------------------------------------------------------------------------------------

_IOU_SPECS = [
    ("overlapping (the course's test)", (2, 1, 4, 3), (1, 2, 3, 4)),
    ("disjoint on both axes", (1, 2, 3, 4), (5, 6, 7, 8)),
    ("touching at a corner", (1, 1, 2, 2), (2, 2, 3, 3)),
    ("touching along an edge", (1, 1, 3, 3), (2, 3, 3, 4)),
    ("one inside the other", (0, 0, 10, 10), (2, 3, 5, 7)),
    ("identical boxes", (1.5, 2.0, 4.5, 6.0), (1.5, 2.0, 4.5, 6.0)),
]


def _random_box(rng) -> tuple:
    x1, y1 = rng.uniform(0, 5, size=2)
    w, h = rng.uniform(0.5, 4, size=2)
    return tuple(round(float(v), 2) for v in (x1, y1, x1 + w, y1 + h))


def _iou_cases():
    cases = [Case(name, lambda b1=b1, b2=b2: ({"box1": b1, "box2": b2}, {})) for name, b1, b2 in _IOU_SPECS]
    for seed in (0, 1):
        def make(seed=seed):
            rng = np.random.default_rng(seed)
            box1 = _random_box(rng)
            x1, y1 = np.array(box1[:2]) + rng.uniform(-1, 1, size=2)  # near box1: usually overlapping
            w, h = rng.uniform(0.5, 4, size=2)
            return {"box1": box1, "box2": tuple(round(float(v), 2) for v in (x1, y1, x1 + w, y1 + h))}, {}

        cases.append(Case(f"seed {seed}, random boxes", make))
    return cases


def _iou_unclamped(d) -> float:
    (x1, y1, x2, y2), (u1, v1, u2, v2) = d.args["box1"], d.args["box2"]
    inter = (min(x2, u2) - max(x1, u1)) * (min(y2, v2) - max(y1, v1))
    union = (x2 - x1) * (y2 - y1) + (u2 - u1) * (v2 - v1) - inter
    return inter / union


IOU = Suite(
    "week3.iou", f"{W3}:iou", _iou_cases,
    summary="intersection over union of two (x1, y1, x2, y2) boxes",
    hints=(
        Hint("Clamp the intersection at zero: inter_width = max(xi2 - xi1, 0) and inter_height = max(yi2 - yi1, 0); "
             "boxes that do not overlap (or only touch) have IoU 0.",
             lambda d: _iou_unclamped(d) != d.expected and same_as(_iou_unclamped)(d)),
        Hint("The union counts the intersection once: union = box1_area + box2_area - inter_area.",
             same_as(lambda d: d.expected / (1 + d.expected) if d.expected else None)),
    ),
)


# ---- yolo_boxes_to_corners, scale_boxes, yolo_head ------------------------------------------------------------

def _corners_cases():
    shapes = [(19, 19, 5), (3, 4, 2), (1,), (7,)]
    cases = []
    for seed, shape in enumerate(shapes):
        def make(seed=seed, shape=shape):
            rng = np.random.default_rng(seed)
            return {"box_xy": _tensor(rng.uniform(0, 1, shape + (2,))),
                    "box_wh": _tensor(rng.uniform(0, 0.5, shape + (2,)))}, {}

        cases.append(Case(f"seed {seed}, boxes {shape}", make))
    return cases


def _corners_full_size(d):
    hw = _np(d.args["box_wh"])[..., ::-1]  # (h, w) to match (y, x)
    return _np(d.expected) + np.concatenate([-hw / 2, hw / 2], axis=-1)


YOLO_BOXES_TO_CORNERS = Suite(
    "week3.yolo_boxes_to_corners", f"{W3}:yolo_boxes_to_corners", _corners_cases, **_TF_TOL,
    summary="(x, y) centres and (w, h) sizes to (y1, x1, y2, x2) corners",
    hints=(
        Hint("The YOLO helpers use the tf.image order (y1, x1, y2, x2): box_xy holds (x, y), so take index 1 "
             "before index 0.", same_as(lambda d: _np(d.expected)[..., [1, 0, 3, 2]], **_TF_TOL)),
        Hint("The corners are half a width/height from the centre: x1 = x - w / 2.",
             same_as(_corners_full_size, **_TF_TOL)),
    ),
)


def _scale_cases():
    specs = [(0, (10, 4), (720, 1280)), (1, (3, 3, 2, 4), (300, 400)), (2, (1, 4), (608, 608)), (3, (0, 4), (5, 7))]
    return [Case(f"seed {seed}, boxes {shape}, image_shape {image}",
                 lambda seed=seed, shape=shape, image=image: (
                     {"boxes": _tensor(np.random.default_rng(seed).uniform(0, 1, shape)), "image_shape": image}, {}))
            for seed, shape, image in specs]


SCALE_BOXES = Suite(
    "week3.scale_boxes", f"{W3}:scale_boxes", _scale_cases, **_TF_TOL,
    summary="relative (y1, x1, y2, x2) boxes to pixels",
    hints=(Hint("image_shape is (height, width) and the boxes are (y1, x1, y2, x2): multiply by "
                "[height, width, height, width].",
                same_as(lambda d: _np(d.args["boxes"]) * np.array(d.args["image_shape"][::-1] * 2, "float32"),
                        **_TF_TOL)),),
)


def _head_cases():
    specs = [(0, (1, 3, 3), 2, 4), (1, (2, 5, 4), 3, 1), (2, (1, 13, 13), 5, 2)]
    cases = []
    for seed, grid, n_anchors, n_classes in specs:
        def make(seed=seed, grid=grid, n_anchors=n_anchors, n_classes=n_classes):
            rng = np.random.default_rng(seed)
            feats = _tensor(rng.standard_normal(grid + (n_anchors * (5 + n_classes),)))
            return {"feats": feats, "anchors": rng.uniform(0.5, 4, (n_anchors, 2)).astype("float32"),
                    "num_classes": n_classes}, {}

        cases.append(Case(f"seed {seed}, grid {grid[1]}x{grid[2]}, {n_anchors} anchors, {n_classes} classes", make))
    return cases


YOLO_HEAD = Suite(
    "week3.yolo_head", f"{W3}:yolo_head", _head_cases, **_TF_TOL,
    output_names=("box_xy", "box_wh", "box_confidence", "box_class_probs"),
    summary="decode raw YOLO features into centres, sizes, confidences and class probabilities",
    hints=(Hint("Box sizes are relative to the image: box_wh = exp(t_wh) * anchors / grid size.",
                same_as(lambda d: _np(d.expected[1]) * np.array([d.args["feats"].shape[2], d.args["feats"].shape[1]]),
                        part=1, **_TF_TOL)),),
)


# ---- yolo_filter_boxes ----------------------------------------------------------------------------------------

_FILTER_SPECS = [
    # (seed, grid, anchors, classes, threshold, what)
    (0, (19, 19), 5, 80, None, "the course's shapes, default threshold"),
    (1, (4, 4), 3, 6, 0.3, "threshold 0.3"),
    (2, (3, 5), 2, 1, 0.5, "one class"),
    (3, (4, 4), 3, 6, 1.0, "no box reaches the threshold (empty result)"),
]


def _filter_inputs(seed, grid, n_anchors, n_classes):
    rng = np.random.default_rng(seed)
    lead = grid + (n_anchors,)
    corner = rng.normal(1, 4, lead + (2,))
    boxes = np.concatenate([corner, corner + rng.uniform(0.5, 8, lead + (2,))], axis=-1)  # (y1, x1, y2, x2)
    return {"boxes": _tensor(boxes),
            "box_confidence": _tensor(rng.uniform(0, 1, lead + (1,))),
            "box_class_probs": _tensor(_softmax(3 * rng.standard_normal(lead + (n_classes,))))}


def _course_filter_inputs():
    """The course's test: tf.random.set_seed(10), then tf.random.normal(..., mean=1, stddev=4, seed=1) three times.

    Corners come in any order and confidences and probabilities are often
    negative; with threshold 0.5 the course expects 1789 boxes.
    """
    conf, boxes, probs = course_normals(10, 1, ([19, 19, 5, 1], 1.0, 4.0), ([19, 19, 5, 4], 1.0, 4.0),
                                        ([19, 19, 5, 80], 1.0, 4.0))
    return {"boxes": boxes, "box_confidence": conf, "box_class_probs": probs}


def _filter_cases():
    cases = [Case(f"seed {seed}, boxes {grid + (b, 4)}, {c} classes, threshold "
                  f"{0.6 if t is None else t} ({what})",
                  lambda spec=(seed, grid, b, c), t=t: (_filter_inputs(*spec), {} if t is None else {"threshold": t}))
             for seed, grid, b, c, t, what in _FILTER_SPECS]
    cases.append(Case("the course's test: tf.random.normal boxes (19, 19, 5, 4), mean 1, stddev 4 (corners in any "
                      "order, negative scores), threshold 0.5", lambda: (_course_filter_inputs(), {"threshold": 0.5})))
    return cases


def _filter_variant(d, mask_from: str):
    """What filtering returns when the mask or the scores come from the wrong tensor."""
    conf, probs, boxes = _np(d.args["box_confidence"]), _np(d.args["box_class_probs"]), _np(d.args["boxes"])
    threshold = d.kwargs.get("threshold", 0.6)
    scores = conf * probs
    classes, best = scores.argmax(-1), scores.max(-1)
    if mask_from == "confidence":
        mask = conf[..., 0] >= threshold
    else:  # "probs": scores without p_c
        best, mask = probs.max(-1), probs.max(-1) >= threshold
        classes = probs.argmax(-1)
    return best[mask], boxes[mask], classes[mask]


def _masked_box_scores(d):
    """The per-class scores p_c * c_i of the kept boxes, (n_kept, n_classes): what masking box_scores gives."""
    scores = _np(d.args["box_confidence"]) * _np(d.args["box_class_probs"])
    return scores[scores.max(-1) >= d.kwargs.get("threshold", 0.6)]


YOLO_FILTER_BOXES = Suite(
    "week3.yolo_filter_boxes", f"{W3}:yolo_filter_boxes", _filter_cases, **_TF_TOL,
    output_names=("scores", "boxes", "classes"),
    summary="keep the boxes whose best class score p_c * c_i reaches the threshold",
    hints=(
        Hint("Build the boolean mask from the best class score (box_class_scores = reduce_max(box_confidence * "
             "box_class_probs, axis=-1) >= threshold), not from box_confidence, and apply that one mask to "
             "box_class_scores, boxes and box_classes.", same_as(lambda d: _filter_variant(d, "confidence"), **_TF_TOL)),
        Hint("The score of a class is p_c * c_i: multiply box_confidence by box_class_probs before taking the "
             "max and argmax.", same_as(lambda d: _filter_variant(d, "probs"), **_TF_TOL)),
        Hint("Apply the mask to the per-box tensors (box_class_scores, boxes, box_classes), not to the per-class "
             "tensor box_scores.", same_as(_masked_box_scores, part=0, **_TF_TOL)),
    ),
)


# ---- yolo_non_max_suppression, yolo_eval ---------------------------------------------------------------------

def _nms_inputs(seed, n, n_classes):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 10, (n, 2))
    sizes = rng.uniform(1, 6, (n, 2))
    boxes = np.concatenate([centres - sizes / 2, centres + sizes / 2], axis=-1)  # (n, 4) as (y1, x1, y2, x2)
    return {"scores": _tensor(rng.uniform(0, 1, n)), "boxes": _tensor(boxes.reshape(n, 4)),
            "classes": _tensor(rng.integers(0, n_classes, n), "int64")}


_NMS_SPECS = [
    (0, 54, 80, {}, "54 boxes, defaults"),
    (1, 30, 3, {"max_boxes": 3}, "max_boxes 3"),
    (2, 40, 2, {"iou_threshold": 0.2, "max_boxes": 20}, "iou_threshold 0.2"),
    (3, 0, 2, {}, "no boxes at all"),
    (4, 1, 2, {}, "a single box"),
]


def _course_nms_inputs():
    """The course's test: 54 boxes from tf.random.normal after tf.random.set_seed(10), classes float32 too."""
    scores, boxes, classes = course_normals(10, 1, ([54], 1.0, 4.0), ([54, 4], 1.0, 4.0), ([54], 1.0, 4.0))
    return {"scores": scores, "boxes": boxes, "classes": classes}


def _nms_cases():
    cases = [Case(f"seed {seed}, {what}", lambda spec=(seed, n, c), kw=kw: (_nms_inputs(*spec), dict(kw)))
             for seed, n, c, kw, what in _NMS_SPECS]
    cases.append(Case("the course's test: tf.random.normal scores (54,), boxes (54, 4) with corners in any order, "
                      "float classes (returned as floats)", lambda: (_course_nms_inputs(), {})))
    return cases


YOLO_NON_MAX_SUPPRESSION = Suite(
    "week3.yolo_non_max_suppression", f"{W3}:yolo_non_max_suppression", _nms_cases, **_TF_TOL,
    output_names=("scores", "boxes", "classes"),
    summary="non-max suppression with tf.image.non_max_suppression, then gather",
    hints=(
        Hint("Keep only the boxes tf.image.non_max_suppression selects: gather scores, boxes and classes with its "
             "indices (tf.gather(scores, nms_indices), ...).",
             same_as(lambda d: tuple(d.args[k] for k in ("scores", "boxes", "classes")), **_TF_TOL)),
        Hint("Pass max_boxes and iou_threshold on to tf.image.non_max_suppression(boxes, scores, max_boxes, "
             "iou_threshold=iou_threshold) instead of fixed numbers.",
             lambda d: bool(d.kwargs) and same_as(lambda d: d.reference(*d.args.values()), **_TF_TOL)(d)),
    ),
)


def _eval_inputs(seed, grid, n_anchors, n_classes):
    from course_cnn.week3 import yolo_head

    rng = np.random.default_rng(seed)
    feats = rng.standard_normal((1,) + grid + (n_anchors * (5 + n_classes),)) * 2
    outputs = yolo_head(feats.astype("float32"), rng.uniform(0.5, 3, (n_anchors, 2)).astype("float32"), n_classes)
    return {"yolo_outputs": tuple(o[0] for o in outputs)}  # one image: drop the batch dimension


_EVAL_SPECS = [
    (0, (19, 19), 5, 80, {"score_threshold": 0.05}, "the course's shapes"),
    (1, (7, 7), 3, 4, {"image_shape": (300, 400), "score_threshold": 0.3, "max_boxes": 5}, "image 300x400"),
    (2, (5, 5), 2, 3, {"score_threshold": 1.0}, "no box survives the score threshold"),
]


def _course_eval_inputs():
    """The course's test: box_xy, box_wh, box_confidence, box_class_probs from tf.random.normal (mean 1, stddev 4)."""
    outputs = course_normals(10, 1, ([19, 19, 5, 2], 1.0, 4.0), ([19, 19, 5, 2], 1.0, 4.0), ([19, 19, 5, 1], 1.0, 4.0),
                             ([19, 19, 5, 80], 1.0, 4.0))
    return {"yolo_outputs": tuple(outputs)}


def _eval_cases():
    cases = [Case(f"seed {seed}, grid {grid}, {b} anchors, {c} classes, {what}",
                  lambda spec=(seed, grid, b, c), kw=kw: (_eval_inputs(*spec), dict(kw)))
             for seed, grid, b, c, kw, what in _EVAL_SPECS]
    cases.append(Case("the course's test: tf.random.normal outputs (19, 19, 5, ...), mean 1, stddev 4 (negative "
                      "sizes and scores), defaults", lambda: (_course_eval_inputs(), {})))
    return cases


def _eval_unscaled(d):
    kwargs = {**d.kwargs, "image_shape": (1, 1)}
    return d.reference(*d.args.values(), **kwargs)


YOLO_EVAL = Suite(
    "week3.yolo_eval", f"{W3}:yolo_eval", _eval_cases, **_TF_TOL, output_names=("scores", "boxes", "classes"),
    timeout=30,
    summary="the full post-processing: corners, score filter, scaling, non-max suppression",
    hints=(
        Hint("Scale the boxes to the image with scale_boxes(boxes, image_shape) before non-max suppression.",
             lambda d: d.expected[0].shape[0] > 0 and same_as(_eval_unscaled, **_TF_TOL)(d)),
        Hint("Pass score_threshold, max_boxes and iou_threshold on to yolo_filter_boxes and "
             "yolo_non_max_suppression instead of their defaults.",
             lambda d: same_as(lambda d: d.reference(*d.args.values(), image_shape=d.kwargs.get(
                 "image_shape", (720, 1280))), **_TF_TOL)(d)),
    ),
)

# ---- non_max_suppression (numpy, the notes' greedy algorithm) ------------------------------------------------

def _np_nms_inputs(seed, n):
    rng = np.random.default_rng(seed)
    corner = rng.uniform(0, 10, (n, 2))
    boxes = np.concatenate([corner, corner + rng.uniform(1, 6, (n, 2))], axis=-1)  # (n, 4)
    return {"boxes": boxes, "scores": rng.uniform(0, 1, n)}


_NP_NMS_SPECS = [
    (0, 30, {"max_output_size": 10}, "30 boxes"),
    (1, 40, {"max_output_size": 20, "iou_threshold": 0.3}, "iou_threshold 0.3"),
    (2, 25, {"max_output_size": 10, "score_threshold": 0.5}, "score_threshold 0.5 (the notes' low p_c)"),
    (3, 12, {"max_output_size": 1}, "max_output_size 1"),
    (4, 0, {"max_output_size": 5}, "no boxes at all"),
]


def _np_nms_cases():
    cases = []
    for seed, n, extra, what in _NP_NMS_SPECS:
        def make(seed=seed, n=n, extra=extra):
            args = {**_np_nms_inputs(seed, n), "max_output_size": extra["max_output_size"]}
            return args, {k: v for k, v in extra.items() if k != "max_output_size"}

        cases.append(Case(f"seed {seed}, {what}", make))
    return cases


def _index_order_variant(d):
    """Greedy suppression in index order, without sorting by score first."""
    n = len(d.args["scores"])
    return d.reference(d.args["boxes"], -np.arange(n, dtype=float), d.args["max_output_size"],
                       d.kwargs.get("iou_threshold", 0.5)) if "score_threshold" not in d.kwargs else None


NON_MAX_SUPPRESSION = Suite(
    "week3.non_max_suppression", f"{W3}:non_max_suppression", _np_nms_cases,
    summary="the notes' greedy non-max suppression in numpy: indices of the kept boxes",
    hints=(
        Hint("Visit the boxes by decreasing score (np.argsort(-scores)): the box kept at each step is the best "
             "one still in the running.", same_as(_index_order_variant)),
        Hint("Drop the boxes scoring below score_threshold before anything else.",
             lambda d: "score_threshold" in d.kwargs and same_as(lambda d: d.reference(
                 d.args["boxes"], d.args["scores"], d.args["max_output_size"], d.kwargs.get("iou_threshold", 0.5)))(d)),
        Hint("Stop once max_output_size boxes are kept.",
             lambda d: shape_of(d.got) is not None and len(shape_of(d.got)) == 1
             and shape_of(d.got)[0] > d.args["max_output_size"]),
    ),
)

SUITES = [IOU, YOLO_HEAD, YOLO_BOXES_TO_CORNERS, SCALE_BOXES, YOLO_FILTER_BOXES, YOLO_NON_MAX_SUPPRESSION, YOLO_EVAL,
          NON_MAX_SUPPRESSION]
