"""Multiplications with and without depthwise separation, read off real networks."""

import keras
import pytest

from course_cnn.week2 import separable_multiplications_table


def test_lecture_example_and_a_plain_conv():
    x = keras.Input((6, 6, 3))
    y = keras.layers.SeparableConv2D(5, 3, name="sep")(x)  # 6x6x3 -> 4x4x5
    z = keras.layers.Conv2D(2, 3, padding="same", name="plain")(y)
    rows = separable_multiplications_table(keras.Model(x, z))
    # depthwise 4*4*9*3 = 432, pointwise 4*4*3*5 = 240; standard 4*4*5*9*3 = 2160
    assert rows[0] == {"layer": "sep", "output": (4, 4, 5), "f": 3, "n_C_prev": 3, "separable": True,
                       "multiplications": 672, "standard": 2160}  # fmt: skip
    # plain 3x3: 4*4*2*9*5 = 1440 either way
    assert rows[1]["multiplications"] == rows[1]["standard"] == 1440 and not rows[1]["separable"]


def test_depthwise_then_pointwise_layers_make_one_row():
    x = keras.Input((8, 8, 4))
    y = keras.layers.DepthwiseConv2D(3, padding="same", name="dw")(x)
    y = keras.layers.BatchNormalization(name="bn")(y)
    y = keras.layers.Conv2D(16, 1, name="pw")(y)
    (row,) = separable_multiplications_table(keras.Model(x, y))
    # 8*8*9*4 + 8*8*4*16 = 2304 + 4096; standard 8*8*16*9*4 = 36864
    assert row["layer"] == "dw + pw" and row["multiplications"] == 6400 and row["standard"] == 36864


def test_ssd_mobilenet_saves_about_eight_times():
    from course_cnn.week3 import load_ssd_face_detector

    rows = separable_multiplications_table(load_ssd_face_detector())
    separable = [r for r in rows if r["separable"]]
    assert len(separable) == 13  # MobileNet v1's 13 blocks
    for r in separable:  # the lecture's ratio 1/n_C + 1/f^2
        assert r["multiplications"] / r["standard"] == pytest.approx(1 / r["output"][2] + 1 / 9)
    total = sum(r["multiplications"] for r in separable), sum(r["standard"] for r in separable)
    assert 7 < total[1] / total[0] < 9


def test_not_a_model():
    with pytest.raises(TypeError, match=r"^`model` must"):
        separable_multiplications_table("ssd")
