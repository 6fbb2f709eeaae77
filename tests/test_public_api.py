"""Bad input to every public name, as scikit-learn's ``test_public_functions.py`` does.

Every function and class in the ``__all__`` of a public module (no ``_`` in
its dotted path) is found by `tests.test_api` and must have an entry in
`BASELINES`: a valid call with the smallest inputs. Each parameter gets a
*kind* (from `KIND_BY_NAME`, the package's naming conventions, or an
override in its entry) and each kind a battery of bad values (`BATTERIES`).
One probe replaces one argument of the baseline with one bad value and
requires (the "Bad input" contract of DESIGN.md):

* a ``ValueError`` or ``TypeError`` (``FileNotFoundError`` for a missing
  file) whose message names the parameter as the caller wrote it
  (`` `name` `` or `` `name[...]` ``) and says what was received (``got``);
* within `TIME_LIMIT` seconds, and for the ``huge`` sizes with less than
  `PEAK_LIMIT` bytes allocated by Python and numpy (refused before any work);
* for a Keras loss used inside a training graph, NaN may propagate instead
  (``nan_propagates``), but the result must not be finite.

A new public function with no entry fails `test_every_public_name_has_a_baseline`.
Probes that do not pass yet are listed one by one in `KNOWN_GAPS` (files
owned by others) and `NOT_YET_FIXED` (the rest); they are expected failures
that do not run unless ``COURSE_CNN_PROBE_GAPS=1``.
"""

from __future__ import annotations

import gzip
import inspect
import os
import re
import signal
import struct
import time
import tracemalloc
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from tests.test_api import PUBLIC

TIME_LIMIT = 1.0  # seconds a refusal may take
HANG_LIMIT = 10  # seconds before a probe is interrupted as a hang
PEAK_LIMIT = 64 * 2**20  # bytes a refusal of a huge size may allocate
HUGE = 10**12  # a size no call can mean (a typo, a float read as an int)


def _public_callables():
    """Functions and classes of the public modules, once each, keyed by their first qualname."""
    seen, out = set(), {}
    for qualname, obj in PUBLIC:
        module = qualname.rsplit(".", 1)[0]
        if any(part.startswith("_") for part in module.split(".")):
            continue  # private modules (_checks, _assets, _tfjs) are not the public API
        if not (inspect.isfunction(obj) or inspect.isclass(obj)) or id(obj) in seen:
            continue
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            continue
        seen.add(id(obj))
        out[qualname.removeprefix("course_cnn.")] = obj
    return out


CALLABLES = _public_callables()


# ----------------------------------------------------------------------------
# Inputs for the baselines: the smallest valid values.

def A(*shape, low=0.0, high=1.0, dtype="float32", seed=0):
    """A random float array of `shape` in [low, high)."""
    return np.random.default_rng(seed).uniform(low, high, shape).astype(dtype)


@lru_cache(maxsize=None)
def _tmp() -> Path:
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="course_cnn_public_api_")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)


@lru_cache(maxsize=None)
def _png() -> str:
    from PIL import Image

    path = _tmp() / "photo.png"
    Image.fromarray((A(16, 16, 3) * 255).astype("uint8")).save(path)
    return str(path)


@lru_cache(maxsize=None)
def _text_file() -> str:
    path = _tmp() / "not_an_image.png"
    path.write_text("this is not an image nor a data file\n")
    return str(path)


@lru_cache(maxsize=None)
def _lines_file(name: str, text: str) -> str:
    path = _tmp() / name
    path.write_text(text)
    return str(path)


@lru_cache(maxsize=None)
def _idx_file() -> str:
    path = _tmp() / "t10k-labels-idx1-ubyte.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(struct.pack(">BBBBI", 0, 0, 8, 1, 3) + bytes([1, 2, 3]))
    return str(path)


@lru_cache(maxsize=None)
def _course_h5_dir() -> str:
    import h5py

    folder = _tmp() / "course_h5"
    folder.mkdir(exist_ok=True)
    for stem in ("happy", "signs"):
        for split in ("train", "test"):
            with h5py.File(folder / f"{split}_{stem}.h5", "w") as fh:
                fh[f"{split}_set_x"] = (A(2, 4, 4, 3) * 255).astype("uint8")
                fh[f"{split}_set_y"] = np.array([0, 1])
                fh["list_classes"] = np.array([0, 1])
    return str(folder)


@lru_cache(maxsize=None)
def _image_folder() -> str:
    from PIL import Image

    folder = _tmp() / "image_folder"
    for label in ("a", "b"):
        (folder / label).mkdir(parents=True, exist_ok=True)
        Image.fromarray((A(8, 8, 3) * 255).astype("uint8")).save(folder / label / "0.png")
    return str(folder)


@lru_cache(maxsize=None)
def _model(kind: str = "classifier"):
    """Small Keras models (built once)."""
    import keras

    if kind == "classifier":
        inputs = keras.Input((8, 8, 1), name="input")
        x = keras.layers.Conv2D(2, 3, name="conv")(inputs)
        x = keras.layers.Flatten(name="flatten")(x)
        x = keras.layers.Dense(8, activation="relu", name="hidden")(x)
        return keras.Model(inputs, keras.layers.Dense(3, activation="softmax", name="head")(x), name="tiny")
    if kind == "encoder":
        inputs = keras.Input((8, 8, 3), name="input")
        x = keras.layers.GlobalAveragePooling2D(name="gap")(inputs)
        return keras.Model(inputs, keras.layers.Dense(4, name="embedding")(x), name="tiny_encoder")
    if kind == "nested":  # a base model used as a layer, as alpaca_model builds
        inputs = keras.Input((8, 8, 1), name="input")
        base = _model("classifier")
        return keras.Model(inputs, keras.layers.Dense(1, name="logit")(base(inputs)), name="tiny_nested")
    if kind == "window":
        from course_cnn.week3 import window_classifier

        return window_classifier(seed=0)
    if kind == "tiny_yolo":
        from course_cnn.week3 import tiny_yolo

        return tiny_yolo((16, 16, 3), 2, ANCHORS, 2, filters=(2, 2, 2), head_filters=4)
    raise KeyError(kind)


def _new_figure():
    from course_cnn.plots import new_figure

    return new_figure()[0]


def _keras_input(shape=(8, 8, 4)):
    import keras

    return keras.Input(shape)


ANCHORS = np.array([[0.1, 0.1], [0.3, 0.3]], dtype="float32")
DOCS = ["the cat sat on the mat", "the dog ate the cat food", "a dog and a cat"]
VOCAB = {"the": 0, "cat": 1, "dog": 2}
HP_CONV = {"stride": 1, "pad": 1}
HP_POOL = {"stride": 1, "f": 2}


@lru_cache(maxsize=None)
def _conv_cache():
    from course_cnn.week1 import conv_forward

    return conv_forward(A(1, 4, 4, 2), A(3, 3, 2, 2), A(1, 1, 1, 2), HP_CONV)


@lru_cache(maxsize=None)
def _pool_cache():
    from course_cnn.week1 import pool_forward

    return pool_forward(A(1, 4, 4, 2), HP_POOL)


def _yolo_outputs(grid=2, n_anchors=2, n_classes=3):
    return (
        A(grid, grid, n_anchors, 2),  # box_xy
        A(grid, grid, n_anchors, 2, low=0.1, high=0.3),  # box_wh
        A(grid, grid, n_anchors, 1),  # box_confidence
        A(grid, grid, n_anchors, n_classes),  # box_class_probs
    )


@lru_cache(maxsize=None)
def _diagnosis():
    from course_cnn.strategy import diagnose

    return diagnose(1.0, 8.0, 10.0)


@lru_cache(maxsize=None)
def _db_folder() -> str:
    return str(_tmp())


# ----------------------------------------------------------------------------
# Kinds of parameters and their batteries of bad values.

