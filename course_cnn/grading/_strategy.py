"""Check suites for ML strategy: the bias/variance/mismatch diagnosis and the masked multi-task loss.

``strategy.diagnose`` is graded on its four gaps (the learner may return a
dict or an object with the attributes ``avoidable_bias``, ``variance``,
``data_mismatch`` and ``dev_overfitting``), on the lecture's cases.
``strategy.masked_binary_crossentropy`` is graded on labels with missing
entries marked NaN or -1, including a batch where no label is present.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from course_cnn.grading._compare import compare_outputs
from course_cnn.grading._report import CheckResult
from course_cnn.grading._suite import Case, Hint, Suite, same_as

STRATEGY = "course_cnn.strategy"
GAPS = ("avoidable_bias", "variance", "data_mismatch", "dev_overfitting")

# (human, train, dev, train_dev, test, what): the lecture's cases first
_DIAGNOSE_SPECS = [
    (0, 1, 10, 9, None, "the lecture's variance case"),
    (0, 1, 10, 1.5, None, "the lecture's data mismatch case"),
    (0, 10, 12, 11, None, "the lecture's avoidable bias case"),
    (0, 10, 20, 11, None, "avoidable bias and data mismatch"),
    (4, 7, 6, 10, 6, "speech recognition example, dev easier than train, test given"),
    (0.5, 8.8, 14.3, None, None, "no train-dev set"),
]


def _diagnose_cases():
    cases = []
    for human, train, dev, train_dev, test, what in _DIAGNOSE_SPECS:
        def make(human=human, train=train, dev=dev, train_dev=train_dev, test=test):
            return {"human": human, "train": train, "dev": dev}, {"train_dev": train_dev, "test": test}

        cases.append(Case(f"human {human}, train {train}, train-dev {train_dev}, dev {dev}, test {test} ({what})",
                          make))
    return cases


_MISSING = object()


def _gaps(result) -> dict:
    if isinstance(result, Mapping):
        return {k: result.get(k, _MISSING) for k in GAPS}
    return {k: getattr(result, k, _MISSING) for k in GAPS}


def _compare_gaps(expected, got, suite):
    have = _gaps(got)
    missing = [k for k, v in have.items() if v is _MISSING]
    if missing:
        message = (f"expected a dict (or an object) with {', '.join(GAPS)}; got {type(got).__name__} "
                   f"without {', '.join(missing)}")
        return (CheckResult("datatype", False, message), CheckResult("shape", False, "not checked"),
                CheckResult("output", False, "not checked"))
    return compare_outputs(_gaps(expected), have, rtol=1e-6, atol=1e-9, name="result")


def _gap_of(d, name):
    return _gaps(d.got).get(name, _MISSING) if d.got is not None else _MISSING


DIAGNOSE = Suite(
    "strategy.diagnose", f"{STRATEGY}:diagnose", _diagnose_cases, compare=_compare_gaps,
    summary="avoidable bias, variance, data mismatch and dev overfitting from the error ladder",
    hints=(
        Hint("Variance is measured on the training distribution: variance = train_dev - train; the step from "
             "train-dev to dev is data mismatch = dev - train_dev.",
             lambda d: d.kwargs["train_dev"] is not None
             and np.isclose(float(_gap_of(d, "variance")), d.args["dev"] - d.args["train"])
             and not np.isclose(d.args["dev"], d.kwargs["train_dev"])),
        Hint("Without a train-dev error, variance and data mismatch cannot be separated: return None for both.",
             lambda d: d.kwargs["train_dev"] is None and (_gap_of(d, "variance") is not None
                                                          or _gap_of(d, "data_mismatch") is not None)),
        Hint("Avoidable bias is the gap to human-level error (the proxy for Bayes error): train - human.",
             lambda d: d.args["human"] != 0 and np.isclose(float(_gap_of(d, "avoidable_bias")), d.args["train"])),
    ),
)


# ---- masked_binary_crossentropy ------------------------------------------------------------------------------

def _mbce_inputs(seed, shape, missing_share, marker):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, shape).astype("float32")
    y_true[rng.uniform(size=shape) < missing_share] = marker
    y_pred = rng.uniform(0.05, 0.95, shape).astype("float32")
    return {"y_true": y_true, "y_pred": y_pred}


_MBCE_SPECS = [(0, (8, 4), 0.25, np.nan, "a quarter missing as NaN"), (1, (5, 3), 0.3, -1.0, "missing as -1"),
               (2, (6, 2), 0.0, np.nan, "no label missing"), (3, (3, 4), 1.0, np.nan, "every label missing (loss 0)")]


def _mbce_cases():
    return [Case(f"seed {seed}, labels {shape}, {what}",
                 lambda spec=(seed, shape, share, marker): (_mbce_inputs(*spec), {}))
            for seed, shape, share, marker, what in _MBCE_SPECS]


def _mbce_over_all(d):
    """The mistake: zero loss for missing labels, but divided by every label."""
    y, p = np.asarray(d.args["y_true"], np.float64), np.asarray(d.args["y_pred"], np.float64)
    present = ~(np.isnan(y) | (y == -1))
    y0 = np.where(present, y, 0.0)
    loss = -(y0 * np.log(p) + (1 - y0) * np.log(1 - p))
    return np.sum(loss * present) / y.size


MASKED_BCE = Suite(
    "strategy.masked_binary_crossentropy", f"{STRATEGY}:masked_binary_crossentropy", _mbce_cases,
    rtol=1e-4, atol=1e-5, summary="binary cross-entropy averaged over the labels present (NaN or -1 = missing)",
    hints=(
        Hint("Average over the labels that are present only: divide by the number of present labels, "
             "not by every entry of y_true.", lambda d: not np.isclose(_mbce_over_all(d), float(d.expected))
             and same_as(_mbce_over_all, rtol=1e-4, atol=1e-5)(d)),
        Hint("A NaN label poisons the sum even when masked (NaN * 0 is NaN): replace missing labels with 0 first, "
             "e.g. tf.where(mask, y_true, 0.0), then multiply the loss by the mask.",
             lambda d: d.got is not None and bool(np.isnan(np.asarray(d.got, dtype=np.float64)).any())),
    ),
)

SUITES = [DIAGNOSE, MASKED_BCE]
