"""Regenerate the docs figures of face-api.js's converted networks.

Usage (from the repository root; under a minute on a CPU)::

    python -m course_cnn.week3._face_api_figures

writes ``docs/week3/img/face_landmarks.jpg`` (68 landmarks on the shipped
photos), ``docs/week3/img/ssd_vs_tiny_yolo.jpg`` (the two real detectors side
by side) and ``docs/week1/img/expressions.jpg`` (expression probabilities),
drawn by the tour's demos and saved as JPEG to keep the site small.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def _as_jpeg(png, target):
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(png) as img:
        img.convert("RGB").save(target, quality=80, optimize=True)
    return target


def main(root="."):
    from course_cnn.week1._tour import run_expressions
    from course_cnn.week3._tour_face_api import run_landmarks, run_ssd

    root = Path(root)
    targets = {
        run_landmarks: root / "docs/week3/img/face_landmarks.jpg",
        run_ssd: root / "docs/week3/img/ssd_vs_tiny_yolo.jpg",
        run_expressions: root / "docs/week1/img/expressions.jpg",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for run, target in targets.items():
            result = run(Path(tmp), False)
            print(_as_jpeg(result.files[0], target), "-", result.summary)


if __name__ == "__main__":
    main(*sys.argv[1:])
