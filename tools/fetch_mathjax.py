"""Put MathJax into the docs so the built site typesets math with no network.

Usage (before ``mkdocs build``; re-runnable, does nothing when present)::

    python tools/fetch_mathjax.py

It runs ``npm pack mathjax@<VERSION>`` (the npm registry is the only thing
contacted), checks the tarball's SHA-512 integrity against npm's record, and
unpacks the browser bundle (``es5/``) into ``docs/javascripts/vendor/mathjax``,
which git ignores. ``mkdocs.yml`` loads ``tex-mml-chtml.js`` from there, so the
site serves MathJax and its fonts itself instead of using a CDN.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "3.2.2"
ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "javascripts" / "vendor" / "mathjax"


KEEP = ("tex-mml-chtml.js", "input/", "output/chtml/", "ui/", "a11y/", "adaptors/")


def _needed(relative):
    return relative.startswith(KEEP)


def fetch(version=VERSION, target=TARGET, force=False):
    marker = target / ".version"
    if not force and marker.is_file() and marker.read_text().strip() == version:
        print(f"MathJax {version} already in {target}")
        return target
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm not found: install Node.js (Debian: apt-get install nodejs npm) to fetch MathJax")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [npm, "pack", f"mathjax@{version}", "--json"], cwd=tmp, check=True, capture_output=True, text=True
        ).stdout
        info = json.loads(out)[0]
        tarball = Path(tmp) / info["filename"]
        algorithm, expected = info["integrity"].split("-", 1)
        digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if digest != expected:
            sys.exit(f"MathJax tarball integrity mismatch ({algorithm}): refusing to use it")
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        with tarfile.open(tarball) as tar:
            for member in tar.getmembers():
                prefix = "package/es5/"
                if member.isfile() and member.name.startswith(prefix) and _needed(member.name[len(prefix):]):
                    dest = target / member.name[len(prefix):]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(tar.extractfile(member).read())
            licence = tar.extractfile("package/LICENSE").read()
        (target / "LICENSE").write_bytes(licence)
    marker.write_text(version + "\n")
    print(f"MathJax {version} unpacked into {target}")
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION)
    parser.add_argument("--force", action="store_true", help="fetch again even when present")
    args = parser.parse_args(argv)
    fetch(args.version, force=args.force)


if __name__ == "__main__":
    main()
