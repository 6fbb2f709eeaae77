"""Classification with localization, and landmarks."""

import re

import keras
import numpy as np
import pytest

from course_cnn.week3 import (
    box_from_label,
    iou_matrix,
    landmark_model,
    localization_label,
    localization_loss,
    localization_model,
    make_landmark_data,
    make_localization_data,
    plot_landmarks,
)


def test_label_by_hand():
    # notes: pedestrian, car, motorcycle; a car centred at (0.5, 0.7), 0.3 high, 0.4 wide
    np.testing.assert_array_equal(localization_label(1, 0.5, 0.7, 0.3, 0.4, 1, 3), np.float32([1, 0.5, 0.7, 0.3, 0.4, 0, 1, 0]))
    np.testing.assert_array_equal(localization_label(0, 0.5, 0.5, 0.1, 0.1, 2, 3), np.zeros(8))


def test_loss_by_hand():
    y = np.float32([[1, 0.5, 0.7, 0.3, 0.4, 0, 1, 0], [0, 0, 0, 0, 0, 0, 0, 0]])
    y_hat = np.float32([[0.9, 0.6, 0.7, 0.3, 0.2, 0.1, 0.8, 0.1], [0.2, 0.9, 0.1, 0.5, 0.5, 1, 0, 0]])
    # object: (0.1)^2 + (0.1)^2 + 0 + 0 + (0.2)^2 + (0.1)^2 + (0.2)^2 + (0.1)^2 = 0.01*4 + 0.04*2 = 0.12
    # no object: only (0.2 - 0)^2 = 0.04, whatever the other entries
    np.testing.assert_allclose(localization_loss(y, y_hat), [0.12, 0.04], rtol=1e-5)


def test_loss_ignores_dont_care_entries_when_no_object():
    rng = np.random.default_rng(0)
    y = np.zeros((5, 8), np.float32)
    y_hat = rng.uniform(size=(5, 8)).astype(np.float32)
    changed = y_hat.copy()
    changed[:, 1:] = rng.uniform(size=(5, 7))
    np.testing.assert_allclose(localization_loss(y, y_hat), localization_loss(y, changed))
    np.testing.assert_allclose(localization_loss(y, y_hat), y_hat[:, 0] ** 2, rtol=1e-6)


def test_generated_labels_match_the_drawn_shapes():
    X, Y = make_localization_data(20, seed=0)
    for image, y in zip(X, Y):
        if y[0] == 0:
            assert image.max() < 0.6  # background only (0.4 + noise)
            continue
        x1, y1, x2, y2 = np.round(box_from_label(y) * 32).astype(int)
        bright = np.argwhere(image.min(axis=-1) >= 0.6)  # the shape's pixels (colour >= 0.6 in every channel)
        assert bright[:, 0].min() == y1 and bright[:, 0].max() == y2 - 1
        assert bright[:, 1].min() == x1 and bright[:, 1].max() == x2 - 1


def test_model_and_loss_save_round_trip(tmp_path):
    model = localization_model()
    model.compile(optimizer="adam", loss=localization_loss)
    X, Y = make_localization_data(8, seed=0)
    model.fit(X, Y, epochs=1, verbose=0)
    model.save(tmp_path / "loc.keras")
    loaded = keras.models.load_model(tmp_path / "loc.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-5)
    assert len({layer.name for layer in model.layers}) == len(model.layers)


@pytest.mark.slow
def test_localization_model_learns_boxes():
    keras.utils.set_random_seed(0)
    X, Y = make_localization_data(3000, seed=0)
    X_test, Y_test = make_localization_data(300, seed=1)
    model = localization_model()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=localization_loss)
    model.fit(X, Y, epochs=12, batch_size=32, verbose=0)
    pred = model.predict(X_test, verbose=0)
    assert np.mean((pred[:, 0] > 0.5) == (Y_test[:, 0] == 1)) > 0.95  # object or not
    has = Y_test[:, 0] == 1
    ious = np.diag(iou_matrix(box_from_label(pred[has]), box_from_label(Y_test[has])))
    assert np.median(ious) > 0.6
    assert np.mean(pred[has, 5:].argmax(1) == Y_test[has, 5:].argmax(1)) > 0.8


def test_landmark_data_corners_are_ordered_and_on_the_triangle():
    X, Y = make_landmark_data(10, seed=0)
    points = Y.reshape(10, 3, 2)  # (x, y)
    assert np.all(points[:, 0, 1] <= points[:, 1:, 1].min(axis=1))  # top corner first
    assert np.all(points[:, 1, 0] <= points[:, 2, 0])  # then left, then right
    from matplotlib.path import Path

    yy, xx = np.mgrid[0:32, 0:32] + 0.5
    centres = np.stack([xx.ravel(), yy.ravel()], axis=1)  # (1024, 2) pixel centres as (x, y)
    for image, corners in zip(X, points * 32):
        # an independent rasteriser (matplotlib's point-in-polygon) on the labelled corners
        expected = Path(corners).contains_points(centres).reshape(32, 32)
        drawn = image[..., 0] > 0.6
        assert np.sum(drawn != expected) <= 2  # at most a pixel or two exactly on an edge


def test_landmark_model_shape_and_figure(tmp_path):
    model = landmark_model(3)
    X, Y = make_landmark_data(4)
    pred = model.predict(X, verbose=0)
    assert pred.shape == (4, 6) and np.all((pred >= 0) & (pred <= 1))
    plot_landmarks(X, Y, pred, path=tmp_path / "lm.png")
    assert (tmp_path / "lm.png").stat().st_size > 0


@pytest.mark.slow
def test_landmark_model_learns_corners():
    keras.utils.set_random_seed(0)
    X, Y = make_landmark_data(3000, seed=0)
    X_test, Y_test = make_landmark_data(200, seed=1)
    model = landmark_model(3)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.fit(X, Y, epochs=15, batch_size=32, verbose=0)
    error_px = np.abs(model.predict(X_test, verbose=0) - Y_test).mean() * 32
    assert error_px < 1.5  # mean error per coordinate under 1.5 pixels of 32


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: localization_label(2, 0.5, 0.5, 0.1, 0.1, 0, 3), r"`pc` must be an int in \[0, 1\]; got 2."),
        (lambda: localization_label(1, 1.5, 0.5, 0.1, 0.1, 0, 3), r"`bx` must be a real number in \[0, 1\]; got 1.5."),
        (lambda: localization_label(1, 0.5, 0.5, 0.1, 0.1, 3, 3), r"`class_id` must be an int in \[0, 2\]; got 3."),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_localization_loss_never_broadcasts_and_names_its_inputs():
    from course_cnn.week3 import box_from_label, localization_loss

    y = np.zeros((2, 8), dtype="float32")
    with pytest.raises(ValueError, match=re.escape("`y_pred` must have the shape of `y_true` (2, 8) (nothing is broadcast); got shape (1, 8).")):
        localization_loss(y, np.zeros((1, 8), dtype="float32"))
    with pytest.raises(TypeError, match=r"`y_true` must be array-like; got list \[\[1, 2\], \[3\]\]"):
        localization_loss([[1, 2], [3]], y)
    y_nan = y.copy()
    y_nan[0, 0] = np.nan
    assert np.isnan(localization_loss(y_nan, y).numpy()[0])  # propagated, as Keras's own losses do
    with pytest.raises(ValueError, match=re.escape("`y` must contain only finite values; got 1 NaN or infinite entry.")):
        box_from_label([1, np.nan, 0.5, 0.2, 0.2, 1])
