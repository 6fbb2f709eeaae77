"""Week 4b: neural style transfer, what ConvNets learn, 1D and 3D convolutions.

* `costs`: the content, style (Gram matrix) and
  total costs, with the course's signatures;
* `vgg`: VGG-19 as a feature extractor;
* `images`: loading, clipping, saving images and
  a generated style texture;
* `engine`: `StyleTransfer`, the fast
  optimisation loop; `figures` its figures;
* `receptive_field` and `visualize`: what deep ConvNets learn
  (receptive fields, max-activating patches);
* `conv_nd`: convolutions in 1, 2 and 3
  dimensions, small Conv1D/Conv3D models.
"""

from course_cnn.week4.style.costs import (
    CONTENT_LAYER,
    STYLE_LAYERS,
    compute_content_cost,
    compute_layer_style_cost,
    compute_style_cost,
    gram_matrix,
    total_cost,
    total_variation_cost,
)
from course_cnn.week4.style.conv_nd import (
    SIGNAL_CLASSES,
    VOLUME_CLASSES,
    conv1d_model,
    conv3d_model,
    conv_forward_nd,
    make_signals,
    make_volumes,
)
from course_cnn.week4.style.engine import StyleTransfer, vgg_preprocess
from course_cnn.week4.style.figures import plot_cost_history, plot_side_by_side
from course_cnn.week4.style.images import clip_0_1, load_image, make_style_texture, save_image, tensor_to_image
from course_cnn.week4.style.vgg import VGG19_WEIGHTS_FILE, get_layer_outputs, vgg19_features, vgg19_weights_cache
from course_cnn.week4.style.receptive_field import ReceptiveField, receptive_field
from course_cnn.week4.style.visualize import (
    MaxActivatingPatches,
    max_activating_patches,
    plot_max_activating_patches,
    probe_convnet,
)

__all__ = [
    "STYLE_LAYERS",
    "CONTENT_LAYER",
    "compute_content_cost",
    "gram_matrix",
    "compute_layer_style_cost",
    "compute_style_cost",
    "total_cost",
    "total_variation_cost",
    "VGG19_WEIGHTS_FILE",
    "vgg19_weights_cache",
    "vgg19_features",
    "get_layer_outputs",
    "clip_0_1",
    "tensor_to_image",
    "load_image",
    "save_image",
    "make_style_texture",
    "vgg_preprocess",
    "StyleTransfer",
    "plot_side_by_side",
    "plot_cost_history",
    "ReceptiveField",
    "receptive_field",
    "MaxActivatingPatches",
    "max_activating_patches",
    "plot_max_activating_patches",
    "probe_convnet",
    "conv_forward_nd",
    "make_signals",
    "SIGNAL_CLASSES",
    "make_volumes",
    "VOLUME_CLASSES",
    "conv1d_model",
    "conv3d_model",
]
