"""Train the small YOLO on generated shapes until mAP@0.5 >= 0.9 (CPU).

Usage::

    python benchmarks/week3_train_detector.py [--epochs 40] [--train 3000] [--test 500]

Prints one line per evaluation (epoch, minutes, held-out mAP@0.5) and the
final result; with ``--figure PATH`` draws predictions on held-out images.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--train", type=int, default=3000)
    parser.add_argument("--test", type=int, default=500)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--grid", type=int, default=8)
    parser.add_argument("--target", type=float, default=0.9)
    parser.add_argument("--eval-every", type=int, default=5)
    parser.add_argument("--stop-at-target", action="store_true", help="stop at the first evaluation reaching --target")
    parser.add_argument("--figure", default=None)
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    from course_cnn.week3 import (
        YoloLoss,
        evaluate_detector,
        make_detection_dataset,
        make_detection_images,
        tiny_yolo,
    )

    keras.utils.set_random_seed(0)
    dataset, _, anchors = make_detection_dataset(args.train, args.image_size, args.grid, batch_size=32, seed=0)
    test = make_detection_images(args.test, args.image_size, seed=1)
    print(f"anchors (cells, k-means on training boxes): {np.round(anchors, 2).tolist()}", flush=True)
    model = tiny_yolo((args.image_size, args.image_size, 3), args.grid, anchors, 3)
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss=YoloLoss(anchors))
    start = time.perf_counter()
    m_ap, epoch, reached = 0.0, 0, None
    while epoch < args.epochs:
        history = model.fit(dataset, epochs=epoch + args.eval_every, initial_epoch=epoch, verbose=2, shuffle=False)
        epoch += args.eval_every
        m_ap = evaluate_detector(model, test, anchors, 3)
        minutes = (time.perf_counter() - start) / 60
        print(f"epoch {epoch}: loss {history.history['loss'][-1]:.3f}, held-out mAP@0.5 {m_ap:.3f}, {minutes:.1f} min", flush=True)
        if m_ap >= args.target and reached is None:
            reached = (epoch, minutes)
            if args.stop_at_target:
                break
    print(f"RESULT: mAP@0.5 {m_ap:.3f} on {args.test} held-out images after {epoch} epochs "
          f"({args.train} training images {args.image_size}x{args.image_size}), {minutes:.1f} min")
    if reached:
        print(f"RESULT: mAP@0.5 >= {args.target} first reached after {reached[0]} epochs, {reached[1]:.1f} min")
    if args.figure:
        from course_cnn.week3.tiny_yolo import detect_objects
        from course_cnn.week3.detection_data import SHAPE_CLASSES
        from course_cnn.plots import new_figure, draw_boxes_on_image, save_figure

        pred = detect_objects(model, test.images[:8], anchors, 3)
        fig, axes = new_figure(2, 4, figsize=(10, 5))
        for ax, image, (boxes, scores, classes) in zip(axes.ravel(), test.images, pred):
            draw_boxes_on_image(image, boxes * args.image_size - 0.5, [SHAPE_CLASSES[c] for c in classes], scores, ax=ax)
        fig.suptitle(f"tiny_yolo on held-out shapes: mAP@0.5 = {m_ap:.3f}")
        save_figure(fig, args.figure)
    return m_ap


if __name__ == "__main__":
    main()
