"""Figures and tables of the depthwise-separable, MobileNet and EfficientNet pages (private).

Run:  python -m course_cnn.week2._mobile_figures [docs/week2/img]
Writes separable_cost.png and efficientnet_scaling.png and prints the markdown tables used in
docs/week2/depthwise-separable.md and docs/week2/efficientnet.md (computed, not typed). The MobileNet
training curves come from benchmarks/week2_mobilenet_fashion.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: A real layer for the demos: MobileNet v1's 8th block (conv_dw_8 + conv_pw_8), 14x14x512 -> 14x14x512.
REAL_LAYER = {"name": "MobileNet v1 conv_dw_8 + conv_pw_8", "n_out": 14, "f": 3, "n_C_prev": 512, "n_C": 512}
LECTURE = {"name": "lecture: 6x6x3 -> 4x4x5", "n_out": 4, "f": 3, "n_C_prev": 3, "n_C": 5}


def layer_costs(n_out, f, n_C_prev, n_C, stride=1, name=""):
    """Normal vs depthwise-separable multiplications of one layer with an n_out x n_out x n_C output."""
    from course_cnn.week2.depthwise import depthwise_separable_multiplications
    from course_cnn.week2.inception import conv_multiplications

    n_in = n_out * stride  # the input that gives this output with "same" padding
    normal = conv_multiplications((n_in, n_in, n_C_prev), f, n_C, stride=stride)
    depthwise, pointwise = depthwise_separable_multiplications(n_out, f, n_C_prev, n_C)
    return {"name": name, "output": (n_out, n_out, n_C), "f": f, "n_C_prev": n_C_prev, "normal": normal,
            "depthwise": depthwise, "pointwise": pointwise, "ratio": (depthwise + pointwise) / normal,
            "formula": 1 / n_C + 1 / f**2}


def mobilenet_v1_costs():
    """layer_costs of every depthwise-separable block of Keras' MobileNet (224x224x3, alpha 1), read from the model."""
    import keras

    model = keras.applications.MobileNet(weights=None)
    rows = []
    for k in range(1, 14):
        dw, pw = model.get_layer(f"conv_dw_{k}"), model.get_layer(f"conv_pw_{k}")
        n_out, _, n_C_prev = dw.output.shape[1:]
        rows.append(layer_costs(n_out, dw.kernel_size[0], n_C_prev, pw.filters, dw.strides[0], f"conv_dw_{k}"))
    keras.backend.clear_session()
    return rows


def cost_bars(ax, row):
    """Stacked bars: the normal convolution's multiplications vs depthwise + pointwise."""
    ax.bar(["normal"], [row["normal"]], color="tab:gray")
    ax.bar(["separable"], [row["depthwise"]], color="tab:blue", label=f"depthwise {row['depthwise']:,}")
    ax.bar(["separable"], [row["pointwise"]], bottom=[row["depthwise"]], color="tab:orange",
           label=f"pointwise {row['pointwise']:,}")
    ax.text(0, row["normal"], f"{row['normal']:,}", ha="center", va="bottom", fontsize=8)
    ax.text(1, row["depthwise"] + row["pointwise"], f"{row['depthwise'] + row['pointwise']:,}\n"
            f"({row['ratio']:.3f} of normal)", ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, row["normal"] * 1.15)
    if row["normal"] >= 1e6:  # millions on the axis, not matplotlib's "1e8" offset
        from matplotlib.ticker import FuncFormatter

        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value / 1e6:,.0f}M"))
    ax.set_title(row["name"], fontsize=9)
    ax.set_ylabel("multiplications")
    ax.legend(fontsize=7, loc="center right")