BATTERIES = {
    "array": ("none", "str", "object", "complex", "ragged", "rank_up", "rank_down", "nan", "inf"),
    "array_any": ("none", "str", "object", "complex", "ragged", "nan", "inf"),  # any rank is valid
    "labels": ("none", "str", "object", "complex", "ragged", "rank_up", "nan"),
    "graph": ("none", "str", "ragged", "nan_propagates"),  # a Keras loss's y_true / y_pred
    "keras_tensor": ("none", "str"),
    "size": ("none", "str", "float", "negative", "zero", "huge"),
    "size0": ("none", "str", "float", "negative", "huge"),
    "count": ("none", "str", "float", "negative", "zero"),  # a formula's term or a cap: any size is fine
    "count0": ("none", "str", "float", "negative"),
    "str_or_none": ("int",),
    "inches": ("str", "negative_item", "huge_item"),  # a pair of positive reals
    "size_or_none": ("str", "float", "negative", "zero", "huge"),  # None is valid (no resizing, say)
    "graph_labels": ("none", "str", "ragged"),  # NaN marks a missing label
    "percentage": ("none", "str", "nan", "negative", "above_100"),
    "seed": ("str", "float", "negative"),
    "probability": ("none", "str", "above", "below", "nan"),
    "real": ("none", "str", "nan", "inf"),
    "positive": ("none", "str", "nan", "inf", "negative", "zero"),
    "non_negative": ("none", "str", "nan", "inf", "negative"),
    "strings": ("none", "bare_str", "non_str_items"),
    "text": ("none", "int"),
    "path_in": ("none", "int", "missing"),
    "file_in": ("none", "int", "missing", "corrupt"),
    "path_out": ("int",),
    "model": ("none", "str", "array"),
    "hparameters": ("not_dict", "missing_key", "wrong_type"),
    "cache": ("none", "str", "short_tuple"),
    "choice": ("unknown", "int"),
    "shape": ("none", "str", "negative_item", "float_item", "huge_item"),
    "sizes": ("none", "str", "negative_item", "float_item", "huge_item"),
    "mapping": ("none", "str"),
    "callable": ("none", "int"),
    "free": (),  # flags, names, titles, callbacks: any value is someone's valid input
    "labels_any": ("none", "str", "object", "complex", "ragged", "nan"),  # any rank: flattened, as the course does
    "array_or_none": ("str", "object", "complex", "ragged", "rank_up", "rank_down", "nan", "inf"),  # None means "none"
    "counts": ("none", "str", "negative_item", "float_item"),  # numbers in a formula: no allocation, any size is fine
}

# The package's naming conventions; an entry's own kinds override these.
KIND_BY_NAME = {
    **dict.fromkeys(["X", "A_prev", "W", "b", "dZ", "dA", "a_slice_prev", "anchors", "embeddings"], "array"),
    **dict.fromkeys(["scores", "distances", "enc1", "enc2", "y_true", "y_pred", "images", "image"], "array"),
    **dict.fromkeys(["boxes", "boxes1", "boxes2"], "array_any"),
    **dict.fromkeys(["labels", "same", "classes_", "Y"], "labels"),
    **dict.fromkeys(["stride", "f", "n_C", "n_C_prev", "n_filters", "n", "m", "epochs"], "size"),
    "ncols": "count",
    **dict.fromkeys(["max_boxes", "classes", "n_classes", "num_classes", "image_size", "grid_size"], "size"),
    **dict.fromkeys(["max_objects", "n_trials", "max_output_size", "k", "n_iter", "depth", "size"], "size"),
    "pad": "size0",
    "batch_size": "count",  # larger than the data is one batch: no allocation
    "seed": "seed",
    **dict.fromkeys(["iou_threshold", "score_threshold", "threshold", "dropout", "p_object"], "probability"),
    **dict.fromkeys(["learning_rate", "min_learning_rate", "base_learning_rate", "std", "scale"], "positive"),
    **dict.fromkeys(["alpha", "beta", "margin", "rtol", "atol"], "real"),
    **dict.fromkeys(["input_shape", "image_shape"], "shape"),
    "filters": "sizes",
    "hparameters": "hparameters",
    "cache": "cache",
    "mode": "choice",
    "model": "model",
    **dict.fromkeys(["path", "out_dir"], "path_out"),
    **dict.fromkeys(["image_path", "img_path"], "file_in"),
    **dict.fromkeys(["class_names", "documents", "vocab", "corpus", "names", "parts"], "strings"),
    **dict.fromkeys(["verbose", "name", "title", "ax", "suptitle", "label", "color", "cmap"], "free"),
    **dict.fromkeys(["residual", "training", "shuffle", "download", "hs", "from_logits", "quick"], "free"),
    **dict.fromkeys(["per_class", "return_per_class", "squared", "aux_heads", "crop_face", "trainable"], "free"),
    **dict.fromkeys(["rotations", "preprocess", "run_all", "same_input_type", "echo", "initializer"], "free"),
    **dict.fromkeys(["low_level_features_useful", "shared_low_level_features", "can_train_big_network"], "free"),
    "tokenizer": "free",
    "timeout": "positive",
    "part": "count0",
    "gamma": "positive",
    "jit_compile": "free",
}


class Entry:
    """A baseline: ``make()`` gives the keyword arguments of a valid call.

    ``then`` is applied to the call's result when the checks happen later
    (``SCDV(...).fit(docs)``); ``kinds`` overrides `KIND_BY_NAME`;
    ``bad`` adds named bad values, ``{param: {label: value}}``;
    ``graph=True`` marks a Keras loss whose y_true / y_pred may carry NaN.
    """

    def __init__(self, make, *, then=None, bad=None, graph=False, **kinds):
        self.make, self.then, self.bad, self.graph, self.kinds = make, then, bad or {}, graph, kinds


def E(make=dict, **options):
    return Entry(make, **options)


# A dataclass the package returns (users read it, they do not build it): no probes.
RECORD = E()


def _fitted_scdv():
    from course_cnn.scdv import SCDV, WordVectors

    vectors = WordVectors(["cat", "dog", "mat", "sat", "food"], A(5, 3))
    return SCDV(n_clusters=2, word_vectors=vectors, min_count=1, stop_words=None).fit(DOCS * 2)


# One valid call per public name, with the smallest inputs. Keys are the
# dotted names under `course_cnn`; kinds not given follow KIND_BY_NAME.
BASELINES = {
    # ---- command line, info, tour, plots
    "cli.build_parser": E(),
    "cli.main": E(lambda: dict(argv=["info"]), argv="strings"),
    "info.collect_info": E(lambda: dict(import_tensorflow=False), import_tensorflow="free"),
    "info.format_info": E(lambda: dict(info={"python": "3"}), info="mapping"),
    "tour.Demo": RECORD,
    "tour.DemoResult": RECORD,
    "tour.registered_demos": E(lambda: dict(parts=("week1",))),
    "tour.run_tour": E(lambda: dict(out_dir=str(_tmp() / "tour"), only=["nothing-matches"], demos=[]),
                       only="strings", demos="free"),
    "tour.write_index": E(lambda: dict(out_dir=str(_tmp() / "tour_index"), outcomes=[]), outcomes="free"),
    "plots.new_figure": E(lambda: dict(nrows=1, ncols=1, figsize=(2, 2)), nrows="size", figsize="inches"),
    "plots.save_figure": E(lambda: dict(fig=_new_figure(), path=str(_tmp() / "f.png")), fig="model", dpi="positive"),
    "plots.image_grid": E(lambda: dict(images=A(2, 4, 4)), images="array_any", titles="strings"),
    "plots.training_curves": E(lambda: dict(history={"loss": [1.0, 0.5]}), history="mapping", metrics="strings"),
    "plots.draw_boxes_on_image": E(lambda: dict(image=A(8, 8, 3), boxes=np.array([[1.0, 1, 4, 4]]), labels=["a"],
                                                scores=np.array([0.9])),
                                   image="array_any", boxes="array", labels="strings", box_format="choice"),
    # ---- datasets
    "datasets.load_course_h5": E(lambda: dict(train_path=_course_h5_dir() + "/train_happy.h5",
                                              test_path=_course_h5_dir() + "/test_happy.h5"),
                                 train_path="file_in", test_path="file_in"),
    "datasets.load_happy_dataset": E(lambda: dict(path=_course_h5_dir()), path="path_in"),
    "datasets.load_signs_dataset": E(lambda: dict(path=_course_h5_dir()), path="path_in"),
    "datasets.convert_to_one_hot": E(lambda: dict(Y=np.array([[0, 1, 2]]), C=3), C="size", Y="labels_any"),
    "datasets.read_idx": E(lambda: dict(path=_idx_file()), path="file_in"),
    "datasets.find_fashion_mnist": E(lambda: dict(path=str(_tmp())), path="path_out"),  # None when not found
    "datasets.load_fashion_mnist": E(lambda: dict(path=str(_tmp() / "no_fashion"), download=False), path="path_in"),
    "datasets.load_digits_images": E(),
    "datasets.list_photos": E(),
    "datasets.load_photo": E(lambda: dict(name="china"), name="choice"),
    "datasets.image_dataset_from_folder": E(lambda: dict(directory=_image_folder()), directory="path_in"),
    "datasets.Newsgroups": RECORD,
    "datasets.find_20newsgroups": E(lambda: dict(path=str(_tmp())), path="path_out"),  # None when not found
    "datasets.load_20newsgroups": E(lambda: dict(path=str(_tmp() / "no_20ng"), max_per_group=1),
                                    path="path_in", max_per_group="count", remove="strings"),
    "datasets.make_dataset": E(lambda: dict(X=A(4, 4, 4, 1), Y=np.array([0, 1, 0, 1]), batch_size=2),
                               X="array_any", Y="labels", cache="free", augment="free"),
    # ---- grading
    "grading.grade": E(lambda: dict(function=lambda X, pad: X, exercise="week1.zero_pad"), function="callable",
                       exercise="choice"),
    "grading.grade_file": E(lambda: dict(path=_lines_file("solution.py", "def same_padding(f):\n    return (f - 1) // 2\n")),
                            path="file_in", exercise="choice"),
    "grading.exercises": E(lambda: dict(prefix="week1"), prefix="text"),
    "grading.get_suite": E(lambda: dict(name="same_padding"), name="choice"),
    "grading.suites": E(),
    "grading.GradeReport": RECORD,
    "grading.FileReport": RECORD,
    "grading.CaseResult": RECORD,
    "grading.CheckResult": RECORD,
    "grading.Suite": RECORD,
    "grading.Case": RECORD,
    "grading.CaseData": RECORD,
    "grading.Hint": RECORD,
    "grading.same_as": E(lambda: dict(variant=lambda data: None), variant="callable",
                         rtol="non_negative", atol="non_negative"),
    "grading.any_of": E(),
    "grading.error_matches": E(lambda: dict(pattern="must"), pattern="text"),
    "grading.compare_outputs": E(lambda: dict(expected=1.0, got=1.0), expected="free", got="free",
                                 rtol="non_negative", atol="non_negative", output_names="free"),
}

