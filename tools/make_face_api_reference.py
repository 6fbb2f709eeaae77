"""Record what the ORIGINAL face-api networks output on fixed inputs (test data).

Usage (re-runnable; needs Node.js and the two npm downloads below, nothing else)::

    cd /tmp && npm pack @vladmandic/face-api@1.7.15 && tar xzf vladmandic-face-api-1.7.15.tgz
    mkdir /tmp/tfjs && cd /tmp/tfjs && npm install --ignore-scripts @tensorflow/tfjs@4.22.0
    python tools/make_face_api_reference.py /tmp/package /tmp/tfjs/node_modules

For every converted network it builds a few small uint8 RGB inputs (a face or
photo from the shipped photos, and uniform noise), enlarges them by an integer
factor with nearest-neighbour repetition to the network's input size (so that
Python and JavaScript see the very same pixels without storing them full size),
runs face-api's own JavaScript (``dist/face-api.node-wasm.js`` on TensorFlow.js's
pure-JavaScript ``cpu`` backend; see ``tools/face_api_reference.js``) and writes
``tests/data/face_api/<model>.npz`` with

* ``inputs``: the small inputs, uint8 of shape (m, h, w, 3), and ``repeat``,
  the enlargement factor (the network input is ``inputs.repeat(r, 1).repeat(r, 2)``);
* ``output_0``, ``output_1``: what the network returned (float32), see the
  runners in ``tools/face_api_reference.js``; for the SSD, ``output_0`` (the
  boxes) is kept only for the anchors in ``anchor_index``;
* ``source``: versions and backend.

``tests/test_face_api_reference.py`` checks that our Keras models give the same.

With ``--pipelines`` it also runs face-api's whole pipeline on the shipped
face photos (``tools/face_api_pipeline.js``: ``detectAllFaces`` with SSD and
its 68 landmarks, and with the tiny detector) and writes
``tests/data/face_api/pipelines.json`` (boxes, scores, landmarks in pixels),
against which the tests compare `detect_faces_ssd`, `detect_faces` and
`detect_landmarks` on the same photos.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT_DIR = ROOT / "tests" / "data" / "face_api"

# model -> (network input side, stored side): repeat = input side / stored side
SIZES = {
    "tiny_face_detector_model": (416, 52),
    "face_recognition_model": (150, 75),
    "face_landmark_68_model": (112, 56),
    "face_landmark_68_tiny_model": (112, 56),
    "face_expression_model": (112, 56),
    "ssd_mobilenetv1_model": (512, 64),
}
# the SSD's boxes are kept for every 5th anchor and the best-scoring ones (its 5118 x 4 numbers
# per input would make the file 10 times larger); its scores are kept for every anchor
SSD_BOX_STRIDE, SSD_TOP_BOXES = 5, 16


def _square(image, side):
    """Pad to a square with black at the bottom/right, resize to side x side (PIL, bilinear)."""
    from PIL import Image

    height, width = image.shape[:2]
    square = np.zeros((max(height, width),) * 2 + (3,), np.uint8)
    square[:height, :width] = image
    return np.asarray(Image.fromarray(square).resize((side, side), Image.BILINEAR))


def _face_crop(image, side):
    """The largest face found by the week-3 detector, as a square crop resized to side x side."""
    from course_cnn.week3 import detect_faces

    _, boxes = detect_faces(image)
    y1, x1, y2, x2 = np.round(boxes[0]).astype(int)
    return _square(image[y1:y2, x1:x2], side)


def make_inputs(model, side):
    """The small inputs of one model: photos (or faces) and noise, uint8 (m, side, side, 3)."""
    from course_cnn.datasets import load_photo

    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, (side, side, 3), dtype=np.uint8)
    if model == "tiny_face_detector_model":
        photos = [_square(load_photo(name), side) for name in ("grace_hopper", "obama_2")]
    elif model == "ssd_mobilenetv1_model":
        photos = [_square(load_photo("grace_hopper"), side)]
    else:
        photos = [_face_crop(load_photo(name), side) for name in ("grace_hopper", "obama_1", "biden")]
    return np.stack(photos + [noise])


def run_face_api(package_dir, node_modules, jobs):
    """Run tools/face_api_reference.js; returns {model: [output arrays]} and its log."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        spec = []
        for model, (x, repeat) in jobs.items():
            full = x.repeat(repeat, axis=1).repeat(repeat, axis=2)  # (m, side * r, side * r, 3)
            full.tofile(tmp / f"{model}.bin")
            spec.append({"model": model, "input": f"{model}.bin", "shape": list(full.shape)})
        (tmp / "job.json").write_text(json.dumps(spec))
        script = ROOT / "tools" / "face_api_reference.js"
        run = subprocess.run(
            ["node", str(script), str(package_dir), str(node_modules), str(tmp)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        results = {}
        for model in jobs:
            meta = json.loads((tmp / f"{model}.bin.out.json").read_text())
            results[model] = [
                np.fromfile(tmp / f"{model}.bin.out.{k}.bin", dtype="<f4").reshape(shape)
                for k, shape in enumerate(meta["shapes"])
            ]
    return results, run.stdout


PIPELINE_PHOTOS = ("grace_hopper", "obama_1", "obama_2", "obama_3", "biden")


def run_pipelines(package_dir, node_modules):
    """face-api's detectAllFaces (+ landmarks) on the shipped face photos; writes pipelines.json."""
    from course_cnn.datasets import load_photo

    with tempfile.TemporaryDirectory() as tmp:
        tmp, spec = Path(tmp), []
        for name in PIPELINE_PHOTOS:
            image = load_photo(name)
            image.tofile(tmp / f"{name}.bin")
            spec.append({"name": name, "input": f"{name}.bin", "shape": list(image.shape)})
        (tmp / "job.json").write_text(json.dumps(spec))
        script = ROOT / "tools" / "face_api_pipeline.js"
        subprocess.run(["node", str(script), str(package_dir), str(node_modules), str(tmp)], capture_output=True, check=True)
        result = json.loads((tmp / "out.json").read_text())
    result["source"] = "@vladmandic/face-api@1.7.15 detectAllFaces (tools/face_api_pipeline.js) on assets/photos"
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "pipelines.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"pipelines: {', '.join(PIPELINE_PHOTOS)} ({result['backend']})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_dir", help="the unpacked @vladmandic/face-api@1.7.15 tarball (its package/ folder)")
    parser.add_argument("node_modules", help="node_modules holding @tensorflow/tfjs@4.22.0")
    parser.add_argument("--model", choices=sorted(SIZES), action="append", help="only these")
    parser.add_argument("--pipelines", action="store_true", help="only face-api's whole pipeline on the shipped photos")
    args = parser.parse_args(argv)
    if args.pipelines:
        return run_pipelines(Path(args.package_dir), Path(args.node_modules))
    models = args.model or sorted(SIZES)
    jobs = {}
    for model in models:
        full, side = SIZES[model]
        jobs[model] = (make_inputs(model, side), full // side)
    results, log = run_face_api(Path(args.package_dir), Path(args.node_modules), jobs)
    backend = next(line for line in log.splitlines() if line.startswith("tfjs-core"))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for model in models:
        inputs, repeat = jobs[model]
        outputs = {f"output_{k}": out.astype(np.float32) for k, out in enumerate(results[model])}
        if model == "ssd_mobilenetv1_model":  # boxes (m, 5118, 4) of a subset of anchors only
            scores = outputs["output_1"]
            top = np.argsort(-scores, axis=1)[:, :SSD_TOP_BOXES].ravel()
            index = np.union1d(np.arange(0, scores.shape[1], SSD_BOX_STRIDE), top)
            outputs["output_0"], outputs["anchor_index"] = outputs["output_0"][:, index], index
        source = f"@vladmandic/face-api@1.7.15 dist/face-api.node-wasm.js, {backend} (tools/face_api_reference.js)"
        np.savez_compressed(OUT_DIR / f"{model}.npz", inputs=inputs, repeat=np.int64(repeat), source=source, **outputs)
        print(f"{model}: inputs {inputs.shape} x{repeat}, outputs {[o.shape for o in outputs.values()]}")


if __name__ == "__main__":
    main()
