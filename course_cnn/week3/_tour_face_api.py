"""Week 3's tour demos of face-api.js's converted networks: 68 landmarks, and SSD beside Tiny-YOLOv2."""

from __future__ import annotations

import time

from course_cnn.tour import DemoResult

_FACE_PHOTOS = ("grace_hopper", "obama_1", "biden", "obama_2", "obama_3")

# The photos each demo shows, with --quick and without; the test suite shrinks them to check the wiring fast.
QUICK = dict(landmarks=_FACE_PHOTOS[:1], ssd=("grace_hopper", "obama_1", "flower"))
FULL = dict(landmarks=_FACE_PHOTOS, ssd=(*_FACE_PHOTOS, "flower", "china"))


def run_landmarks(out_dir, quick):
    from course_cnn.datasets import load_photo
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week3 import detect_faces, detect_landmarks, plot_face_landmarks

    names = (QUICK if quick else FULL)["landmarks"]
    fig, axes = new_figure(1, len(names), figsize=(3.6 * len(names), 4.0))
    for ax, name in zip(axes if len(names) > 1 else [axes], names):
        image = load_photo(name)
        _, boxes = detect_faces(image)
        plot_face_landmarks(image, detect_landmarks(image, boxes[0]), ax=ax, box=boxes[0])
        ax.set_title(f"{name}: 68 landmarks", fontsize=9)
    path = save_figure(fig, out_dir / "landmarks.png")
    return DemoResult(f"face-api's 68-point landmark net (Keras) on {', '.join(names)}, face found by Tiny-YOLOv2", [path])


def run_ssd(out_dir, quick):
    import numpy as np

    from course_cnn.datasets import load_photo
    from course_cnn.plots import draw_boxes_on_image, new_figure, save_figure
    from course_cnn.week2 import separable_multiplications_table
    from course_cnn.week3 import detect_faces, detect_faces_ssd, iou, load_face_detector, load_ssd_face_detector

    names = (QUICK if quick else FULL)["ssd"]
    load_face_detector(), load_ssd_face_detector()  # built before timing
    fig, axes = new_figure(2, len(names), figsize=(3.2 * len(names), 6.6))
    seconds, overlaps = {"ssd": [], "yolo": []}, []
    for column, name in enumerate(names):
        image, found = load_photo(name), {}
        for row, (key, detect) in enumerate((("ssd", detect_faces_ssd), ("yolo", detect_faces))):
            start = time.perf_counter()
            scores, found[key] = detect(image)
            seconds[key].append(time.perf_counter() - start)
            draw_boxes_on_image(image, found[key], ["face"] * len(scores), scores, box_format="yxyx", ax=axes[row, column])
            axes[row, column].set_title(f"{'SSD MobileNet v1' if key == 'ssd' else 'Tiny-YOLOv2'}: {name}", fontsize=8)
        if len(found["ssd"]) and len(found["yolo"]):
            overlaps.append(float(iou(found["ssd"][0], found["yolo"][0])))
    path = save_figure(fig, out_dir / "ssd_vs_tiny_yolo.png")
    rows = separable_multiplications_table(load_ssd_face_detector())
    table = out_dir / "ssd_multiplications.csv"
    lines = ["layer,output,f,n_C_prev,separable,multiplications,standard"]
    lines += [f"{r['layer']},{'x'.join(map(str, r['output']))},{r['f']},{r['n_C_prev']},{r['separable']},"
              f"{r['multiplications']},{r['standard']}" for r in rows]  # fmt: skip
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    saved = sum(r["standard"] for r in rows) / sum(r["multiplications"] for r in rows)
    summary = (
        f"SSD {np.median(seconds['ssd']):.2f} s vs Tiny-YOLOv2 {np.median(seconds['yolo']):.2f} s per photo (median); "
        f"IoU of their boxes {', '.join(f'{v:.2f}' for v in overlaps)}; SSD's convolutions cost {saved:.1f}x less "
        "with depthwise separation"
    )
    return DemoResult(summary, [path, table])
