"""The converted face-api.js networks: time per image in Keras, beside the original in TF.js.

For each of the six networks (Tiny-YOLOv2 and SSD MobileNet v1 face
detectors, the 68-point landmark nets, the expression net, the 128-D face
descriptor) it times one forward pass of one image at the network's input
size: our Keras model on TensorFlow (median of ``--repeats`` runs after a
warm-up), and, with ``--tfjs``, face-api's own JavaScript on TensorFlow.js's
pure-JavaScript ``cpu`` backend in Node (``tools/face_api_reference.js``,
the set-up of ``tools/make_face_api_reference.py``), then prints a Markdown
table with the ratio and the two detectors side by side.

    python benchmarks/face_api_networks.py [--repeats 10] [--tfjs PACKAGE_DIR NODE_MODULES] [--tfjs-repeats 2]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]

# TF.js name -> (input side, label)
NETWORKS = {
    "tiny_face_detector_model": (416, "Tiny-YOLOv2 face detector"),
    "ssd_mobilenetv1_model": (512, "SSD MobileNet v1 face detector"),
    "face_landmark_68_model": (112, "68-point landmarks"),
    "face_landmark_68_tiny_model": (112, "68-point landmarks, tiny"),
    "face_expression_model": (112, "7 expressions"),
    "face_recognition_model": (150, "128-D face descriptor"),
}


def keras_models():
    from course_cnn.week1 import load_expression_classifier
    from course_cnn.week3 import load_face_detector, load_landmark_detector, load_ssd_face_detector
    from course_cnn.week4.face import load_face_encoder

    return {
        "tiny_face_detector_model": (load_face_detector(), 1.0),
        "ssd_mobilenetv1_model": (load_ssd_face_detector(), 1.0),
        "face_landmark_68_model": (load_landmark_detector("full"), 1.0),
        "face_landmark_68_tiny_model": (load_landmark_detector("tiny"), 1.0),
        "face_expression_model": (load_expression_classifier(), 1.0),
        "face_recognition_model": (load_face_encoder(), 1 / 255),  # our encoder reads [0, 1]
    }  # fmt: skip


def time_keras(repeats):
    """Median seconds per image: the model as one traced TF graph (``tf.function``), and called eagerly."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    seconds = {}
    for name, (model, scale) in keras_models().items():
        side = NETWORKS[name][0]
        x = tf.constant(rng.uniform(0, 255, (1, side, side, 3)).astype("float32") * scale)
        graph = tf.function(lambda batch, model=model: model(batch, training=False))
        for key, call in (("graph", graph), ("eager", lambda batch, model=model: model(batch, training=False))):
            tf.nest.map_structure(np.asarray, call(x))  # warm-up: tracing, allocation
            runs = []
            for _ in range(repeats):
                start = time.perf_counter()
                tf.nest.map_structure(np.asarray, call(x))
                runs.append(time.perf_counter() - start)
            seconds[name, key] = float(np.median(runs))
    return seconds


def time_tfjs(package_dir, node_modules, repeats):
    import numpy as np

    seconds = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp, jobs = Path(tmp), []
        for name, (side, _) in NETWORKS.items():
            np.random.default_rng(0).integers(0, 256, (1, side, side, 3), dtype=np.uint8).tofile(tmp / f"{name}.bin")
            jobs.append({"model": name, "input": f"{name}.bin", "shape": [1, side, side, 3], "timing_repeats": repeats})
        (tmp / "job.json").write_text(json.dumps(jobs))
        run = subprocess.run(["node", str(ROOT / "tools" / "face_api_reference.js"), package_dir, node_modules, str(tmp)],
                             capture_output=True, text=True, check=True)  # fmt: skip
    for line in run.stdout.splitlines():  # "<model> 416x416: 1234.5 ms per image (...)"
        name, _, rest = line.partition(" ")
        if name in NETWORKS and " ms per image" in rest:
            seconds[name] = float(rest.split(": ")[1].split(" ms")[0]) / 1000
    version = next((line for line in run.stdout.splitlines() if line.startswith("tfjs-core")), "")
    return seconds, version


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="timed Keras runs per network (median)")
    parser.add_argument("--tfjs", nargs=2, metavar=("PACKAGE_DIR", "NODE_MODULES"), help="also time face-api in Node")
    parser.add_argument("--tfjs-repeats", type=int, default=2, help="timed TF.js runs per network (mean)")
    args = parser.parse_args()

    import numpy as np
    import tensorflow as tf

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"machine: {cpu}, {os.cpu_count()} CPUs ({platform.machine()}), TF {tf.__version__}, numpy {np.__version__}, "
          f"Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f} at start")  # fmt: skip
    ours = time_keras(args.repeats)
    theirs, version = time_tfjs(*args.tfjs, args.tfjs_repeats) if args.tfjs else ({}, "")
    if version:
        print(f"TF.js: {version}")
    print("\n| network | input | Keras, tf.function | Keras, eager call | face-api, TF.js pure-JS cpu | TF.js / Keras graph |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (side, label) in NETWORKS.items():
        graph, eager = ours[name, "graph"], ours[name, "eager"]
        tfjs = f"{theirs[name] * 1000:.0f} ms" if name in theirs else "not run"
        ratio = f"{theirs[name] / graph:.0f}x" if name in theirs else ""
        print(f"| {label} | {side}x{side} | {graph * 1000:.1f} ms | {eager * 1000:.1f} ms | {tfjs} | {ratio} |")
    ssd, yolo = ours["ssd_mobilenetv1_model", "graph"], ours["tiny_face_detector_model", "graph"]
    print(f"\nSSD MobileNet v1 at 512 takes {ssd / yolo:.1f}x the time of Tiny-YOLOv2 at 416 (networks only, Keras graph)"
          + (f"; {theirs['ssd_mobilenetv1_model'] / theirs['tiny_face_detector_model']:.1f}x in TF.js." if theirs else "."))


if __name__ == "__main__":
    main()
