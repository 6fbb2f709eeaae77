"""Week 3 suites: the reference passes, a stub is "not implemented", classic mistakes get their hint."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from course_cnn.grading import exercises, get_suite, grade  # noqa: E402

KEYS = exercises("week3")


def test_week3_suites():
    assert KEYS == ["week3.iou", "week3.yolo_head", "week3.yolo_boxes_to_corners", "week3.scale_boxes",
                    "week3.yolo_filter_boxes", "week3.yolo_non_max_suppression", "week3.yolo_eval",
                    "week3.non_max_suppression", "week3.conv_transpose_forward", "week3.conv_block",
                    "week3.upsampling_block", "week3.unet_model"]


@pytest.mark.parametrize("key", KEYS)
def test_reference_scores_one(key):
    report = grade(get_suite(key).load_reference(), key)
    assert report.score == 1.0, str(report)


@pytest.mark.parametrize("key", KEYS)
def test_stub_is_not_implemented(key):
    def stub(*args, **kwargs):
        raise NotImplementedError

    assert grade(stub, key).status == "not implemented"


def test_cases_exercise_real_filtering_and_suppression():
    # the suites would be weak if every case kept everything or nothing
    suite = get_suite("week3.yolo_filter_boxes")
    kept = []
    for case in suite.cases():
        args, kwargs = case.make()
        kept.append(int(suite.load_reference()(*args.values(), **kwargs)[0].shape[0]))
    assert kept[0] > 0 and kept[3] == 0  # the empty edge case is really empty
    assert kept[-1] == 1789  # the course's test keeps 1789 boxes: its very inputs
    suite = get_suite("week3.yolo_non_max_suppression")
    args, kwargs = suite.cases()[0].make()
    assert int(suite.load_reference()(*args.values(), **kwargs)[0].shape[0]) == 10  # 54 boxes -> max_boxes
    args, kwargs = suite.cases()[2].make()
    assert 1 < int(suite.load_reference()(*args.values(), **kwargs)[0].shape[0]) < 20  # suppression happened


# ---- learner-style implementations ----------------------------------------------------------------------------

def iou_unclamped(box1, box2):
    (box1_x1, box1_y1, box1_x2, box1_y2), (box2_x1, box2_y1, box2_x2, box2_y2) = box1, box2
    xi1, yi1 = max(box1_x1, box2_x1), max(box1_y1, box2_y1)
    xi2, yi2 = min(box1_x2, box2_x2), min(box1_y2, box2_y2)
    inter_area = (xi2 - xi1) * (yi2 - yi1)  # not clamped: disjoint boxes give a positive product
    union = (box1_x2 - box1_x1) * (box1_y2 - box1_y1) + (box2_x2 - box2_x1) * (box2_y2 - box2_y1) - inter_area
    return inter_area / union


def filter_mask_on_confidence(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_scores = box_confidence * box_class_probs
    box_classes = tf.math.argmax(box_scores, axis=-1)
    box_class_scores = tf.math.reduce_max(box_scores, axis=-1)
    filtering_mask = box_confidence[..., 0] >= threshold  # the mask from the wrong tensor
    return (tf.boolean_mask(box_class_scores, filtering_mask), tf.boolean_mask(boxes, filtering_mask),
            tf.boolean_mask(box_classes, filtering_mask))


def nms_without_gather(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    tf.image.non_max_suppression(boxes, scores, max_boxes, iou_threshold=iou_threshold)
    return scores, boxes, classes


def corners_in_xy_order(box_xy, box_wh):
    box_mins, box_maxes = box_xy - box_wh / 2.0, box_xy + box_wh / 2.0
    return tf.concat([box_mins, box_maxes], axis=-1)  # (x1, y1, x2, y2)


def scale_width_first(boxes, image_shape):
    height, width = float(image_shape[0]), float(image_shape[1])
    return boxes * tf.constant([width, height, width, height], dtype=boxes.dtype)


def yolo_head_not_divided(feats, anchors, num_classes):
    from course_cnn.week3 import yolo_head

    box_xy, box_wh, box_confidence, box_class_probs = yolo_head(feats, anchors, num_classes)
    grid = tf.constant([feats.shape[2], feats.shape[1]], dtype=box_wh.dtype)
    return box_xy, box_wh * grid, box_confidence, box_class_probs


def yolo_eval_not_scaled(yolo_outputs, image_shape=(720, 1280), max_boxes=10, score_threshold=0.6,
                         iou_threshold=0.5):
    from course_cnn.week3 import yolo_boxes_to_corners, yolo_filter_boxes, yolo_non_max_suppression

    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


def greedy_nms_course(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=None, sort=True):
    from course_cnn.week3 import iou

    candidates = [i for i in range(len(scores)) if score_threshold is None or scores[i] >= score_threshold]
    if sort:
        candidates.sort(key=lambda i: -scores[i])
    keep = []
    while candidates and len(keep) < max_output_size:
        best = candidates.pop(0)
        keep.append(best)
        candidates = [i for i in candidates if iou(boxes[best], boxes[i]) < iou_threshold]
    return np.array(keep, dtype=np.int64)


WRONG = [
    ("week3.non_max_suppression", lambda b, s, m, iou_threshold=0.5, score_threshold=None: greedy_nms_course(
        b, s, m, iou_threshold, score_threshold, sort=False), "Visit the boxes by decreasing score"),
    ("week3.iou", iou_unclamped, "Clamp the intersection at zero"),
    ("week3.yolo_filter_boxes", filter_mask_on_confidence, "Build the boolean mask from the best class score"),
    ("week3.yolo_non_max_suppression", nms_without_gather, "Keep only the boxes tf.image.non_max_suppression"),
    ("week3.yolo_boxes_to_corners", corners_in_xy_order, "The YOLO helpers use the tf.image order"),
    ("week3.scale_boxes", scale_width_first, "image_shape is (height, width)"),
    ("week3.yolo_head", yolo_head_not_divided, "Box sizes are relative to the image"),
    ("week3.yolo_eval", yolo_eval_not_scaled, "Scale the boxes to the image"),
]


@pytest.mark.parametrize("key, function, hint", WRONG, ids=[k for k, _, _ in WRONG])
def test_classic_mistake_fails_with_its_hint(key, function, hint):
    report = grade(function, key)
    assert report.score < 1.0
    assert any(h.startswith(hint) for h in report.hints), str(report)


def test_course_style_greedy_nms_passes():
    assert grade(greedy_nms_course, "week3.non_max_suppression").score == 1.0


def test_unclamped_iou_fails_exactly_the_disjoint_cases():
    report = grade(iou_unclamped, "week3.iou")
    suite = get_suite("week3.iou")
    disjoint = []
    for case in suite.cases():
        (x1, y1, x2, y2), (u1, v1, u2, v2) = case.make()[0].values()
        if min(x2, u2) < max(x1, u1) or min(y2, v2) < max(y1, v1):
            disjoint.append(case.name)
    # (1,2,3,4) vs (5,6,7,8): (3-5)*(4-6) = 4 > 0 without the clamp; touching boxes give 0 either way
    assert "disjoint on both axes" in disjoint
    assert [c.name for c in report.cases if not c.passed] == disjoint


def test_numpy_output_for_a_tensorflow_exercise_fails_the_datatype_check():
    from course_cnn.week3 import scale_boxes

    report = grade(lambda boxes, image_shape: scale_boxes(boxes, image_shape).numpy(), "week3.scale_boxes")
    assert report.score == 0.0
    assert "expected a TensorFlow tensor, got a numpy array" in str(report)
