"""Concept diagrams of docs/week3/: anchors, sliding windows as convolutions, mAP.

Run ``python -m course_cnn.docs_figures week3_concepts`` (or this module).
Assignments come from ``yolo_encode_labels`` and ``anchor_iou``, shapes from
the model ``dense_to_conv(window_classifier())`` itself, AP from
``average_precision``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from course_cnn import _diagrams as D

#: The anchors page's example: a pedestrian and a car centred in the middle cell of a 3x3 grid.
ANCHOR_EXAMPLE = {"boxes": [[0.45, 0.3, 0.55, 0.7], [0.3, 0.45, 0.7, 0.6]], "classes": [0, 1],
                  "names": ["pedestrian", "car"], "anchors": [[0.5, 1.5], [1.5, 0.5]], "grid": 3}


def anchors_figure(path):
    """Two objects in one cell, the two anchors centred there, and which anchor each object takes."""
    from matplotlib.patches import Rectangle

    from course_cnn.week3 import anchor_iou, yolo_encode_labels

    ex = ANCHOR_EXAMPLE
    S, anchors = ex["grid"], np.array(ex["anchors"], dtype=float)  # anchors (w, h) in cells
    y = yolo_encode_labels(ex["boxes"], ex["classes"], grid_size=S, anchors=ex["anchors"], num_classes=3)
    boxes = np.array(ex["boxes"]) * S  # (x1, y1, x2, y2) in cells, y down
    shapes = np.stack([boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]], axis=1)  # (w, h)
    ious = np.asarray(anchor_iou(shapes, anchors))
    fig, (ax, ax2) = D.figure(3.4, ncols=2, width_ratios=[1, 1.15])
    for k in range(S + 1):
        ax.plot([0, S], [k, k], color="#999999", lw=0.8)
        ax.plot([k, k], [0, S], color="#999999", lw=0.8)
    colours = ["#cc0000", "#1155cc"]
    for a, (w, h) in enumerate(anchors):
        ax.add_patch(Rectangle((1.5 - w / 2, 1.5 - h / 2), w, h, fill=False, ls="--", lw=1.6, edgecolor="#555555"))
        ax.text(1.5 + w / 2 + 0.05, 1.5 + h / 2, f"anchor {a + 1}", fontsize=10, va="bottom", color="#555555")
    for i, (x1, y1, x2, y2) in enumerate(boxes):
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, lw=2.2, edgecolor=colours[i]))
        ax.plot((x1 + x2) / 2, (y1 + y2) / 2, "o", color=colours[i], ms=5)
        ax.text(x1 - 0.08, y1, ex["names"][i], color=colours[i], fontsize=10,
                ha="right", va="bottom")
    ax.set_title("both centres fall in the middle cell", fontsize=10)
    D.blank(ax, (-0.05, S + 0.05), (S + 0.05, -0.35))
    # the shape IoU table and the slot each object fills
    ax2.set_axis_off()
    ax2.set_title("IoU of each object's shape with each anchor", fontsize=10)
    rows = []
    for i, name in enumerate(ex["names"]):
        slot = int(np.argmax(y[1, 1, :, 5 + ex["classes"][i]]))
        rows.append([name, f"{ious[i, 0]:.2f}", f"{ious[i, 1]:.2f}", f"anchor {slot + 1}"])
    table = ax2.table(cellText=rows, colLabels=["object", "anchor 1\n(tall)", "anchor 2\n(wide)", "takes"],
                      loc="center", cellLoc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(10)
    table.scale(1.0, 2.6)
    for i in range(2):
        table[i + 1, 0].get_text().set_color(colours[i])
        table[i + 1, 1 + int(np.argmax(ious[i]))].set_facecolor(D.COLORS["output"])
    ax2.text(0.5, 0.08, f"y[1, 1] holds both: shape {tuple(y.shape)} = S x S x B x (5 + C)", ha="center",
             fontsize=10, transform=ax2.transAxes)
    return D.save(fig, path)


def _volume_row(ax, y0, shapes, names, highlight):
    """Draw one row of volumes (side ~ n_H, depth ~ log channels) with their shapes and layer names."""
    x = 0.0
    for k, (shape, name) in enumerate(zip(shapes, names)):
        side = 0.13 * shape[0] + 0.25
        depth = 0.09 * np.log2(shape[2]) + 0.1
        colour = D.COLORS["input"] if k == 0 else D.COLORS["output"] if shape[2] != 16 else D.COLORS["pool"]
        D.cuboid(ax, x, y0, side, side, depth, colour, "x".join(map(str, shape)), fontsize=10)
        if highlight:
            f = 0.13 * highlight[k] + 0.25 * highlight[k] / shape[0]
            from matplotlib.patches import Rectangle
            ax.add_patch(Rectangle((x, y0 + side - f), f, f, fill=False, edgecolor="#cc0000", lw=1.8))
        right = x + side + depth * 0.6
        if k + 1 < len(shapes):
            D.arrow(ax, (right + 0.1, y0 + 0.3), (right + 1.2, y0 + 0.3))
            ax.text(right + 0.65, y0 + 0.45, names[k + 1], ha="center", va="bottom", fontsize=10)
        x = right + 1.35
    return x


def sliding_windows_figure(path):
    """The 14x14 window classifier as convolutions, on a 14x14 window and on a 16x16 image."""
    import keras

    from course_cnn.week3 import dense_to_conv, window_classifier

    conv_net = dense_to_conv(window_classifier(seed=0))
    labels = {"conv": "conv\n5x5", "pool": "pool\n2x2", "fc1_as_conv": "FC as\n5x5 conv", "fc2_as_conv": "FC as\n1x1",
              "softmax_as_conv": "softmax\n1x1"}
    fig, ax = D.figure(3.6)
    rows = []
    for size in (14, 16):
        x = keras.Input((size, size, 3))
        shapes, names, t = [(size, size, 3)], [""], x
        for layer in conv_net.layers[1:]:
            t = layer(t)
            shapes.append(tuple(int(v) for v in t.shape[1:]))
            names.append(labels[layer.name])
        rows.append((shapes, names))
    _volume_row(ax, 4.4, *rows[0], highlight=None)
    window = [14, 10, 5, 1, 1, 1]  # the first window's footprint in each volume of the 16x16 row
    right = _volume_row(ax, 0.0, *rows[1], highlight=window)
    ax.text(0.0, 7.3, "a 14x14x3 window -> one 1x1x4 prediction", fontsize=10)
    ax.text(0.0, 3.0, "a 16x16x3 image -> 2x2x4: the four 14x14 windows at stride 2\nin one pass "
            "(red: the top-left window and what it becomes)", fontsize=10)
    D.blank(ax, (-0.1, right - 1.0), (-0.9, 7.7))
    return D.save(fig, path)


#: A small ranked list of detections of one class (True: matched a ground-truth box) and the truth count.
PR_EXAMPLE = {"hits": [1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0], "n_truth": 10}


def precision_recall_figure(path):
    """Precision-recall points of a ranked list, the interpolated envelope, and the AP as its area."""
    from course_cnn.week3 import average_precision

    hits = np.array(PR_EXAMPLE["hits"], dtype=bool)
    scores = np.linspace(0.95, 0.25, len(hits))
    n_truth = PR_EXAMPLE["n_truth"]
    ap = average_precision(scores, hits, n_truth)
    tp, fp = np.cumsum(hits), np.cumsum(~hits)
    recall, precision = tp / n_truth, tp / (tp + fp)
    r_env = np.concatenate([[0.0], recall])
    p_env = np.maximum.accumulate(np.concatenate([precision, [0.0]])[::-1])[::-1]  # best precision at recall >= r
    fig, ax = D.figure(3.4)
    ax.fill_between(r_env, p_env, step="post", color=D.COLORS["input"], label=f"AP = area = {ap:.3f}")
    ax.step(r_env, p_env, where="post", color="#1155cc", lw=1.8, label="interpolated precision")
    ax.plot(recall, precision, "o-", color="#cc0000", ms=4, lw=0.8, label="precision at each rank")
    ax.text(recall[-1] + 0.02, 0.3, f"{n_truth - tp[-1]} boxes never found:\nrecall stops at {recall[-1]:.1f}",
            fontsize=10)
    for k in (0, 2, 4):
        ax.annotate(f"rank {k + 1}: {'TP' if hits[k] else 'FP'}", (recall[k], precision[k]), fontsize=10,
                    xytext=(6, -14), textcoords="offset points")
    ax.set_xlim(0, 1.0)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(f"recall (TP / {n_truth} ground-truth boxes)", fontsize=10)
    ax.set_ylabel("precision (TP / detections so far)", fontsize=10)
    ax.legend(fontsize=10, loc="lower left")
    ax.tick_params(labelsize=10)
    return D.save(fig, path)


FIGURES = {
    "anchors_two_objects.png": anchors_figure,
    "sliding_windows_conv.png": sliding_windows_figure,
    "precision_recall.png": precision_recall_figure,
}


def main(out_dir="docs/week3/img"):
    """Draw every week 3 concept figure into ``out_dir`` and return the paths."""
    out = Path(out_dir)
    return [make(out / name) for name, make in FIGURES.items()]


if __name__ == "__main__":
    for written in main(*sys.argv[1:]):
        print(written)