BASELINES.update({
    # ---- week 1
    "week1.zero_pad": E(lambda: dict(X=A(1, 3, 3, 2), pad=1)),
    "week1.conv_single_step": E(lambda: dict(a_slice_prev=A(3, 3, 2), W=A(3, 3, 2), b=A(1, 1, 1))),
    "week1.conv_forward": E(lambda: dict(A_prev=A(1, 4, 4, 2), W=A(3, 3, 2, 2), b=A(1, 1, 1, 2), hparameters=HP_CONV)),
    "week1.conv_forward_loops": E(lambda: dict(A_prev=A(1, 4, 4, 2), W=A(3, 3, 2, 2), b=A(1, 1, 1, 2),
                                               hparameters=HP_CONV)),
    "week1.conv_backward": E(lambda: dict(dZ=A(*_conv_cache()[0].shape), cache=_conv_cache()[1])),
    "week1.conv_backward_loops": E(lambda: dict(dZ=A(*_conv_cache()[0].shape), cache=_conv_cache()[1])),
    "week1.pool_forward": E(lambda: dict(A_prev=A(1, 4, 4, 2), hparameters=HP_POOL, mode="max")),
    "week1.pool_forward_loops": E(lambda: dict(A_prev=A(1, 4, 4, 2), hparameters=HP_POOL, mode="max")),
    "week1.create_mask_from_window": E(lambda: dict(x=A(2, 2)), x="array_any"),
    "week1.distribute_value": E(lambda: dict(dz=2.0, shape=(2, 2)), dz="real", shape="shape"),
    "week1.pool_backward": E(lambda: dict(dA=A(*_pool_cache()[0].shape), cache=_pool_cache()[1], mode="max")),
    "week1.pool_backward_loops": E(lambda: dict(dA=A(*_pool_cache()[0].shape), cache=_pool_cache()[1], mode="max")),
    "week1.conv_output_shape": E(lambda: dict(input_shape=(5, 5, 3), f=3, n_filters=2, stride=1, pad=0),
                                 input_shape="free", f="count", n_filters="count", stride="count", pad="count0"),
    "week1.same_padding": E(lambda: dict(f=3), f="count"),
    "week1.conv_parameter_count": E(lambda: dict(f=3, n_C_prev=3, n_C=2), f="count", n_C_prev="count", n_C="count"),
    "week1.dense_parameter_count": E(lambda: dict(n_in=3, n_out=2), n_in="count", n_out="count"),
    "week1.vertical_edge_filter": E(),
    "week1.horizontal_edge_filter": E(),
    "week1.sobel_filter": E(lambda: dict(axis="vertical"), axis="choice"),
    "week1.scharr_filter": E(lambda: dict(axis="vertical"), axis="choice"),
    "week1.detect_edges": E(lambda: dict(image=A(6, 6), kernel=A(3, 3)), kernel="array"),
    "week1.happyModel": E(),
    "week1.convolutional_model": E(lambda: dict(input_shape=(8, 8, 1))),
    "week1.lenet_style_model": E(lambda: dict(input_shape=(8, 8, 1), n_classes=2, filters=(2, 2), dense_units=4),
                                 dense_units="size"),
    "week1.TrainingResult": RECORD,
    "week1.train_lenet_style": E(lambda: dict(dataset="digits", epochs=1), dataset="choice"),
    "week1.plot_edge_responses": E(lambda: dict(image=A(6, 6)), filters="mapping"),
    "week1.plot_feature_maps": E(lambda: dict(model=_model(), image=A(8, 8, 1), layer_name="conv", max_maps=1),
                                 layer_name="choice", max_maps="count"),  # a cap on the maps shown
    # ---- week 2
    "week2.lenet5": E(lambda: dict(input_shape=(32, 32, 1), classes=2)),
    "week2.alexnet": E(lambda: dict(input_shape=(227, 227, 3), classes=2)),
    "week2.apply_vgg_block": E(lambda: dict(x=_keras_input(), n_convs=1, filters=2, name="b1"),
                               x="keras_tensor", n_convs="size", filters="size"),
    "week2.vgg16": E(lambda: dict(input_shape=(32, 32, 3), classes=2)),
    "week2.identity_block": E(lambda: dict(X=_keras_input(), f=3, filters=[2, 2, 4]), X="keras_tensor"),
    "week2.convolutional_block": E(lambda: dict(X=_keras_input(), f=3, filters=[2, 2, 4]), X="keras_tensor",
                                   s="size"),
    "week2.ResNet50": E(lambda: dict(input_shape=(64, 64, 3), classes=2)),
    "week2.apply_basic_block": E(lambda: dict(x=_keras_input(), filters=4), x="keras_tensor", filters="size"),
    "week2.resnet": E(lambda: dict(depth=8, input_shape=(8, 8, 1), classes=2, filters=(2, 2, 2))),
    "week2.one_by_one_conv": E(lambda: dict(x=_keras_input(), n_C=2), x="keras_tensor", activation="free"),
    "week2.inception_module": E(lambda: dict(x=_keras_input(), filters_1x1=1, filters_3x3_reduce=1, filters_3x3=1,
                                             filters_5x5_reduce=1, filters_5x5=1, filters_pool_proj=1),
                                x="keras_tensor", filters_1x1="size", filters_3x3_reduce="size", filters_3x3="size",
                                filters_5x5_reduce="size", filters_5x5="size", filters_pool_proj="size"),
    "week2.googlenet": E(lambda: dict(input_shape=(64, 64, 3), classes=2)),
    "week2.conv_multiplications": E(lambda: dict(input_shape=(28, 28, 192), f=5, n_filters=32, bottleneck=16),
                                    input_shape="free", f="count", n_filters="count", bottleneck="count",
                                    stride="count", pad="count0"),  # formula terms: any size is only arithmetic
    "week2.data_augmenter": E(lambda: dict(seed=0)),
    "week2.crop_and_mirror": E(lambda: dict(crop_size=(4, 4), seed=0), crop_size="shape"),
    "week2.AlexNetCrop": E(lambda: dict(height=4, width=4, seed=0), height="size", width="size"),
    "week2.fit_pca_colour": E(lambda: dict(images=A(2, 4, 4, 3))),
    "week2.PCAColorAugmentation": E(lambda: dict(seed=0), eigenvalues="array", eigenvectors="array"),
    "week2.augmented_samples": E(lambda: dict(image=A(8, 8, 3), augmenter=lambda x: x, n=1),
                                 augmenter="callable", n="size"),
    "week2.alpaca_model": E(lambda: dict(image_shape=(32, 32), weights=None), data_augmentation="free",
                            weights="free"),
    "week2.fine_tune": E(lambda: dict(model=_model("nested"), fine_tune_at=1), fine_tune_at="size0"),
    "week2.layers_to_retrain": E(lambda: dict(n_examples=100, n_layers=10), n_examples="count0", n_layers="count",
                                 small="count", large="count"),
    "week2.freeze_up_to": E(lambda: dict(model=_model(), layer_index_or_name=1), layer_index_or_name="free"),
    "week2.mobilenet_v2_weights_file": E(lambda: dict(rows=160, alpha=1.0), rows="size", alpha="choice"),
    "week2.HubLayer": E(lambda: dict(handle=str(_tmp() / "no_hub_module")), handle="path_in", output_key="free"),
    "week2.load_hub_module": E(lambda: dict(handle=str(_tmp() / "no_hub_module")), handle="path_in"),
    "week2.image_dataset_from_folder": E(lambda: dict(directory=_image_folder(), image_size=(8, 8), batch_size=2),
                                         directory="path_in", image_size="shape", validation_split="probability",
                                         subset="choice", label_mode="choice", color_mode="choice"),
    "week2.architecture_table": E(lambda: dict(names=("LeNet-5",))),
    "week2.layer_table": E(lambda: dict(model=_model())),
})

