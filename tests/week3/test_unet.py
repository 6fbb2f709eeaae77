"""U-Net: the course's layer summaries, names, save/load, one training step, masks, bad input."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_cnn.week3 import conv_block, create_mask, display, unet_model, upsampling_block
from tests.week2._harness import assert_named, assert_round_trip


def _course_summary(model):
    """What the course's ``summary`` utility lists per layer, read the Keras 3 way (``layer.output.shape``)."""
    rows = []
    for layer in model.layers:
        row = [type(layer).__name__, tuple(layer.output.shape), layer.count_params()]
        if type(layer) is keras.layers.Conv2D:
            row += [layer.padding, layer.activation.__name__, type(layer.kernel_initializer).__name__]
        if type(layer) is keras.layers.MaxPooling2D:
            row.append(tuple(layer.pool_size))
        if type(layer) is keras.layers.Dropout:
            row.append(layer.rate)
        rows.append(row)
    return rows


def _conv(shape, params, activation="relu", init="HeNormal"):
    return ["Conv2D", shape, params, "same", activation, init]


def test_conv_block_course_summaries():
    inputs = keras.Input((96, 128, 3))
    model1 = keras.Model(inputs=inputs, outputs=conv_block(inputs, 32))
    assert _course_summary(model1) == [
        ["InputLayer", (None, 96, 128, 3), 0],
        _conv((None, 96, 128, 32), 896),  # (3*3*3 + 1) * 32
        _conv((None, 96, 128, 32), 9248),  # (3*3*32 + 1) * 32
        ["MaxPooling2D", (None, 48, 64, 32), 0, (2, 2)],
    ]
    inputs = keras.Input((96, 128, 3))
    model2 = keras.Model(inputs=inputs, outputs=conv_block(inputs, 32 * 32, dropout_prob=0.1, max_pooling=True))
    assert _course_summary(model2) == [
        ["InputLayer", (None, 96, 128, 3), 0],
        _conv((None, 96, 128, 1024), 28672),
        _conv((None, 96, 128, 1024), 9438208),
        ["Dropout", (None, 96, 128, 1024), 0, 0.1],
        ["MaxPooling2D", (None, 48, 64, 1024), 0, (2, 2)],
    ]


def test_conv_block_skip_is_taken_before_pooling():
    inputs = keras.Input((8, 8, 1))
    next_layer, skip = conv_block(inputs, 2, max_pooling=True, name="t")
    assert tuple(next_layer.shape) == (None, 4, 4, 2)
    assert tuple(skip.shape) == (None, 8, 8, 2)
    same, skip2 = conv_block(inputs, 2, max_pooling=False, name="t2")
    assert same is skip2


def test_upsampling_block_course_summary():
    expansive_inputs, contractive_inputs = keras.Input((12, 16, 256)), keras.Input((24, 32, 128))
    out = upsampling_block(expansive_inputs, contractive_inputs, 32)
    model1 = keras.Model(inputs=[expansive_inputs, contractive_inputs], outputs=out)
    assert _course_summary(model1) == [
        ["InputLayer", (None, 12, 16, 256), 0],
        ["Conv2DTranspose", (None, 24, 32, 32), 73760],  # 3*3*256*32 + 32
        ["InputLayer", (None, 24, 32, 128), 0],
        ["Concatenate", (None, 24, 32, 160), 0],  # 32 + 128 channels
        _conv((None, 24, 32, 32), 46112),
        _conv((None, 24, 32, 32), 9248),
    ]
    transpose = model1.get_layer(index=1)
    assert transpose.strides == (2, 2) and transpose.padding == "same" and transpose.kernel_size == (3, 3)


def test_unet_model_course_summary():
    model = unet_model((96, 128, 3), n_filters=32, n_classes=23)
    summary = _course_summary(model)
    assert model.count_params() == 8640471
    assert len(summary) == 35
    assert summary[:4] == [["InputLayer", (None, 96, 128, 3), 0], _conv((None, 96, 128, 32), 896),
                           _conv((None, 96, 128, 32), 9248), ["MaxPooling2D", (None, 48, 64, 32), 0, (2, 2)]]
    assert summary[12:20] == [
        ["Dropout", (None, 12, 16, 256), 0, 0.3],
        ["MaxPooling2D", (None, 6, 8, 256), 0, (2, 2)],
        _conv((None, 6, 8, 512), 1180160),
        _conv((None, 6, 8, 512), 2359808),
        ["Dropout", (None, 6, 8, 512), 0, 0.3],  # the bottleneck: dropout, no pooling
        ["Conv2DTranspose", (None, 12, 16, 256), 1179904],
        ["Concatenate", (None, 12, 16, 512), 0],
        _conv((None, 12, 16, 256), 1179904),
    ]
    assert summary[-3:] == [_conv((None, 96, 128, 32), 9248), _conv((None, 96, 128, 32), 9248),
                            _conv((None, 96, 128, 23), 759, "linear", "GlorotUniform")]
    assert [row[0] for row in summary].count("Conv2DTranspose") == 4
    assert [row[0] for row in summary].count("Dropout") == 2


