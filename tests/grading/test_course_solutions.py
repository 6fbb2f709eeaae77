"""The course's standard solutions, written out as a learner writes them, pass the grader.

Each function below is the course's own code for the exercise (its
variable names, ``tf.boolean_mask``, ``reduce_sum(..., axis=-1)``,
``tf.maximum(basic_loss, 0.0)``, ``b.item()``), so a learner whose notebook
passes the course's tests passes here too, on every case, the course's own
inputs included (float class ids, negative margins, lists, corners in any
order, a stacked layer output).
"""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from course_cnn.grading import get_suite, grade  # noqa: E402
from course_cnn.grading._course_inputs import course_normals  # noqa: E402


# ---- week 1 -----------------------------------------------------------------------------------------------------

def zero_pad(X, pad):
    X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=(0, 0))
    return X_pad


def conv_single_step(a_slice_prev, W, b):
    s = np.multiply(a_slice_prev, W)
    Z = np.sum(s)
    Z = Z + b.item()
    return Z


def create_mask_from_window(x):
    mask = (x == np.max(x))
    return mask


def distribute_value(dz, shape):
    (n_H, n_W) = shape
    average = dz / (n_H * n_W)
    a = np.ones(shape) * average
    return a


# ---- week 3 -----------------------------------------------------------------------------------------------------

def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=.6):
    box_scores = box_confidence * box_class_probs
    box_classes = tf.math.argmax(box_scores, axis=-1)
    box_class_scores = tf.math.reduce_max(box_scores, axis=-1)
    filtering_mask = (box_class_scores >= threshold)
    scores = tf.boolean_mask(box_class_scores, filtering_mask)
    boxes = tf.boolean_mask(boxes, filtering_mask)
    classes = tf.boolean_mask(box_classes, filtering_mask)
    return scores, boxes, classes


def iou(box1, box2):
    (box1_x1, box1_y1, box1_x2, box1_y2) = box1
    (box2_x1, box2_y1, box2_x2, box2_y2) = box2
    xi1, yi1 = max(box1_x1, box2_x1), max(box1_y1, box2_y1)
    xi2, yi2 = min(box1_x2, box2_x2), min(box1_y2, box2_y2)
    inter_width, inter_height = max(xi2 - xi1, 0), max(yi2 - yi1, 0)
    inter_area = inter_width * inter_height
    box1_area = (box1_x2 - box1_x1) * (box1_y2 - box1_y1)
    box2_area = (box2_x2 - box2_x1) * (box2_y2 - box2_y1)
    union_area = box1_area + box2_area - inter_area
    return inter_area / union_area


def yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    max_boxes_tensor = tf.Variable(max_boxes, dtype="int32")
    nms_indices = tf.image.non_max_suppression(boxes, scores, max_boxes_tensor, iou_threshold=iou_threshold)
    scores = tf.gather(scores, nms_indices)
    boxes = tf.gather(boxes, nms_indices)
    classes = tf.gather(classes, nms_indices)
    return scores, boxes, classes


def yolo_boxes_to_corners(box_xy, box_wh):
    # the course's helper (from yad2k): (y1, x1, y2, x2)
    box_mins = box_xy - (box_wh / 2.)
    box_maxes = box_xy + (box_wh / 2.)
    return tf.concat([box_mins[..., 1:2], box_mins[..., 0:1], box_maxes[..., 1:2], box_maxes[..., 0:1]], axis=-1)


def scale_boxes(boxes, image_shape):
    height, width = float(image_shape[0]), float(image_shape[1])
    image_dims = tf.reshape(tf.stack([height, width, height, width]), [1, 4])
    return boxes * image_dims


def yolo_eval(yolo_outputs, image_shape=(720, 1280), max_boxes=10, score_threshold=.6, iou_threshold=.5):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    scores, boxes, classes = yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)
    return scores, boxes, classes


# ---- week 4 -----------------------------------------------------------------------------------------------------

def triplet_loss(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(tf.subtract(anchor, positive)), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(tf.subtract(anchor, negative)), axis=-1)
    basic_loss = tf.add(tf.subtract(pos_dist, neg_dist), alpha)
    loss = tf.reduce_sum(tf.maximum(basic_loss, 0.0))
    return loss


def compute_content_cost(content_output, generated_output):
    a_C = content_output[-1]
    a_G = generated_output[-1]
    _, n_H, n_W, n_C = a_G.get_shape().as_list()
    a_C_unrolled = tf.reshape(a_C, shape=[_, -1, n_C])
    a_G_unrolled = tf.reshape(a_G, shape=[_, -1, n_C])
    J_content = tf.reduce_sum(tf.square(tf.subtract(a_C_unrolled, a_G_unrolled))) / (4.0 * n_H * n_W * n_C)
    return J_content


def gram_matrix(A):
    GA = tf.matmul(A, tf.transpose(A))
    return GA


def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.get_shape().as_list()
    a_S = tf.transpose(tf.reshape(a_S, shape=[-1, n_C]))
    a_G = tf.transpose(tf.reshape(a_G, shape=[-1, n_C]))
    GS = gram_matrix(a_S)
    GG = gram_matrix(a_G)
    J_style_layer = tf.reduce_sum(tf.square(tf.subtract(GS, GG))) / (4.0 * ((n_H * n_W * n_C) ** 2))
    return J_style_layer


