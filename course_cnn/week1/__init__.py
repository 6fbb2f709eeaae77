r"""Week 1: foundations of convolutional networks.

What a convolution is, computed by hand in numpy, then the same networks in Keras:

* ``padding``: ``zero_pad``;
* ``conv`` and ``conv_backward``: the
  convolutional layer forward and backward, as loops (``*_loops``, mirroring
  the formula) and vectorised (im2col + one matrix product, the default);
* ``pool``: max and average pooling, forward and backward;
* ``shapes``: output sizes and parameter counts;
* ``edges``: hand-made edge filters and ``detect_edges``;
* ``models`` and ``training``: the
  course's ``happyModel`` and ``convolutional_model``, a LeNet-style model
  trained on Fashion-MNIST;
* ``figures``: edge responses and feature maps as figures;
* ``expressions``: "happy or not" on real photos with face-api.js's
  pretrained 7-expression classifier.

Shapes follow the course: activations ``(m, n_H, n_W, n_C)``, weights
``(f, f, n_C_prev, n_C)``, biases ``(1, 1, 1, n_C)``. The numpy layers use
numpy only, and importing them loads no TensorFlow (the course's first
assignment is numpy only: its first cell takes a second, not the seven of
TensorFlow's start); the Keras models and their training load Keras when
first used (``from course_cnn.week1 import happyModel``).
"""

from course_cnn._lazy import lazy_attributes
from course_cnn.week1.conv import conv_forward, conv_forward_loops, conv_single_step
from course_cnn.week1.conv_backward import conv_backward, conv_backward_loops
from course_cnn.week1.edges import detect_edges, horizontal_edge_filter, scharr_filter, sobel_filter, vertical_edge_filter
from course_cnn.week1.expressions import EXPRESSIONS, classify_expression, is_happy, load_expression_classifier
from course_cnn.week1.figures import plot_edge_responses, plot_feature_maps
from course_cnn.week1.padding import zero_pad
from course_cnn.week1.pool import (
    create_mask_from_window,
    distribute_value,
    pool_backward,
    pool_backward_loops,
    pool_forward,
    pool_forward_loops,
)
from course_cnn.week1.shapes import conv_output_shape, conv_parameter_count, dense_parameter_count, same_padding

# Names whose modules import Keras: loaded on first use (PEP 562), so the numpy layers stay TensorFlow-free.
_KERAS_NAMES = {
    "happyModel": "models",
    "convolutional_model": "models",
    "lenet_style_model": "models",
    "TrainingResult": "training",
    "train_lenet_style": "training",
}
__getattr__, __dir__ = lazy_attributes(__name__, _KERAS_NAMES, globals())

__all__ = [
    # numpy layers (course signatures)
    "zero_pad",
    "conv_single_step",
    "conv_forward",
    "conv_forward_loops",
    "conv_backward",
    "conv_backward_loops",
    "pool_forward",
    "pool_forward_loops",
    "create_mask_from_window",
    "distribute_value",
    "pool_backward",
    "pool_backward_loops",
    # sizes and parameter counts
    "conv_output_shape",
    "same_padding",
    "conv_parameter_count",
    "dense_parameter_count",
    # edges
    "vertical_edge_filter",
    "horizontal_edge_filter",
    "sobel_filter",
    "scharr_filter",
    "detect_edges",
    # Keras
    "happyModel",
    "convolutional_model",
    "lenet_style_model",
    "TrainingResult",
    "train_lenet_style",
    # a real pretrained classifier: happy or not
    "EXPRESSIONS",
    "load_expression_classifier",
    "classify_expression",
    "is_happy",
    # figures
    "plot_edge_responses",
    "plot_feature_maps",
]
