r"""The shapes detector shipped with the package: a `tiny_yolo` trained once on generated shapes.

Training a YOLO from scratch takes minutes on a CPU, longer than the quick
tour may take, and a few quick epochs give a detector whose confidences stay
far below 0.5 (it finds nothing). So `tools/train_shapes_yolo.py` trains one
with `train_shapes_detector` (seeded, the recipe in `RECIPE`) and writes
``assets/shapes_yolo.npz``: every weight in float16 (half the bytes; the
tool checks that the mAP does not change), the k-means anchors, and the
recipe with the measured mAP as JSON. `load_shapes_detector` builds the
same `tiny_yolo` and loads those weights, so the quick tour shows a detector
that works, and the full tour trains one with the same recipe in front of
the learner.
"""

from __future__ import annotations

import json
import math

import numpy as np

#: How the shipped detector was trained (and how the full tour trains one).
RECIPE = {
    "n_train": 3000,  # generated images, seed `seed`
    "image_size": 64,  # pixels per side
    "grid_size": 8,  # S: 8 pixels per cell
    "n_anchors": 3,  # k-means anchors on the training boxes
    "num_classes": 3,  # square, disc, triangle
    "filters": [16, 32, 64],  # tiny_yolo's conv blocks (64 -> 32 -> 16 -> 8 pixels)
    "head_filters": 128,
    "epochs": 12,
    "batch_size": 32,
    "learning_rate": 2e-3,  # Adam, cosine decay to 0 over the run
    "seed": 0,
}

#: Held-out images: another seed than the training images.
TEST_SEED = 1

ASSET_NAME = "shapes_yolo.npz"


def train_shapes_detector(recipe=None, verbose=0):
    """Train a `tiny_yolo` on generated shapes following ``recipe`` (default `RECIPE`).

    Returns
    -------
    model : keras.Model
        The trained detector.
    anchors : ndarray of shape (B, 2)
        Its anchors, in cells.
    """
    import keras

    from course_cnn.week3.detection_data import make_detection_dataset
    from course_cnn.week3.tiny_yolo import tiny_yolo
    from course_cnn.week3.yolo_labels import YoloLoss

    r = {**RECIPE, **(recipe or {})}
    keras.utils.set_random_seed(r["seed"])
    dataset, _, anchors = make_detection_dataset(
        r["n_train"], r["image_size"], r["grid_size"], num_classes=r["num_classes"], batch_size=r["batch_size"], seed=r["seed"]
    )
    size = r["image_size"]
    model = tiny_yolo((size, size, 3), r["grid_size"], anchors, r["num_classes"], r["filters"], r["head_filters"])
    steps = r["epochs"] * math.ceil(r["n_train"] / r["batch_size"])
    schedule = keras.optimizers.schedules.CosineDecay(r["learning_rate"], steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=YoloLoss(anchors))
    model.fit(dataset, epochs=r["epochs"], verbose=verbose, shuffle=False)  # the dataset shuffles itself
    return model, anchors


def save_shapes_detector(model, anchors, path, recipe):
    """Write the detector's weights (float16), anchors and recipe to an ``.npz`` file."""
    arrays = {"anchors": np.asarray(anchors, np.float32), "recipe": np.array(json.dumps(recipe, sort_keys=True))}
    for layer in model.layers:
        for i, weight in enumerate(layer.get_weights()):
            arrays[f"{layer.name}::{i}"] = weight.astype(np.float16)
    np.savez_compressed(path, **arrays)
    return path


def load_shapes_detector(path=None):
    """Build the shipped shapes detector (or the one saved at ``path``).

    Returns
    -------
    model : keras.Model
        A `tiny_yolo` with the trained weights.
    anchors : ndarray of shape (B, 2)
        Its anchors, in cells.
    recipe : dict
        How it was trained, with its measured ``"map50"`` on held-out images.
    """
    from course_cnn._assets import asset_path
    from course_cnn.week3.tiny_yolo import tiny_yolo

    with np.load(asset_path(ASSET_NAME) if path is None else path, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    recipe = json.loads(str(arrays.pop("recipe")))
    anchors = arrays.pop("anchors")
    size = recipe["image_size"]
    model = tiny_yolo((size, size, 3), recipe["grid_size"], anchors, recipe["num_classes"],
                      recipe.get("filters", RECIPE["filters"]), recipe.get("head_filters", RECIPE["head_filters"]))
    for layer in model.layers:
        n_weights = len(layer.weights)
        if n_weights:
            layer.set_weights([arrays[f"{layer.name}::{i}"].astype(np.float32) for i in range(n_weights)])
    return model, anchors, recipe
