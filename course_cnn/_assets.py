"""Shipped assets: find them and verify them before use.

``course_cnn/assets/MANIFEST.json`` lists every shipped file with its size,
SHA-256, licence and source::

    {"tiny_face_detector.npz": {"size": 193400, "sha256": "...",
                                "license": "MIT", "source": "..."}}

`asset_path` returns a file's path after checking its size and hash
(once per process), so a truncated or altered file fails loudly instead of
giving wrong numbers.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

__all__ = ["ASSETS_DIR", "manifest", "asset_path", "sha256_of"]

ASSETS_DIR = Path(__file__).parent / "assets"


def manifest():
    """Read ``assets/MANIFEST.json``.

    Returns
    -------
    dict of str to dict
        File name (relative to the assets folder) -> its record.

    Examples
    --------
    >>> isinstance(manifest(), dict)
    True
    """
    path = ASSETS_DIR / "MANIFEST.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def sha256_of(path):
    """SHA-256 of a file, as hex.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> len(sha256_of(__file__))
    64
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def asset_path(name):
    """Path of a shipped asset, verified against the manifest.

    Parameters
    ----------
    name : str
        File name relative to ``course_cnn/assets`` (``"photos/obama_1.jpg"``).

    Returns
    -------
    pathlib.Path
        The verified file.

    Raises
    ------
    FileNotFoundError
        When the file is not in the manifest or not on disk.
    ValueError
        When its size or SHA-256 differs from the manifest (a damaged install).

    Examples
    --------
    >>> asset_path("no-such-file")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    FileNotFoundError: ...
    """
    records = manifest()
    path = ASSETS_DIR / name
    if name not in records or not path.is_file():
        raise FileNotFoundError(
            f"asset {name!r} is not shipped with this install of course_cnn "
            f"(known assets: {', '.join(sorted(records)) or 'none'}); reinstall the package."
        )
    record = records[name]
    size = path.stat().st_size
    if size != record["size"] or sha256_of(path) != record["sha256"]:
        raise ValueError(
            f"asset {name!r} is damaged: expected {record['size']} bytes with SHA-256 "
            f"{record['sha256'][:12]}..., found {size} bytes; reinstall the package."
        )
    return path
