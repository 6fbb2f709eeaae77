"""Verification as binary classification: features, classifier, threshold, ROC."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from course_cnn.week4.face import VerificationClassifier, choose_threshold, pair_features, plot_roc, verification_auc


def test_pair_features_by_hand():
    a = np.array([[1.0, -2.0, 0.0]])
    b = np.array([[3.0, 2.0, 0.0]])
    np.testing.assert_allclose(pair_features(a, b), [[2.0, 4.0, 0.0]])
    # chi2: (1-3)^2/(1+3)=1, (-2-2)^2/(2+2)=4, 0/(0+eps)=0
    np.testing.assert_allclose(pair_features(a, b, kind="chi2"), [[1.0, 4.0, 0.0]], atol=1e-6)


def test_pair_features_bad_input():
    with pytest.raises(ValueError, match=r"`enc2` must have the same shape as `enc1` \(1, 3\); got shape \(1, 2\)"):
        pair_features(np.zeros((1, 3)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"`kind` must be one of 'abs', 'chi2'; got 'l1'"):
        pair_features(np.zeros((1, 3)), np.zeros((1, 3)), kind="l1")


def _pairs(rng, m=300, d=6):
    a = rng.normal(size=(m, d))
    same = rng.random(m) < 0.5
    b = np.where(same[:, None], a + 0.2 * rng.normal(size=(m, d)), rng.normal(size=(m, d)))
    return a, b, same


@pytest.mark.parametrize("kind", ["abs", "chi2"])
def test_classifier_learns_and_matches_sklearn(kind):
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    a, b, same = _pairs(rng)
    clf = VerificationClassifier(kind=kind).fit(a, b, same)
    ref = LogisticRegression(max_iter=1000).fit(pair_features(a, b, kind), same.astype(int))
    np.testing.assert_allclose(clf.predict_proba(a, b), ref.predict_proba(pair_features(a, b, kind))[:, 1], rtol=1e-6)
    a2, b2, same2 = _pairs(np.random.default_rng(1))
    assert clf.score(a2, b2, same2) > 0.85


def test_classifier_errors():
    with pytest.raises(ValueError, match=r"`VerificationClassifier` must be fitted first"):
        VerificationClassifier().predict(np.zeros((1, 2)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"`same` must contain both same \(1\) and different \(0\) pairs; got only 1"):
        VerificationClassifier().fit(np.zeros((2, 2)), np.ones((2, 2)), [1, 1])
    with pytest.raises(ValueError, match=r"`same` must have one entry per pair \(2\)"):
        VerificationClassifier().fit(np.zeros((2, 2)), np.ones((2, 2)), [1, 0, 1])
    with pytest.raises(ValueError, match=r"`C` must be a real number > 0"):
        VerificationClassifier(C=0)


def _brute_threshold(d, same):
    best = (-1.0, None)
    cands = sorted(set(d))
    for t in [cands[0] - 1] + [(x + y) / 2 for x, y in zip(cands, cands[1:])] + [cands[-1] + 1]:
        acc = np.mean((np.asarray(d) < t) == np.asarray(same, bool))
        if acc > best[0]:
            best = (acc, t)
    return best[1], best[0]


@pytest.mark.parametrize("seed", range(5))
def test_choose_threshold_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    same = rng.random(40) < 0.4
    d = np.round(np.where(same, rng.normal(0.5, 0.2, 40), rng.normal(1.0, 0.2, 40)), 2)  # rounding makes ties
    t, acc = choose_threshold(d, same)
    bt, bacc = _brute_threshold(d, same)
    assert acc == pytest.approx(bacc) and t == pytest.approx(bt)


def test_choose_threshold_edge_cases():
    # all same: accept everything -> threshold above the largest distance
    assert choose_threshold([0.3, 0.1], [1, 1]) == (1.3, 1.0)
    # all different: reject everything -> threshold below the smallest
    assert choose_threshold([0.3, 0.1], [0, 0]) == (-0.9, 1.0)
    with pytest.raises(ValueError, match=r"`distances` must hold at least one pair; got an empty array"):
        choose_threshold([], [])
    with pytest.raises(ValueError, match=r"`same` must have one entry per distance \(2\); got shape \(3,\)"):
        choose_threshold([0.1, 0.2], [1, 0, 1])


def test_auc_matches_sklearn_and_roc_plot(tmp_path):
    rng = np.random.default_rng(0)
    d = rng.random(50)
    same = rng.random(50) < 0.5
    assert verification_auc(d, same) == pytest.approx(roc_auc_score(same, -d))
    fig, auc = plot_roc(d, same, label="random", path=tmp_path / "roc.png")
    fig2, auc2 = plot_roc(d[::-1], same, label="other", ax=fig.axes[0])
    assert fig2 is fig and (tmp_path / "roc.png").stat().st_size > 1000 and len(fig.axes[0].lines) == 3
    with pytest.raises(ValueError, match=r"`same` must contain both same and different pairs; got a single class"):
        verification_auc([0.1, 0.2], [1, 1])