STYLE_LAYERS = [("block1_conv1", 0.2), ("block2_conv1", 0.2), ("block3_conv1", 0.2), ("block4_conv1", 0.2),
                ("block5_conv1", 0.2)]


def compute_style_cost(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    J_style = 0
    a_S = style_image_output[:-1]
    a_G = generated_image_output[:-1]
    for i, weight in zip(range(len(a_S)), STYLE_LAYERS):
        J_style_layer = compute_layer_style_cost(a_S[i], a_G[i])
        J_style += weight[1] * J_style_layer
    return J_style


def total_cost(J_content, J_style, alpha=10, beta=40):
    J = alpha * J_content + beta * J_style
    return J


SOLUTIONS = [
    ("week1.zero_pad", zero_pad), ("week1.conv_single_step", conv_single_step),
    ("week1.create_mask_from_window", create_mask_from_window), ("week1.distribute_value", distribute_value),
    ("week3.iou", iou), ("week3.yolo_filter_boxes", yolo_filter_boxes),
    ("week3.yolo_non_max_suppression", yolo_non_max_suppression),
    ("week3.yolo_boxes_to_corners", yolo_boxes_to_corners), ("week3.scale_boxes", scale_boxes),
    ("week3.yolo_eval", yolo_eval), ("week4.triplet_loss", triplet_loss),
    ("week4.compute_content_cost", compute_content_cost), ("week4.gram_matrix", gram_matrix),
    ("week4.compute_layer_style_cost", compute_layer_style_cost), ("week4.compute_style_cost", compute_style_cost),
    ("week4.total_cost", total_cost),
]


@pytest.mark.parametrize("key, function", SOLUTIONS, ids=[k for k, _ in SOLUTIONS])
def test_course_solution_passes_every_case(key, function):
    report = grade(function, key)
    assert report.score == 1.0, str(report)


@pytest.mark.parametrize("key", ["week3.yolo_filter_boxes", "week3.yolo_non_max_suppression", "week3.yolo_eval",
                                 "week4.triplet_loss", "week4.compute_content_cost", "week4.total_cost",
                                 "week4.compute_layer_style_cost", "week4.gram_matrix"])
def test_suites_hold_the_course_own_cases(key):
    assert any(c.name.startswith("the course's") for c in get_suite(key).cases())


def _course_case(key, start="the course's test"):
    case = next(c for c in get_suite(key).cases() if c.name.startswith(start))
    return case.make()


def test_course_cases_give_the_course_expected_outputs():
    # the values the course's own tests print and check
    args, kwargs = _course_case("week3.yolo_filter_boxes")
    scores, boxes, classes = yolo_filter_boxes(*args.values(), **kwargs)
    assert scores.shape == (1789,) and boxes.shape == (1789, 4) and classes.shape == (1789,)
    np.testing.assert_allclose(scores[2], 9.270486, rtol=1e-5)
    np.testing.assert_allclose(boxes[2], [4.6399336, 3.2303846, 4.431282, -2.202031], rtol=1e-5)
    assert int(classes[2]) == 8
    args, kwargs = _course_case("week3.yolo_non_max_suppression")
    scores, boxes, classes = yolo_non_max_suppression(*args.values(), **kwargs)
    assert classes.dtype == tf.float32  # float class ids come back as floats
    np.testing.assert_allclose([scores[2], classes[2]], [8.147684, 1.7079165], rtol=1e-5)
    np.testing.assert_allclose(boxes[2], [6.0797963, 3.743308, 1.3914018, -0.34089637], rtol=1e-5)
    args, kwargs = _course_case("week3.yolo_eval")
    scores, boxes, classes = yolo_eval(*args.values(), **kwargs)
    np.testing.assert_allclose(scores[2], 171.60194, rtol=1e-5)
    np.testing.assert_allclose(boxes[2], [-1240.3483, -3212.5881, -645.78, 2024.3052], rtol=1e-5)
    assert int(classes[2]) == 16
    args, kwargs = _course_case("week4.triplet_loss")
    np.testing.assert_allclose(float(triplet_loss(*args.values(), **kwargs)), 527.2598, rtol=1e-5)


@pytest.mark.parametrize("start, loss", [("the course's check: 1-D lists, all three equal", 5.0),
                                         ("the course's check: 1-D lists, negative at distance 2", 1.0),
                                         ("the course's check: 1-D lists, positive at distance 2", 2.0),
                                         ("the course's check: 1-D lists of zeros, negative alpha", 0.0),
                                         ("the course's check: lists, a batch of 2", 2.0)])
def test_course_triplet_checks(start, loss):
    args, kwargs = _course_case("week4.triplet_loss", start)
    assert isinstance(args["y_pred"][0], list)
    assert float(triplet_loss(*args.values(), **kwargs)) == loss


def test_course_normals_are_the_global_seed_draws():
    # tf.random.set_seed(10) then tf.random.normal(..., seed=1) three times, without touching the global seed
    drawn = course_normals(10, 1, ([19, 19, 5, 1], 1.0, 4.0), ([54], 0.0, 1.0), ([2, 3], 3.0, 0.5))
    tf.random.set_seed(10)
    expected = [tf.random.normal([19, 19, 5, 1], mean=1, stddev=4, seed=1), tf.random.normal([54], seed=1),
                tf.random.normal([2, 3], mean=3, stddev=0.5, seed=1)]
    for got, want in zip(drawn, expected):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
