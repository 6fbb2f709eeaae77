"""VGG-19 features, image helpers and the StyleTransfer loop (random weights only: no download)."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from course_cnn.week4.style import (
    STYLE_LAYERS,
    VGG19_WEIGHTS_FILE,
    StyleTransfer,
    clip_0_1,
    compute_content_cost,
    compute_style_cost,
    get_layer_outputs,
    load_image,
    make_style_texture,
    save_image,
    tensor_to_image,
    vgg19_features,
    vgg19_weights_cache,
    vgg_preprocess,
)

LAYERS = STYLE_LAYERS + [("block5_conv4", 1)]


@pytest.fixture(scope="module")
def features():
    return vgg19_features(LAYERS, weights=None)


# ------------------------------------------------------------------ VGG-19
def test_vgg19_features_shapes_and_seed(features):
    out = features(np.zeros((1, 32, 48, 3), np.float32))
    # block k is behind k-1 poolings: 32x48 -> 16x24 -> 8x12 -> 4x6 -> 2x3
    assert [tuple(o.shape) for o in out] == [
        (1, 32, 48, 64), (1, 16, 24, 128), (1, 8, 12, 256), (1, 4, 6, 512), (1, 2, 3, 512), (1, 2, 3, 512)
    ]
    assert not features.trainable
    again = vgg19_features(["block1_conv1"], weights=None, seed=0)
    np.testing.assert_array_equal(again.get_layer("block1_conv1").get_weights()[0],
                                  features.get_layer("block1_conv1").get_weights()[0])
    other = vgg19_features(["block1_conv1"], weights=None, seed=1)
    assert not np.allclose(other.get_layer("block1_conv1").get_weights()[0],
                           features.get_layer("block1_conv1").get_weights()[0])


def test_imagenet_without_cache_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert vgg19_weights_cache() == tmp_path / "models" / VGG19_WEIGHTS_FILE
    with pytest.raises(FileNotFoundError, match=r"provide the file vgg19_weights_tf_dim_ordering_tf_kernels_notop\.h5"):
        vgg19_features(["block1_conv1"], weights="imagenet", download=False)


def test_imagenet_offline_download_failure_is_explained(tmp_path, monkeypatch):
    # The download itself is replaced: the test never touches the network.
    def offline(*args, **kwargs):
        raise OSError("Name or service not known")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(FileNotFoundError, match=r"provide the file .*notop\.h5.*; downloading it failed \(OSError: Name or service not known\)\."):
        vgg19_features(["block1_conv1"], weights="imagenet")


def test_weights_from_local_h5(tmp_path):
    vgg = keras.applications.VGG19(include_top=False, weights=None)
    path = tmp_path / "my_vgg19.weights.h5"
    vgg.save_weights(path)
    model = vgg19_features(["block1_conv1"], weights=path)
    np.testing.assert_array_equal(model.get_layer("block1_conv1").get_weights()[0],
                                  vgg.get_layer("block1_conv1").get_weights()[0])


def test_vgg19_features_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"`weights`: no file at .*missing\.h5"):
        vgg19_features(["block1_conv1"], weights=tmp_path / "missing.h5")
    with pytest.raises(ValueError, match=r"`weights` must be 'imagenet', a path to an .h5 file, or None; got 3\."):
        vgg19_features(["block1_conv1"], weights=3)
    with pytest.raises(ValueError, match=r"`layers` must be a non-empty list of layer names"):
        vgg19_features("block1_conv1", weights=None)
    with pytest.raises(ValueError, match=r"`layer_names` must name layers of the model \(.*block1_conv1.*\); got 'conv9'\."):
        vgg19_features(["conv9"], weights=None)


def test_get_layer_outputs_accepts_pairs_and_names():
    inputs = keras.Input((8, 8, 3), name="image")
    x = keras.layers.Conv2D(4, 3, name="conv_a")(inputs)
    net = keras.Model(inputs, keras.layers.Conv2D(2, 3, name="conv_b")(x))
    model = get_layer_outputs(net, [("conv_b", 1)])
    image = np.random.default_rng(0).normal(size=(1, 8, 8, 3)).astype(np.float32)
    np.testing.assert_allclose(model(image).numpy(), net(image).numpy(), rtol=1e-6)
    assert len(get_layer_outputs(net, ["conv_a", "conv_b"]).outputs) == 2


def test_vgg_preprocess_matches_keras():
    rng = np.random.default_rng(0)
    image = rng.uniform(size=(2, 4, 5, 3)).astype(np.float32)
    expected = keras.applications.vgg19.preprocess_input(image * 255.0)
    np.testing.assert_allclose(vgg_preprocess(image).numpy(), expected, rtol=1e-5, atol=1e-4)


# ------------------------------------------------------------------ images
def test_clip_and_tensor_to_image():
    np.testing.assert_array_equal(clip_0_1(tf.constant([[-1.0, 0.5, 2.0]])).numpy(), [[0.0, 0.5, 1.0]])
    image = tensor_to_image(np.array([[[[0.0, 0.5, 1.0]]]]))  # 1x1 RGB
    assert image.mode == "RGB" and image.getpixel((0, 0)) == (0, 128, 255)  # 0.5 * 255 = 127.5 -> 128
    with pytest.raises(ValueError, match=r"`tensor` must hold one image, shape \(1, n_H, n_W, n_C\); got shape \(2, 1, 1, 3\)\."):
        tensor_to_image(np.zeros((2, 1, 1, 3)))


@pytest.mark.parametrize("shape, max_side, expected", [
    ((30, 60, 3), 20, (1, 10, 20, 3)),     # landscape: width 60 -> 20, height 30 -> 10
    ((90, 30), 45, (1, 45, 15, 3)),        # portrait grayscale, repeated to RGB
    ((10, 10, 4), None, (1, 10, 10, 3)),   # RGBA, alpha dropped, size kept
    ((10, 10, 1), 10, (1, 10, 10, 3)),
])
def test_load_image_shapes(shape, max_side, expected):
    pixels = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    image = load_image(pixels, max_side)
    assert image.shape == expected and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0


def test_load_image_gray_equals_channels_and_errors(tmp_path):
    gray = np.random.default_rng(0).integers(0, 256, size=(8, 8), dtype=np.uint8)
    image = load_image(gray, None)[0]
    np.testing.assert_array_equal(image[..., 0], gray / np.float32(255))
    np.testing.assert_array_equal(image[..., 0], image[..., 2])
    with pytest.raises(FileNotFoundError, match=r"`image` must be the path of an image file; got .*nope.png.* \(no such file\)"):
        load_image(tmp_path / "nope.png")
    with pytest.raises(ValueError, match=r"`image` must hold float pixels in \[0, 1\] \(or be uint8\); got values from 0 to 2\."):
        load_image(np.array([[0.0, 2.0]]))
    with pytest.raises(ValueError, match=r"`max_side` must be an int in \[1, 16384\]; got 0\."):
        load_image(gray, 0)


def test_save_load_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(12, 20, 3)).astype(np.float32) / 255.0  # exactly representable in 8 bits
    path = save_image(pixels[None], tmp_path / "sub" / "result.png")
    back = load_image(path, None)[0]
    np.testing.assert_allclose(back, pixels, atol=1e-6)
    with Image.open(path) as img:
        assert img.size == (20, 12)


def test_style_texture_is_deterministic_and_colourful():
    a, b = make_style_texture(64, seed=3), make_style_texture(64, seed=3)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, make_style_texture(64, seed=4))
    assert a.std(axis=(0, 1)).min() > 20  # every channel varies


# ------------------------------------------------------------------ StyleTransfer
# The tests of a few steps run StyleTransfer's tf.function step eagerly (tracing it through VGG-19 costs more
# than the steps); test_style_transfer_costs_match_course_functions runs it as a graph, as users do.
def test_style_transfer_cost_decreases(features, eager_tf_functions):
    rng = np.random.default_rng(0)
    content = rng.uniform(size=(40, 56, 3))
    transfer = StyleTransfer(content, make_style_texture(48), size=48, weights=None, feature_model=features, verbose=0)
    assert transfer.generated.shape == (1, 34, 48, 3)  # 40x56 -> longer side 48: 34x48
    transfer.run(6)
    costs = transfer.history["cost"]
    assert len(costs) == 6 and costs[-1] < costs[0]
    assert np.all(np.diff(costs[:4]) < 0)  # monotone over the first steps
    image = transfer.image()
    assert image.min() >= 0.0 and image.max() <= 1.0


def test_style_transfer_costs_match_course_functions(features):
    # The engine's cached-target costs equal the course functions on fresh forwards.
    rng = np.random.default_rng(1)
    transfer = StyleTransfer(rng.uniform(size=(32, 32, 3)), rng.uniform(size=(32, 32, 3)), size=32,
                             weights=None, feature_model=features, tv_weight=0.5, verbose=0)
    start = tf.identity(transfer.generated)
    costs = transfer.step()
    a_C, a_S, a_G = features(transfer.content), features(transfer.style), features(start)
    J_content = float(compute_content_cost(a_C, a_G))
    J_style = float(compute_style_cost(a_S, a_G))
    np.testing.assert_allclose(costs["content"], J_content, rtol=1e-4)
    np.testing.assert_allclose(costs["style"], J_style, rtol=1e-3)
    np.testing.assert_allclose(costs["cost"], 10 * J_content + 40 * J_style + 0.5 * costs["tv"], rtol=1e-3)


def test_style_transfer_init_snapshots_callback(features, eager_tf_functions, tmp_path):
    content = np.full((16, 16, 3), 0.5)
    transfer = StyleTransfer(content, np.zeros((16, 16)), size=16, weights=None, feature_model=features,
                             noise=0.1, snapshot_every=2, snapshot_dir=tmp_path, verbose=0)
    start = transfer.image()
    assert np.abs(start - 0.5).max() <= 0.1 + 1e-6 and np.abs(start - 0.5).max() > 0.05  # content + U(-0.1, 0.1)
    seen = []
    transfer.run(5, callback=lambda step, image, costs: seen.append(step) or step == 4)
    assert seen == [1, 2, 3, 4] and transfer.steps_done == 4
    assert [step for step, _ in transfer.snapshots] == [2, 4]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["step_00002.png", "step_00004.png"]


def test_style_transfer_errors(features):
    image = np.zeros((16, 16, 3))
    with pytest.raises(ValueError, match=r"`content_image` must be at least 16 pixels on each side after resizing"):
        StyleTransfer(np.zeros((8, 8, 3)), image, size=None, weights=None, verbose=0)
    with pytest.raises(ValueError, match=r"`learning_rate` must be a real number > 0; got 0\.0\."):
        StyleTransfer(image, image, size=16, weights=None, feature_model=features, learning_rate=0.0)
    with pytest.raises(ValueError, match=r"`feature_model` must have 6 outputs \(style layers, then content\); got 1 outputs\."):
        StyleTransfer(image, image, size=16, feature_model=vgg19_features(["block1_conv1"], weights=None))
    transfer = StyleTransfer(image, image, size=16, weights=None, feature_model=features, verbose=0)
    with pytest.raises(ValueError, match=r"`iterations` must be a positive int; got 0\."):
        transfer.run(0)


def test_style_transfer_with_vgg_preprocessing(features, eager_tf_functions):
    # preprocess=True feeds Caffe-style inputs: the targets are the features of the preprocessed images.
    rng = np.random.default_rng(2)
    content = rng.uniform(size=(32, 32, 3)).astype(np.float32)
    transfer = StyleTransfer(content, rng.uniform(size=(32, 32, 3)), size=None, weights=None,
                             feature_model=features, preprocess=True, verbose=0)
    np.testing.assert_allclose(transfer.a_C.numpy(), features(vgg_preprocess(content[None]))[-1].numpy(), rtol=1e-5)
    transfer.run(4)
    assert transfer.history["cost"][-1] < transfer.history["cost"][0]


def test_out_of_range_images_are_refused_not_clipped(tmp_path):
    from course_cnn.week4.style import save_image, tensor_to_image

    with pytest.raises(ValueError, match=r"`image` must hold pixel values in \[0, 1\]; got values in \[0, 300\]\."):
        save_image(np.array([[[0.0, 300.0, 0.5]]]), tmp_path / "x.png")
    with pytest.raises(ValueError, match=r"`tensor` must hold pixel values in \[0, 1\]; got values in \[-0.5, 0.5\]\."):
        tensor_to_image(np.array([[[-0.5, 0.5, 0.5]]]))
    assert np.asarray(tensor_to_image(np.full((1, 1, 3), 1.0 + 1e-7))).max() == 255  # rounding error is fine


def test_style_transfer_names_its_own_parameters():
    from course_cnn.week4.style import StyleTransfer

    image = np.zeros((8, 8, 3))
    with pytest.raises(ValueError, match=r"`size` must be an int in \[1, 16384\]; got 0\."):
        StyleTransfer(image, image, size=0, weights=None, verbose=0)  # used to say `max_side`
    with pytest.raises(ValueError, match=r"`content_image` must contain only finite values"):
        StyleTransfer(np.full((8, 8, 3), np.nan), image, size=8, weights=None, verbose=0)
