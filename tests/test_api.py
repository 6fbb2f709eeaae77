"""API-wide checks over every public name of every module.

* every name in an ``__all__`` has a docstring, and a function's docstring
  has the numpydoc sections a reader needs (Parameters when it takes
  arguments, Returns or Yields, Examples);
* a docstring holding a backslash is raw (``"\\times"`` would become a tab);
* no docstring is an f-string (its ``__doc__`` would be None).
"""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import course_cnn

PACKAGE_DIR = Path(course_cnn.__file__).parent


def _module_names():
    names = ["course_cnn"]
    for info in pkgutil.walk_packages(course_cnn.__path__, prefix="course_cnn."):
        names.append(info.name)
    return sorted(names)


def _public_objects():
    for module_name in _module_names():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if getattr(obj, "__module__", module_name).startswith("course_cnn") or inspect.ismodule(obj):
                yield f"{module_name}.{name}", obj


PUBLIC = list(_public_objects())


def test_there_are_public_objects():
    assert len(PUBLIC) > 20


@pytest.mark.parametrize("qualname, obj", PUBLIC, ids=[q for q, _ in PUBLIC])
def test_public_object_is_documented(qualname, obj):
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return  # constants and modules: documented where they are defined
    doc = inspect.getdoc(obj)
    assert doc and len(doc.splitlines()[0]) > 5, f"{qualname} has no docstring summary"
    if inspect.isfunction(obj):
        params = [p for p in inspect.signature(obj).parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        if params:
            assert "Parameters\n----------" in doc, f"{qualname}: no Parameters section"
        assert "Returns\n-------" in doc or "Yields\n------" in doc, f"{qualname}: no Returns section"
        assert "Examples\n--------" in doc, f"{qualname}: no Examples section"


def _docstring_nodes(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, (ast.Constant, ast.JoinedStr)):
                yield first.value


SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(PACKAGE_DIR)) for p in SOURCES])
def test_docstrings_with_backslashes_are_raw(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in _docstring_nodes(tree):
        segment = ast.get_source_segment(source, node) or ""
        assert not isinstance(node, ast.JoinedStr), f"{path}:{node.lineno}: f-string docstring"
        if isinstance(node.value, str) and "\\" in segment:
            assert segment.lstrip()[:1] in "rR", f"{path}:{node.lineno}: docstring with a backslash is not raw"
