"""Convert the face-api.js weights we ship from the npm package's tarball.

Usage (re-runnable; the tarball comes from ``npm pack @vladmandic/face-api@1.7.15``)::

    python tools/convert_face_api.py vladmandic-face-api-1.7.15.tgz

For each model below it reads ``package/model/<model>-weights_manifest.json``
and its shards from the tarball, writes ``course_cnn/assets/<model>.npz``
(uint8 bytes kept quantised, see ``course_cnn._tfjs``), copies the package's
MIT licence to ``course_cnn/assets/LICENSES/face-api.txt`` and records size,
SHA-256, licence and source in ``course_cnn/assets/MANIFEST.json``, keeping
the other records (the photos' come from ``tools/ship_face_photos.py``). The Keras
architectures that consume these weights live with the code that uses them
(``course_cnn.week3`` for the detector, ``course_cnn.week4.face`` for the
encoder).

The tiny face detector's 19 tensors are ``conv0/filters`` and ``conv0/bias``
(a plain 3x3 conv, 3 -> 16), ``conv1`` ... ``conv5`` each with
``depthwise_filter``, ``pointwise_filter`` and ``bias`` (separable 3x3 convs,
16 -> 32 -> 64 -> 128 -> 256 -> 512), and ``conv8/filters``, ``conv8/bias``
(1x1, 512 -> 25 = 5 anchors x (t_x, t_y, t_w, t_h, t_o)); they load unchanged
into the Keras layers of the same names built by
``course_cnn.week3.load_face_detector`` (TF.js and Keras share the HWIO
kernel layout).

The landmark nets (``course_cnn.week3.load_landmark_detector``), the
expression net (``course_cnn.week1.load_expression_classifier``) and the SSD
MobileNet v1 (``course_cnn.week3.load_ssd_face_detector``) are converted the
same way; every tensor keeps its TF.js name (``dense0/conv1/depthwise_filter``,
``MobilenetV1/Conv2d_1_depthwise/BatchNorm/gamma``, ``Output/extra_dim`` = the
SSD's 5118 anchors). Some tensors are stored as float32 (the expression net's
biases, the anchors) and are kept as such. That the Keras models built on
these weights give the original's outputs is checked against face-api's own
JavaScript: ``tools/make_face_api_reference.py``.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_cnn._assets import ASSETS_DIR, record_asset  # noqa: E402
from course_cnn._tfjs import parse_tfjs_weights, save_weights_npz  # noqa: E402

MODELS = {
    "tiny_face_detector_model": "Tiny-YOLOv2 face detector (416x416 input, 13x13 grid, 5 anchors)",
    "face_recognition_model": "128-D ResNet-34-like face descriptor (dlib's network, 150x150 input)",
    "face_landmark_68_model": "68-point face landmark regressor (4 dense blocks of separable convs, 112x112 face crop)",
    "face_landmark_68_tiny_model": "68-point face landmark regressor, tiny (3 dense blocks of separable convs, 112x112)",
    "face_expression_model": "7-expression face classifier (landmark net's feature extractor + softmax, 112x112 crop)",
    "ssd_mobilenetv1_model": "SSD MobileNet v1 face detector (512x512 input, 5118 anchors on 6 scales)",
}
SOURCE = "npm package @vladmandic/face-api@1.7.15 (MIT), package/model/{model}-weights_manifest.json + shards"


def convert(tarball, models=tuple(MODELS), out_dir=ASSETS_DIR):
    out_dir = Path(out_dir)
    (out_dir / "LICENSES").mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:gz") as tar:
        licence = tar.extractfile("package/LICENSE").read()
        (out_dir / "LICENSES" / "face-api.txt").write_bytes(licence)
        for model in models:
            spec_name = f"package/model/{model}-weights_manifest.json"
            manifest = json.loads(tar.extractfile(spec_name).read())
            shards = [
                tar.extractfile(posixpath.join("package/model", p)).read() for group in manifest for p in group["paths"]
            ]
            target = save_weights_npz(out_dir / f"{model}.npz", parse_tfjs_weights(manifest, shards))
            record_asset(
                target.name, license="MIT (LICENSES/face-api.txt)", source=SOURCE.format(model=model),
                description=MODELS[model], assets_dir=out_dir,
            )  # fmt: skip
            print(f"wrote {target} ({target.stat().st_size / 1e6:.2f} MB)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", help="vladmandic-face-api-1.7.15.tgz from `npm pack`")
    parser.add_argument("--model", choices=sorted(MODELS), action="append", help="convert only these")
    args = parser.parse_args(argv)
    convert(args.tarball, tuple(args.model or MODELS))


if __name__ == "__main__":
    main()
