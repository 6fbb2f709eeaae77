"""Segmentation data: the CARLA folder layout (a small folder written here) and generated scenes."""

import numpy as np
import pytest
from PIL import Image

from course_cnn.week3 import (SCENE_CLASSES, load_segmentation_folder, make_segmentation_arrays,
                              make_segmentation_scenes)


def _carla_folder(tmp_path, names=("002.png", "001.png"), size=(60, 80)):
    rgb, masks = tmp_path / "CameraRGB", tmp_path / "CameraMask"
    rgb.mkdir()
    masks.mkdir()
    rng = np.random.default_rng(0)
    for k, name in enumerate(names):
        Image.fromarray(rng.integers(0, 256, (*size, 3), dtype=np.uint8)).save(rgb / name)
        mask = np.zeros((*size, 3), dtype=np.uint8)
        mask[: size[0] // 2, :, 0] = 7 + k  # the class id in the red channel, as CARLA writes it
        mask[size[0] // 2:, : size[1] // 2, 0] = 1
        Image.fromarray(mask).save(masks / name)
    return rgb, masks


def test_load_segmentation_folder_reads_the_course_layout(tmp_path):
    rgb, masks = _carla_folder(tmp_path)
    pairs = list(load_segmentation_folder(rgb, masks, size=(30, 40)))
    assert len(pairs) == 2
    image, mask = pairs[0]  # "001.png": sorted by name
    assert tuple(image.shape) == (30, 40, 3) and image.dtype.name == "float32"
    assert tuple(mask.shape) == (30, 40, 1) and mask.dtype.name == "uint8"
    assert 0.0 <= float(image.numpy().min()) and float(image.numpy().max()) <= 1.0
    # nearest neighbour: only ids that exist in the file, never a blend of 8 and 1
    assert set(np.unique(mask.numpy())) == {0, 1, 8}
    np.testing.assert_array_equal(mask.numpy()[:15, :, 0], 8)
    original = np.asarray(Image.open(rgb / "001.png"), dtype=np.float32) / 255.0
    np.testing.assert_allclose(image.numpy(), original[1::2, 1::2], atol=1e-6)  # nearest, half-pixel centres: every other pixel


def test_load_segmentation_folder_errors(tmp_path):
    rgb, masks = _carla_folder(tmp_path)
    (masks / "001.png").unlink()
    with pytest.raises(ValueError, match=r"`mask_dir` must hold a mask of the same name for every image in "
                                         r"`image_dir` \(2\); got none for 001.png\."):
        load_segmentation_folder(rgb, masks)
    with pytest.raises(FileNotFoundError, match=r"`image_dir`"):
        load_segmentation_folder(tmp_path / "nowhere", masks)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match=r"`image_dir` must hold at least one .png image"):
        load_segmentation_folder(empty, masks)


@pytest.mark.parametrize("source", ["digits", "fashion"])
def test_scenes_have_exact_masks_and_are_deterministic(source):
    if source == "fashion":
        pytest.importorskip("course_cnn.datasets")
        from course_cnn.datasets import find_fashion_mnist

        if find_fashion_mnist() is None:
            pytest.skip("Fashion-MNIST is not installed")
    a = make_segmentation_arrays(4, size=(32, 48), seed=3, source=source)
    b = make_segmentation_arrays(4, size=(32, 48), seed=3, source=source)
    c = make_segmentation_arrays(4, size=(32, 48), seed=4, source=source)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.masks, b.masks)
    assert not np.array_equal(a.masks, c.masks)
    assert a.images.shape == (4, 32, 48, 3) and a.masks.shape == (4, 32, 48, 1)
    assert a.images.dtype == np.float32 and a.masks.dtype == np.uint8
    assert a.class_names == SCENE_CLASSES[source]
    assert a.masks.max() < len(a.class_names) and (a.masks == 0).any() and (a.masks > 0).any()
    assert 0.0 <= a.images.min() and a.images.max() <= 1.0


def test_items_cover_part_of_each_scene():
    scenes = make_segmentation_arrays(20, size=(32, 32), seed=0, source="digits")
    fg = scenes.masks[..., 0] > 0  # pixels painted by an item
    assert 0.05 < fg.mean() < 0.6
    assert all(fg[i].any() for i in range(20))  # at least one item per scene


def test_train_and_test_splits_use_different_items():
    train = make_segmentation_arrays(3, size=(32, 32), seed=0, source="digits", split="train")
    test = make_segmentation_arrays(3, size=(32, 32), seed=0, source="digits", split="test")
    assert not np.array_equal(train.images, test.images)


def test_scenes_dataset_matches_the_arrays():
    arrays = make_segmentation_arrays(3, size=(16, 16), seed=1, source="digits")
    pairs = list(make_segmentation_scenes(3, size=(16, 16), seed=1, source="digits"))
    assert len(pairs) == 3
    np.testing.assert_array_equal(pairs[2][1].numpy(), arrays.masks[2])
    np.testing.assert_array_equal(pairs[2][0].numpy(), arrays.images[2])


def test_bad_scene_arguments():
    with pytest.raises(ValueError, match=r"`source` must be one of .*; got 'mnist'\."):
        make_segmentation_arrays(2, source="mnist")
    with pytest.raises(ValueError, match=r"`max_scale` must be at least `min_scale` = 0.5; got 0.3\."):
        make_segmentation_arrays(2, min_scale=0.5, max_scale=0.3, source="digits")
    with pytest.raises(ValueError, match=r"`n` must be .*; got 0\."):
        make_segmentation_scenes(0, source="digits")
    with pytest.raises(TypeError, match=r"`size` must be \(n_H, n_W\), two positive ints"):
        make_segmentation_arrays(2, size="big", source="digits")
