"""Week 1's numpy layers load no TensorFlow; its Keras models load it when first used."""

import subprocess
import sys

import pytest

import course_cnn.week1


def test_numpy_layers_import_without_tensorflow():
    # the course's first assignment is numpy only: its first cell must not wait for TensorFlow's start
    code = ("import sys; from course_cnn.week1 import zero_pad, conv_forward, conv_backward, pool_forward, "
            "pool_backward, conv_output_shape, detect_edges, plot_edge_responses, classify_expression; "
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "False False\n"


def test_keras_names_load_on_first_use():
    from course_cnn.week1 import TrainingResult, happyModel, lenet_style_model  # noqa: F401 - the import is the test
    from course_cnn.week1.models import happyModel as defined

    assert happyModel is defined and course_cnn.week1.happyModel is defined
    assert {"happyModel", "convolutional_model", "train_lenet_style"} <= set(dir(course_cnn.week1))
    assert all(hasattr(course_cnn.week1, name) for name in course_cnn.week1.__all__)
    with pytest.raises(AttributeError, match="module 'course_cnn.week1' has no attribute 'happymodel'"):
        course_cnn.week1.happymodel  # noqa: B018
