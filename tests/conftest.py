"""Shared test fixtures.

* ``slow`` marks long tests (training, real corpora); the default run skips
  them (``addopts = -m "not slow"`` in setup.cfg) and CI runs them in a
  separate step with ``pytest -m slow``.
* ``CourseCNNWarning`` is an error in tests (setup.cfg ``filterwarnings``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def newsgroups_archive():
    """The real 20 Newsgroups archive in ../shared/data (fails when absent: CI lays shared/ beside the checkout)."""
    path = SHARED_DATA / "20news-bydate.tar.gz"
    if not path.is_file():
        pytest.fail(f"20 Newsgroups archive not found at {path} (shared/data is laid beside the checkout)")
    return path


@pytest.fixture(scope="session")
def fashion_mnist_dir():
    """Folder of the Fashion-MNIST IDX files (Debian's dataset-fashion-mnist)."""
    from course_cnn.datasets import find_fashion_mnist

    folder = find_fashion_mnist()
    if folder is None:
        pytest.fail("Fashion-MNIST not found: .ci/run installs Debian's dataset-fashion-mnist")
    return folder


@pytest.fixture(scope="session")
def resnet50_course():
    """The course's ResNet50 (64x64x3, 6 classes), built once per session: the tests using it only read it."""
    from course_cnn.week2 import ResNet50

    return ResNet50(input_shape=(64, 64, 3), classes=6)


@pytest.fixture
def eager_tf_functions():
    """Run every ``tf.function`` eagerly in this test (Keras' train, test and predict steps included).

    For tests of a step or two on tiny inputs, where tracing a graph costs
    seconds and proves nothing of ours: what they check (shapes, files,
    wiring, a loss that moves) is the same eagerly. Graph mode is what the
    rest of the suite and the slow step run.
    """
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)
    try:
        yield
    finally:
        tf.config.run_functions_eagerly(False)


@pytest.fixture
def tiny_tour_budget(monkeypatch):
    """``shrink(module, tiny)``: a tour module's ``QUICK`` budgets replaced by ``tiny`` for this test.

    The default run checks each demo's wiring at the smallest budget that
    still writes every file; the real quick budget (with its quality
    thresholds) runs as a slow test. Every budget needs a tiny value, with
    the same keys, so a new one cannot slip through at full size.
    """

    def shrink(module, tiny):
        assert set(tiny) == set(module.QUICK), "every QUICK budget needs a tiny value"
        for key, value in tiny.items():
            if isinstance(module.QUICK[key], dict):
                assert set(value) == set(module.QUICK[key]), key
            monkeypatch.setitem(module.QUICK, key, value)

    return shrink


# What the docs tests measured (tests/docs/test_site.py writes it), shown in the terminal summary. The hooks
# live here, not in tests/docs/, because with xdist only this conftest is loaded by the controlling process.
DOCS_REPORT = Path(__file__).resolve().parents[1] / "test-artifacts" / "docs" / "report.txt"


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller (or a run without xdist)
        DOCS_REPORT.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter):
    if DOCS_REPORT.is_file():
        terminalreporter.section("docs site")
        for line in DOCS_REPORT.read_text(encoding="utf-8").splitlines():
            terminalreporter.write_line(line)
