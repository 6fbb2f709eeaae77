r"""A table of the case-study architectures: parameters, depth, output shape, computed by Keras.

Parameter counts follow two formulas: a conv layer with an $f \times f$
window has $(f \cdot f \cdot n_{C,prev} + 1) \cdot n_C$ parameters, a dense
layer $(n_{in} + 1) \cdot n_{out}$ (BatchNormalization adds $4 n_C$, two of
them non-trainable moving statistics). `architecture_table` lets Keras
count them for every case study; `layer_table` lists a model layer by
layer, as the docs' tables do.
"""

from __future__ import annotations

import keras

from course_cnn import _checks

__all__ = ["architecture_table", "layer_table"]


def _builders():
    from course_cnn.week2.classic import alexnet, lenet5, vgg16
    from course_cnn.week2.inception import googlenet
    from course_cnn.week2.resnet import ResNet50
    from course_cnn.week2.resnet_depth import resnet

    return {
        "LeNet-5": (lenet5, "32x32x1 -> 10, 1998"),
        "AlexNet": (alexnet, "227x227x3 -> 1000, 2012"),
        "VGG-16": (vgg16, "224x224x3 -> 1000, 2015"),
        "GoogLeNet": (googlenet, "224x224x3 -> 1000, 2015"),
        "ResNet-50 (course)": (ResNet50, "64x64x3 -> 6 (SIGNS), 2016"),
        "ResNet-20 (CIFAR-style)": (lambda: resnet(20), "28x28x1 -> 10"),
        "MobileNetV2 base": (lambda: keras.applications.MobileNetV2(
            input_shape=(160, 160, 3), include_top=False, weights=None), "160x160x3 -> 5x5x1280, 2018"),
    }


#: Names accepted by `architecture_table`.
ARCHITECTURES = ("LeNet-5", "AlexNet", "VGG-16", "GoogLeNet", "ResNet-50 (course)", "ResNet-20 (CIFAR-style)",
                 "MobileNetV2 base")


def _weighted_layers(model):
    count = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            count += _weighted_layers(layer)
        elif isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense, keras.layers.DepthwiseConv2D)):
            count += 1
    return count


def architecture_table(names=ARCHITECTURES):
    """Build each architecture and list what Keras counts.

    Parameters
    ----------
    names : sequence of str, default ARCHITECTURES
        Which architectures to build (AlexNet and VGG-16 allocate 60 and 138
        million weights, a few seconds each).

    Returns
    -------
    list of dict
        One row per architecture: ``name``, ``params``, ``weighted_layers``
        (conv, depthwise conv and dense layers, shortcut projection convs
        included, so ResNet-50 counts 54), ``input``, ``output`` and ``note``.

    Raises
    ------
    ValueError
        For an unknown name.

    Examples
    --------
    >>> row = architecture_table(["LeNet-5"])[0]
    >>> row["params"], row["weighted_layers"], row["output"]
    (61706, 5, '(None, 10)')
    """
    builders = _builders()
    rows = []
    for name in _checks.check_strings(names, "names"):
        _checks.check_choice(name, "names", builders)
        build, note = builders[name]
        model = build()
        rows.append({
            "name": name, "params": int(model.count_params()), "weighted_layers": _weighted_layers(model),
            "input": str(tuple(model.input_shape)), "output": str(tuple(model.output_shape)), "note": note,
        })
    return rows


def layer_table(model):
    """One row per layer: name, type, output shape, parameters (a summary as data, for docs and tests).

    Parameters
    ----------
    model : keras.Model
        A built model.

    Returns
    -------
    list of tuple
        ``(name, class name, output shape, parameters)`` per layer.

    Raises
    ------
    TypeError
        When ``model`` is not a keras.Model.

    Examples
    --------
    >>> from course_cnn.week2.classic import lenet5
    >>> layer_table(lenet5())[1]
    ('c1', 'Conv2D', '(28, 28, 6)', 156)
    """
    if not isinstance(model, keras.Model):
        raise _checks.fail("model", "be a keras.Model", _checks.describe(model), TypeError)
    rows = []
    for layer in model.layers:
        shape = layer.output.shape if not isinstance(layer.output, (list, tuple)) else layer.output[0].shape
        rows.append((layer.name, type(layer).__name__, str(tuple(shape[1:])), int(layer.count_params())))
    return rows
