"""Quick versions of the docs experiments run end to end (slow: they train small models)."""

import pytest

pytestmark = pytest.mark.slow


def test_synthesis_quick(tmp_path, fashion_mnist_dir, monkeypatch):
    monkeypatch.setenv("COURSE_CNN_FASHION_MNIST", str(fashion_mnist_dir))
    from course_cnn.strategy._experiments import run_synthesis

    numbers, files = run_synthesis(tmp_path, quick=True)
    errors = numbers["errors"]
    # a model trained on clean images does worse on the foggy dev set than one trained with synthesised fog
    assert errors["clean training data"]["foggy dev"] > errors["synthesised fog (pool of 500)"]["foggy dev"]
    assert all(f.is_file() for f in files)


def test_transfer_quick(tmp_path, fashion_mnist_dir, monkeypatch):
    monkeypatch.setenv("COURSE_CNN_FASHION_MNIST", str(fashion_mnist_dir))
    from course_cnn.strategy._experiments import run_transfer

    numbers, files = run_transfer(tmp_path, quick=True)
    assert set(numbers["errors"]) == {"from scratch", "transfer, frozen body", "transfer, fine-tune all"}
    assert all(0 <= v["mean"] <= 100 for v in numbers["errors"].values())
    assert all(f.is_file() for f in files)


def test_multitask_quick(tmp_path):
    from course_cnn.strategy._experiments import run_multitask

    numbers, files = run_multitask(tmp_path, quick=True)
    # "same budget": the four separate nets together have about as many parameters as the joint one
    (budget,) = numbers["budgets"]
    assert abs(budget["params_separate"] - budget["params_multitask"]) < 0.1 * budget["params_multitask"]
    assert len(budget["error_multitask"]) == len(budget["error_separate"]) == 4
    assert all(f.is_file() for f in files)


def test_end_to_end_quick(tmp_path):
    from course_cnn.strategy._end_to_end import run_end_to_end

    numbers, files = run_end_to_end(tmp_path, quick=True)
    pipeline = numbers["results"]["pipeline: detect, crop, encode"]
    whole = numbers["results"]["end-to-end: encode the whole frame"]
    assert pipeline["pairs"] == whole["pairs"] == 40  # 10 frames, 45 pairs minus 5 same-photo pairs
    assert pipeline["auc"] > whole["auc"]
    assert all(f.is_file() for f in files)
