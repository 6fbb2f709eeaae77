"""The shipped scenes U-Net: it loads, its masks are right on held-out scenes, and the quick tour shows it."""

import numpy as np
import pytest

from course_cnn.datasets import find_fashion_mnist
from course_cnn.week3 import mean_iou, unet_model
from course_cnn.week3._scenes_unet import RECIPE, held_out_scenes, load_scenes_unet, predict_masks, save_scenes_unet

needs_fashion = pytest.mark.skipif(find_fashion_mnist() is None, reason="Fashion-MNIST is not installed")


def test_shipped_unet_is_the_courses_model_with_its_recipe():
    model, recipe = load_scenes_unet()
    assert {k: recipe[k] for k in RECIPE} == RECIPE
    assert recipe["mean_iou"] >= 0.8
    assert model.count_params() == unet_model((96, 128, 3), n_filters=8, n_classes=5).count_params() == 540837


@needs_fashion
def test_shipped_unet_segments_held_out_scenes():
    model, recipe = load_scenes_unet()
    test = held_out_scenes(recipe, n=100)
    pred = predict_masks(model, test.images)
    assert pred.shape == test.masks.shape
    assert mean_iou(test.masks, pred, 5) >= 0.78  # 0.801 on these 100 scenes, 0.820 on the recipe's 300


def test_save_and_load_round_trip(tmp_path, eager_tf_functions):
    model = unet_model((32, 32, 3), n_filters=1, n_classes=5)
    recipe = {**RECIPE, "size": [32, 32], "n_filters": 1}
    path = save_scenes_unet(model, tmp_path / "u.npz", recipe)
    loaded, loaded_recipe = load_scenes_unet(path)
    assert loaded_recipe == recipe
    x = np.random.default_rng(0).uniform(size=(1, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-2, atol=1e-2)


@needs_fashion
def test_quick_tour_shows_the_shipped_unet(tmp_path):
    from course_cnn.week3._tour import run_unet

    result = run_unet(tmp_path, True)
    assert "shipped" in result.summary and "held-out mean IoU 0.8" in result.summary
    assert result.files[0].stat().st_size > 10_000
