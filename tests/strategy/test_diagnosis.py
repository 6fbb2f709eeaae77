"""diagnose: the lecture's four cases, both conventions, bad input, the ladder plot."""

import numpy as np
import pytest

from course_cnn.strategy import Diagnosis, diagnose, plot_error_ladder


@pytest.mark.parametrize(
    "train, train_dev, dev, problems, gaps",
    [
        # human 0: bias 1-0=1, variance 9-1=8, mismatch 10-9=1 -> variance
        (1, 9, 10, ("variance",), (1, 8, 1)),
        # bias 1, variance 1.5-1=0.5, mismatch 10-1.5=8.5 -> data mismatch
        (1, 1.5, 10, ("data mismatch",), (1, 0.5, 8.5)),
        # bias 10, variance 11-10=1, mismatch 12-11=1 -> avoidable bias
        (10, 11, 12, ("avoidable bias",), (10, 1, 1)),
        # bias 10, variance 1, mismatch 20-11=9 -> bias AND mismatch (the notes say "bias and variance")
        (10, 11, 20, ("avoidable bias", "data mismatch"), (10, 1, 9)),
    ],
)
def test_lecture_cases(train, train_dev, dev, problems, gaps):
    d = diagnose(0, train, dev, train_dev=train_dev)
    assert d.problems == problems
    np.testing.assert_allclose((d.avoidable_bias, d.variance, d.data_mismatch), gaps)
    assert set(d.remedies) == set(problems)
    assert d.dev_overfitting is None and not d.below_bayes


def test_fraction_convention_gives_the_same_verdict():
    p = diagnose(0, 10, 20, train_dev=11, test=21)
    f = diagnose(0, 0.10, 0.20, train_dev=0.11, test=0.21, scale="fraction")
    assert p.problems == f.problems
    np.testing.assert_allclose([f.avoidable_bias, f.variance, f.data_mismatch, f.dev_overfitting],
                               [0.10, 0.01, 0.09, 0.01])


def test_cli_example_numbers():
    # 0.5 / 8.8 / 9.1 / 14.3 / 14.8: bias 8.3, variance 0.3, mismatch 5.2, dev overfitting 0.5
    d = diagnose(0.5, 8.8, 14.3, train_dev=9.1, test=14.8)
    np.testing.assert_allclose([d.avoidable_bias, d.variance, d.data_mismatch, d.dev_overfitting],
                               [8.3, 0.3, 5.2, 0.5])
    assert d.problems == ("avoidable bias", "data mismatch")  # 5.2 >= 0.5 * 8.3
    assert "verdict: avoidable bias and data mismatch" in d.summary()


def test_dev_overfitting_dominates():
    d = diagnose(1, 2, 3, train_dev=2.2, test=9)  # test - dev = 6 is the largest gap
    assert d.problems == ("dev overfitting",)
    assert d.remedies["dev overfitting"] == ("get a bigger dev set",)


def test_without_train_dev_variance_and_mismatch_are_not_separated():
    d = diagnose(0, 1, 10)
    assert d.variance is None and d.data_mismatch is None
    assert d.variance_plus_mismatch == 9
    assert d.problems == ("variance or data mismatch",)
    assert any("train-dev" in note for note in d.notes)


def test_train_below_human_is_flagged_not_refused():
    d = diagnose(5, 3, 8, train_dev=4)
    assert d.below_bayes and d.avoidable_bias == -2
    assert any("below Bayes" in note for note in d.notes)


def test_all_small_gaps_give_no_problem():
    d = diagnose(1, 1.2, 1.5, train_dev=1.3)
    assert d.problems == ()
    assert "no large gap" in str(d)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"human": -1, "train": 1, "dev": 2}, ValueError, r"`human` must be an error rate in \[0, 100\]"),
        ({"human": 0, "train": 101, "dev": 2}, ValueError, r"`train` must be an error rate in \[0, 100\]"),
        ({"human": 0, "train": 10, "dev": 20, "scale": "fraction"}, ValueError,
         r"`train` must be an error rate in \[0, 1\] \(a fraction.*is it a percentage"),
        ({"human": 0, "train": "1", "dev": 2}, TypeError, r"`train` must be an error rate"),
        ({"human": 0, "train": 1, "dev": 2, "scale": "ratio"}, ValueError, r"`scale` must be one of 'percent'"),
        ({"human": 0, "train": 1, "dev": 2, "test": 200}, ValueError, r"`test` must be an error rate"),
        ({"human": 0, "train": 1, "dev": 2, "dominance": 0}, ValueError, r"`dominance` must be a real number in"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        diagnose(**kwargs)


def test_ladder_plot(tmp_path):
    d = diagnose(0.5, 8.8, 14.3, train_dev=9.1, test=14.8)
    fig = d.plot(path=tmp_path / "ladder.png")
    assert (tmp_path / "ladder.png").stat().st_size > 1000
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["human", "train", "train-dev", "dev", "test"]
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [0.5, 8.8, 9.1, 14.3, 14.8])
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "avoidable bias" in texts and "data mismatch" in texts
    with pytest.raises(TypeError, match="`diagnosis` must be a Diagnosis"):
        plot_error_ladder({"human": 0})
    assert isinstance(d, Diagnosis)
