r"""The scenes U-Net shipped with the package: a small `unet_model` trained once on generated scenes.

Training a U-Net until its masks are right takes about a quarter of an hour
on a 2-core CPU (`benchmarks/week3_unet_scenes.py`), longer than the quick
tour may take, and a minute of training gives masks with the right shapes
but mostly the wrong classes. So `tools/train_scenes_unet.py` trains one with
`train_scenes_unet` (seeded, the recipe in `RECIPE`) and writes
``assets/scenes_unet.npz``: every weight in float16, and the recipe with the
measured held-out mean IoU as JSON. `load_scenes_unet` builds the same
`unet_model` and loads those weights, so the quick tour shows masks that
are right; the full tour trains one with the same recipe.
"""

from __future__ import annotations

import json

import numpy as np

#: How the shipped U-Net was trained (and how the full tour trains one).
RECIPE = {
    "source": "fashion",  # Fashion-MNIST trousers, t-shirts, bags, ankle boots
    "n_train": 2000,  # generated scenes, seed `seed`
    "size": [96, 128],  # the course's CARLA size
    "n_filters": 8,  # the course's layers with a quarter of its filters: 540,837 weights
    "epochs": 12,
    "batch_size": 8,
    "learning_rate": 1e-3,  # Adam
    "seed": 0,
}

#: Held-out scenes: another seed, and items from the source's test split.
TEST_SEED = 1

ASSET_NAME = "scenes_unet.npz"


def train_scenes_unet(recipe=None, verbose=0):
    """Train a `unet_model` on generated scenes following ``recipe`` (default `RECIPE`); returns the model."""
    import keras

    from course_cnn.week3.segmentation_data import SCENE_CLASSES, make_segmentation_scenes
    from course_cnn.week3.unet import unet_model

    r = {**RECIPE, **(recipe or {})}
    keras.utils.set_random_seed(r["seed"])
    size = tuple(r["size"])
    train = make_segmentation_scenes(r["n_train"], size, seed=r["seed"], source=r["source"])
    train = train.cache().shuffle(500, seed=r["seed"]).batch(r["batch_size"])
    model = unet_model((*size, 3), n_filters=r["n_filters"], n_classes=len(SCENE_CLASSES[r["source"]]))
    model.compile(optimizer=keras.optimizers.Adam(r["learning_rate"]),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(train, epochs=r["epochs"], verbose=verbose, shuffle=False)  # the dataset shuffles itself
    return model


def held_out_scenes(recipe, n=300):
    """The held-out scenes the recipe's mean IoU is measured on."""
    from course_cnn.week3.segmentation_data import make_segmentation_arrays

    return make_segmentation_arrays(n, tuple(recipe["size"]), seed=TEST_SEED, source=recipe["source"], split="test")


def predict_masks(model, images, batch_size=64):
    """Class ids of every pixel, (n, n_H, n_W, 1)."""
    return np.argmax(model.predict(images, batch_size=batch_size, verbose=0), axis=-1)[..., None]


def save_scenes_unet(model, path, recipe):
    """Write the model's weights (float16) and recipe to an ``.npz`` file."""
    arrays = {"recipe": np.array(json.dumps(recipe, sort_keys=True))}
    for layer in model.layers:
        for i, weight in enumerate(layer.get_weights()):
            arrays[f"{layer.name}::{i}"] = weight.astype(np.float16)
    np.savez_compressed(path, **arrays)
    return path


def load_scenes_unet(path=None):
    """Build the shipped scenes U-Net (or the one saved at ``path``); returns ``(model, recipe)``."""
    from course_cnn._assets import asset_path
    from course_cnn.week3.segmentation_data import SCENE_CLASSES
    from course_cnn.week3.unet import unet_model

    with np.load(asset_path(ASSET_NAME) if path is None else path, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    recipe = json.loads(str(arrays.pop("recipe")))
    model = unet_model((*recipe["size"], 3), n_filters=recipe["n_filters"],
                       n_classes=len(SCENE_CLASSES[recipe["source"]]))
    for layer in model.layers:
        n_weights = len(layer.weights)
        if n_weights:
            layer.set_weights([arrays[f"{layer.name}::{i}"].astype(np.float32) for i in range(n_weights)])
    return model, recipe
