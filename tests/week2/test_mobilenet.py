"""MobileNet v1/v2 blocks against keras.applications, the small MobileNet, and its Fashion-MNIST training."""

import keras
import numpy as np
import pytest

from course_cnn.week2 import mobilenet_v1_block, mobilenet_v2_block, small_mobilenet
from tests.week2._harness import assert_named, assert_round_trip


def bn_params(n):
    return 4 * n  # gamma, beta, moving mean, moving variance


@pytest.fixture(scope="module")
def keras_mobilenet_v2():
    return keras.applications.MobileNetV2(weights=None)  # 224x224x3, alpha 1.0: about 5 s to build


def _block_params(model, prefix):
    return sum(layer.count_params() for layer in model.layers if layer.name.startswith(prefix))


def test_v1_block_shapes_and_params():
    x = keras.Input((112, 112, 64))
    block = keras.Model(x, mobilenet_v1_block(x, 128, stride=2, name="b"))
    assert block.output_shape == (None, 56, 56, 128)
    # depthwise 3*3*64 + BN 4*64, pointwise 64*128 (no bias: BN's beta) + BN 4*128
    assert block.count_params() == 9 * 64 + bn_params(64) + 64 * 128 + bn_params(128) == 9_536
    assert [layer.name for layer in block.layers[1:]] == ["b_dw", "b_dw_bn", "b_dw_relu", "b_pw", "b_pw_bn", "b_pw_relu"]


def test_v1_block_params_equal_keras_mobilenet():
    reference = keras.applications.MobileNet(weights=None, input_shape=(224, 224, 3))
    # Keras' second block: conv_dw_2 (stride 2) + conv_pw_2, 112x112x64 -> 56x56x128
    keras_params = _block_params(reference, "conv_dw_2") + _block_params(reference, "conv_pw_2")
    x = keras.Input(reference.get_layer("conv_pw_1_relu").output.shape[1:])
    ours = keras.Model(x, mobilenet_v1_block(x, 128, stride=2, name="b"))
    assert ours.output_shape[1:] == reference.get_layer("conv_pw_2_relu").output.shape[1:] == (56, 56, 128)
    assert ours.count_params() == keras_params == 9_536


@pytest.mark.parametrize("block, stride, n_in, n_out", [("block_1", 2, 16, 24), ("block_2", 1, 24, 24)])
def test_v2_block_equals_keras_mobilenetv2(keras_mobilenet_v2, block, stride, n_in, n_out):
    reference = keras_mobilenet_v2
    last = f"{block}_add" if stride == 1 else f"{block}_project_BN"
    previous = {"block_1": "expanded_conv_project_BN", "block_2": "block_1_project_BN"}[block]
    x = keras.Input(reference.get_layer(previous).output.shape[1:])
    ours = keras.Model(x, mobilenet_v2_block(x, 6, n_out, stride, name=block))
    assert ours.output_shape[1:] == reference.get_layer(last).output.shape[1:]
    # expand n_in -> 6 n_in (1x1, no bias) + BN, depthwise 9 * 6 n_in + BN, project 6 n_in -> n_out + BN
    t_n = 6 * n_in
    expected = n_in * t_n + bn_params(t_n) + 9 * t_n + bn_params(t_n) + t_n * n_out + bn_params(n_out)
    assert ours.count_params() == _block_params(reference, f"{block}_") == expected  # 5,568 and 9,456
    # same layer names as Keras: copy Keras' weights (made random) and get Keras' numbers
    rng = np.random.default_rng(0)
    for layer in ours.layers[1:]:
        weights = [rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in reference.get_layer(layer.name).get_weights()]
        reference.get_layer(layer.name).set_weights(weights)
        layer.set_weights(weights)
    keras_block = keras.Model(reference.get_layer(previous).output, reference.get_layer(last).output)
    a = rng.standard_normal((2, *x.shape[1:])).astype("float32")
    np.testing.assert_allclose(ours(a, training=False), keras_block(a, training=False), rtol=1e-4, atol=1e-4)


