"""Concept diagrams of docs/week2/: architectures drawn from our own Keras models.

Run ``python -m course_cnn.docs_figures week2_concepts`` (or this module).
Every shape on a figure is read from a built model's layers; costs come
from :func:`course_cnn.week2.conv_multiplications`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from course_cnn import _diagrams as D

_KIND_COLOR = {"InputLayer": D.COLORS["input"], "Conv2D": D.COLORS["output"], "MaxPooling2D": D.COLORS["pool"],
               "AveragePooling2D": D.COLORS["pool"], "Dense": D.COLORS["dense"]}


def _shape_text(shape):
    return "x".join(str(int(v)) for v in shape)


def _describe(layer):
    """``"conv 5x5 /1, 6"``-style text for one layer, from its config."""
    kind = type(layer).__name__
    cfg = layer.get_config()
    if kind == "Conv2D":
        k, s = cfg["kernel_size"], cfg["strides"]
        return f"conv {k[0]}x{k[1]}" + (f" /{s[0]}" if s[0] > 1 else "") + f", {cfg['filters']}"
    if kind.endswith("Pooling2D"):
        k, s = cfg["pool_size"], cfg["strides"]
        return f"{'max' if kind.startswith('Max') else 'avg'} pool {k[0]}x{k[1]} /{s[0]}"
    if kind == "Dense":
        return f"dense {cfg['units']}" + (", softmax" if cfg.get("activation") == "softmax" else "")
    return "input"


def architecture_stages(model):
    """The drawable stages of a Sequential-like model: ``[(text, output_shape, kind, repeat)]``.

    Flatten and Dropout are dropped; consecutive identical conv layers merge
    into one stage with a repeat count (VGG's "2 x conv 3x3, 64").
    """
    stages = []
    for layer in model.layers:
        kind = type(layer).__name__
        if kind not in _KIND_COLOR:
            continue
        text, shape = _describe(layer), tuple(layer.output.shape[1:])
        if stages and stages[-1][0] == text and stages[-1][1] == shape and kind == "Conv2D":
            stages[-1] = (text, shape, kind, stages[-1][3] + 1)
        else:
            stages.append((text, shape, kind, 1))
    return stages


def architecture_figure(model, path, title):
    """One row per stage: a bar as wide as the output's height n_H (dense: its units), its text and shape."""
    import numpy as np
    from matplotlib.patches import Rectangle

    stages = architecture_stages(model)
    sizes = [s[1][0] for s in stages]
    biggest = max(sizes)
    fig, ax = D.figure(0.34 * len(stages) + 0.55)
    for i, (text, shape, kind, repeat) in enumerate(stages):
        y = -i
        width = 2.6 * np.sqrt(shape[0] / biggest) if len(shape) == 3 else 2.6 * np.sqrt(shape[0] / 4096) * 0.5
        ax.add_patch(Rectangle((1.4 - width / 2, y - 0.38), width, 0.76, facecolor=_KIND_COLOR[kind],
                               edgecolor="#333333", lw=0.8))
        label = (f"{repeat} x " if repeat > 1 else "") + text
        ax.text(3.0, y, label, va="center", fontsize=10)
        ax.text(6.6, y, _shape_text(shape), va="center", fontsize=10, family="monospace")
    params = model.count_params()
    ax.text(0.0, 0.75, f"{title}: {params:,} parameters (bar width ~ sqrt of n_H)", fontsize=10, va="bottom")
    D.blank(ax, (-0.1, 8.9), (-len(stages) + 0.45, 1.2))
    ax.set_aspect("auto")
    return D.save(fig, path)


def classic_figures(img_dir):
    """LeNet-5, AlexNet and VGG-16 as built by :mod:`course_cnn.week2.classic`."""
    from course_cnn.week2 import alexnet, lenet5, vgg16

    img_dir = Path(img_dir)
    return [architecture_figure(lenet5(), img_dir / "arch_lenet5.png", "LeNet-5, lenet5()"),
            architecture_figure(alexnet(), img_dir / "arch_alexnet.png", "AlexNet, alexnet()"),
            architecture_figure(vgg16(), img_dir / "arch_vgg16.png", "VGG-16, vgg16()")]


def residual_block_figure(path):
    """The identity block of ResNet-50's second stage, with the shapes Keras gives its layers."""
    import keras

    from course_cnn.week2 import identity_block

    x = keras.Input((56, 56, 256))
    model = keras.Model(x, identity_block(x, 3, [64, 64, 256], name="res"))
    shape = {layer.name: _shape_text(layer.output.shape[1:]) for layer in model.layers}
    rows = [("a[l]", shape[model.layers[0].name], D.COLORS["input"]),
            ("1x1 conv, BN, ReLU", shape["res_2a_relu"], D.COLORS["output"]),
            ("3x3 conv, BN, ReLU", shape["res_2b_relu"], D.COLORS["output"]),
            ("1x1 conv, BN", shape["res_2c_bn"], D.COLORS["output"]),
            ("+", shape["res_add"], "white"),
            ("ReLU -> a[l+3]", shape["res_out"], D.COLORS["act"])]
    fig, ax = D.figure(3.6)
    for i, (text, shp, colour) in enumerate(rows):
        y = -1.1 * i
        D.box(ax, 3.0, y, 0.6 if text == "+" else 3.2, 0.7, text, color=colour, fontsize=10)
        ax.text(5.0, y, shp, va="center", fontsize=10, family="monospace")
        if i:
            D.arrow(ax, (3.0, y + 1.1 - 0.35), (3.0, y + 0.35))
    D.arrow(ax, (1.4, 0.0), (2.7, -4.4), connectionstyle="arc3,rad=0.55", color="#cc0000")
    ax.text(-1.9, -2.3, "shortcut:\na[l] added\nbefore the\nlast ReLU", color="#cc0000", fontsize=10, va="center")
    ax.text(7.2, -1.8, "identity_block(X, 3,\n  [64, 64, 256])\n\nshapes read from\nthe built model", fontsize=10,
            va="center")
    D.blank(ax, (-2.0, 9.6), (-6.0, 0.6))
    return D.save(fig, path)


def inception_module_figure(path):
    """The lecture's Inception module (28x28x192 -> 28x28x256) built by :func:`inception_module`."""
    import keras

    from course_cnn.week2 import inception_module

    x = keras.Input((28, 28, 192))
    model = keras.Model(x, inception_module(x, 64, 96, 128, 16, 32, 32, name="inc"))
    shape = {layer.name: _shape_text(layer.output.shape[1:]) for layer in model.layers}
    branches = [["inc_1x1"], ["inc_3x3_reduce", "inc_3x3"], ["inc_5x5_reduce", "inc_5x5"],
                ["inc_pool", "inc_pool_proj"]]
    text = {"inc_1x1": "1x1 conv, 64", "inc_3x3_reduce": "1x1 conv, 96", "inc_3x3": "3x3 conv, 128",
            "inc_5x5_reduce": "1x1 conv, 16", "inc_5x5": "5x5 conv, 32", "inc_pool": "3x3 max pool /1",
            "inc_pool_proj": "1x1 conv, 32"}
    fig, ax = D.figure(3.9)
    D.box(ax, 6.0, 0, 3.4, 0.75, f"previous activation  {shape[model.layers[0].name]}", color=D.COLORS["input"])
    D.box(ax, 6.0, -5.0, 3.8, 0.75, f"channel concat  {shape['inc_concat']}", color=D.COLORS["act"])
    for j, names in enumerate(branches):
        x_centre = 1.5 + 3.0 * j
        D.arrow(ax, (6.0, -0.4), (x_centre, -1.05))
        for k, name in enumerate(names):
            y = -1.5 - 1.6 * k
            colour = D.COLORS["pool"] if "pool" in name and "proj" not in name else D.COLORS["output"]
            D.box(ax, x_centre, y, 2.5, 0.85, f"{text[name]}\n{shape[name]}", color=colour, fontsize=10)
            if k:
                D.arrow(ax, (x_centre, y + 1.6 - 0.43), (x_centre, y + 0.43))
        D.arrow(ax, (x_centre, -1.5 - 1.6 * (len(names) - 1) - 0.43), (6.0 + (x_centre - 6.0) * 0.45, -4.6))
    D.blank(ax, (-0.1, 12.1), (-5.5, 0.5))
    ax.set_aspect("auto")
    return D.save(fig, path)


def bottleneck_cost_figure(path):
    """Multiplications of a 5x5 conv 28x28x192 -> 28x28x32, directly and through a 16-channel 1x1 bottleneck."""
    from course_cnn.week2 import conv_multiplications

    direct = conv_multiplications((28, 28, 192), 5, 32)
    reduce = conv_multiplications((28, 28, 192), 1, 16)
    conv5 = conv_multiplications((28, 28, 16), 5, 32)
    total = conv_multiplications((28, 28, 192), 5, 32, bottleneck=16)
    fig, ax = D.figure(2.6)
    ax.barh([1], [direct / 1e6], color=D.COLORS["dense"], edgecolor="#333333")
    ax.barh([0], [reduce / 1e6], color=D.COLORS["pool"], edgecolor="#333333", label="1x1 conv, 16 (bottleneck)")
    ax.barh([0], [conv5 / 1e6], left=[reduce / 1e6], color=D.COLORS["output"], edgecolor="#333333",
            label="5x5 conv, 32 on 16 channels")
    ax.text(direct / 1e6 + 2, 1, f"{direct / 1e6:.1f} M", va="center", fontsize=10)
    ax.text(total / 1e6 + 2, 0, f"{reduce / 1e6:.1f} M + {conv5 / 1e6:.1f} M = {total / 1e6:.1f} M", va="center",
            fontsize=10)
    ax.set_yticks([1, 0], ["5x5 conv, 32\ndirectly", "through a\n1x1 bottleneck"], fontsize=10)
    ax.set_xlabel("multiplications (millions), 28x28x192 -> 28x28x32", fontsize=10)
    ax.set_xlim(0, direct / 1e6 * 1.35)
    ax.legend(fontsize=10, loc="lower right", frameon=False)
    ax.tick_params(labelsize=10)
    return D.save(fig, path)


def case_studies_figure(path):
    """Parameters and weighted layers of the week's networks, counted on the models we build."""
    from matplotlib.ticker import NullLocator

    from course_cnn.week2 import ResNet50, alexnet, googlenet, lenet5, vgg16

    models = [("LeNet-5", lenet5()), ("AlexNet", alexnet()), ("VGG-16", vgg16()),
              ("GoogLeNet", googlenet()), ("ResNet-50\n(course: 64x64, 6)", ResNet50())]
    rows = []
    for name, model in models:
        weighted = sum(type(layer).__name__ in ("Conv2D", "Dense") for layer in model.layers)
        rows.append((name, model.count_params(), weighted))
    fig, ax = D.figure(2.8)
    bars = ax.barh([r[0] for r in rows], [r[1] for r in rows], color=D.COLORS["output"], edgecolor="#333333")
    for bar, (_, params, weighted) in zip(bars, rows):
        ax.text(params * 1.15, bar.get_y() + bar.get_height() / 2, f"{params / 1e6:.1f} M parameters, "
                f"{weighted} weighted layers", va="center", fontsize=10)
    ax.set_xscale("log")
    ax.set_xlim(1e4, 3e12)
    ax.set_xticks([1e4, 1e5, 1e6, 1e7, 1e8])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.spines[["top", "right"]].set_visible(False)
    ax.invert_yaxis()
    ax.set_xlabel("parameters (log scale) of the models as our functions build them by default", fontsize=10)
    ax.tick_params(labelsize=10)
    return D.save(fig, path)


FIGURES = {
    "residual_block.png": residual_block_figure,
    "inception_module.png": inception_module_figure,
    "bottleneck_cost.png": bottleneck_cost_figure,
    "case_studies_size.png": case_studies_figure,
}


def main(out_dir="docs/week2/img"):
    """Draw every week 2 concept figure into ``out_dir`` and return the paths."""
    out = Path(out_dir)
    return classic_figures(out) + [make(out / name) for name, make in FIGURES.items()]


if __name__ == "__main__":
    for written in main(*sys.argv[1:]):
        print(written)