BASELINES.update({
    # ---- week 3
    "week3.localization_label": E(lambda: dict(pc=1, bx=0.5, by=0.5, bh=0.2, bw=0.2, class_id=1, n_classes=3),
                                  pc="choice", bx="real", by="real", bh="real", bw="real", class_id="free",
                                  n_classes="count"),
    "week3.localization_loss": E(lambda: dict(y_true=A(2, 8), y_pred=A(2, 8)), y_true="graph", y_pred="graph",
                                 graph=True, bad={"y_pred": {"broadcast": A(1, 8)}, "y_true": {"broadcast": A(1, 8)}}),
    "week3.localization_model": E(lambda: dict(input_shape=(8, 8, 3), n_classes=2)),
    "week3.make_localization_data": E(lambda: dict(n=2, image_size=8)),
    "week3.box_from_label": E(lambda: dict(y=A(8)), y="array_any"),
    "week3.landmark_model": E(lambda: dict(n_landmarks=2, input_shape=(8, 8, 1)), n_landmarks="size"),
    "week3.make_landmark_data": E(lambda: dict(n=2, image_size=8)),
    "week3.plot_landmarks": E(lambda: dict(images=A(2, 8, 8), true_landmarks=A(2, 4)), images="array_any",
                              true_landmarks="array", pred_landmarks="array"),
    "week3.window_classifier": E(lambda: dict(seed=0)),
    "week3.sliding_window_detect": E(lambda: dict(classifier=_model("window"), image=A(16, 16, 3), window=14, stride=2),
                                     classifier="model", window="size", stride="count"),  # stride: a cap
    "week3.dense_to_conv": E(lambda: dict(model=_model("window"))),
    "week3.iou": E(lambda: dict(box1=np.array([0.0, 0, 2, 2]), box2=np.array([1.0, 1, 3, 3])),
                   box1="array_any", box2="array_any"),
    "week3.iou_matrix": E(lambda: dict(boxes1=np.array([[0.0, 0, 2, 2]]), boxes2=np.array([[1.0, 1, 3, 3]]))),
    "week3.corners_to_centers": E(lambda: dict(boxes=np.array([[0.0, 0, 2, 2]]))),
    "week3.centers_to_corners": E(lambda: dict(boxes=np.array([[1.0, 1, 2, 2]]))),
    "week3.non_max_suppression": E(lambda: dict(boxes=np.array([[0.0, 0, 2, 2]]), scores=np.array([0.9]),
                                                max_output_size=1), max_output_size="count", score_threshold="real"),
    "week3.yolo_head": E(lambda: dict(feats=A(1, 2, 2, 16), anchors=ANCHORS, num_classes=3), feats="array"),
    "week3.yolo_boxes_to_corners": E(lambda: dict(box_xy=A(2, 2, 2, 2), box_wh=A(2, 2, 2, 2)),
                                     box_xy="array_any", box_wh="array_any"),
    # image_shape: the course passes floats, (720., 1280.), and any size is only a multiplication
    "week3.scale_boxes": E(lambda: dict(boxes=A(3, 4), image_shape=(32.0, 32.0)), image_shape="array_any"),
    "week3.yolo_filter_boxes": E(lambda: dict(boxes=A(2, 2, 2, 4), box_confidence=A(2, 2, 2, 1),
                                              box_class_probs=A(2, 2, 2, 3)),
                                 box_confidence="array_any", box_class_probs="array_any"),
    "week3.yolo_non_max_suppression": E(lambda: dict(scores=np.array([0.9, 0.8]), boxes=np.array([[0.0, 0, 1, 1],
                                                     [2.0, 2, 3, 3]]), classes=np.array([0, 1])),
                                        boxes="array", classes="labels"),
    "week3.yolo_eval": E(lambda: dict(yolo_outputs=_yolo_outputs(), image_shape=(32.0, 32.0)), yolo_outputs="cache",
                         image_shape="array_any"),
    "week3.yolo_eval_batch": E(lambda: dict(yolo_outputs=tuple(o[None] for o in _yolo_outputs()),
                                            image_shape=(32.0, 32.0)), yolo_outputs="cache", image_shape="free"),
    "week3.preprocess_image": E(lambda: dict(img_path=_png(), model_image_size=(8, 8)), model_image_size="shape"),
    "week3.read_classes": E(lambda: dict(classes_path=_lines_file("classes.txt", "car\nbus\n")),
                            classes_path="path_in"),
    "week3.read_anchors": E(lambda: dict(anchors_path=_lines_file("anchors.txt", "0.5,0.5, 1.0,1.0\n")),
                            anchors_path="path_in"),
    "week3.draw_boxes": E(lambda: dict(image=(A(16, 16, 3) * 255).astype("uint8"), boxes=np.array([[1.0, 1, 8, 8]]),
                                       classes=np.array([0]), class_names=["car"], scores=np.array([0.9])),
                          image="array_any", boxes="array", classes="labels", scores="array"),
    "week3.load_yolo_model": E(lambda: dict(path=_text_file()), path="file_in"),
    "week3.anchor_iou": E(lambda: dict(wh=A(3, 2), anchors=ANCHORS), wh="array"),
    "week3.yolo_encode_labels": E(lambda: dict(boxes=np.array([[0.1, 0.1, 0.4, 0.4]]), classes=np.array([1]),
                                               grid_size=2, anchors=ANCHORS, num_classes=2),
                                  boxes="array", classes="labels", anchors="array_or_none"),
    "week3.yolo_loss": E(lambda: dict(y_true=A(1, 2, 2, 2, 7), y_pred=A(1, 2, 2, 2, 7), anchors=ANCHORS),
                         y_true="graph", y_pred="graph", graph=True, lambda_coord="non_negative",
                         lambda_obj="non_negative", lambda_noobj="non_negative", lambda_class="non_negative"),
    "week3.YoloLoss": E(lambda: dict(anchors=ANCHORS), lambda_coord="non_negative", lambda_obj="non_negative",
                        lambda_noobj="non_negative", lambda_class="non_negative",
                        bad={"anchors": {"wrong_width": A(1, 3), "negative": -ANCHORS}}),
    "week3.DetectionImages": RECORD,
    "week3.make_detection_images": E(lambda: dict(n=2, image_size=16), min_size="probability",
                                     max_size="probability"),
    "week3.make_detection_dataset": E(lambda: dict(n=2, image_size=16, grid_size=2, batch_size=2)),
    "week3.kmeans_anchors": E(lambda: dict(boxes=np.array([[0.0, 0, 1, 1], [0, 0, 2, 2], [0, 0, 3, 1]]), k=2),
                              boxes="array"),
    "week3.tiny_yolo": E(lambda: dict(input_shape=(16, 16, 3), grid_size=2, anchors=ANCHORS, num_classes=2,
                                      filters=(2, 2, 2), head_filters=4), head_filters="size"),
    "week3.detect_objects": E(lambda: dict(model=_model("tiny_yolo"), images=A(1, 16, 16, 3), anchors=ANCHORS,
                                           num_classes=2)),
    "week3.evaluate_detector": E(lambda: dict(model=_model("tiny_yolo"),
                                              data=__import__("course_cnn.week3", fromlist=["x"]).make_detection_images(
                                                  1, image_size=16, num_classes=2),
                                              anchors=ANCHORS, num_classes=2), data="mapping"),
    "week3.average_precision": E(lambda: dict(scores=np.array([0.9, 0.1]), is_true_positive=np.array([True, False]),
                                              n_truth=1), is_true_positive="labels", n_truth="count"),
    "week3.mean_average_precision": E(lambda: dict(pred=[(np.array([[0.0, 0, 1, 1]]), np.array([0.9]), np.array([0]))],
                                                   truth=[(np.array([[0.0, 0, 1, 1]]), np.array([0]))]),
                                      pred="mapping", truth="mapping"),
    "week3.load_face_detector": E(lambda: dict(input_size=416), input_size="size"),
    "week3.detect_faces": E(lambda: dict(image=A(32, 32, 3), model=_model("encoder")), image="array", max_faces="size",
                            input_size="size"),
    "week3.load_rgb_image": E(lambda: dict(image=A(8, 8, 3) * 255), image="array_any",
                              bad={"image": {"out_of_range": np.full((8, 8, 3), 300.0)}}),
})

