"""Week 4 suites (triplet loss, style costs): reference passes, stub is "not implemented", mistakes get hints."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from course_cnn.grading import exercises, get_suite, grade  # noqa: E402

KEYS = exercises("week4")


def test_week4_suites():
    assert KEYS == ["week4.triplet_loss", "week4.verify", "week4.who_is_it", "week4.compute_content_cost", "week4.gram_matrix",
                    "week4.compute_layer_style_cost", "week4.compute_style_cost", "week4.total_cost"]


@pytest.mark.parametrize("key", KEYS)
def test_reference_scores_one(key):
    report = grade(get_suite(key).load_reference(), key)
    assert report.score == 1.0, str(report)


@pytest.mark.parametrize("key", KEYS)
def test_stub_is_not_implemented(key):
    def stub(*args, **kwargs):
        raise NotImplementedError

    assert grade(stub, key).status == "not implemented"


# ---- learner-style implementations ----------------------------------------------------------------------------

def triplet_loss_course(y_true, y_pred, alpha=0.2, axis=-1, hinge=True, reduce=tf.reduce_sum):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(tf.subtract(anchor, positive)), axis=axis)
    neg_dist = tf.reduce_sum(tf.square(tf.subtract(anchor, negative)), axis=axis)
    basic_loss = pos_dist - neg_dist + alpha
    return reduce(tf.maximum(basic_loss, 0.0) if hinge else basic_loss)


def content_cost_course(content_output, generated_output, normaliser=lambda n_H, n_W, n_C: 4 * n_H * n_W * n_C):
    a_C, a_G = content_output[-1], generated_output[-1]
    _, n_H, n_W, n_C = a_G.get_shape().as_list()
    a_C_unrolled = tf.reshape(a_C, shape=[_, -1, n_C])
    a_G_unrolled = tf.reshape(a_G, shape=[_, -1, n_C])
    return tf.reduce_sum(tf.square(tf.subtract(a_C_unrolled, a_G_unrolled))) / normaliser(n_H, n_W, n_C)


def gram_transposed(A):
    return tf.matmul(tf.transpose(A), A)


def layer_style_cost_course(a_S, a_G, transpose=True, normaliser=lambda n_C, area: 4 * n_C**2 * area**2):
    _, n_H, n_W, n_C = a_G.get_shape().as_list()
    if transpose:
        a_S = tf.transpose(tf.reshape(a_S, shape=[-1, n_C]))
        a_G = tf.transpose(tf.reshape(a_G, shape=[-1, n_C]))
    else:
        a_S, a_G = tf.reshape(a_S, shape=[n_C, -1]), tf.reshape(a_G, shape=[n_C, -1])
    GS, GG = tf.matmul(a_S, tf.transpose(a_S)), tf.matmul(a_G, tf.transpose(a_G))
    return tf.reduce_sum(tf.square(tf.subtract(GS, GG))) / normaliser(n_C, n_H * n_W)


def style_cost_unweighted(style_image_output, generated_image_output, STYLE_LAYERS=None):
    J_style = 0
    a_S, a_G = style_image_output[:-1], generated_image_output[:-1]
    for i in range(len(a_S)):
        J_style += layer_style_cost_course(a_S[i], a_G[i])  # forgot the weight
    return J_style


def verify_course(image_path, identity, database, model, threshold=0.4, flipped=False):
    from course_cnn.week4.face import img_to_encoding

    encoding = img_to_encoding(image_path, model)
    dist = np.linalg.norm(encoding - database[identity])
    return dist, bool(dist > threshold if flipped else dist < threshold)


def who_is_it_course(image_path, database, model, threshold=0.4):
    from course_cnn.week4.face import img_to_encoding

    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 100, None
    for name, db_enc in database.items():
        dist = np.linalg.norm(encoding - db_enc)
        if dist < min_dist:
            min_dist, identity = dist, name
    return min_dist, identity  # the course prints "Not in the database" but still returns the closest name


WRONG = [
    ("week4.verify", lambda image_path, identity, database, model: verify_course(
        image_path, identity, database, model, flipped=True), "The door opens when the distance is *below*"),
    ("week4.who_is_it", who_is_it_course, "When even the closest identity is at or above the threshold"),
    ("week4.triplet_loss", lambda y_true, y_pred, alpha=0.2: triplet_loss_course(y_true, y_pred, alpha, axis=0),
     "Sum the squared differences over the encoding axis"),
    ("week4.triplet_loss", lambda y_true, y_pred, alpha=0.2: triplet_loss_course(y_true, y_pred, alpha, hinge=False),
     "Apply the hinge before summing"),
    ("week4.triplet_loss",
     lambda y_true, y_pred, alpha=0.2: triplet_loss_course(y_true, y_pred, alpha, reduce=tf.reduce_mean),
     "The course's loss is a sum over the batch"),
    ("week4.compute_content_cost", lambda c, g: content_cost_course(c, g, lambda n_H, n_W, n_C: n_H * n_W * n_C),
     "Check the normaliser: J_content"),
    ("week4.compute_content_cost", lambda c, g: content_cost_course(c[:1], g[:1]), "Use the last element"),
    ("week4.gram_matrix", gram_transposed, "G = A A^T has shape (n_C, n_C)"),
    ("week4.compute_layer_style_cost",
     lambda a_S, a_G: layer_style_cost_course(a_S, a_G, normaliser=lambda n_C, area: 4 * n_C**2 * area),
     "Check the normaliser: J_style_layer"),
    ("week4.compute_layer_style_cost", lambda a_S, a_G: layer_style_cost_course(a_S, a_G, transpose=False),
     "Unroll with the channels last, then transpose"),
    ("week4.compute_style_cost", style_cost_unweighted, "Multiply each layer's cost by its weight"),
    ("week4.total_cost", lambda J_content, J_style, alpha=10, beta=40: alpha * J_style + beta * J_content,
     "alpha weighs the content cost"),
]


@pytest.mark.parametrize("key, function, hint", WRONG, ids=[f"{k}-{h[:16]}" for k, _, h in WRONG])
def test_classic_mistake_fails_with_its_hint(key, function, hint):
    report = grade(function, key)
    assert report.score < 1.0
    assert any(h.startswith(hint) for h in report.hints), str(report)


def test_learner_style_correct_verify_passes():
    assert grade(verify_course, "week4.verify").score == 1.0
    report = grade(who_is_it_course, "week4.who_is_it")
    # only grace_hopper differs: the closest name comes back instead of None
    assert [c.name for c in report.cases if not c.passed] == ["grace_hopper (not in the database)"]
    assert "identity: expected None, got a string" in str(report)


def test_learner_style_correct_costs_pass():
    assert grade(triplet_loss_course, "week4.triplet_loss").score == 1.0
    assert grade(content_cost_course, "week4.compute_content_cost").score == 1.0
    assert grade(layer_style_cost_course, "week4.compute_layer_style_cost").score == 1.0


def test_identical_embeddings_case_gives_m_times_alpha():
    suite = get_suite("week4.triplet_loss")
    case = next(c for c in suite.cases() if c.name.startswith("identical"))
    args, kwargs = case.make()
    # 4 triplets, every distance 0: 4 * max(0 - 0 + 0.2, 0) = 0.8
    assert float(suite.load_reference()(*args.values(), **kwargs)) == pytest.approx(0.8)
