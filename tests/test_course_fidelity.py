"""The course's own inputs and expected values, fed to our graded functions.

Each test feeds what the course's published unit tests feed (the same
shapes, seeds and odd values: ``tf.random.normal`` boxes whose corners come
in any order, float class ids, negative margins, a stack of layer outputs,
1-D encodings given as lists) and checks the course's published expected
values, which are facts about the contract. Where an expected value moved
with TensorFlow's random generator (the course's own code gives another
number under current TensorFlow, e.g. ``gram_matrix``), the check is against
the course's formula computed here on the same input instead.

What Keras 3 itself breaks for the course's own code is on the docs page
"The course's code under Keras 3"; see ``tests/docs/test_keras3_page.py``.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.framework.ops import EagerTensor

from course_cnn import week1, week2, week3
from course_cnn.week4 import face, style


# ------------------------------------------------------------------ week 1, step by step
def test_conv_single_step_returns_a_numpy_float64():
    np.random.seed(1)
    a_slice_prev, W, b = np.random.randn(4, 4, 3), np.random.randn(4, 4, 3), np.random.randn(1, 1, 1)
    Z = week1.conv_single_step(a_slice_prev, W, b)
    assert type(Z) is np.float64
    assert np.isclose(Z, -6.999089450680221)


def test_conv_forward_and_backward_on_the_course_inputs():
    np.random.seed(1)
    A_prev, W, b = np.random.randn(2, 5, 7, 4), np.random.randn(3, 3, 4, 8), np.random.randn(1, 1, 1, 8)
    Z, cache_conv = week1.conv_forward(A_prev, W, b, {"pad": 1, "stride": 2})
    assert Z.shape == (2, 3, 4, 8)
    assert np.isclose(Z.mean(), 0.5511276474566768)
    np.testing.assert_allclose(cache_conv[0][1][2][3], [-1.1191154, 1.9560789, -0.3264995, -1.34267579], rtol=1e-6)

    np.random.seed(1)
    A_prev, W, b = np.random.randn(10, 4, 4, 3), np.random.randn(2, 2, 3, 8), np.random.randn(1, 1, 1, 8)
    hparameters = {"pad": 2, "stride": 2}
    Z, cache_conv = week1.conv_forward(A_prev, W, b, hparameters)
    # the cache a learner's own conv_forward builds, (A_prev, W, b, hparameters), works as well
    for cache in (cache_conv, (A_prev, W, b, hparameters)):
        dA, dW, db = week1.conv_backward(Z, cache)
        assert np.isclose(np.mean(dA), 1.4524377775388075)
        assert np.isclose(np.mean(dW), 1.7269914583139097)
        assert np.isclose(np.mean(db), 7.839232564616838)


def test_pooling_with_the_course_hparameters_and_cache():
    np.random.seed(1)
    A_prev = np.random.randn(5, 5, 3, 2)
    hparameters = {"stride": 1, "f": 2}  # no "pad" key: the course's pooling has none
    A, cache = week1.pool_forward(A_prev, hparameters)
    dA = np.random.randn(5, 4, 2, 2)
    dA_prev = week1.pool_backward(dA, cache, mode="max")
    np.testing.assert_allclose(dA_prev[1, 1], [[0, 0], [5.05844394, -1.68282702], [0, 0]], rtol=1e-6)
    dA_prev = week1.pool_backward(dA, (A_prev, hparameters), mode="average")
    np.testing.assert_allclose(
        dA_prev[1, 1], [[0.08485462, 0.2787552], [1.26461098, -0.25749373], [1.17975636, -0.53624893]], rtol=1e-6
    )


def test_mask_and_distribute_value_take_ints_and_ties():
    # int windows and ties, as the course's test feeds them: every maximum is marked (x == np.max(x))
    mask = week1.create_mask_from_window(np.array([[-1, 2, 3], [2, -3, 2], [1, 5, -2]]))
    np.testing.assert_array_equal(mask, [[False, False, False], [False, False, False], [False, True, False]])
    np.testing.assert_array_equal(week1.create_mask_from_window(np.array([[3, 2, 3]])), [[True, False, True]])
    a = week1.distribute_value(2, (2, 2))  # a Python int dz
    assert type(a) is np.ndarray
    np.testing.assert_allclose(a, [[0.5, 0.5], [0.5, 0.5]])


# ------------------------------------------------------------------ week 1, the application
def _course_summary(model):
    """What the course's ``summary`` utility lists per layer, read the Keras 3 way (``layer.output.shape``)."""
    rows = []
    for layer in model.layers:
        row = [type(layer).__name__, tuple(layer.output.shape), layer.count_params()]
        if isinstance(layer, keras.layers.ZeroPadding2D):
            row.append(tuple(tuple(p) for p in layer.padding))
        elif isinstance(layer, keras.layers.Conv2D):
            row += [layer.padding, layer.activation.__name__, type(layer.kernel_initializer).__name__]
        elif isinstance(layer, keras.layers.MaxPooling2D):
            row += [tuple(layer.pool_size), tuple(layer.strides), layer.padding]
        elif isinstance(layer, keras.layers.Dense):
            row.append(layer.activation.__name__)
        rows.append(row)
    return rows


