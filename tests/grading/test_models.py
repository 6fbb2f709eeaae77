"""Suites of the exercises that build Keras models: happyModel, convolutional_model, data_augmenter."""

import pytest

keras = pytest.importorskip("keras")

from keras import layers  # noqa: E402

from course_cnn.grading import get_suite, grade  # noqa: E402

KEYS = ["week1.happyModel", "week1.convolutional_model", "week2.data_augmenter"]


@pytest.mark.parametrize("key", KEYS)
def test_reference_scores_one_and_stub_is_not_implemented(key):
    assert grade(get_suite(key).load_reference(), key).score == 1.0

    def stub(*args, **kwargs):
        raise NotImplementedError

    assert grade(stub, key).status == "not implemented"


def happy_model_course(zero_pad=True):
    stack = [keras.Input((64, 64, 3))]
    stack += [layers.ZeroPadding2D(padding=3)] if zero_pad else []
    stack += [layers.Conv2D(32, (7, 7), strides=(1, 1)), layers.BatchNormalization(axis=3), layers.ReLU(),
              layers.MaxPooling2D(), layers.Flatten(), layers.Dense(1, activation="sigmoid")]
    return keras.Sequential(stack)


def convolutional_model_course(input_shape, pool_padding="same"):
    input_img = keras.Input(shape=input_shape)
    Z1 = layers.Conv2D(8, (4, 4), strides=(1, 1), padding="same")(input_img)
    A1 = layers.ReLU()(Z1)
    P1 = layers.MaxPool2D(pool_size=(8, 8), strides=(8, 8), padding=pool_padding)(A1)
    Z2 = layers.Conv2D(16, (2, 2), strides=(1, 1), padding="same")(P1)
    A2 = layers.ReLU()(Z2)
    P2 = layers.MaxPool2D(pool_size=(4, 4), strides=(4, 4), padding=pool_padding)(A2)
    F = layers.Flatten()(P2)
    outputs = layers.Dense(6, activation="softmax")(F)
    return keras.Model(inputs=input_img, outputs=outputs)


def test_course_style_models_pass():
    assert grade(happy_model_course, "week1.happyModel").score == 1.0
    assert grade(convolutional_model_course, "week1.convolutional_model").score == 1.0
    augmenter = lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)])  # noqa: E731
    assert grade(augmenter, "week2.data_augmenter").score == 1.0


WRONG = [
    ("week1.happyModel", lambda: happy_model_course(zero_pad=False), "Start with ZeroPadding2D(padding=3"),
    ("week1.convolutional_model", lambda input_shape: convolutional_model_course(input_shape, "valid"),
     "Both max-pools use padding='same'"),
    ("week2.data_augmenter", lambda: keras.Sequential([layers.RandomRotation(0.2), layers.RandomFlip("horizontal")]),
     "Add the two layers in this order"),
]


@pytest.mark.parametrize("key, function, hint", WRONG, ids=[k for k, _, _ in WRONG])
def test_classic_mistake_fails_with_its_hint(key, function, hint):
    report = grade(function, key)
    assert report.score < 1.0
    assert any(h.startswith(hint) for h in report.hints), str(report)


def test_missing_layer_is_named():
    report = grade(lambda: happy_model_course(zero_pad=False), "week1.happyModel")
    assert "first missing layer: ZeroPadding2D (None, 70, 70, 3) (0 parameters)" in str(report)