BASELINES.update({
    # ---- week 4: face
    "week4.triplet_loss": E(lambda: dict(y_true=None, y_pred=[A(2, 4), A(2, 4, seed=1), A(2, 4, seed=2)]),
                            y_true="free", y_pred="cache"),
    "week4.img_to_encoding": E(lambda: dict(image_path=A(8, 8, 3) * 255, model=_model("encoder"), crop_face=False)),
    "week4.verify": E(lambda: dict(image_path=A(8, 8, 3) * 255, identity="ann", database={"ann": A(1, 4)},
                                   model=_model("encoder")), identity="text", database="mapping",
                      threshold="non_negative"),
    "week4.who_is_it": E(lambda: dict(image_path=A(8, 8, 3) * 255, database={"ann": A(1, 4)},
                                      model=_model("encoder")), database="mapping", threshold="non_negative"),
    "week4.load_face_encoder": E(lambda: dict(weights=None), weights="free"),
    "week4.ChannelScale": E(),
    "week4.ChannelZeroPad": E(lambda: dict(extra=1), extra="size0"),
    "week4.read_image": E(lambda: dict(image=_png()), image="file_in"),
    "week4.extract_face": E(lambda: dict(image=_png(), size=8), image="file_in"),
    "week4.FaceDatabase": E(lambda: dict(dim=4), dim="size"),
    "week4.TripletLoss": E(lambda: dict(alpha=0.2), reduction="free"),
    "week4.pairwise_distances": E(lambda: dict(embeddings=A(3, 4)), embeddings="graph", graph=True),  # inside the losses
    "week4.batch_all_triplet_loss": E(lambda: dict(labels=np.array([0, 0, 1]), embeddings=A(3, 4)),
                                      embeddings="graph", graph=True),
    "week4.batch_hard_triplet_loss": E(lambda: dict(labels=np.array([0, 0, 1]), embeddings=A(3, 4)),
                                       embeddings="graph", graph=True),
    "week4.batch_semi_hard_triplet_loss": E(lambda: dict(labels=np.array([0, 0, 1]), embeddings=A(3, 4)),
                                            embeddings="graph", graph=True),
    "week4.triplet_loss_loops": E(lambda: dict(labels=np.array([0, 0, 1]), embeddings=A(3, 4), margin=0.2),
                                  strategy="choice"),
    "week4.TripletSemiHardLoss": E(lambda: dict(margin=1.0), reduction="free"),
    "week4.TripletHardLoss": E(lambda: dict(margin=1.0), reduction="free"),
    "week4.TripletBatchAllLoss": E(lambda: dict(margin=1.0), reduction="free"),
    "week4.siamese_encoder": E(lambda: dict(input_shape=(8, 8, 1), embedding_dim=4, filters=(2,)),
                               embedding_dim="size_or_none", pooling="choice"),
    "week4.identity_batches": E(lambda: dict(images=A(4, 4, 4), labels=np.array([0, 0, 1, 1]),
                                             identities_per_batch=2, images_per_identity=2),
                                images="array_any", identities_per_batch="size", images_per_identity="size"),
    "week4.train_triplet_encoder": E(lambda: dict(encoder=_model("encoder"), images=A(4, 8, 8, 3),
                                                  labels=np.array([0, 0, 1, 1]), identities_per_batch=2,
                                                  images_per_identity=2, steps_per_epoch=1, epochs=1, verbose=0),
                                     encoder="model", images="array_any", loss="choice", identities_per_batch="size",
                                     images_per_identity="size", steps_per_epoch="size", augment="size0",
                                     projection_dim="size"),
    "week4.rotation_identities": E(lambda: dict(images=A(2, 4, 4), labels=np.array([0, 1])), images="array_any"),
    # x: a random shift may crop a NaN pixel out of the frame, which is not NaN turned finite
    "week4.augment_images": E(lambda: dict(x=A(2, 8, 8, 1), seed=(1, 2)), x="keras_tensor", graph=True, seed="free",
                              max_shift="size0", brightness="free"),
    "week4.projection_head": E(lambda: dict(encoder=_model("encoder"), dim=2, hidden=2, bottleneck=2),
                               encoder="model", dim="size", hidden="size", bottleneck="size"),
    "week4.as_float_images": E(lambda: dict(images=A(2, 4, 4)), images="array_any"),
    "week4.pair_features": E(lambda: dict(enc1=A(2, 4), enc2=A(2, 4, seed=1)), kind="choice"),
    "week4.VerificationClassifier": E(lambda: dict(kind="abs", C=1.0), kind="choice", C="positive",
                                      then=lambda clf: clf.fit(A(4, 3), A(4, 3, seed=1), np.array([0, 1, 0, 1]))),
    "week4.choose_threshold": E(lambda: dict(distances=A(4), same=np.array([1, 0, 1, 0]))),
    "week4.verification_auc": E(lambda: dict(distances=A(4), same=np.array([1, 0, 1, 0]))),
    "week4.plot_roc": E(lambda: dict(distances=A(4), same=np.array([1, 0, 1, 0]))),
    "week4.one_shot_scores": E(lambda: dict(embeddings=A(6, 2), labels=np.array([0, 0, 1, 1, 2, 2]), n_trials=1)),
    "week4.fashion_one_shot_experiment": E(lambda: dict(data_path=str(_tmp() / "no_fashion")),
                                           data_path="path_in", train_per_class="size", test_per_class="size",
                                           steps_per_epoch="size", embedding_dim="size", pooling="choice",
                                           augment="size0", projection_dim="size_or_none", identities_per_batch="size",
                                           images_per_identity="size"),
    # ---- week 4: style
    "week4.compute_content_cost": E(lambda: dict(content_output=A(1, 2, 2, 3), generated_output=A(1, 2, 2, 3)),
                                    content_output="array_any", generated_output="array_any"),
    "week4.gram_matrix": E(lambda: dict(A=A(3, 4)), A="array"),
    "week4.compute_layer_style_cost": E(lambda: dict(a_S=A(1, 2, 2, 3), a_G=A(1, 2, 2, 3)), a_S="array", a_G="array"),
    "week4.compute_style_cost": E(lambda: dict(style_image_output=[A(1, 2, 2, 3), A(1, 2, 2, 3)],
                                               generated_image_output=[A(1, 2, 2, 3), A(1, 2, 2, 3)],
                                               STYLE_LAYERS=[("a", 1.0)]),
                                  style_image_output="cache", generated_image_output="cache", STYLE_LAYERS="free"),
    "week4.total_cost": E(lambda: dict(J_content=1.0, J_style=2.0), J_content="real", J_style="real"),
    "week4.total_variation_cost": E(lambda: dict(image=A(1, 4, 4, 3))),
    "week4.vgg19_weights_cache": E(),
    "week4.vgg19_features": E(lambda: dict(layers=["block1_conv1"], weights=None, input_shape=(8, 8, 3)),
                              layers="strings", weights="free"),
    "week4.get_layer_outputs": E(lambda: dict(vgg=_model(), layer_names=["conv"]), vgg="model",
                                 layer_names="strings"),
    "week4.clip_0_1": E(lambda: dict(image=A(1, 4, 4, 3)), image="graph", graph=True),  # the course clips any rank
    "week4.tensor_to_image": E(lambda: dict(tensor=A(1, 4, 4, 3)), tensor="array_any"),  # (n_H, n_W) is gray
    "week4.load_image": E(lambda: dict(image=_png(), max_side=8), image="file_in", max_side="size_or_none"),
    "week4.save_image": E(lambda: dict(image=A(4, 4, 3), path=str(_tmp() / "saved.png")), image="array_any",
                          bad={"image": {"out_of_range": np.full((4, 4, 3), 300.0)}}),
    "week4.make_style_texture": E(lambda: dict(size=8)),
    "week4.vgg_preprocess": E(lambda: dict(image=A(1, 4, 4, 3)), image="graph", graph=True),
    "week4.StyleTransfer": E(lambda: dict(content_image=A(8, 8, 3), style_image=A(8, 8, 3), size=8, weights=None,
                                          style_layers=[("block1_conv1", 1.0)], content_layer="block1_conv1",
                                          verbose=0),
                             content_image="array_any", style_image="array_any", size="size_or_none", weights="free",
                             style_layers="free",
                             content_layer="text", tv_weight="non_negative", noise="non_negative",
                             feature_model="free", snapshot_every="count", snapshot_dir="path_out"),
    "week4.plot_side_by_side": E(lambda: dict(content=A(4, 4, 3), style=A(4, 4, 3), result=A(4, 4, 3)),
                                 content="array_any", style="array_any", result="array_any"),
    "week4.plot_cost_history": E(lambda: dict(history={"cost": [2.0, 1.0], "content": [1.0, 0.5], "style": [1.0, 0.5]}),
                                 history="mapping"),
    "week4.ReceptiveField": RECORD,
    "week4.receptive_field": E(lambda: dict(model=_model(), layer_name="conv"), layer_name="choice"),
    "week4.MaxActivatingPatches": RECORD,
    "week4.max_activating_patches": E(lambda: dict(model=_model(), layer_name="conv", images=A(2, 8, 8, 1), units=1,
                                                   k=1), layer_name="choice", units="count0"),  # capped at n_C
    "week4.plot_max_activating_patches": E(
        lambda: dict(result=__import__("course_cnn.week4", fromlist=["x"]).max_activating_patches(
            _model(), "conv", A(2, 8, 8, 1), 1, k=1)), result="mapping", max_value="positive"),
    "week4.probe_convnet": E(lambda: dict(input_shape=(8, 8, 1), n_classes=2)),
    "week4.conv_forward_nd": E(lambda: dict(A_prev=A(1, 5, 2), W=A(3, 2, 2), b=A(2)), b="array_any"),  # (n_C,) or (1, n_C)
    "week4.make_signals": E(lambda: dict(m=2, length=8), length="size", noise="non_negative"),
    "week4.make_volumes": E(lambda: dict(m=2, size=8), noise="non_negative"),
    "week4.conv1d_model": E(lambda: dict(input_length=8, filters=2, kernel_size=3), input_length="size_or_none",
                            n_channels="size", filters="size", kernel_size="size"),
    "week4.conv3d_model": E(lambda: dict(input_size=6, filters=2, kernel_size=3), input_size="size_or_none",
                            n_channels="size", filters="size", kernel_size="size"),
})