def test_v2_block_residual_only_when_shapes_match():
    x = keras.Input((8, 8, 16))
    names = lambda y: [layer.name for layer in keras.Model(x, y).layers]  # noqa: E731
    assert "r_add" in names(mobilenet_v2_block(x, 6, 16, 1, name="r"))
    assert "s_add" not in names(mobilenet_v2_block(x, 6, 16, 2, name="s"))  # stride 2: shapes differ
    assert "c_add" not in names(mobilenet_v2_block(x, 6, 24, 1, name="c"))  # channels differ
    no_expand = names(mobilenet_v2_block(x, 1, 8, 1, name="e"))
    assert "e_expand" not in no_expand and no_expand[1] == "e_depthwise"  # expansion 1: MobileNetV2's block_0


def test_v2_projection_is_linear():
    # the projection's output goes through BN only: it keeps negative values (a ReLU would zero them)
    x = keras.Input((6, 6, 4))
    model = keras.Model(x, mobilenet_v2_block(x, 6, 8, 2, name="p"))
    out = model(np.random.default_rng(0).standard_normal((4, 6, 6, 4)).astype("float32"), training=False)
    assert np.min(out) < 0
    assert model.layers[-1].name == "p_project_BN"


@pytest.mark.parametrize("version, params", [(1, 38_346), (2, 74_026)])
def test_small_mobilenet(version, params):
    model = small_mobilenet(version=version)
    assert model.output_shape == (None, 10)
    assert model.count_params() == params
    assert model.get_layer("avg_pool").input.shape[1:3] == (7, 7)  # 28 -> 14 -> 7: two stride-2 blocks
    assert_named(lambda: small_mobilenet(version=version))


def test_small_mobilenet_round_trip_and_one_step(tmp_path, eager_tf_functions):
    # eagerly: one step on 16x16 proves the wiring (tracing the train step costs 6-7 s); the slow test trains in graph mode
    rng = np.random.default_rng(0)
    model = small_mobilenet((16, 16, 3), classes=3)
    x = rng.random((4, 16, 16, 3), dtype=np.float32)
    model.compile("adam", "sparse_categorical_crossentropy")
    loss = model.train_on_batch(x, np.array([0, 1, 2, 0]))
    assert np.isfinite(loss)
    assert_round_trip(model, x, tmp_path)


@pytest.mark.slow
def test_small_mobilenet_learns_fashion_mnist():
    from course_cnn.datasets import load_fashion_mnist, make_dataset

    try:
        (x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")
    keras.utils.set_random_seed(0)
    x_train, x_test = (x[..., None].astype("float32") / 255.0 for x in (x_train[:6000], x_test[:1000]))
    model = small_mobilenet(version=2)
    model.compile(keras.optimizers.Adam(2e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(make_dataset(x_train, y_train[:6000], batch_size=64, seed=0), epochs=3, verbose=0)  # 282 steps
    # inference mode: batch norm's moving statistics must have settled (momentum 0.99: 0.99^282 = 6% left)
    _, accuracy = model.evaluate(x_test, y_test[:1000], verbose=0)
    assert accuracy > 0.6  # chance is 0.1


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: mobilenet_v1_block(keras.Input((8, 8, 4)), 0), ValueError, r"^`filters` must be an int in \[1, 65536\]; got 0\.$"),
        (lambda: mobilenet_v1_block(keras.Input((8, 8, 4)), 8, stride=3), ValueError, r"^`stride` must be an int in \[1, 2\]; got 3\.$"),
        (lambda: mobilenet_v1_block(keras.Input((8, 4)), 8), ValueError, r"^`x` must have 4 dimensions"),
        (lambda: mobilenet_v2_block(keras.Input((8, 8, 4)), 0, 8), ValueError, r"^`expansion` must be an int in \[1, 65536\]; got 0\.$"),
        (lambda: mobilenet_v2_block(keras.Input((8, 8, 4096)), 32, 8), ValueError,
         r"^`expansion` must keep expansion \* n_C_prev <= 65536 \(n_C_prev = 4096\); got 32\.$"),
        (lambda: mobilenet_v2_block(keras.Input((8, 8, 4)), 6, 8, stride=2.0), TypeError, r"^`stride` must be an int in \[1, 2\]; got 2\.0\.$"),
        (lambda: small_mobilenet(version=3), ValueError, r"^`version` must be an int in \[1, 2\]; got 3\.$"),
        (lambda: small_mobilenet((28, 28)), ValueError, r"^`input_shape` must be a tuple of 3 ints in \[1, 16384\]; got \(28, 28\)\.$"),
        (lambda: small_mobilenet(dropout=1.0), ValueError, r"^`dropout` must be a real number in \[0, 1\)"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
