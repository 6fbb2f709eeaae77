"""Week 3's tour demos: the real face detector, a YOLO trained on shapes, and a U-Net on generated scenes."""

from __future__ import annotations

from course_cnn.tour import Demo, DemoResult
from course_cnn.week3._tour_face_api import run_landmarks, run_ssd

# What each demo measures or trains, with --quick and without; the test suite shrinks them to check the wiring fast.
QUICK = dict(shapes_test_images=100, unet_test_scenes=100, digits_unet=dict(n_train=600, epochs=5))
FULL = dict(shapes_test_images=300, unet_test_scenes=100, digits_unet=dict(n_train=2000, epochs=12))


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
    """A tiny_yolo on generated shapes: the shipped one (quick), or one trained here with the same recipe."""
    from course_cnn.plots import draw_boxes_on_image, new_figure, save_figure
    from course_cnn.week3 import SHAPE_CLASSES, detect_objects, evaluate_detector, make_detection_images
    from course_cnn.week3._shapes_model import RECIPE, TEST_SEED, load_shapes_detector, train_shapes_detector

    if quick:  # a few quick epochs leave every score far below 0.5: ship a detector trained once instead
        model, anchors, recipe = load_shapes_detector()
        how = f"shipped tiny_yolo (trained by tools/train_shapes_yolo.py: {recipe['n_train']} images, {recipe['epochs']} epochs)"
    else:
        model, anchors = train_shapes_detector()
        recipe = RECIPE
        how = f"tiny_yolo trained here: {recipe['n_train']} images, {recipe['epochs']} epochs"
    size, n_test = recipe["image_size"], (QUICK if quick else FULL)["shapes_test_images"]
    test = make_detection_images(n_test, size, recipe["num_classes"], seed=TEST_SEED)  # not seen in training
    m_ap = evaluate_detector(model, test, anchors, recipe["num_classes"])
    detections = detect_objects(model, test.images[:4], anchors, recipe["num_classes"])  # score >= 0.5, NMS IoU 0.5
    fig, axes = new_figure(1, 4, figsize=(10, 3.0))
    for ax, image, truth, (boxes, scores, classes) in zip(axes, test.images, test.boxes, detections):
        draw_boxes_on_image(image, boxes * size - 0.5, [SHAPE_CLASSES[c] for c in classes], scores, ax=ax, color="red")
        ax.set_title(f"{len(truth)} shape{'s' if len(truth) != 1 else ''}, {len(boxes)} box{'es' if len(boxes) != 1 else ''}", fontsize=9)
    fig.suptitle(f"{how}\nheld-out mAP@0.5 = {m_ap:.2f} on {n_test} images; boxes with score >= 0.5 after NMS", fontsize=10)
    path = save_figure(fig, out_dir / "shapes.png")
    found = sum(len(d[0]) for d in detections)
    return DemoResult(f"{how}: held-out mAP@0.5 {m_ap:.3f} on {n_test} images; {found} boxes on the 4 shown", [path])


def run_unet(out_dir, quick):
    import keras
    import numpy as np

    from course_cnn.datasets import find_fashion_mnist
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3 import mean_iou
    from course_cnn.week3._scenes_unet import RECIPE, held_out_scenes, load_scenes_unet, predict_masks
    from course_cnn.week3._scenes_unet import train_scenes_unet

    keras.utils.set_random_seed(0)
    recipe = dict(RECIPE)
    if find_fashion_mnist() is None:  # the shipped U-Net needs Fashion-MNIST scenes; digits scenes otherwise
        recipe.update(source="digits", size=[64, 64], **(QUICK if quick else FULL)["digits_unet"])
        model, how = train_scenes_unet(recipe), f"trained {recipe['epochs']} epochs on {recipe['n_train']} scenes"
    elif quick:  # a minute of training gets the shapes, not the classes: show the shipped U-Net
        model, recipe = load_scenes_unet()
        how = f"shipped, trained {recipe['epochs']} epochs on {recipe['n_train']} scenes (tools/train_scenes_unet.py)"
    else:
        model, how = train_scenes_unet(recipe), f"trained {recipe['epochs']} epochs on {recipe['n_train']} scenes"
    test = held_out_scenes(recipe, n=(QUICK if quick else FULL)["unet_test_scenes"])
    pred = predict_masks(model, test.images)  # create_mask, for the whole batch
    score = mean_iou(test.masks, pred, len(test.class_names))
    fig, axes = new_figure(3, 4, figsize=(9, 5.4))
    for col, i in enumerate((0, 1, 4, 5)):  # scenes with every class among them (seed 1)
        for row, (array, cmap) in enumerate(((test.images[i], None), (test.masks[i, ..., 0], "tab10"),
                                             (pred[i, ..., 0], "tab10"))):
            axes[row, col].imshow(array, cmap=cmap, vmin=0 if cmap else None, vmax=9 if cmap else None,
                                  interpolation="nearest")
            axes[row, col].axis("off")
    for row, title in enumerate(("held-out scene", "true mask", "U-Net's mask")):
        axes[row, 0].set_title(title, fontsize=8, loc="left")
    fig.suptitle(f"U-Net (n_filters={recipe['n_filters']}), {how}: held-out mean IoU {score:.2f}\n"
                 f"classes: {', '.join(test.class_names)}", fontsize=9)
    path = save_figure(fig, out_dir / "unet_masks.png")
    return DemoResult(f"U-Net on generated {recipe['source']} scenes ({how}): held-out mean IoU {score:.3f}", [path])


DEMOS = [
    Demo("week3-faces", "Week 3: a real pretrained YOLO finds faces", run_faces),
    Demo("week3-landmarks", "Week 3: 68 landmarks on a real face (face-api's net in Keras)", run_landmarks),
    Demo("week3-ssd", "Week 3: SSD MobileNet v1 beside Tiny-YOLOv2", run_ssd),
    Demo("week3-shapes", "Week 3: training a small YOLO on generated shapes", run_shapes),
    Demo("week3-unet", "Week 3: a U-Net segments generated scenes", run_unet),
]