BASELINES.update({
    # ---- ML strategy
    "strategy.sample_errors": E(lambda: dict(y_true=np.array([0, 1, 1, 0]), y_pred=np.array([1, 1, 0, 0]), n=1),
                                y_true="labels", y_pred="labels", n="count"),  # n: at most n errors
    "strategy.export_error_sample": E(lambda: dict(images=A(2, 4, 4), y_true=np.array([0, 1]), y_pred=np.array([1, 0]),
                                                   indices=np.array([0]), out_dir=str(_tmp() / "errors")),
                                      images="array_any", y_true="labels", y_pred="labels", indices="labels",
                                      tags="strings"),
    "strategy.ErrorAnalysis": E(lambda: dict(records=[["dog"], []], overall_error=10.0),
                                records="mapping", overall_error="non_negative", tags="strings", scale="choice"),
    "strategy.TagStat": RECORD,
    "strategy.label_noise_report": E(lambda: dict(dev_error=10.0, mislabeled_fraction_of_errors=0.06),
                                     dev_error="non_negative", mislabeled_fraction_of_errors="probability",
                                     scale="choice", model_gap="non_negative"),
    "strategy.LabelNoiseReport": RECORD,
    "strategy.mismatched_split": E(lambda: dict(target=A(6, 2), other=A(6, 2, seed=1), dev_size=1, test_size=1,
                                                train_dev_size=1),
                                   target="mapping", other="mapping", dev_size="size", test_size="size",
                                   train_dev_size="count0"),
    "strategy.mismatched_split_indices": E(lambda: dict(n_target=6, n_other=6, dev_size=1, test_size=1,
                                                        train_dev_size=1),
                                           n_target="size", n_other="count0", dev_size="size", test_size="size",
                                           train_dev_size="count0"),
    "strategy.MismatchedSplit": RECORD,
    "strategy.diagnose": E(lambda: dict(human=1.0, train=8.0, dev=10.0),
                           human="non_negative", train="non_negative", dev="non_negative", train_dev="non_negative",
                           test="non_negative", scale="choice", dominance="probability", min_gap="non_negative"),
    "strategy.Diagnosis": RECORD,
    "strategy.plot_error_ladder": E(lambda: dict(diagnosis=_diagnosis()), diagnosis="mapping"),
    "strategy.synthesize": E(lambda: dict(images=A(2, 4, 4), overlays=A(1, 4, 4)), images="array_any",
                             overlays="array_any", strength="free", max_reuse="positive"),
    "strategy.make_perturbation_pool": E(lambda: dict(kind="noise", n=1, shape=(4, 4)), kind="choice", shape="shape"),
    "strategy.should_transfer": E(lambda: dict(n_source=1000, n_target=10), n_source="count0", n_target="count0",
                                  min_ratio="non_negative"),
    "strategy.pretrain_then_finetune": E(lambda: dict(model=_model(), source_data=(A(4, 8, 8, 1), np.array([0, 1, 2, 0])),
                                                      target_data=(A(4, 8, 8, 1), np.array([0, 1, 0, 1])),
                                                      n_target_classes=2, pretrain_epochs=1, finetune_epochs=1),
                                         source_data="cache", target_data="cache", n_target_classes="size",
                                         freeze="free", pretrain_epochs="size0", finetune_epochs="size0",
                                         finetune_learning_rate="positive", target_validation="free"),
    "strategy.swap_head": E(lambda: dict(model=_model(), n_classes=2)),
    "strategy.TransferResult": RECORD,
    "strategy.Decision": RECORD,
    "strategy.masked_binary_crossentropy": E(lambda: dict(y_true=np.array([[1.0, -1.0]]), y_pred=A(1, 2)),
                                             y_true="graph_labels", y_pred="graph", graph=True),
    "strategy.MaskedBinaryCrossentropy": E(),
    "strategy.multitask_model": E(lambda: dict(trunk=_model("encoder"), n_tasks=2), trunk="model", n_tasks="size"),
    "strategy.should_multitask": E(lambda: dict(n_per_task=[100, 100]), n_per_task="counts", min_boost="non_negative"),
    # ---- SCDV
    "scdv.SCDV": E(lambda: dict(n_clusters=2, min_count=1, dim=3, epochs=1, stop_words=None),
                   then=lambda est: est.fit(DOCS * 2),
                   n_clusters="size", sparsity_percentage="percentage", word_vectors="free", dim="size",
                   window="size", negative="size0", min_count="size0", sample="non_negative",
                   covariance_type="choice", gmm_max_iter="count", min_proba="probability", stop_words="free",
                   chunk_size="count"),
    "scdv.WordVectors": E(lambda: dict(vocab=["cat", "dog"], matrix=A(2, 3)), matrix="array", stats="mapping"),
    "scdv.train_word2vec": E(lambda: dict(corpus=DOCS, dim=3, min_count=1, epochs=1), dim="size", window="size",
                             negative="size0", min_count="size0", sample="non_negative",
                             min_learning_rate="non_negative"),  # decaying to 0 is the usual schedule
    "scdv.as_word_vectors": E(lambda: dict(vectors={"cat": A(3), "dog": A(3, seed=1)}), vectors="mapping"),
    "scdv.tokenize": E(lambda: dict(text="The cat."), text="text"),
    "scdv.check_documents": E(lambda: dict(documents=DOCS)),
    "scdv.stop_word_set": E(lambda: dict(stop_words="english"), stop_words="str_or_none"),
    "scdv.count_matrix": E(lambda: dict(token_lists=[["the", "cat"], ["dog"]], vocabulary=VOCAB),
                           token_lists="strings", vocabulary="strings",
                           bad={"token_lists": {"list_of_bare_str": ["the cat", "dog"]}}),
    "scdv.word_topic_vectors": E(lambda: dict(word_matrix=A(3, 2), cluster_proba=A(3, 2), idf=A(3)),
                                 word_matrix="array", cluster_proba="array", idf="array"),
    "scdv.document_vectors": E(lambda: dict(counts=np.ones((2, 3)), word_matrix=A(3, 2), cluster_proba=A(3, 2),
                                            idf=A(3)),
                               counts="array", word_matrix="array", cluster_proba="array", idf="array"),
    "scdv.document_vectors_loop": E(lambda: dict(token_lists=[["the", "cat"], ["dog"]], vocabulary=["the", "cat", "dog"],
                                                 word_matrix=A(3, 2), cluster_proba=A(3, 2), idf=A(3)),
                                    token_lists="strings", vocabulary="strings", word_matrix="array",
                                    cluster_proba="array", idf="array"),
    "scdv.sparsity_threshold": E(lambda: dict(normalised_vectors=A(2, 4), sparsity_percentage=4),
                                 normalised_vectors="array", sparsity_percentage="percentage"),
    "scdv.sparsify": E(lambda: dict(vectors=A(2, 4), threshold=0.1), vectors="array", threshold="non_negative"),
    "scdv.plot_word_clusters": E(lambda: dict(scdv=_fitted_scdv()), scdv="model", n_highlight="size",
                                 words_per_label="count", max_words="count"),
    "scdv.plot_sparsity_pattern": E(lambda: dict(vector=A(6), n_clusters=2), vector="array_any", n_clusters="size"),
})


