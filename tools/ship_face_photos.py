"""Make the face photos we ship from the face_recognition source distribution.

Usage (re-runnable; the sdist comes from
``pip download --no-deps --no-binary :all: face_recognition==1.3.0``)::

    python tools/ship_face_photos.py face_recognition-1.3.0.tar.gz

For each photo below it reads ``tests/test_images/<file>`` from the tarball,
downscales it to a longest side of 640 px (Lanczos), writes it as
``course_cnn/assets/photos/<name>.jpg`` (JPEG quality 85, optimised), copies
the package's MIT licence to ``course_cnn/assets/LICENSES/face_recognition.txt``
and records size, SHA-256, licence and source in
``course_cnn/assets/MANIFEST.json`` (the other records are kept), where
`course_cnn.datasets.load_photo` checks them. With Pillow 13.0.0 the output
is byte for byte the shipped files; another Pillow may encode differently,
and then the manifest records the new hashes.
"""

from __future__ import annotations

import argparse
import io
import sys
import tarfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_cnn._assets import ASSETS_DIR, record_asset  # noqa: E402

#: shipped name -> file in the sdist's tests/test_images/
PHOTOS = {
    "obama_1": ("obama.jpg", "Barack Obama"),
    "obama_2": ("obama2.jpg", "Barack Obama"),
    "obama_3": ("obama3.jpg", "Barack Obama"),
    "biden": ("biden.jpg", "Joe Biden"),
}
MAX_SIDE = 640
QUALITY = 85
SDIST_ROOT = "face_recognition-1.3.0"
SOURCE = "PyPI sdist face_recognition==1.3.0 (MIT, Adam Geitgey), tests/test_images/{file}"
LICENSE = "MIT (LICENSES/face_recognition.txt)"
DESCRIPTION = "{person}, photo for face verification (downscaled to max side {side} px, JPEG quality {quality})"


def downscale(data):
    """JPEG bytes of the photo ``data`` with its longest side at most `MAX_SIDE` pixels."""
    with Image.open(io.BytesIO(data)) as img:
        img = img.convert("RGB")
        scale = MAX_SIDE / max(img.size)
        if scale < 1:
            size = (round(img.width * scale), round(img.height * scale))
            img = img.resize(size, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        img.save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()


def ship(sdist, names=tuple(PHOTOS), out_dir=ASSETS_DIR):
    out_dir = Path(out_dir)
    (out_dir / "photos").mkdir(parents=True, exist_ok=True)
    (out_dir / "LICENSES").mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist, "r:gz") as tar:
        licence = tar.extractfile(f"{SDIST_ROOT}/LICENSE").read()
        (out_dir / "LICENSES" / "face_recognition.txt").write_bytes(licence)
        for name in names:
            file, person = PHOTOS[name]
            data = tar.extractfile(f"{SDIST_ROOT}/tests/test_images/{file}").read()
            target = out_dir / "photos" / f"{name}.jpg"
            target.write_bytes(downscale(data))
            description = DESCRIPTION.format(person=person, side=MAX_SIDE, quality=QUALITY)
            record_asset(
                f"photos/{name}.jpg", license=LICENSE, source=SOURCE.format(file=file),
                description=description, assets_dir=out_dir,
            )  # fmt: skip
            print(f"wrote {target} ({target.stat().st_size / 1e3:.1f} kB)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdist", help="face_recognition-1.3.0.tar.gz from `pip download`")
    parser.add_argument("--photo", choices=sorted(PHOTOS), action="append", help="make only these")
    args = parser.parse_args(argv)
    ship(args.sdist, tuple(args.photo or PHOTOS))


if __name__ == "__main__":
    main()
