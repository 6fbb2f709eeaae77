"""Regenerate the figures of the week-3 docs pages.

Usage (from the repository root; a few minutes on a CPU)::

    python -m course_cnn.week3._figures [OUT_DIR]

writes PNGs into ``docs/week3/img`` (or OUT_DIR). ``tiny_yolo_shapes.png``
comes from ``benchmarks/week3_train_detector.py --figure``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def faces_figure(out):
    from course_cnn.datasets import list_photos, load_photo
    from course_cnn.plots import draw_boxes_on_image, new_figure, save_figure
    from course_cnn.week3 import detect_faces

    names = ["grace_hopper", "flower"] + [n for n in list_photos() if n.startswith(("obama", "biden"))][:2]
    fig, axes = new_figure(1, len(names), figsize=(3.4 * len(names), 3.8))
    for ax, name in zip(axes, names):
        image = load_photo(name)
        scores, boxes = detect_faces(image)
        draw_boxes_on_image(image, boxes, ["face"] * len(scores), scores, box_format="yxyx", ax=ax)
        ax.set_title(f"{name}: {len(scores)} face{'s' if len(scores) != 1 else ''}", fontsize=9)
    return save_figure(fig, out / "faces.jpg", dpi=80)


def nms_figure(out):
    from course_cnn.datasets import load_photo
    from course_cnn.plots import draw_boxes_on_image, new_figure, save_figure
    from course_cnn.week3 import FACE_ANCHORS, load_face_detector, non_max_suppression, yolo_boxes_to_corners, yolo_head
    from course_cnn.week3.face_detector import _letterbox

    image = load_photo("grace_hopper")
    batch, side = _letterbox(image, 416)
    box_xy, box_wh, box_confidence, _ = yolo_head(load_face_detector()(batch), FACE_ANCHORS, 1)
    boxes = yolo_boxes_to_corners(box_xy, box_wh).numpy().reshape(-1, 4) * side
    scores = box_confidence.numpy().reshape(-1)
    keep = scores >= 0.01
    boxes, scores = boxes[keep], scores[keep]
    score_threshold, iou_threshold = 0.6, 0.5  # the lecture's values, as on the NMS page
    chosen = non_max_suppression(boxes, scores, 10, iou_threshold, score_threshold=score_threshold)
    fig, axes = new_figure(1, 2, figsize=(8, 4.8))
    draw_boxes_on_image(image, boxes, None, None, box_format="yxyx", ax=axes[0], color="orange")
    axes[0].set_title(f"before NMS: {len(boxes)} boxes with p_c >= 0.01", fontsize=9)
    draw_boxes_on_image(image, boxes[chosen], ["face"] * len(chosen), scores[chosen], box_format="yxyx", ax=axes[1])
    axes[1].set_title(f"p_c >= {score_threshold}, then NMS (IoU >= {iou_threshold} removed): "
                      f"{len(chosen)} box{'es' if len(chosen) != 1 else ''}", fontsize=9)
    fig.set_layout_engine("none")  # constrained layout lets the titles run off the top
    for k, ax in enumerate(axes):
        ax.set_position([0.5 * k + 0.005, 0.005, 0.49, 0.925])
    return save_figure(fig, out / "nms.jpg", dpi=80)


def iou_figure(out):
    from matplotlib.patches import Rectangle

    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3 import iou

    pairs = [((1, 1, 3, 3), (2, 2, 4, 4)), ((1, 1, 3, 3), (1.2, 1.2, 3.2, 3.2)), ((1, 1, 2, 2), (2, 1, 3, 2))]
    fig, axes = new_figure(1, 3, figsize=(9, 3))
    for ax, (a, b) in zip(axes, pairs):
        for box, colour in ((a, "tab:blue"), (b, "tab:orange")):
            ax.add_patch(Rectangle(box[:2], box[2] - box[0], box[3] - box[1], alpha=0.4, color=colour))
        ax.set_xlim(0, 5)
        ax.set_ylim(5, 0)
        ax.set_aspect("equal")
        ax.set_title(f"IoU = {iou(a, b):.3f}")
    return save_figure(fig, out / "iou.png", dpi=80)


def yolo_grid_figure(out):
    from matplotlib.patches import Rectangle

    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3 import SHAPE_CLASSES, make_detection_images, yolo_encode_labels

    data = make_detection_images(1, image_size=96, seed=3)
    boxes, classes = data.boxes[0], data.classes[0]
    target = yolo_encode_labels(boxes, classes, 3, None, 3)
    fig, ax = new_figure(figsize=(4.5, 4.5))
    ax.imshow(data.images[0], extent=(0, 1, 1, 0))
    ax.set_xlim(0, 1)
    ax.set_ylim(1, 0)
    for k in (1, 2):
        ax.axhline(k / 3, color="white", lw=1)
        ax.axvline(k / 3, color="white", lw=1)
    for (x1, y1, x2, y2), c in zip(boxes, classes):
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, color="lime", lw=2))
        ax.plot((x1 + x2) / 2, (y1 + y2) / 2, "o", color="red")
        ax.text(x1 + 0.01, y2 - 0.01, SHAPE_CLASSES[c], color="black", fontsize=8, va="bottom", clip_on=True,
                bbox={"facecolor": "lime", "pad": 1, "lw": 0})
    for row, col in zip(*np.nonzero(target[..., 0, 0])):
        ax.add_patch(Rectangle((col / 3, row / 3), 1 / 3, 1 / 3, color="yellow", alpha=0.2))
        p_c, b_x, b_y, b_h, b_w = target[row, col, 0, :5]
        ax.text(col / 3 + 0.01, row / 3 + 0.01, f"cell ({row}, {col})\nb_x, b_y = {b_x:.2f}, {b_y:.2f}\nb_h, b_w = {b_h:.2f}, {b_w:.2f}",
                fontsize=6, color="yellow", va="top", clip_on=True, bbox={"facecolor": "black", "alpha": 0.6, "pad": 1, "lw": 0})
    ax.set_title("3x3 grid: an object belongs to the cell of its centre", fontsize=8)
    ax.axis("off")
    return save_figure(fig, out / "yolo_grid.png", dpi=90)


def trained_figures(out):
    import keras

    from course_cnn.plots import draw_boxes_on_image, new_figure, save_figure
    from course_cnn.week3 import (
        box_from_label,
        landmark_model,
        localization_loss,
        localization_model,
        make_landmark_data,
        make_localization_data,
        plot_landmarks,
    )

    keras.utils.set_random_seed(0)
    X, Y = make_landmark_data(3000, seed=0)
    X_test, Y_test = make_landmark_data(8, seed=1)
    model = landmark_model(3)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.fit(X, Y, epochs=15, batch_size=32, verbose=2)
    fig = plot_landmarks(X_test, Y_test, model.predict(X_test, verbose=0))
    fig.suptitle("landmarks: true (circles) and predicted (crosses) triangle corners", fontsize=9)
    paths = [save_figure(fig, out / "landmarks.png", dpi=80)]

    X, Y = make_localization_data(3000, seed=0)
    X_test, Y_test = make_localization_data(8, seed=1)
    model = localization_model()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=localization_loss)
    model.fit(X, Y, epochs=12, batch_size=32, verbose=2)
    pred = model.predict(X_test, verbose=0)
    fig, axes = new_figure(2, 4, figsize=(8, 4.4))
    names = ("square", "disc", "triangle")
    for ax, image, y, y_hat in zip(axes.ravel(), X_test, Y_test, pred):
        boxes, labels = [], []
        if y_hat[0] > 0.5:
            boxes.append(box_from_label(y_hat) * 32 - 0.5)  # imshow puts pixel centres on integers
            labels.append(f"{names[int(np.argmax(y_hat[5:]))]} p_c={y_hat[0]:.2f}")
        draw_boxes_on_image(image, np.reshape(boxes, (-1, 4)), labels, ax=ax)
        ax.set_title("object" if y[0] else "no object", fontsize=8)
    fig.suptitle("classification with localization: predicted boxes (only where p_c > 0.5)", fontsize=9)
    paths.append(save_figure(fig, out / "localization.png", dpi=80))
    return paths


def main(out_dir="docs/week3/img"):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for make in (faces_figure, nms_figure, iou_figure, yolo_grid_figure, trained_figures):
        print(make(out), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