BASELINES.update({
    # ---- modules added while this table was written (their owners fill in the checks)
    "grading.same_outcome": E(lambda: dict(simulate=lambda data: None), simulate="callable", part="count0",
                              rtol="non_negative", atol="non_negative"),
    "week1.classify_expression": E(lambda: dict(image=A(32, 32, 3) * 255), box="array_any"),
    "week1.is_happy": E(lambda: dict(image=A(32, 32, 3) * 255), box="array_any"),
    "week1.load_expression_classifier": E(),
    "week2.Scaling": RECORD,
    "week2.depthwise_conv_forward": E(lambda: dict(A_prev=A(1, 4, 4, 2), W=A(3, 3, 2), b=A(1, 1, 1, 2),
                                                   hparameters=HP_CONV)),
    "week2.depthwise_conv_backward": E(lambda: dict(dZ=A(1, 4, 4, 2), cache=__import__("course_cnn.week2", fromlist=["x"])
                                                    .depthwise_conv_forward(A(1, 4, 4, 2), A(3, 3, 2), A(1, 1, 1, 2),
                                                                            HP_CONV)[1])),
    "week2.depthwise_conv_backward_loops": E(lambda: dict(dZ=A(1, 4, 4, 2), cache=__import__(
        "course_cnn.week2", fromlist=["x"]).depthwise_conv_forward(A(1, 4, 4, 2), A(3, 3, 2), A(1, 1, 1, 2), HP_CONV)[1])),
    "week2.depthwise_conv_forward_loops": E(lambda: dict(A_prev=A(1, 4, 4, 2), W=A(3, 3, 2), b=A(1, 1, 1, 2),
                                                         hparameters=HP_CONV)),
    "week2.depthwise_separable_conv_forward": E(
        lambda: dict(A_prev=A(1, 4, 4, 2), W_depthwise=A(3, 3, 2), b_depthwise=A(1, 1, 1, 2), W_pointwise=A(1, 1, 2, 3),
                     b_pointwise=A(1, 1, 1, 3), hparameters=HP_CONV),
        W_depthwise="array", b_depthwise="array", W_pointwise="array", b_pointwise="array"),
    "week2.depthwise_separable_conv_forward_loops": E(
        lambda: dict(A_prev=A(1, 4, 4, 2), W_depthwise=A(3, 3, 2), b_depthwise=A(1, 1, 1, 2), W_pointwise=A(1, 1, 2, 3),
                     b_pointwise=A(1, 1, 1, 3), hparameters=HP_CONV),
        W_depthwise="array", b_depthwise="array", W_pointwise="array", b_pointwise="array"),
    "week2.depthwise_separable_multiplications": E(lambda: dict(n_out=4, f=3, n_C_prev=3, n_C=5), n_out="free",
                                                   f="count", n_C_prev="count", n_C="count"),
    "week2.efficientnet_scaling": E(lambda: dict(phi=1), phi="real"),
    "week2.efficientnet_table": E(lambda: dict(variants=(0,)), variants="free"),
    "week2.mobilenet_v1_block": E(lambda: dict(x=_keras_input(), filters=2), x="keras_tensor", filters="size"),
    "week2.mobilenet_v2_block": E(lambda: dict(x=_keras_input(), expansion=2, filters=2), x="keras_tensor",
                                  expansion="size", filters="size"),
    "week2.separable_multiplications_table": E(lambda: dict(model=_model())),
    "week2.small_mobilenet": E(lambda: dict(input_shape=(8, 8, 1), classes=2), version="choice"),
    "week3.SegmentationScenes": RECORD,
    "week3.anchor_grid": E(lambda: dict(feature_size=(2, 2), stride=4, anchor_sizes=(4,)), feature_size="shape",
                           anchor_sizes="sizes"),
    "week3.confusion_counts": E(lambda: dict(y_true=np.zeros((1, 2, 2), int), y_pred=np.zeros((1, 2, 2), int),
                                             n_classes=2), y_true="labels", y_pred="labels"),
    "week3.conv_block": E(lambda: dict(inputs=_keras_input(), n_filters=2), inputs="keras_tensor", n_filters="size",
                          dropout_prob="probability", max_pooling="free"),
    "week3.conv_transpose_forward": E(lambda: dict(A_prev=A(1, 2, 2, 2), W=A(3, 3, 2, 2), b=A(1, 1, 1, 2),
                                                   hparameters=HP_CONV)),
    "week3.conv_transpose_forward_loops": E(lambda: dict(A_prev=A(1, 2, 2, 2), W=A(3, 3, 2, 2), b=A(1, 1, 1, 2),
                                                         hparameters=HP_CONV)),
    "week3.conv_transpose_output_size": E(lambda: dict(n_prev=2, f=3, stride=2, pad=0), n_prev="count", f="count",
                                          stride="count", pad="count0"),
    "week3.create_mask": E(lambda: dict(pred_mask=A(1, 2, 2, 3)), pred_mask="array_any"),
    "week3.decode_ssd_boxes": E(lambda: dict(box_encodings=A(2, 4), anchors=A(2, 4)), box_encodings="array_any"),
    "week3.detect_faces_ssd": E(lambda: dict(image=A(32, 32, 3) * 255), image="array_any", max_faces="size"),
    "week3.detect_landmarks": E(lambda: dict(image=A(32, 32, 3) * 255), box="array_any"),
    "week3.dice_coefficient": E(lambda: dict(y_true=np.zeros((1, 2, 2), int), y_pred=np.zeros((1, 2, 2), int),
                                             n_classes=2), y_true="labels", y_pred="labels"),
    "week3.display": E(lambda: dict(display_list=[A(4, 4, 3)]), display_list="mapping"),
    "week3.load_landmark_detector": E(lambda: dict(variant="full"), variant="choice"),
    "week3.load_segmentation_folder": E(lambda: dict(image_dir=_image_folder(), mask_dir=_image_folder(), size=(8, 8)),
                                        image_dir="path_in", mask_dir="path_in", size="shape"),
    "week3.load_ssd_face_detector": E(),
    "week3.make_segmentation_arrays": E(lambda: dict(n=1, size=(32, 32)), size="shape", source="choice",
                                        split="choice", min_scale="probability", max_scale="probability"),
    "week3.make_segmentation_scenes": E(lambda: dict(n=1, size=(32, 32)), size="shape", source="choice",
                                        split="choice", min_scale="probability", max_scale="probability"),
    "week3.mean_iou": E(lambda: dict(y_true=np.zeros((1, 2, 2), int), y_pred=np.zeros((1, 2, 2), int), n_classes=2),
                        y_true="labels", y_pred="labels"),
    "week3.per_class_iou": E(lambda: dict(y_true=np.zeros((1, 2, 2), int), y_pred=np.zeros((1, 2, 2), int),
                                          n_classes=2), y_true="labels", y_pred="labels"),
    "week3.pixel_accuracy": E(lambda: dict(y_true=np.zeros((1, 2, 2), int), y_pred=np.zeros((1, 2, 2), int)),
                              y_true="labels", y_pred="labels"),
    "week3.plot_face_landmarks": E(lambda: dict(image=A(8, 8, 3), landmarks=A(68, 2) * 8), image="array_any",
                                   landmarks="array", box="array_any"),
    "week3.proposal_targets": E(lambda: dict(anchors=np.array([[0.0, 0, 2, 2]]), gt_boxes=np.array([[0.0, 0, 2, 2]])),
                                anchors="array", gt_boxes="array", positive_iou="probability",
                                negative_iou="probability"),
    "week3.roi_pool": E(lambda: dict(feature_map=A(4, 4, 2), boxes=np.array([[0, 0, 3, 3]]), output_size=(2, 2)),
                        feature_map="array", boxes="array", output_size="shape"),
    "week3.roi_pool_loops": E(lambda: dict(feature_map=A(4, 4, 2), boxes=np.array([[0, 0, 3, 3]]), output_size=(2, 2)),
                              feature_map="array", boxes="array", output_size="shape"),
    "week3.ssd_anchors": E(),
    "week3.unet_model": E(lambda: dict(input_size=(16, 16, 3), n_filters=2, n_classes=2), input_size="shape",
                          n_filters="size"),
    "week3.upsampling_block": E(lambda: dict(expansive_input=_keras_input((4, 4, 4)), contractive_input=_keras_input(),
                                             n_filters=2),
                                expansive_input="keras_tensor", contractive_input="keras_tensor", n_filters="size"),
})

