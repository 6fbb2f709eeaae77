"""Week 2 hints: the block without its shortcut gets the shortcut hint, and only that mistake does."""

import pytest

keras = pytest.importorskip("keras")

from keras.layers import Activation, Add, BatchNormalization, Conv2D  # noqa: E402

from course_cnn.grading import grade  # noqa: E402

NO_SHORTCUT = "Add the shortcut back before the last ReLU"
NO_RELU = "End with the shortcut and the ReLU"


def identity_block_course(X, f, filters, training=True, initializer=None, shortcut=True, final_relu=True):
    F1, F2, F3 = filters
    X_shortcut = X
    X = Conv2D(filters=F1, kernel_size=1, strides=(1, 1), padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    X = Activation("relu")(X)
    X = Conv2D(filters=F2, kernel_size=f, strides=(1, 1), padding="same", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    X = Activation("relu")(X)
    X = Conv2D(filters=F3, kernel_size=1, strides=(1, 1), padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    if shortcut:
        X = Add()([X, X_shortcut])
    return Activation("relu")(X) if final_relu else X


def convolutional_block_course(X, f, filters, s=2, training=True, initializer=None, shortcut=True):
    F1, F2, F3 = filters
    X_shortcut = X
    X = Conv2D(filters=F1, kernel_size=1, strides=(s, s), padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    X = Activation("relu")(X)
    X = Conv2D(filters=F2, kernel_size=f, strides=(1, 1), padding="same", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    X = Activation("relu")(X)
    X = Conv2D(filters=F3, kernel_size=1, strides=(1, 1), padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X, training=training)
    X_shortcut = Conv2D(filters=F3, kernel_size=1, strides=(s, s), padding="valid",
                        kernel_initializer=initializer(seed=0))(X_shortcut)
    X_shortcut = BatchNormalization(axis=3)(X_shortcut, training=training)
    if shortcut:
        X = Add()([X, X_shortcut])
    return Activation("relu")(X)


def test_course_style_blocks_pass():
    assert grade(identity_block_course, "week2.identity_block").score == 1.0
    assert grade(convolutional_block_course, "week2.convolutional_block").score == 1.0


def test_identity_block_without_shortcut_gets_the_shortcut_hint():
    def no_shortcut(X, f, filters, training=True, initializer=None):
        return identity_block_course(X, f, filters, training, initializer, shortcut=False)

    report = grade(no_shortcut, "week2.identity_block")
    assert report.score == 0.0
    assert report.hints == ("Add the shortcut back before the last ReLU: X = Add()([X, X_shortcut]), then "
                            "Activation('relu')(X); without it the block is a plain stack of convolutions.",)


def test_convolutional_block_without_shortcut_gets_the_shortcut_hint():
    def no_shortcut(X, f, filters, s=2, training=True, initializer=None):
        return convolutional_block_course(X, f, filters, s, training, initializer, shortcut=False)

    report = grade(no_shortcut, "week2.convolutional_block")
    assert report.score == 0.0
    assert [h[:len(NO_SHORTCUT)] for h in report.hints] == [NO_SHORTCUT]


def test_shortcut_hint_not_for_another_mistake():
    def no_relu(X, f, filters, training=True, initializer=None):
        return identity_block_course(X, f, filters, training, initializer, final_relu=False)

    report = grade(no_relu, "week2.identity_block")
    assert [h[:len(NO_RELU)] for h in report.hints] == [NO_RELU]

    def neither(X, f, filters, training=True, initializer=None):
        return identity_block_course(X, f, filters, training, initializer, shortcut=False, final_relu=False)

    report = grade(neither, "week2.identity_block")  # the ReLU hint names both the Add and the ReLU
    assert [h[:len(NO_RELU)] for h in report.hints] == [NO_RELU]