def cost_figure(path, mobilenet_rows):
    """The lecture's example, a real layer, and the ratio 1/n_C + 1/f^2 against n_C with MobileNet v1's blocks."""
    import numpy as np

    from course_cnn.plots import new_figure, save_figure

    fig, axes = new_figure(1, 3, figsize=(12, 3.6))
    cost_bars(axes[0], layer_costs(**LECTURE))
    cost_bars(axes[1], layer_costs(**REAL_LAYER))
    n_C = np.logspace(0, np.log10(1024), 200)
    for f, style in ((3, "-"), (5, "--")):
        axes[2].plot(n_C, 1 / n_C + 1 / f**2, style, color="black", lw=1, label=f"1/n_C + 1/{f}^2")
    axes[2].scatter([r["output"][2] for r in mobilenet_rows], [r["ratio"] for r in mobilenet_rows],
                    color="tab:blue", zorder=3, label="MobileNet v1's 13 blocks")
    axes[2].scatter([5], [layer_costs(**LECTURE)["ratio"]], color="tab:red", marker="s", zorder=3,
                    label="lecture example")
    axes[2].set(xscale="log", xlabel="output channels n_C", ylabel="separable / normal",
                title="cost ratio (f = 3: floor at 1/9)")
    axes[2].axhline(1 / 9, color="gray", lw=0.5)
    axes[2].legend(fontsize=7)
    return save_figure(fig, path, dpi=80)


def cost_markdown(rows):
    lines = ["| block | output | $n_{C,prev}$ | normal | depthwise | pointwise | ratio | $1/n_C + 1/f^2$ |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| `{r['name']}` | {r['output']} | {r['n_C_prev']} | {r['normal']:,} | {r['depthwise']:,} | "
                     f"{r['pointwise']:,} | {r['ratio']:.4f} | {r['formula']:.4f} |")
    total = {k: sum(r[k] for r in rows) for k in ("normal", "depthwise", "pointwise")}
    lines.append(f"| **all 13** | | | **{total['normal']:,}** | **{total['depthwise']:,}** | "
                 f"**{total['pointwise']:,}** | **{(total['depthwise'] + total['pointwise']) / total['normal']:.4f}** | |")
    return "\n".join(lines)


def efficientnet_figure(path, rows):
    """Parameters and input side of Keras' B0-B7 against phi, with the formula's resolution 224 * 1.15^phi."""
    from course_cnn.plots import new_figure, save_figure

    phi = [r["phi"] for r in rows]
    fig, axes = new_figure(1, 2, figsize=(9, 3.4))
    axes[0].plot(phi, [r["params"] / 1e6 for r in rows], "o-", label="Keras EfficientNetB0-B7")
    for r in rows:
        axes[0].annotate(f"B{r['phi']}", (r["phi"], r["params"] / 1e6), textcoords="offset points", xytext=(-12, 5),
                         fontsize=7)
    axes[0].set(xlabel="phi", ylabel="parameters (millions)", title="parameters",
                ylim=(0, max(r["params"] for r in rows) / 1e6 * 1.12))  # room for the B7 label
    axes[1].plot(phi, [r["resolution"] for r in rows], "o-", label="Keras input side (released)")
    axes[1].plot(phi, [r["formula_resolution"] for r in rows], "s--", label="224 * 1.15^phi (formula)")
    axes[1].set(xlabel="phi", ylabel="input height = width (pixels)", title="resolution")
    for ax in axes:
        ax.legend(fontsize=7)
    return save_figure(fig, path, dpi=80)


def efficientnet_markdown(rows):
    lines = ["| model | $\\phi$ | parameters | input side | released $w$, $d$ | formula $w = 1.1^\\phi$, "
             "$d = 1.2^\\phi$ | formula side $224 \\cdot 1.15^\\phi$ | FLOPs $\\times 1.92^\\phi$ |",
             "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['phi']} | {r['params']:,} | {r['resolution']} | "
                     f"{r['width_coefficient']}, {r['depth_coefficient']} | {r['formula_width']:.2f}, "
                     f"{r['formula_depth']:.2f} | {r['formula_resolution']:.0f} | {r['formula_flops']:.1f} |")
    return "\n".join(lines)


def main(argv=None):
    from course_cnn.week2.efficientnet import efficientnet_table

    argv = sys.argv[1:] if argv is None else argv
    img_dir = Path(argv[0] if argv else "docs/week2/img")
    mobilenet_rows = mobilenet_v1_costs()
    print(cost_figure(img_dir / "separable_cost.png", mobilenet_rows))
    print("## MobileNet v1 costs\n" + cost_markdown(mobilenet_rows))
    rows = efficientnet_table()
    print(efficientnet_figure(img_dir / "efficientnet_scaling.png", rows))
    print("## EfficientNet\n" + efficientnet_markdown(rows))


if __name__ == "__main__":
    main()
