"""Week 2: case studies.

Classic networks (`classic`: LeNet-5, AlexNet,
VGG-16), residual networks (`resnet`: the course's
ResNet-50; `resnet_depth`: plain vs residual nets of
any depth), 1x1 convolutions and Inception (`inception`),
depthwise-separable convolutions in numpy (`depthwise`),
MobileNet v1/v2 blocks (`mobilenet`), EfficientNet's
compound scaling (`efficientnet`),
data augmentation (`augmentation`), transfer learning
on MobileNetV2 (`transfer`), TensorFlow Hub models in
Keras 3 (`hub`) and folder-per-class image datasets
(`data`).
"""

from course_cnn.week2.augmentation import (
    AlexNetCrop,
    PCAColorAugmentation,
    augmented_samples,
    crop_and_mirror,
    data_augmenter,
    fit_pca_colour,
)
from course_cnn.week2.classic import alexnet, apply_vgg_block, lenet5, vgg16
from course_cnn.week2.data import image_dataset_from_folder
from course_cnn.week2.depthwise import (
    depthwise_conv_forward,
    depthwise_conv_forward_loops,
    depthwise_separable_conv_forward,
    depthwise_separable_conv_forward_loops,
    depthwise_separable_multiplications,
)
from course_cnn.week2.depthwise_backward import depthwise_conv_backward, depthwise_conv_backward_loops
from course_cnn.week2.efficientnet import Scaling, efficientnet_scaling, efficientnet_table
from course_cnn.week2.hub import HubLayer, load_hub_module
from course_cnn.week2.inception import conv_multiplications, googlenet, inception_module, one_by_one_conv
from course_cnn.week2.mobilenet import mobilenet_v1_block, mobilenet_v2_block, small_mobilenet
from course_cnn.week2.resnet import ResNet50, convolutional_block, identity_block
from course_cnn.week2.resnet_depth import apply_basic_block, resnet
from course_cnn.week2.separable_cost import separable_multiplications_table
from course_cnn.week2.summary import architecture_table, layer_table
from course_cnn.week2.transfer import (
    alpaca_model,
    fine_tune,
    freeze_up_to,
    layers_to_retrain,
    mobilenet_v2_weights_file,
)

__all__ = [
    "lenet5",
    "alexnet",
    "apply_vgg_block",
    "vgg16",
    "identity_block",
    "convolutional_block",
    "ResNet50",
    "apply_basic_block",
    "resnet",
    "one_by_one_conv",
    "inception_module",
    "googlenet",
    "conv_multiplications",
    "separable_multiplications_table",
    "depthwise_conv_forward",
    "depthwise_conv_forward_loops",
    "depthwise_conv_backward",
    "depthwise_conv_backward_loops",
    "depthwise_separable_conv_forward",
    "depthwise_separable_conv_forward_loops",
    "depthwise_separable_multiplications",
    "mobilenet_v1_block",
    "mobilenet_v2_block",
    "small_mobilenet",
    "Scaling",
    "efficientnet_scaling",
    "efficientnet_table",
    "data_augmenter",
    "crop_and_mirror",
    "AlexNetCrop",
    "fit_pca_colour",
    "PCAColorAugmentation",
    "augmented_samples",
    "alpaca_model",
    "fine_tune",
    "layers_to_retrain",
    "freeze_up_to",
    "mobilenet_v2_weights_file",
    "HubLayer",
    "load_hub_module",
    "image_dataset_from_folder",
    "architecture_table",
    "layer_table",
]
