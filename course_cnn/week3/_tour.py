"""Week 3's tour demos: the real face detector, and a YOLO trained on shapes."""

from __future__ import annotations

from course_cnn.tour import Demo, DemoResult


def run_faces(out_dir, quick):
    from course_cnn.datasets import list_photos, load_photo
    from course_cnn.plots import draw_boxes_on_image, new_figure, save_figure
    from course_cnn.week3 import detect_faces

    names = ["grace_hopper", "flower"]
    if not quick:
        names += [n for n in list_photos() if n.startswith(("obama", "biden"))]
    fig, axes = new_figure(1, len(names), figsize=(3.6 * len(names), 4.0))
    counts = []
    for ax, name in zip(axes if len(names) > 1 else [axes], names):
        image = load_photo(name)
        scores, boxes = detect_faces(image)
        counts.append(f"{name}: {len(scores)}")
        draw_boxes_on_image(image, boxes, ["face"] * len(scores), scores, box_format="yxyx", ax=ax)
        ax.set_title(f"{name} ({len(scores)} face{'s' if len(scores) != 1 else ''})", fontsize=9)
    path = save_figure(fig, out_dir / "faces.png")
    return DemoResult(f"pretrained Tiny-YOLOv2 face detector, decoded with yolo_head/NMS: {', '.join(counts)}", [path])


def run_shapes(out_dir, quick):
    import keras

    from course_cnn.plots import draw_boxes_on_image, new_figure, save_figure
    from course_cnn.week3 import SHAPE_CLASSES, YoloLoss, detect_objects, evaluate_detector
    from course_cnn.week3 import make_detection_dataset, make_detection_images, tiny_yolo

    keras.utils.set_random_seed(0)
    n_train, epochs = (400, 3) if quick else (3000, 10)
    dataset, _, anchors = make_detection_dataset(n_train, 64, 8, batch_size=32, seed=0)
    test = make_detection_images(100 if quick else 300, 64, seed=1)
    model = tiny_yolo((64, 64, 3), 8, anchors, 3)
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss=YoloLoss(anchors))
    model.fit(dataset, epochs=epochs, verbose=0, shuffle=False)
    m_ap = evaluate_detector(model, test, anchors, 3)
    fig, axes = new_figure(1, 4, figsize=(10, 2.8))
    for ax, image, (boxes, scores, classes) in zip(axes, test.images, detect_objects(model, test.images[:4], anchors, 3)):
        draw_boxes_on_image(image, boxes * 64 - 0.5, [SHAPE_CLASSES[c] for c in classes], scores, ax=ax)
    fig.suptitle(f"tiny_yolo after {epochs} epochs on {n_train} images: mAP@0.5 = {m_ap:.2f}")
    path = save_figure(fig, out_dir / "shapes.png")
    return DemoResult(f"tiny_yolo trained {epochs} epochs on {n_train} generated images: held-out mAP@0.5 {m_ap:.3f}", [path])


DEMOS = [
    Demo("week3-faces", "Week 3: a real pretrained YOLO finds faces", run_faces),
    Demo("week3-shapes", "Week 3: training a small YOLO on generated shapes", run_shapes),
]