def test_happy_model_is_the_courses_sequential_stack():
    model = week1.happyModel()
    assert isinstance(model, keras.Sequential)
    assert _course_summary(model) == [
        ["ZeroPadding2D", (None, 70, 70, 3), 0, ((3, 3), (3, 3))],
        ["Conv2D", (None, 64, 64, 32), 4736, "valid", "linear", "GlorotUniform"],
        ["BatchNormalization", (None, 64, 64, 32), 128],
        ["ReLU", (None, 64, 64, 32), 0],
        ["MaxPooling2D", (None, 32, 32, 32), 0, (2, 2), (2, 2), "valid"],
        ["Flatten", (None, 32768), 0],
        ["Dense", (None, 1), 32769, "sigmoid"],
    ]


def test_convolutional_model_is_the_courses_functional_graph():
    model = week1.convolutional_model((64, 64, 3))
    assert _course_summary(model) == [
        ["InputLayer", (None, 64, 64, 3), 0],
        ["Conv2D", (None, 64, 64, 8), 392, "same", "linear", "GlorotUniform"],
        ["ReLU", (None, 64, 64, 8), 0],
        ["MaxPooling2D", (None, 8, 8, 8), 0, (8, 8), (8, 8), "same"],
        ["Conv2D", (None, 8, 8, 16), 528, "same", "linear", "GlorotUniform"],
        ["ReLU", (None, 8, 8, 16), 0],
        ["MaxPooling2D", (None, 2, 2, 16), 0, (4, 4), (4, 4), "same"],
        ["Flatten", (None, 64), 0],
        ["Dense", (None, 6), 390, "softmax"],
    ]


# ------------------------------------------------------------------ week 2
def _ones_minus_one_one_three():
    X = np.concatenate([np.ones((1, 4, 4, 3)) * v for v in (-1, 1, 3)], axis=0)
    return X.astype(np.float32)  # (3, 4, 4, 3), a numpy array straight into the block


def test_identity_block_course_values_with_a_lambda_initializer():
    X = _ones_minus_one_one_three()
    A3 = week2.identity_block(X, f=2, filters=[4, 4, 3], initializer=lambda seed=0: keras.initializers.Constant(1),
                              training=False)
    assert type(A3) is EagerTensor
    resume = A3.numpy()[:, (0, -1), :, :].mean(axis=3)
    expected = [[[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]],
                [[192.71236, 192.71236, 192.71236, 96.85619], [96.85619, 96.85619, 96.85619, 48.9281]],
                [[578.1371, 578.1371, 578.1371, 290.56854], [290.56854, 290.56854, 290.56854, 146.78427]]]
    np.testing.assert_allclose(resume, expected, atol=1e-4, rtol=1e-6)

    A4 = week2.identity_block(X, f=3, filters=[3, 3, 3], initializer=lambda seed=7: keras.initializers.Constant(1),
                              training=True)
    resume = A4.numpy()[:, (0, -1), :, :].mean(axis=3)
    expected = [[[0.0] * 4, [0.0] * 4], [[0.37394285] * 4, [0.37394285] * 4],
                [[3.2379014, 4.1394243, 4.1394243, 3.2379014], [3.2379014, 4.1394243, 4.1394243, 3.2379014]]]
    np.testing.assert_allclose(resume, expected, atol=1e-5)


