r"""Incorrectly labelled dev/test examples: is relabelling worth it now?

During error analysis, add a "mislabeled" tag. If a share $s$ of the
examined dev errors are label mistakes, the dev error $E$ splits into

$$
E = \underbrace{E\,s}_{\text{due to incorrect labels}} + \underbrace{E\,(1 - s)}_{\text{other causes}}.
$$

The lecture: at $E = 10\%$ with $0.6\%$ from labels ($s = 6\%$) the other
causes ($9.4\%$) matter far more; at $E = 2\%$ with the same $0.6\%$
($s = 30\%$) the labels are a third of the problem and blur the choice
between two models at 2.1 % and 1.9 %: fix them. Whatever you fix in dev,
fix in test too, so that both stay from the same distribution.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_cnn import _checks
from course_cnn.strategy._errors import check_error, fmt

__all__ = ["LabelNoiseReport", "label_noise_report"]

REMINDERS = (
    "relabel dev and test together, so they keep coming from the same distribution",
    "examine examples the model got right as well as those it got wrong",
    "the training set may keep some noise: deep learning is robust to random (not systematic) label errors",
)


@dataclass(frozen=True)
class LabelNoiseReport:
    """The result of `label_noise_report`.

    Attributes
    ----------
    dev_error : float
        The dev error, in ``scale``.
    mislabeled_share : float
        Share of the examined errors that are label mistakes, in [0, 1].
    due_to_labels : float
        ``dev_error * mislabeled_share``.
    other_causes : float
        ``dev_error * (1 - mislabeled_share)``.
    worth_relabelling : bool
        The verdict.
    reason : str
        Why.
    reminders : tuple of str
        The lecture's advice for relabelling.
    scale : str
        ``"percent"`` or ``"fraction"``.
    """

    dev_error: float
    mislabeled_share: float
    due_to_labels: float
    other_causes: float
    worth_relabelling: bool
    reason: str
    reminders: tuple
    scale: str

    def __str__(self):
        s = self.scale
        lines = [f"dev error {fmt(self.dev_error, s)} = {fmt(self.due_to_labels, s)} due to incorrect labels "
                 f"+ {fmt(self.other_causes, s)} other causes",
                 ("relabel now: " if self.worth_relabelling else "not now: ") + self.reason]
        if self.worth_relabelling:
            lines.extend(f"  - {r}" for r in self.reminders)
        return "\n".join(lines)


def label_noise_report(dev_error, mislabeled_fraction_of_errors, *, scale="percent", threshold=0.1, model_gap=None):
    r"""Split the dev error into "due to incorrect labels" and "other causes", and say whether to relabel.

    $$
    E_\text{labels} = E\,s,\qquad E_\text{other} = E\,(1 - s)
    $$

    Relabelling is worth it when the label mistakes are a sizeable share of
    the errors ($s \ge$ ``threshold``), or, given ``model_gap``, when they
    are as large as the difference between the models you must choose from.

    Parameters
    ----------
    dev_error : float
        The dev error $E$ (percent or fraction, see ``scale``).
    mislabeled_fraction_of_errors : float
        Share $s$ in [0, 1] of the examined errors whose label is wrong
        (6 of 100 examined errors -> 0.06).
    scale : {"percent", "fraction"}, default "percent"
        Convention of ``dev_error`` and ``model_gap`` (and of the result).
    threshold : float, default 0.1
        Share of errors above which relabelling is worth it.
    model_gap : float, optional
        The smallest dev-error difference you need to resolve (2.1 % vs
        1.9 % -> 0.2); label errors at least this large make the comparison
        unreliable.

    Returns
    -------
    LabelNoiseReport
        The split, the verdict and the reminders (``print`` it).

    Raises
    ------
    ValueError
        For an error out of range or a share outside [0, 1].

    Examples
    --------
    >>> label_noise_report(10, 0.06).worth_relabelling  # 0.6 % of 10 %: not now
    False
    >>> report = label_noise_report(2, 0.3)              # 0.6 % of 2 %: yes
    >>> report.worth_relabelling, round(report.due_to_labels, 3), round(report.other_causes, 3)
    (True, 0.6, 1.4)
    """
    dev_error = check_error(dev_error, "dev_error", scale)
    share = _checks.check_probability(mislabeled_fraction_of_errors, "mislabeled_fraction_of_errors")
    threshold = _checks.check_probability(threshold, "threshold")
    if model_gap is not None:
        model_gap = check_error(model_gap, "model_gap", scale)
    due, other = dev_error * share, dev_error * (1.0 - share)
    if share >= threshold:
        worth = True
        reason = (f"incorrect labels cause {100 * share:.0f}% of the errors (>= {100 * threshold:.0f}%), "
                  f"{fmt(due, scale)} of the {fmt(dev_error, scale)} dev error")
    elif model_gap is not None and due >= model_gap:
        worth = True
        reason = (f"label errors ({fmt(due, scale)}) are as large as the {fmt(model_gap, scale)} difference "
                  "between the models you compare, so dev can no longer pick the better one")
    else:
        worth = False
        reason = (f"only {100 * share:.0f}% of the errors ({fmt(due, scale)}) come from labels; "
                  f"the other causes ({fmt(other, scale)}) matter more")
    return LabelNoiseReport(dev_error, share, due, other, worth, reason, REMINDERS, scale)
