"""The tour demo's quick path, the architecture table, and the API-wide docstring check."""

import inspect

import pytest

import course_cnn.week2 as week2
from course_cnn.week2 import _tour
from course_cnn.week2._tour import DEMOS
from course_cnn.week2.summary import ARCHITECTURES, architecture_table, layer_table

# The least that runs every line of each quick demo: the two smallest architectures (the chart sorts them), a
# 32-px photo with 2 samples per augmenter, 8 channels to time.
_TINY = dict(skipped=tuple(n for n in ARCHITECTURES if n not in ("LeNet-5", "ResNet-20 (CIFAR-style)")),
             augmentation=dict(size=32, samples=2), depthwise_channels=8)


@pytest.mark.parametrize("demo", DEMOS, ids=lambda d: d.key)
def test_demo_quick_path_writes_its_files(demo, tmp_path, tiny_tour_budget):
    """Each demo's wiring with a tiny budget; the quick budget itself runs in the slow step (below)."""
    tiny_tour_budget(_tour, _TINY)
    _check_quick_demo(demo, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("demo", DEMOS, ids=lambda d: d.key)
def test_demo_quick_path_writes_its_files_at_its_quick_budget(demo, tmp_path):
    _check_quick_demo(demo, tmp_path)


def _check_quick_demo(demo, tmp_path):
    result = demo.run(tmp_path, True)
    assert result.summary
    assert result.files and all(f.is_file() and f.stat().st_size > 0 for f in result.files)


def test_architecture_table_rows():
    rows = architecture_table(["LeNet-5", "ResNet-20 (CIFAR-style)"])
    assert [r["params"] for r in rows] == [61_706, 273_754]
    # ResNet-20: 19 convs + 1 dense, plus 2 projection shortcuts = 22 conv/dense layers
    assert [r["weighted_layers"] for r in rows] == [5, 22]
    with pytest.raises(ValueError, match=r"`names` must be one of 'LeNet-5'"):
        architecture_table(["LeNet-6"])
    with pytest.raises(TypeError, match=r"`model` must be a keras.Model"):
        layer_table("lenet")


@pytest.mark.parametrize("name", week2.__all__)
def test_public_members_have_numpydoc_docstrings(name):
    obj = getattr(week2, name)
    doc = inspect.getdoc(obj)
    assert doc and len(doc.splitlines()[0]) > 10
    assert "Examples" in doc
    if inspect.isfunction(obj):
        params = [p for p in inspect.signature(obj).parameters if p not in ("args", "kwargs")]
        if params:
            assert "Parameters" in doc and all(p in doc for p in params)


MODULES = ["augmentation", "classic", "data", "depthwise", "depthwise_backward", "efficientnet", "hub", "inception", "mobilenet", "resnet",
           "resnet_depth", "summary", "transfer"]


@pytest.mark.parametrize("module", MODULES)
def test_every_module_opens_with_its_lesson_and_exports_documented_members(module):
    import importlib

    mod = importlib.import_module(f"course_cnn.week2.{module}")
    assert mod.__doc__ and len(mod.__doc__) > 200
    for name in mod.__all__:
        assert getattr(week2, name) is getattr(mod, name)  # re-exported from course_cnn.week2
        assert "Examples" in inspect.getdoc(getattr(mod, name))