def test_data_augmenter_layers_as_the_course_reads_them():
    augmenter = week2.data_augmenter()
    assert len(augmenter.layers) == 2
    assert augmenter.layers[0].name.startswith("random_flip")
    assert augmenter.layers[0].mode == "horizontal"
    assert augmenter.layers[1].name.startswith("random_rotation")
    # Keras 3 stores RandomRotation(0.2).factor as (-0.2, 0.2); the course asserts == 0.2 (docs: Keras 3 page)
    assert tuple(augmenter.layers[1].factor) == (-0.2, 0.2)


def test_alpaca_model_keeps_the_base_at_layers_4():
    model = week2.alpaca_model(weights=None)
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "Sequential", "Rescaling", "Rescaling", "Functional", "GlobalAveragePooling2D", "Dropout", "Dense",
    ]
    base_model = model.layers[4]  # the course's fine-tuning cell
    assert base_model.count_params() == 2_257_984
    assert model.layers[6].rate == 0.2
    assert model.layers[7].activation.__name__ == "linear"


# ------------------------------------------------------------------ week 3, YOLO
def _normal(shape):
    return tf.random.normal(shape, mean=1, stddev=4, seed=1)


def test_yolo_filter_boxes_on_random_corners():
    tf.random.set_seed(10)
    box_confidence, boxes, box_class_probs = _normal([19, 19, 5, 1]), _normal([19, 19, 5, 4]), _normal([19, 19, 5, 80])
    y1, x1, y2, x2 = np.moveaxis(boxes.numpy(), -1, 0)
    assert np.mean((y2 < y1) | (x2 < x1)) > 0.5  # most boxes have their corners "flipped"
    scores, kept, classes = week3.yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.5)
    assert all(type(t) is EagerTensor for t in (scores, kept, classes))
    assert scores.shape == (1789,) and kept.shape == (1789, 4) and classes.shape == (1789,)
    assert np.isclose(scores[2].numpy(), 9.270486)
    np.testing.assert_allclose(kept[2].numpy(), [4.6399336, 3.2303846, 4.431282, -2.202031], rtol=1e-6)
    assert classes[2].numpy() == 8


def test_yolo_non_max_suppression_returns_float_classes_as_given():
    tf.random.set_seed(10)
    scores, boxes, classes = _normal([54]), _normal([54, 4]), _normal([54])
    scores, boxes, classes = week3.yolo_non_max_suppression(scores, boxes, classes)
    assert scores.shape == (10,) and boxes.shape == (10, 4) and classes.shape == (10,)
    assert np.isclose(scores[2].numpy(), 8.147684)
    np.testing.assert_allclose(boxes[2].numpy(), [6.0797963, 3.743308, 1.3914018, -0.34089637], rtol=1e-6)
    assert classes.dtype == tf.float32 and np.isclose(classes[2].numpy(), 1.7079165)


def test_yolo_non_max_suppression_keeps_the_dtype_of_int_classes():
    _, _, classes = week3.yolo_non_max_suppression([0.9, 0.8], [[0, 0, 1, 1], [5, 5, 6, 6]], np.array([3, 1], np.int32))
    assert classes.dtype == tf.int32
    np.testing.assert_array_equal(classes.numpy(), [3, 1])


def test_per_class_nms_keeps_nearby_float_ids_apart():
    boxes = [[0, 0, 10, 10], [0, 0, 10, 10]]  # the same box twice
    _, _, classes = week3.yolo_non_max_suppression([0.9, 0.8], boxes, [1.7, 1.7001], per_class=True)
    np.testing.assert_allclose(classes.numpy(), [1.7, 1.7001])  # two classes: neither suppresses the other
    _, _, classes = week3.yolo_non_max_suppression([0.9, 0.8], boxes, [1.7, 1.7], per_class=True)
    assert classes.shape == (1,)


def test_yolo_eval_on_random_outputs():
    tf.random.set_seed(10)
    yolo_outputs = (_normal([19, 19, 5, 2]), _normal([19, 19, 5, 2]), _normal([19, 19, 5, 1]), _normal([19, 19, 5, 80]))
    scores, boxes, classes = week3.yolo_eval(yolo_outputs)  # the course's defaults: (720, 1280), 10, 0.6, 0.5
    assert all(type(t) is EagerTensor for t in (scores, boxes, classes))
    assert scores.shape == (10,) and boxes.shape == (10, 4) and classes.shape == (10,)
    assert np.isclose(scores[2].numpy(), 171.60194)
    np.testing.assert_allclose(boxes[2].numpy(), [-1240.3483, -3212.5881, -645.78, 2024.3052], rtol=1e-6)
    assert classes[2].numpy() == 16


