"""image_dataset_from_folder on a folder of images written by the test."""

import numpy as np
import pytest
from PIL import Image

from course_cnn.week2 import image_dataset_from_folder


@pytest.fixture
def alpaca_folder(tmp_path):
    # 6 red "alpaca" images and 4 blue "not alpaca" images, 20x30 pixels
    root = tmp_path / "dataset"
    for label, colour, n in (("alpaca", (255, 0, 0), 6), ("not alpaca", (0, 0, 255), 4)):
        (root / label).mkdir(parents=True)
        for i in range(n):
            Image.new("RGB", (30, 20), colour).save(root / label / f"img{i}.png")
    (root / "empty").mkdir()  # a folder without images is not a class
    return root


def test_reads_every_image_with_its_label(alpaca_folder):
    ds = image_dataset_from_folder(alpaca_folder, image_size=(20, 30), batch_size=4, shuffle=False)
    assert ds.class_names == ["alpaca", "not alpaca"]
    images, labels = map(np.concatenate, zip(*[(x.numpy(), y.numpy()) for x, y in ds]))
    assert images.shape == (10, 20, 30, 3)
    assert labels.tolist() == [0] * 6 + [1] * 4
    # red images have label 0, blue ones label 1 (pixel values stay in [0, 255])
    np.testing.assert_allclose(images[labels == 0][:, 0, 0], [[255, 0, 0]] * 6)
    np.testing.assert_allclose(images[labels == 1][:, 0, 0], [[0, 0, 255]] * 4)


def test_validation_split_partitions_the_files(alpaca_folder):
    train, val = image_dataset_from_folder(alpaca_folder, image_size=(8, 8), validation_split=0.2, subset="both",
                                           seed=42)
    n_train = sum(int(x.shape[0]) for x, _ in train)
    n_val = sum(int(x.shape[0]) for x, _ in val)
    assert (n_train, n_val) == (8, 2)  # 10 files, 20% held out


def test_binary_labels(alpaca_folder):
    ds = image_dataset_from_folder(alpaca_folder, image_size=(8, 8), label_mode="binary", shuffle=False)
    labels = np.concatenate([y.numpy() for _, y in ds])
    assert labels.shape == (10, 1) and labels.dtype == np.float32


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(directory="/no/such/folder"), ValueError, r"`directory` must be an existing folder with one sub-folder"),
        (dict(image_size=(0, 8)), ValueError, r"`image_size` must be a positive int; got 0"),
        (dict(image_size=8), TypeError, r"`image_size` must be a pair"),
        (dict(validation_split=1.0, subset="training"), ValueError, r"`validation_split` must be a real number in \(0, 1\)"),
        (dict(validation_split=0.2), ValueError, r"`subset` must be one of 'training', 'validation', 'both'; got None"),
        (dict(subset="training"), ValueError, r"`subset` must be None when `validation_split` is None"),
        (dict(label_mode="onehot"), ValueError, r"`label_mode` must be one of 'int', 'binary', 'categorical'"),
    ],
)
def test_bad_input(alpaca_folder, kwargs, error, match):
    kwargs.setdefault("directory", alpaca_folder)
    with pytest.raises(error, match=match):
        image_dataset_from_folder(**kwargs)


def test_folder_without_class_folders(tmp_path):
    Image.new("RGB", (4, 4)).save(tmp_path / "loose.png")
    with pytest.raises(ValueError, match=r"`directory` must contain one sub-folder of images"):
        image_dataset_from_folder(tmp_path)
