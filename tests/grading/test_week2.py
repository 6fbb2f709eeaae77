"""Week 2 suites (ResNet blocks, ResNet-50): reference passes, stub is "not implemented", mistakes get hints."""

import pytest

keras = pytest.importorskip("keras")

from keras.layers import Activation, Add, AveragePooling2D, BatchNormalization, Conv2D, Dense, Flatten  # noqa: E402
from keras.layers import Input, MaxPooling2D, ZeroPadding2D  # noqa: E402

from course_cnn.grading import exercises, get_suite, grade  # noqa: E402

BLOCKS = ["week2.identity_block", "week2.convolutional_block"]


def test_week2_suites():
    assert exercises("week2") == BLOCKS + ["week2.ResNet50", "week2.data_augmenter", "week2.depthwise_conv_forward"]


@pytest.mark.parametrize("key", BLOCKS)
def test_reference_scores_one(key):
    assert grade(get_suite(key).load_reference(), key).score == 1.0


@pytest.mark.parametrize("key", BLOCKS + ["week2.ResNet50"])
def test_stub_is_not_implemented(key):
    def stub(*args, **kwargs):
        raise NotImplementedError

    assert grade(stub, key).status == "not implemented"


# ---- learner-style implementations (the course's code, with one mistake each) ---------------------------------

def identity_block_course(X, f, filters, training=True, initializer=None, final_relu=True, pass_training=True):
    F1, F2, F3 = filters
    bn_training = training if pass_training else True
    X_shortcut = X
    X = Conv2D(F1, 1, strides=(1, 1), padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=bn_training)
    X = Activation("relu")(X)
    X = Conv2D(F2, f, strides=(1, 1), padding="same", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=bn_training)
    X = Activation("relu")(X)
    X = Conv2D(F3, 1, strides=(1, 1), padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=bn_training)
    X = Add()([X, X_shortcut])
    return Activation("relu")(X) if final_relu else X


def convolutional_block_course(X, f, filters, s=2, training=True, initializer=None, shortcut_stride=True):
    F1, F2, F3 = filters
    X_shortcut = X
    X = Conv2D(F1, 1, strides=(s, s), padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    X = Activation("relu")(X)
    X = Conv2D(F2, f, strides=(1, 1), padding="same", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    X = Activation("relu")(X)
    X = Conv2D(F3, 1, strides=(1, 1), padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    t = s if shortcut_stride else 1
    X_shortcut = Conv2D(F3, 1, strides=(t, t), padding="valid", kernel_initializer=initializer(seed=0))(X_shortcut)
    X_shortcut = BatchNormalization(axis=3)(X_shortcut, training=training)
    X = Add()([X, X_shortcut])
    return Activation("relu")(X)


def test_learner_style_blocks_pass():
    assert grade(identity_block_course, "week2.identity_block").score == 1.0
    assert grade(convolutional_block_course, "week2.convolutional_block").score == 1.0


WRONG = [
    ("week2.identity_block", lambda X, f, filters, training=True, initializer=None: identity_block_course(
        X, f, filters, training, initializer, final_relu=False), "End with the shortcut and the ReLU"),
    ("week2.identity_block", lambda X, f, filters, training=True, initializer=None: identity_block_course(
        X, f, filters, training, initializer, pass_training=False), "Pass training on"),
    ("week2.convolutional_block", lambda X, f, filters, s=2, training=True, initializer=None:
     convolutional_block_course(X, f, filters, s, training, initializer, shortcut_stride=False),
     "The shortcut needs its own Conv2D"),
]


@pytest.mark.parametrize("key, function, hint", WRONG, ids=[f"{k}-{h[:16]}" for k, _, h in WRONG])
def test_classic_mistake_fails_with_its_hint(key, function, hint):
    report = grade(function, key)
    assert report.score < 1.0
    assert any(h.startswith(hint) for h in report.hints), str(report)


def resnet50_course(input_shape=(64, 64, 3), classes=6, stage3_stride=2):
    from course_cnn.week2 import convolutional_block, identity_block

    X_input = Input(input_shape)
    X = ZeroPadding2D((3, 3))(X_input)
    X = Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=keras.initializers.glorot_uniform(seed=0))(X)
    X = BatchNormalization(axis=3)(X)
    X = Activation("relu")(X)
    X = MaxPooling2D((3, 3), strides=(2, 2))(X)
    for filters, blocks, s in (([64, 64, 256], 3, 1), ([128, 128, 512], 4, stage3_stride),
                               ([256, 256, 1024], 6, 2), ([512, 512, 2048], 3, 2)):
        X = convolutional_block(X, f=3, filters=filters, s=s)
        for _ in range(blocks - 1):
            X = identity_block(X, 3, filters)
    X = AveragePooling2D((2, 2))(X)
    X = Flatten()(X)
    X = Dense(classes, activation="softmax", kernel_initializer=keras.initializers.glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@pytest.mark.slow
def test_resnet50_reference_and_course_code_pass():
    assert grade(get_suite("week2.ResNet50").load_reference(), "week2.ResNet50").score == 1.0
    assert grade(resnet50_course, "week2.ResNet50").score == 1.0


WRONG_RESNET = [("week2.ResNet50", lambda input_shape=(64, 64, 3), classes=6: resnet50_course(input_shape, classes, 1),
                 "Check the strides of the stages")]


@pytest.mark.slow
@pytest.mark.parametrize("key, function, hint", WRONG_RESNET, ids=["stage 3 with s=1"])
def test_resnet50_wrong_stage_stride_gets_the_stride_hint(key, function, hint):
    # stage 3 with s=1: stages 3-5 come out 15x15x512, 8x8x1024, 4x4x2048 and the Dense layer gets 4x more inputs
    report = grade(function, key)
    assert report.score == 0.0
    assert any(h.startswith(hint) for h in report.hints), str(report)
    assert "first missing layer: Conv2D (None, 8, 8, 128) (32,896 parameters)" in str(report)
    assert "first unexpected layer: Conv2D (None, 15, 15, 128) (32,896 parameters)" in str(report)
