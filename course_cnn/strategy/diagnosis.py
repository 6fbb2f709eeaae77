r"""Bias, variance and data mismatch: reading the error ladder.

With training data from one distribution and dev/test data from another
(the target), the errors measured on four sets form a ladder, and each rung
isolates one problem:

$$
\underbrace{\text{train} - \text{human}}_{\text{avoidable bias}},\quad
\underbrace{\text{train-dev} - \text{train}}_{\text{variance}},\quad
\underbrace{\text{dev} - \text{train-dev}}_{\text{data mismatch}},\quad
\underbrace{\text{test} - \text{dev}}_{\text{overfitting to dev}}
$$

Human-level error stands in for the Bayes error. *Train-dev* is held out
from the training distribution, so the step train -> train-dev is the
generalisation gap alone, and the step train-dev -> dev is the price of the
distribution change alone. Without a train-dev set the two are mixed in
dev - train and cannot be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from course_cnn import _checks
from course_cnn.strategy._errors import check_error, check_scale, fmt

__all__ = ["REMEDIES", "Diagnosis", "diagnose", "plot_error_ladder"]

#: The lecture's remedies for each problem of the ladder.
REMEDIES = {
    "avoidable bias": (
        "train a bigger model",
        "train longer or with a better optimiser (momentum, RMSprop, Adam)",
        "search for a better architecture or hyperparameters",
    ),
    "variance": (
        "get more training data",
        "regularise (L2, dropout, data augmentation)",
        "search for a better architecture or hyperparameters",
    ),
    "data mismatch": (
        "do a manual error analysis to see how training and dev data differ",
        "make the training data more like the dev data, or collect more data like the dev/test data",
        "synthesise training data that looks like the target (beware a small pool of perturbations)",
    ),
    "variance or data mismatch": (
        "carve a train-dev set from the training distribution (mismatched_split) to tell the two apart",
    ),
    "dev overfitting": ("get a bigger dev set",),
}


@dataclass(frozen=True)
class Diagnosis:
    """The result of `diagnose`: every gap of the error ladder and what to do.

    Attributes
    ----------
    human, train, train_dev, dev, test : float or None
        The errors given, in the call's ``scale``.
    scale : {"percent", "fraction"}
        The convention of every number here.
    avoidable_bias : float
        ``train - human``.
    variance : float or None
        ``train_dev - train`` (None without a train-dev error).
    data_mismatch : float or None
        ``dev - train_dev`` (None without a train-dev error).
    variance_plus_mismatch : float
        ``dev - train``: variance and mismatch together.
    dev_overfitting : float or None
        ``test - dev`` (None without a test error).
    problems : tuple of str
        The dominant problem(s), largest gap first; empty when every gap is small.
    remedies : dict of str to tuple of str
        The lecture's remedies for each dominant problem.
    below_bayes : bool
        True when the training error is below human-level error.
    notes : tuple of str
        Warnings and explanations for a reader.
    """

    human: float
    train: float
    dev: float
    train_dev: float | None
    test: float | None
    scale: str
    avoidable_bias: float
    variance: float | None
    data_mismatch: float | None
    variance_plus_mismatch: float
    dev_overfitting: float | None
    problems: tuple = ()
    remedies: dict = field(default_factory=dict)
    below_bayes: bool = False
    notes: tuple = ()

    def gaps(self):
        """The measured gaps, in ladder order (only those that can be computed).

        Returns
        -------
        dict of str to float
            Problem name -> gap.
        """
        if self.train_dev is None:
            gaps = {"avoidable bias": self.avoidable_bias, "variance or data mismatch": self.variance_plus_mismatch}
        else:
            gaps = {"avoidable bias": self.avoidable_bias, "variance": self.variance,
                    "data mismatch": self.data_mismatch}
        if self.dev_overfitting is not None:
            gaps["dev overfitting"] = self.dev_overfitting
        return gaps

    def summary(self):
        """A plain-text report: the ladder, the gaps, the verdict and the remedies.

        Returns
        -------
        str
            Several lines, ready to print.
        """
        s = self.scale
        rungs = [("human", self.human), ("train", self.train), ("train-dev", self.train_dev),
                 ("dev", self.dev), ("test", self.test)]
        lines = ["error ladder: " + "  ->  ".join(f"{n} {fmt(v, s)}" for n, v in rungs if v is not None)]
        for name, gap in self.gaps().items():
            mark = "  <== dominant" if name in self.problems else ""
            lines.append(f"  {name:<26} {fmt(gap, s):>8}{mark}")
        verdict = " and ".join(self.problems) if self.problems else "no large gap"
        lines.append(f"verdict: {verdict}")
        for name in self.problems:
            lines.append(f"to reduce {name}:")
            lines.extend(f"  - {remedy}" for remedy in self.remedies[name])
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)

    def __str__(self):
        return self.summary()

    def plot(self, path=None, title=None):
        """Draw the error ladder; see `plot_error_ladder`.

        Parameters
        ----------
        path : str or os.PathLike, optional
            Where to save the figure.
        title : str, optional
            Figure title.

        Returns
        -------
        matplotlib.figure.Figure
            The figure.
        """
        return plot_error_ladder(self, path=path, title=title)


def diagnose(human, train, dev, train_dev=None, test=None, *, scale="percent", dominance=0.5, min_gap=None):
    r"""Split the errors of a model into avoidable bias, variance, data mismatch and dev overfitting.

    $$
    \begin{aligned}
    \text{avoidable bias} &= E_\text{train} - E_\text{human}, \\
    \text{variance} &= E_\text{train-dev} - E_\text{train}, \\
    \text{data mismatch} &= E_\text{dev} - E_\text{train-dev}, \\
    \text{dev overfitting} &= E_\text{test} - E_\text{dev}.
    \end{aligned}
    $$

    A gap is *dominant* when it is at least ``dominance`` times the largest
    gap and larger than ``min_gap``; several gaps can be dominant at once
    (10 / 11 / 20 is avoidable bias *and* data mismatch).

    Parameters
    ----------
    human : float
        Human-level error, the proxy for Bayes error.
    train : float
        Training error.
    dev : float
        Dev error (target distribution).
    train_dev : float, optional
        Error on the train-dev set (training distribution, not trained on).
        Without it, variance and data mismatch cannot be separated.
    test : float, optional
        Test error (target distribution).
    scale : {"percent", "fraction"}, default "percent"
        The convention of every error of this call: percent in [0, 100]
        (``10`` is 10 %) or fractions in [0, 1] (``0.1`` is 10 %). The
        result is in the same convention.
    dominance : float, default 0.5
        A gap at least this share of the largest gap is also dominant.
    min_gap : float, optional
        Gaps at or below this are never a problem; default 0.5 percentage
        points (0.005 as a fraction).

    Returns
    -------
    Diagnosis
        The gaps, the dominant problem(s), their remedies and notes
        (``print(result)`` shows a report; ``result.plot()`` the ladder).

    Raises
    ------
    ValueError
        For an error outside [0, 100] (percent) or [0, 1] (fraction), an
        unknown ``scale``, or ``dominance`` outside (0, 1].
    TypeError
        For a non-numeric error.

    Examples
    --------
    The lecture's cases (human-level error 0 %):

    >>> diagnose(0, 1, 10, train_dev=9).problems
    ('variance',)
    >>> diagnose(0, 1, 10, train_dev=1.5).problems
    ('data mismatch',)
    >>> diagnose(0, 10, 12, train_dev=11).problems
    ('avoidable bias',)
    >>> diagnose(0, 10, 20, train_dev=11).problems
    ('avoidable bias', 'data mismatch')
    >>> diagnose(0.0, 0.10, 0.20, train_dev=0.11, scale="fraction").data_mismatch
    0.09
    """
    top = check_scale(scale)
    human = check_error(human, "human", scale)
    train = check_error(train, "train", scale)
    dev = check_error(dev, "dev", scale)
    train_dev = None if train_dev is None else check_error(train_dev, "train_dev", scale)
    test = None if test is None else check_error(test, "test", scale)
    dominance = _checks.check_number(dominance, "dominance", 0.0, 1.0, low_inclusive=False)
    min_gap = 0.005 * top if min_gap is None else _checks.check_number(min_gap, "min_gap", low=0.0)

    def gap(a, b):  # rounded so 0.2 - 0.11 reads 0.09, not 0.09000000000000001
        return None if a is None or b is None else round(a - b, 12)

    result = Diagnosis(
        human=human, train=train, dev=dev, train_dev=train_dev, test=test, scale=scale,
        avoidable_bias=gap(train, human), variance=gap(train_dev, train), data_mismatch=gap(dev, train_dev),
        variance_plus_mismatch=gap(dev, train), dev_overfitting=gap(test, dev),
    )
    problems = _dominant(result.gaps(), dominance, min_gap)
    return Diagnosis(**{**result.__dict__, "problems": problems,
                        "remedies": {name: REMEDIES[name] for name in problems},
                        "below_bayes": train < human, "notes": _notes(result)})


def _dominant(gaps, dominance, min_gap):
    largest = max(gaps.values())
    chosen = [(g, name) for name, g in gaps.items() if g > min_gap and g >= dominance * largest]
    return tuple(name for g, name in sorted(chosen, key=lambda item: -item[0]))


def _notes(d):
    notes = []
    if d.train < d.human:
        notes.append(
            "training error is below human-level error (below Bayes?): human-level is only a proxy for the "
            "Bayes error, so either experts do better than the human-level figure you used, or the model "
            "fits noise in the training set; avoidable bias cannot be measured from here"
        )
    if d.train_dev is None:
        notes.append("without a train-dev error, dev - train mixes variance and data mismatch")
    elif d.variance < 0:
        notes.append("train-dev error below training error: the sets are small or noisy")
    if d.data_mismatch is not None and d.data_mismatch < 0:
        notes.append("dev error below train-dev error: the target data is easier than the training data")
    if d.dev_overfitting is not None and d.dev_overfitting < 0:
        notes.append("test error below dev error: a small or lucky test set")
    return tuple(notes)


def plot_error_ladder(diagnosis, path=None, title=None):
    """Plot the error ladder human -> train -> train-dev -> dev -> test with each gap named.

    Parameters
    ----------
    diagnosis : Diagnosis
        As returned by `diagnose`.
    path : str or os.PathLike, optional
        Where to save the figure (PNG).
    title : str, optional
        Figure title (default: the verdict).

    Returns
    -------
    matplotlib.figure.Figure
        Bars for each error, arrows between rungs labelled with the gap;
        dominant gaps in red.

    Raises
    ------
    TypeError
        When ``diagnosis`` is not a `Diagnosis`.

    Examples
    --------
    >>> fig = plot_error_ladder(diagnose(0, 10, 20, train_dev=11))
    >>> fig.axes[0].get_ylabel()
    'error (%)'
    """
    from course_cnn.plots import save_figure, new_figure

    if not isinstance(diagnosis, Diagnosis):
        raise _checks.fail("diagnosis", "be a Diagnosis from diagnose()", _checks.describe(diagnosis), TypeError)
    d = diagnosis
    rungs = [(n, v) for n, v in (("human", d.human), ("train", d.train), ("train-dev", d.train_dev),
                                 ("dev", d.dev), ("test", d.test)) if v is not None]
    names = [n for n, _ in rungs]
    values = [v for _, v in rungs]
    fig, ax = new_figure(figsize=(6.4, 3.8))
    ax.bar(range(len(values)), values, color="#9ecae1", edgecolor="#3182bd", width=0.6)
    ax.set_xticks(range(len(values)), names)
    ax.set_ylabel("error (%)" if d.scale == "percent" else "error (fraction)")
    gap_names = {("human", "train"): "avoidable bias", ("train", "train-dev"): "variance",
                 ("train-dev", "dev"): "data mismatch", ("train", "dev"): "variance or data mismatch",
                 ("dev", "test"): "dev overfitting"}
    for i in range(len(rungs) - 1):
        (n0, v0), (n1, v1) = rungs[i], rungs[i + 1]
        label = gap_names[(n0, n1)]
        color = "#d62728" if label in d.problems else "#555555"
        ax.annotate("", xy=(i + 1, v1), xytext=(i, v0),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 1.5})
        ax.text(i + 0.5, max(v0, v1) + 0.03 * max(max(values), 1e-9), f"{label}\n{fmt(v1 - v0, d.scale)}",
                ha="center", va="bottom", fontsize=7, color=color)
    ax.set_ylim(0, max(max(values), 1e-9) * 1.35)
    ax.set_title(title or ("verdict: " + (" and ".join(d.problems) or "no large gap")), fontsize=9)
    if path is not None:
        save_figure(fig, path)
    return fig