def test_unet_layers_are_named_and_round_trip(tmp_path, eager_tf_functions):
    assert_named(lambda: unet_model((32, 32, 3), n_filters=2, n_classes=3))
    model = unet_model((32, 32, 3), n_filters=2, n_classes=3)
    assert model.get_layer("up6_concat").axis == 3
    x = np.random.default_rng(0).uniform(size=(2, 32, 32, 3)).astype("float32")
    assert_round_trip(model, x, tmp_path)


def test_unet_one_training_step_lowers_the_loss(eager_tf_functions):
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    x = rng.uniform(size=(4, 16, 16, 3)).astype("float32")
    y = (x[..., :1] > 0.5).astype("uint8")  # a mask the network can read from the first channel
    model = unet_model((16, 16, 3), n_filters=2, n_classes=2)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    # one batch per epoch: losses[0] is the loss at the initial weights, losses[1] after one Adam step
    # (0.704 -> 0.691); eagerly, since tracing the train step costs more than the steps themselves
    losses = model.fit(x, y, epochs=2, verbose=0, batch_size=4).history["loss"]
    assert losses[1] < losses[0]


def test_create_mask_is_the_argmax_of_the_first_image():
    logits = np.zeros((2, 2, 3, 4), dtype="float32")
    logits[0, 1, 2, 3] = 5.0
    logits[1, :, :, 1] = 5.0  # the second image is ignored, as in the course
    mask = create_mask(tf.constant(logits))
    assert isinstance(mask, tf.Tensor) and tuple(mask.shape) == (2, 3, 1)
    np.testing.assert_array_equal(mask.numpy()[..., 0], [[0, 0, 0], [0, 0, 3]])
    np.testing.assert_array_equal(create_mask(logits[1]).numpy()[..., 0], np.ones((2, 3)))


def test_display_makes_a_figure(tmp_path):
    image = np.random.default_rng(0).uniform(size=(8, 8, 3))
    mask = np.zeros((8, 8, 1), dtype="uint8")
    fig = display([image, mask, create_mask(np.ones((1, 8, 8, 2)))], path=tmp_path / "d.png")
    assert [ax.get_title() for ax in fig.axes] == ["Input Image", "True Mask", "Predicted Mask"]
    assert (tmp_path / "d.png").stat().st_size > 0


def test_bad_input_messages():
    with pytest.raises(ValueError, match=r"`contractive_input` must have twice the height and width of "
                                         r"`expansive_input` \(shape \(None, 12, 16, 256\)\), i.e. \(24, 32\); "
                                         r"got shape \(None, 12, 16, 128\)\."):
        upsampling_block(keras.Input((12, 16, 256)), keras.Input((12, 16, 128)), 32)
    with pytest.raises(ValueError, match=r"`input_size` must have a height and width divisible by 16 \(four 2x2 "
                                         r"poolings halve them\); got \(100, 128, 3\)\."):
        unet_model((100, 128, 3))
    with pytest.raises(ValueError, match=r"`n_classes` must be .*; got 0\."):
        unet_model((32, 32, 3), n_classes=0)
    with pytest.raises(TypeError, match=r"`inputs` must be a 4-D Keras tensor"):
        conv_block(None, 8)
    with pytest.raises(ValueError, match=r"`dropout_prob` must be .*; got 1\.0\."):
        conv_block(keras.Input((8, 8, 1)), 8, dropout_prob=1.0)
    with pytest.raises(ValueError, match=r"`pred_mask` must have shape \(batch, n_H, n_W, n_classes\) or "
                                         r"\(n_H, n_W, n_classes\); got shape \(3, 4\)\."):
        create_mask(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"`display_list` must hold 1 to 3 arrays"):
        display([])
