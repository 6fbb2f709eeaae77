"""Names of a package that load their module on first use (PEP 562).

A package whose Keras-based names live in a few submodules keeps its other
tools free of TensorFlow's start-up: ``from course_cnn.week1 import zero_pad``
loads no TensorFlow, ``from course_cnn.week1 import happyModel`` loads Keras
then.
"""

from __future__ import annotations

import importlib


def lazy_attributes(package: str, names: dict[str, str], namespace: dict):
    """``__getattr__`` and ``__dir__`` for ``package``, whose ``names`` map to the submodules defining them.

    A name, once loaded, is stored in ``namespace`` (the package's globals) and is a plain attribute from then on.
    """

    def __getattr__(name):
        if name in names:
            value = getattr(importlib.import_module(f"{package}.{names[name]}"), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