# ----------------------------------------------------------------------------
# Probes the package does not pass yet. Each line is "name parameter probe".
# They are marked xfail without running (a hang would cost seconds each); run
# them with COURSE_CNN_PROBE_GAPS=1 to see which pass now and can be removed.
# Never add a blanket skip: list the exact probe.


def _triples(text):
    return {tuple(line.split()) for line in text.strip().splitlines() if line.strip()}


# In files owned by others while issue #23 was worked on (the lead's course-
# fidelity files, grading, the CLI, assets, and modules added meanwhile).
# The lead empties this set as those files are fixed.
KNOWN_GAPS = _triples("""
""")

# In the rest of the package: found by this test, not fixed yet for lack of time.
NOT_YET_FIXED = _triples("""
    week3.detect_faces image rank_down
    week3.make_detection_dataset anchors rank_down
    week3.plot_landmarks pred_landmarks rank_down
""")  # the last two are malformed probes (their baseline value is None, which has no rank to lower)


def _parameters(obj):
    return [p for p in inspect.signature(obj).parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _kind(key, name):
    return BASELINES[key].kinds.get(name, KIND_BY_NAME.get(name))


def _probe_ids():
    out = []
    for key, obj in CALLABLES.items():
        entry = BASELINES.get(key)
        if entry is None or entry is RECORD:
            continue
        for param in _parameters(obj):
            kind = _kind(key, param.name)
            for label in BATTERIES.get(kind, ()):
                if label == "none" and param.default is None:
                    continue  # None is this parameter's documented default
                out.append((key, param.name, label))
        for name, extras in entry.bad.items():
            out.extend((key, name, label) for label in extras)
    return out


PROBES = _probe_ids()


@lru_cache(maxsize=None)
def _baseline(key):
    return BASELINES[key].make()


def _base_value(key, name):
    kwargs = _baseline(key)
    if name in kwargs:
        return kwargs[name]
    return inspect.signature(CALLABLES[key]).parameters[name].default


def _with_first(seq, value):
    seq = list(seq) if isinstance(seq, (tuple, list)) else [2, 2, 2]
    return type(seq)([value] + seq[1:])


def _bad_value(key, name, label):
    extra = BASELINES[key].bad.get(name, {})
    if label in extra:
        return extra[label]
    base = _base_value(key, name)
    arr = np.asarray(base) if label in ("object", "complex", "rank_up", "rank_down", "nan", "inf",
                                        "nan_propagates") else None
    values = {
        "none": lambda: None,
        "str": lambda: "abc",
        "int": lambda: 123,
        "object": lambda: np.full(arr.shape or (2,), object(), dtype=object),
        "complex": lambda: arr.astype(complex) + 1j,
        "ragged": lambda: [[1.0, 2.0], [3.0]],
        "rank_up": lambda: arr[None],
        "rank_down": lambda: arr[0],
        "float": lambda: 2.5,
        "negative": lambda: -1,
        "zero": lambda: 0,
        "huge": lambda: HUGE,
        "above": lambda: 1.5,
        "above_100": lambda: 150.0,
        "below": lambda: -0.1,
        "bare_str": lambda: "cat",
        "non_str_items": lambda: [1, 2],
        "missing": lambda: str(_tmp() / "missing" / "nothing.png"),
        "corrupt": _text_file,
        "array": lambda: np.zeros(3),
        "not_dict": lambda: list(base.items()),
        "missing_key": lambda: dict(list(base.items())[1:]),
        "wrong_type": lambda: {k: ("2" if i == 0 else v) for i, (k, v) in enumerate(base.items())},
        "short_tuple": lambda: tuple(base)[:-1],
        "unknown": lambda: "no-such-choice",
        "negative_item": lambda: _with_first(base, -1),
        "float_item": lambda: _with_first(base, 2.5),
        "huge_item": lambda: _with_first(base, HUGE),
    }
    if label in ("nan", "inf", "nan_propagates"):
        bad = arr.astype(np.float64 if arr.dtype.kind != "f" else arr.dtype).copy()
        bad.flat[0 if label != "inf" else -1] = np.inf if label == "inf" else np.nan
        return bad
    return values[label]()


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang(f"no answer within {HANG_LIMIT} s")


def _run_probe(key, name, label):
    """Call `key` with parameter `name` replaced by bad value `label`; returns (result, error, seconds, peak)."""
    kwargs = dict(_baseline(key))
    kwargs[name] = _bad_value(key, name, label)
    entry = BASELINES[key]
    huge = label.startswith("huge")
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_LIMIT)
    if huge:
        tracemalloc.start()
    start = time.perf_counter()
    result = error = None
    try:
        result = CALLABLES[key](**kwargs)
        if entry.then is not None:
            result = entry.then(result)
    except (Exception, SystemExit) as exc:  # judged below
        error = exc
    finally:
        seconds = time.perf_counter() - start
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        peak = tracemalloc.get_traced_memory()[1] if huge else 0
        if huge:
            tracemalloc.stop()
    return result, error, seconds, peak


def _names_parameter(message, name, received="got"):
    return re.search(rf"`{re.escape(name)}(`|\[| )", message) is not None and received in message


def _is_finite(result):
    values = result if isinstance(result, (tuple, list)) else [result]
    return all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in values)


def _verdict(key, name, label):
    """None when the probe passes, else what went wrong."""
    result, error, seconds, peak = _run_probe(key, name, label)
    if seconds > TIME_LIMIT and not isinstance(error, _Hang):
        result, error, seconds, peak = _run_probe(key, name, label)  # once warm: imports and tracing are paid
    if error is None:
        if label == "nan_propagates" and not _is_finite(result):
            return None
        return "accepted the bad value" + (" and turned NaN into a finite result" if "nan" in label else "")
    # a str may be read as a path: "no such file" naming the parameter is a clear refusal too
    path_like = label in ("missing", "str", "bare_str")
    expected = (ValueError, TypeError, FileNotFoundError) if path_like else (ValueError, TypeError)
    if isinstance(error, _Hang):
        return f"hung ({error})"
    received = str(_bad_value(key, name, label)) if label == "missing" else "got"  # the path, in any wording
    if not isinstance(error, expected) or not _names_parameter(str(error), name, received):
        return f"poor error {type(error).__name__}: {str(error)[:300]}"
    if seconds > TIME_LIMIT:
        return f"refused after {seconds:.2f} s (limit {TIME_LIMIT} s)"
    if peak > PEAK_LIMIT:
        return f"allocated {peak / 2**20:.0f} MiB before refusing"
    return None



def test_every_public_name_has_a_baseline():
    missing = sorted(set(CALLABLES) - set(BASELINES))
    stale = sorted(set(BASELINES) - set(CALLABLES))
    assert not missing, f"public names with no entry in BASELINES: {missing}"
    assert not stale, f"BASELINES entries that are no longer public: {stale}"


def test_every_parameter_has_a_kind():
    unknown = [
        f"{key}({param.name})"
        for key, obj in CALLABLES.items()
        if BASELINES.get(key, RECORD) is not RECORD
        for param in _parameters(obj)
        if _kind(key, param.name) not in BATTERIES
    ]
    assert not unknown, f"parameters with no kind (add one to the entry or KIND_BY_NAME): {unknown}"


def test_known_gaps_are_probes():
    gaps = KNOWN_GAPS | NOT_YET_FIXED
    assert gaps <= set(PROBES), sorted(gaps - set(PROBES))


@pytest.mark.parametrize("key, name, label", PROBES, ids=[f"{k}-{n}-{lab}" for k, n, lab in PROBES])
def test_bad_input_is_refused_clearly(key, name, label):
    if (key, name, label) in KNOWN_GAPS | NOT_YET_FIXED:
        if not os.environ.get("COURSE_CNN_PROBE_GAPS"):
            pytest.xfail("known gap (run with COURSE_CNN_PROBE_GAPS=1 to probe it)")
        problem = _verdict(key, name, label)
        if problem is None:
            pytest.fail("passes now: remove it from the gap sets")
        pytest.xfail(problem)
    problem = _verdict(key, name, label)
    assert problem is None, f"{key}({name}=<{label}>): {problem}"
