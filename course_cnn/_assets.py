"""Shipped assets: find them and verify them before use.

``course_cnn/assets/MANIFEST.json`` lists every shipped file with its size,
SHA-256, licence and source::

    {"tiny_face_detector.npz": {"size": 193400, "sha256": "...",
                                "license": "MIT", "source": "..."}}

Every file in the folder is listed there, photos included; the only
exceptions are the folder's own documentation: ``MANIFEST.json``,
``README.md`` and the licence texts in ``LICENSES/`` (see `unlisted_files`).

`asset_path` returns a file's path after checking its size and hash
(once per process and file, so a loop that loads a photo a thousand times
hashes it once), so a truncated or altered file fails loudly, naming the
file and saying to reinstall, instead of giving wrong numbers. A file that
the manifest does not list is never served, even when it lies in the
folder; `asset_names` lists what can be served.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

__all__ = ["ASSETS_DIR", "manifest", "asset_names", "asset_path", "unlisted_files", "record_asset", "sha256_of"]

ASSETS_DIR = Path(__file__).parent / "assets"

#: Files of the folder that document it rather than being served: they are
#: not listed in the manifest (which cannot hold its own hash).
_DOCUMENTATION = ("MANIFEST.json", "README.md", "LICENSES/")


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
    return _read_manifest(ASSETS_DIR)


def _read_manifest(assets_dir):
    path = Path(assets_dir) / "MANIFEST.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def asset_names(folder=None):
    """Names of the shipped assets, as the manifest lists them.

    Only these can be served by `asset_path`; a file dropped into the
    assets folder without a manifest record is not among them.

    Parameters
    ----------
    folder : str, optional
        Keep only the names inside this sub-folder (``"photos"``).

    Returns
    -------
    list of str
        Sorted names relative to the assets folder (``"photos/biden.jpg"``).

    Examples
    --------
    >>> "photos/obama_1.jpg" in asset_names("photos")
    True
    """
    names = sorted(manifest())
    if folder is not None:
        prefix = folder.rstrip("/") + "/"
        names = [name for name in names if name.startswith(prefix)]
    return names


def unlisted_files():
    """Files in the assets folder that the manifest does not list.

    The folder's documentation (``MANIFEST.json``, ``README.md``,
    ``LICENSES/``) is not counted. In a correct install the list is empty;
    the files in it are never served.

    Returns
    -------
    list of str
        Sorted names relative to the assets folder.

    Examples
    --------
    >>> unlisted_files()
    []
    """
    root = Path(ASSETS_DIR)
    if not root.is_dir():
        return []
    records = manifest()
    found = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return sorted(
        name for name in found
        if name not in records and not name.startswith(_DOCUMENTATION) and "__pycache__" not in name
    )  # fmt: skip


def record_asset(name, *, license, source, description, assets_dir=None):
    """Record a file's size and SHA-256 in the manifest (for the converters in ``tools/``).

    The other records are kept, so each tool rewrites only its own files'
    records (`tools/convert_face_api.py` the weights,
    `tools/ship_face_photos.py` the photos).

    Parameters
    ----------
    name : str
        File name relative to the assets folder (``"photos/biden.jpg"``).
    license, source, description : str
        Provenance written beside the hash; ``license`` names the licence
        and its text in ``LICENSES/``.
    assets_dir : os.PathLike, optional
        The assets folder (default: the package's).

    Returns
    -------
    dict
        The new record.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "a.txt").write_text("hi")
    >>> record_asset("a.txt", license="MIT", source="made here", description="demo", assets_dir=root)["size"]
    2
    """
    root = Path(ASSETS_DIR if assets_dir is None else assets_dir)
    path = root / name
    record = {
        "size": path.stat().st_size,
        "sha256": sha256_of(path),
        "license": license,
        "source": source,
        "description": description,
    }
    records = _read_manifest(root)
    records[name] = record
    (root / "MANIFEST.json").write_text(json.dumps(records, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _verified_path.cache_clear()
    return record


def sha256_of(path):
    """SHA-256 of a file, as hex.

    Parameters
    ----------
    path : str or os.PathLike
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
        When the file is not in the manifest (even if it is on disk) or
        not on disk.
    ValueError
        When its size or SHA-256 differs from the manifest (a damaged
        install); the message names the file and says to reinstall.

    Notes
    -----
    The check runs once per process and file: later calls return the
    cached path without reading the file again.

    Examples
    --------
    >>> asset_path("no-such-file")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    FileNotFoundError: ...
    """
    return _verified_path(str(ASSETS_DIR), name)


@functools.lru_cache(maxsize=None)
def _verified_path(assets_dir, name):
    """`asset_path` for one assets folder, cached: each file is hashed once per process."""
    records = _read_manifest(assets_dir)
    path = Path(assets_dir) / name
    if name not in records:
        raise FileNotFoundError(
            f"asset {name!r} is not shipped with this install of course_cnn: MANIFEST.json does not list it "
            f"(known assets: {', '.join(sorted(records)) or 'none'}); files the manifest does not list are "
            f"never served, reinstall the package (pip install --force-reinstall course_cnn) to restore it."
        )
    if not path.is_file():
        raise FileNotFoundError(
            f"asset {name!r} is missing: {str(path)!r} is not a file; "
            f"reinstall the package (pip install --force-reinstall course_cnn)."
        )
    record = records[name]
    size = path.stat().st_size
    digest = sha256_of(path) if size == record["size"] else None
    if digest != record["sha256"]:
        found = f"{size} bytes" + (f" with SHA-256 {digest[:12]}..." if digest else "")
        raise ValueError(
            f"asset {name!r} is damaged: expected {record['size']} bytes with SHA-256 "
            f"{record['sha256'][:12]}..., found {found} in {str(path)!r}; the file was changed "
            f"after installation, reinstall the package (pip install --force-reinstall course_cnn)."
        )
    return path
