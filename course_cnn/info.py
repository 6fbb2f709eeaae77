"""What this install can do offline: versions, data and assets found."""

from __future__ import annotations

import importlib
import platform
import sys

from course_cnn import __version__, _assets, _checks, datasets

__all__ = ["collect_info", "format_info"]

_PACKAGES = ("numpy", "scipy", "sklearn", "matplotlib", "PIL", "h5py", "keras", "tensorflow", "tensorflow_hub")


def collect_info(import_tensorflow=True):
    """Gather versions and the offline data and assets this install finds.

    Parameters
    ----------
    import_tensorflow : bool, default True
        Import TensorFlow, Keras and Hub to report their versions (slow:
        several seconds); otherwise they are reported as not checked.

    Returns
    -------
    dict
        ``{"versions": {...}, "data": {...}, "assets": {...}, "photos": {...}}``.

    Examples
    --------
    >>> info = collect_info(import_tensorflow=False)
    >>> info["versions"]["course_cnn"] == __version__
    True
    """
    heavy = {"keras", "tensorflow", "tensorflow_hub"}
    versions = {"course_cnn": __version__, "python": sys.version.split()[0], "platform": platform.platform()}
    for name in _PACKAGES:
        if name in heavy and not import_tensorflow:
            versions[name] = "not checked (--no-tensorflow)"
            continue
        try:
            versions[name] = getattr(importlib.import_module(name), "__version__", "installed")
        except Exception as exc:  # missing or broken install
            versions[name] = f"unavailable ({type(exc).__name__})"
    fashion = datasets.find_fashion_mnist()
    news = datasets.find_20newsgroups()
    data = {
        "Fashion-MNIST": str(fashion) if fashion else "not found (apt-get install dataset-fashion-mnist)",
        "20 Newsgroups": str(news) if news else "not found (set COURSE_CNN_20NG to the archive)",
        "digits": "scikit-learn (always available)",
    }
    assets = {}
    for name, record in _assets.manifest().items():
        try:
            _assets.asset_path(name)
            assets[name] = f"ok, {record['size'] / 1e6:.2f} MB, {record.get('license', '?')}"
        except (FileNotFoundError, ValueError) as exc:
            assets[name] = f"PROBLEM: {exc}"
    return {"versions": versions, "data": data, "assets": assets, "photos": datasets.list_photos()}


def format_info(info):
    """Format `collect_info`'s result for the terminal.

    Parameters
    ----------
    info : dict
        As returned by `collect_info`.

    Returns
    -------
    str
        Aligned, sectioned text.

    Examples
    --------
    >>> print(format_info({"versions": {"numpy": "2.0"}}))
    versions
      numpy  2.0
    """
    lines = []
    if not isinstance(info, dict):
        raise _checks.fail("info", "be the dict that collect_info returns", _checks.describe(info), TypeError)
    for section, entries in info.items():
        lines.append(section)
        width = max((len(k) for k in entries), default=0)
        lines.extend(f"  {key:<{width}}  {value}" for key, value in entries.items())
        if not entries:
            lines.append("  (none)")
    return "\n".join(lines)
