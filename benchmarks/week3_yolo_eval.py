"""YOLO post-processing and NMS speed, ours side by side with the alternatives.

1. ``yolo_eval_batch`` (one compiled ``tf.function`` for the batch) versus the
   course-style per-image ``yolo_eval`` called in a Python loop, on 32 outputs
   of shape 19x19x5x85 (YOLOv2 on COCO: 5 anchors, 80 classes).
2. Our greedy numpy ``non_max_suppression`` versus ``tf.image.non_max_suppression``
   at 1,000 and 8,000 boxes (same boxes, same result checked).
3. Sliding windows: the naive loop of classifier calls versus the
   convolutional implementation (``dense_to_conv``) on a 64x64 image.

Usage: ``python benchmarks/week3_yolo_eval.py`` (prints a Markdown table).
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def best_time(fn, repeats=5):
    fn()  # warm up (tracing, caches)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def yolo_outputs(rng, m=32):
    import tensorflow as tf

    from course_cnn.week3 import yolo_head

    feats = rng.normal(size=(m, 19, 19, 5 * 85)).astype("float32")
    feats[..., 4::85] += 2.0  # confident enough that some boxes pass the 0.6 threshold
    feats[..., 5::85] += 4.0  # a dominant class
    anchors = [[0.57, 0.68], [1.87, 2.06], [3.34, 5.47], [7.88, 3.53], [9.77, 9.17]]
    return tuple(tf.constant(t) for t in yolo_head(feats, anchors, 80))


def bench_eval(rng, rows):
    import numpy as np

    from course_cnn.week3 import yolo_eval, yolo_eval_batch

    outputs = yolo_outputs(rng)
    per_image = [tuple(t[j] for t in outputs) for j in range(32)]
    batch_s = best_time(lambda: yolo_eval_batch(outputs))
    loop_s = best_time(lambda: [yolo_eval(o) for o in per_image], repeats=3)
    valid = yolo_eval_batch(outputs)[3].numpy()
    assert list(valid) == [len(yolo_eval(o)[0]) for o in per_image]
    rows.append(("yolo_eval_batch vs loop of yolo_eval, 32 x 19x19x5x85", f"{batch_s * 1e3:.1f} ms", f"{loop_s * 1e3:.1f} ms",
                 f"{loop_s / batch_s:.1f}x", f"{int(np.mean(valid))} boxes/image kept"))


def bench_nms(rng, rows):
    import numpy as np
    import tensorflow as tf

    from course_cnn.week3 import non_max_suppression

    for n in (1000, 8000):
        lo = rng.uniform(0, 1000, (n, 2))
        boxes = np.concatenate([lo, lo + rng.uniform(10, 80, (n, 2))], axis=1).astype(np.float32)
        scores = rng.uniform(size=n).astype(np.float32)
        ours = non_max_suppression(boxes, scores, n, 0.5)
        theirs = tf.image.non_max_suppression(boxes, scores, n, 0.5).numpy()
        assert np.array_equal(ours, theirs)
        ours_s = best_time(lambda: non_max_suppression(boxes, scores, n, 0.5), repeats=3)
        tf_s = best_time(lambda: tf.image.non_max_suppression(boxes, scores, n, 0.5), repeats=3)
        rows.append((f"numpy non_max_suppression vs tf.image, {n} boxes", f"{ours_s * 1e3:.1f} ms", f"{tf_s * 1e3:.1f} ms",
                     f"{tf_s / ours_s:.2f}x", f"{len(ours)} kept (same indices)"))


def bench_windows(rng, rows):
    import numpy as np

    from course_cnn.week3 import dense_to_conv, sliding_window_detect, window_classifier

    classifier = window_classifier(seed=0)
    conv = dense_to_conv(classifier)
    image = rng.uniform(size=(64, 64, 3)).astype(np.float32)
    naive = sliding_window_detect(classifier, image, 14, 2)
    assert np.allclose(conv(image[None]).numpy()[0], naive, atol=1e-5)
    naive_s = best_time(lambda: sliding_window_detect(classifier, image, 14, 2), repeats=1)
    conv_s = best_time(lambda: conv(image[None]))
    rows.append((f"convolutional vs naive sliding windows, 64x64 image ({naive.shape[0]}x{naive.shape[1]} windows)",
                 f"{conv_s * 1e3:.1f} ms", f"{naive_s * 1e3:.1f} ms", f"{naive_s / conv_s:.0f}x", "same outputs"))


def main():
    import numpy as np
    import tensorflow as tf

    import argparse

    parser = argparse.ArgumentParser(description="week-3 speed benchmarks")
    parser.add_argument("--only", nargs="+", choices=("eval", "nms", "windows"), default=("eval", "nms", "windows"))
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    rows = []
    for name, bench in (("eval", bench_eval), ("nms", bench_nms), ("windows", bench_windows)):
        if name in args.only:
            bench(rng, rows)
    print(f"TensorFlow {tf.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    print("| what | ours | peer | speed-up of ours | note |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