def test_iou_on_the_course_boxes():
    # intersection of (2, 1, 4, 3) and (1, 2, 3, 4): 1x1 = 1; union 4 + 4 - 1 = 7
    assert np.isclose(week3.iou((2, 1, 4, 3), (1, 2, 3, 4)), 1 / 7)
    assert week3.iou((1, 2, 3, 4), (5, 6, 7, 8)) == 0  # apart
    assert week3.iou((1, 1, 2, 2), (2, 1, 3, 2)) == 0  # sharing an edge
    assert week3.iou((1, 1, 2, 2), (2, 2, 3, 3)) == 0  # sharing a corner
    assert week3.iou((1, 1, 3, 3), (2, 3, 3, 4)) == 0  # sharing part of an edge


# ------------------------------------------------------------------ week 4, faces
def test_triplet_loss_course_cases():
    tf.random.set_seed(1)
    y_true = (None, None, None)
    y_pred = (tf.random.normal([3, 128], mean=6, stddev=0.1, seed=1),
              tf.random.normal([3, 128], mean=1, stddev=1, seed=1),
              tf.random.normal([3, 128], mean=3, stddev=4, seed=1))
    loss = face.triplet_loss(y_true, y_pred)
    assert type(loss) is EagerTensor
    assert np.isclose(loss.numpy(), 527.2598)
    # 1-D encodings as Python lists; pos and neg distances by hand
    assert face.triplet_loss(y_true, ([1.0, 1.0], [1.0, 1.0], [1.0, 1.0]), 5) == 5  # max(0 - 0 + 5, 0)
    assert face.triplet_loss(y_true, ([1.0, 1.0], [1.0, 1.0], [0.0, 0.0]), 3) == 1  # max(0 - 2 + 3, 0)
    assert face.triplet_loss(y_true, ([1.0, 1.0], [0.0, 0.0], [1.0, 1.0]), 0) == 2  # max(2 - 0 + 0, 0)
    assert face.triplet_loss(y_true, ([0.0, 0.0], [0.0, 0.0], [0.0, 0.0]), -2) == 0  # max(-2, 0): the hinge
    two = ([[1.0, 0.0], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [0.0, 1.0]])
    assert face.triplet_loss(y_true, two, 3) == 2  # 2 x max(0 - 2 + 3, 0): summed over the batch
    per_row = ([[1.0, 1.0], [2.0, 0.0]], [[0.0, 3.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])
    assert face.triplet_loss(y_true, per_row, 1) == 5  # max(5 - 1 + 1, 0) + max(2 - 5 + 1, 0): axis=-1 sums


def _tiny_encoder(size=16):
    inputs = keras.Input((size, size, 3))
    outputs = keras.layers.Dense(8, kernel_initializer=keras.initializers.RandomNormal(seed=0))(
        keras.layers.Flatten()(inputs))
    return keras.Model(inputs, outputs)


@pytest.fixture
def random_photo(tmp_path):
    from PIL import Image

    pixels = np.random.default_rng(0).integers(0, 256, size=(40, 40, 3), dtype=np.uint8)
    path = tmp_path / "random.png"
    Image.fromarray(pixels).save(path)
    return str(path)


def test_any_encoder_is_used_the_courses_way(random_photo):
    model = _tiny_encoder()
    encoding = face.img_to_encoding(random_photo, model)
    # the course's img_to_encoding: load_img at the model's size, /255 rounded to 12 decimals, L2-normalised
    img = keras.utils.load_img(random_photo, target_size=(16, 16))
    x = np.around(np.array(img) / 255.0, decimals=12)[None]
    expected = model.predict_on_batch(x)
    np.testing.assert_allclose(encoding, expected / np.linalg.norm(expected, ord=2), rtol=1e-5, atol=1e-7)

    database = {"me": encoding}
    dist, door_open = face.verify(random_photo, "me", database, model)
    assert dist == pytest.approx(0.0, abs=1e-6) and door_open is True
    min_dist, identity = face.who_is_it(random_photo, database, model)
    assert min_dist == pytest.approx(0.0, abs=1e-6) and identity == "me"


def test_thresholds_the_course_s_unless_the_encoder_carries_its_own(random_photo):
    model = _tiny_encoder()
    encoding = face.img_to_encoding(random_photo, model)
    far = -encoding  # distance 2
    near = encoding + 0.6 / np.sqrt(encoding.size)  # distance 0.6: inside the course's 0.7, outside our 0.4
    assert face.verify(random_photo, "x", {"x": near}, model)[1] is True
    assert face.verify(random_photo, "x", {"x": near}, model, threshold=0.5)[1] is False  # explicit wins
    assert face.verify(random_photo, "x", {"x": far}, model)[1] is False
    assert face.COURSE_THRESHOLD == 0.7

    pretrained = face.load_face_encoder()
    assert pretrained._course_cnn_threshold == face.DEFAULT_THRESHOLD
    assert pretrained._course_cnn_crop_face is True


# ------------------------------------------------------------------ week 4, style
def test_content_cost_on_a_stack_of_outputs():
    tf.random.set_seed(1)
    a_C = tf.random.normal([1, 1, 4, 4, 3], mean=1, stddev=4)
    a_G = tf.random.normal([1, 1, 4, 4, 3], mean=1, stddev=4)
    J_content = style.compute_content_cost(a_C, a_G)
    assert type(J_content) is EagerTensor
    assert np.isclose(J_content.numpy(), 7.0568767)
    assert np.isclose(style.compute_content_cost(a_C, a_C).numpy(), 0.0)
    # the same through a list, a tuple and a single activation
    for wrap in (lambda a: [a[-1]], lambda a: (a[0], a[-1]), lambda a: a[-1]):
        assert np.isclose(style.compute_content_cost(wrap(a_C), wrap(a_G)).numpy(), 7.0568767)


def _course_layer_style_cost(a_S, a_G):
    # the course's formula on the same tensors: unroll to (n_C, n_H n_W), Gram, squared difference
    _, n_H, n_W, n_C = a_G.shape
    S = tf.transpose(tf.reshape(a_S, [-1, n_C]))
    G = tf.transpose(tf.reshape(a_G, [-1, n_C]))
    GS, GG = tf.matmul(S, S, transpose_b=True), tf.matmul(G, G, transpose_b=True)
    return tf.reduce_sum(tf.square(GS - GG)) / (4.0 * n_C**2 * (n_H * n_W) ** 2)


def test_gram_and_layer_style_cost_on_the_course_inputs():
    # the course's expected numbers (63.193256 ..., 14.01649) came from an older TensorFlow's
    # tf.random.normal; under current TensorFlow the course's own code gives 63.1888 and 14.0178
    tf.random.set_seed(1)
    A = tf.random.normal([3, 2 * 1], mean=1, stddev=4)
    GA = style.gram_matrix(A)
    assert type(GA) is EagerTensor and GA.shape == (3, 3)
    np.testing.assert_allclose(GA.numpy(), (A @ tf.transpose(A)).numpy(), rtol=1e-6)

    tf.random.set_seed(1)
    a_S = tf.random.normal([1, 4, 4, 3], mean=1, stddev=4)
    a_G = tf.random.normal([1, 4, 4, 3], mean=1, stddev=4)
    assert np.isclose(style.compute_layer_style_cost(a_G, a_G).numpy(), 0.0)
    J = style.compute_layer_style_cost(a_S, a_G)
    assert type(J) is EagerTensor and J > 0
    np.testing.assert_allclose(J.numpy(), _course_layer_style_cost(a_S, a_G).numpy(), rtol=1e-5)


def test_total_cost_on_floats_numpy_scalars_and_tensors():
    J = style.total_cost(0.2, 0.8)
    assert type(J) is EagerTensor and J == 34  # 10 * 0.2 + 40 * 0.8
    assert np.isclose(style.total_cost(0.3, 0.5, 3, 8).numpy(), 4.9)  # 3 * 0.3 + 8 * 0.5
    np.random.seed(1)
    J_content, J_style = np.random.uniform(0, 1), np.random.uniform(0, 1)
    assert np.isclose(style.total_cost(J_content, J_style).numpy(), 10 * J_content + 40 * J_style)
    assert np.isclose(style.total_cost(np.float32(0.2), tf.constant(0.8)).numpy(), 34)
