r"""Verification as binary classification, thresholds and ROC curves.

Instead of thresholding one distance, a siamese pair can be fed to a
logistic unit on per-coordinate features of the two encodings (DeepFace):

$$\hat{y} = \sigma\Big(\sum_{k=1}^{d} w_k\, \phi\big(f(x^{(i)})_k, f(x^{(j)})_k\big) + b\Big),
\qquad \phi_{\text{abs}}(u, v) = |u - v|, \quad
\phi_{\chi^2}(u, v) = \frac{(u - v)^2}{u + v}$$

with $\hat{y} = 1$ for "same person". The plain distance rule is the special
case "$\hat{y} = 1$ iff $d < \tau$", and `choose_threshold` picks the
$\tau$ that maximises accuracy on labelled pairs. An ROC curve shows every
threshold at once: true-positive rate (same pairs accepted) against
false-positive rate (different pairs accepted) as $\tau$ grows.

References
----------
Taigman, Yang, Ranzato and Wolf, "DeepFace: Closing the Gap to Human-Level
Performance in Face Verification", CVPR 2014.
"""

from __future__ import annotations

import numpy as np

from course_cnn import _checks

__all__ = ["pair_features", "VerificationClassifier", "choose_threshold", "verification_auc", "plot_roc"]

_EPS = 1e-8


def _check_pairs(enc1, enc2):
    a = _checks.check_array(enc1, "enc1", ndim=2, kinds="biuf", finite=True, dtype=np.float64)
    b = _checks.check_array(enc2, "enc2", ndim=2, kinds="biuf", finite=True, dtype=np.float64)
    if a.shape != b.shape:
        raise _checks.fail("enc2", f"have the same shape as `enc1` {a.shape}", f"shape {b.shape}")
    return a, b


def pair_features(enc1, enc2, kind="abs"):
    r"""Per-coordinate features of encoding pairs, for a verification classifier.

    $$
    \phi_{\text{abs}} = |u - v|, \qquad
    \phi_{\chi^2} = \frac{(u - v)^2}{|u| + |v| + \varepsilon}
    $$

    DeepFace's $\chi^2$ feature divides by $u + v$ for its non-negative
    (post-ReLU) features; we divide by $|u| + |v|$ (plus
    $\varepsilon = 10^{-8}$) so signed, L2-normalised encodings never divide
    by zero or flip the sign.

    Parameters
    ----------
    enc1, enc2 : array_like of shape (m, d)
        The two encodings of each pair.
    kind : {"abs", "chi2"}, default "abs"
        Which feature.

    Returns
    -------
    ndarray of shape (m, d), float64
        The features.

    Raises
    ------
    ValueError
        For different shapes or an unknown ``kind``.

    Examples
    --------
    >>> pair_features([[1.0, 0.5]], [[0.0, 0.5]]).tolist()
    [[1.0, 0.0]]
    >>> np.round(pair_features([[3.0]], [[1.0]], kind="chi2"), 4).tolist()  # (3-1)^2 / (3+1)
    [[1.0]]
    """
    a, b = _check_pairs(enc1, enc2)
    kind = _checks.check_choice(kind, "kind", ("abs", "chi2"))
    if kind == "abs":
        return np.abs(a - b)
    return (a - b) ** 2 / (np.abs(a) + np.abs(b) + _EPS)


class VerificationClassifier:
    r"""Logistic regression on `pair_features`: P(same person | pair).

    Parameters
    ----------
    kind : {"abs", "chi2"}, default "abs"
        The pair feature.
    C : float, default 1.0
        Inverse L2 regularisation strength of scikit-learn's
        ``LogisticRegression``.

    Attributes
    ----------
    model_ : sklearn.linear_model.LogisticRegression
        The fitted classifier (after `fit`).

    Raises
    ------
    ValueError
        For an unknown ``kind`` or ``C`` <= 0.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=(200, 4)); same = rng.random(200) < 0.5
    >>> b = np.where(same[:, None], a + 0.1 * rng.normal(size=(200, 4)), rng.normal(size=(200, 4)))
    >>> clf = VerificationClassifier().fit(a, b, same)
    >>> clf.score(a, b, same) > 0.9
    True
    """

    def __init__(self, kind="abs", C=1.0):
        self.kind = _checks.check_choice(kind, "kind", ("abs", "chi2"))
        self.C = _checks.check_number(C, "C", low=0.0, low_inclusive=False)

    def fit(self, enc1, enc2, same):
        """Fit on labelled pairs.

        Parameters
        ----------
        enc1, enc2 : array_like of shape (m, d)
            Encodings of each pair.
        same : array_like of shape (m,), bool or 0/1
            Whether the pair shows the same person (both classes needed).

        Returns
        -------
        VerificationClassifier
            ``self``.

        Raises
        ------
        ValueError
            For mismatched shapes or a single class in ``same``.

        Examples
        --------
        >>> VerificationClassifier().fit([[0.0], [1.0]], [[0.0], [0.0]], [1, 0]).model_.coef_.shape
        (1, 1)
        """
        from sklearn.linear_model import LogisticRegression

        X = pair_features(enc1, enc2, self.kind)
        y = self._check_same(same, len(X))
        if len(np.unique(y)) < 2:
            raise _checks.fail("same", "contain both same (1) and different (0) pairs", f"only {int(y[0])}")
        self.model_ = LogisticRegression(C=self.C, max_iter=1000).fit(X, y)
        return self

    @staticmethod
    def _check_same(same, m):
        y = _checks.check_array(same, "same", ndim=1, kinds="biu").astype(int)
        if len(y) != m:
            raise _checks.fail("same", f"have one entry per pair ({m})", f"shape {y.shape}")
        return y

    def _fitted(self):
        if not hasattr(self, "model_"):
            raise _checks.fail("VerificationClassifier", "be fitted first (call fit)", "an unfitted classifier")
        return self.model_

    def predict_proba(self, enc1, enc2):
        """Probability that each pair shows the same person.

        Parameters
        ----------
        enc1, enc2 : array_like of shape (m, d)
            Encodings of each pair.

        Returns
        -------
        ndarray of shape (m,)
            P(same).

        Raises
        ------
        ValueError
            When the classifier is not fitted, or for bad shapes.

        Examples
        --------
        >>> clf = VerificationClassifier().fit([[0.0], [1.0]], [[0.0], [0.0]], [1, 0])
        >>> clf.predict_proba([[0.0]], [[0.0]]).shape
        (1,)
        """
        model = self._fitted()
        return model.predict_proba(pair_features(enc1, enc2, self.kind))[:, 1]

    def predict(self, enc1, enc2):
        """Same person (True) or not, at probability 0.5.

        Parameters
        ----------
        enc1, enc2 : array_like of shape (m, d)
            Encodings of each pair.

        Returns
        -------
        ndarray of shape (m,), bool
            The decisions.

        Raises
        ------
        ValueError
            When the classifier is not fitted, or for bad shapes.

        Examples
        --------
        >>> clf = VerificationClassifier(C=100.0).fit([[0.0], [1.0]], [[0.0], [0.0]], [1, 0])
        >>> clf.predict([[0.0], [1.0]], [[0.0], [0.0]]).tolist()
        [True, False]
        """
        return self.predict_proba(enc1, enc2) >= 0.5

    def score(self, enc1, enc2, same):
        """Accuracy on labelled pairs.

        Parameters
        ----------
        enc1, enc2 : array_like of shape (m, d)
            Encodings of each pair.
        same : array_like of shape (m,), bool or 0/1
            The truth.

        Returns
        -------
        float
            Fraction of correct decisions.

        Raises
        ------
        ValueError
            When the classifier is not fitted, or for bad shapes.

        Examples
        --------
        >>> clf = VerificationClassifier(C=100.0).fit([[0.0], [1.0]], [[0.0], [0.0]], [1, 0])
        >>> clf.score([[0.0], [1.0]], [[0.0], [0.0]], [1, 0])
        1.0
        """
        pred = self.predict(enc1, enc2)
        return float(np.mean(pred == self._check_same(same, len(pred)).astype(bool)))


def _check_scores(distances, same):
    d = _checks.check_array(distances, "distances", ndim=1, kinds="biuf", finite=True, dtype=np.float64)
    if len(d) == 0:
        raise _checks.fail("distances", "hold at least one pair", "an empty array")
    y = _checks.check_array(same, "same", ndim=1, kinds="biu").astype(bool)
    if len(y) != len(d):
        raise _checks.fail("same", f"have one entry per distance ({len(d)})", f"shape {y.shape}")
    return d, y


def choose_threshold(distances, same):
    r"""The distance threshold that maximises verification accuracy.

    The rule is "same person iff $d < \tau$". Accuracy only changes when
    $\tau$ passes a distance, so the candidates are the midpoints between
    consecutive sorted distances (plus one below and one above all of them);
    with the pairs sorted, the accuracy of every candidate comes from two
    cumulative sums, $O(m \log m)$ in all.

    $$\text{acc}(\tau) = \frac{\#\{\text{same}, d < \tau\} + \#\{\text{different}, d \ge \tau\}}{m}$$

    Parameters
    ----------
    distances : array_like of shape (m,)
        Distance of each pair.
    same : array_like of shape (m,), bool or 0/1
        Whether each pair shows the same person.

    Returns
    -------
    threshold : float
        The best $\tau$ (the first, i.e. smallest, of the best midpoints).
    accuracy : float
        Its accuracy on these pairs.

    Raises
    ------
    ValueError
        For mismatched or empty inputs.

    Examples
    --------
    >>> choose_threshold([0.2, 0.3, 0.5, 0.9], [1, 1, 0, 0])  # midway between 0.3 and 0.5
    (0.4, 1.0)
    """
    d, y = _check_scores(distances, same)
    order = np.argsort(d, kind="stable")
    d, y = d[order], y[order]
    unique = np.unique(d)
    candidates = np.concatenate([[unique[0] - 1.0], (unique[:-1] + unique[1:]) / 2, [unique[-1] + 1.0]])
    # accepted same pairs: same pairs with d < tau; rejected different pairs: different with d >= tau
    n_below = np.searchsorted(d, candidates, side="left")  # pairs with d < tau
    same_below = np.concatenate([[0], np.cumsum(y)])[n_below]
    diff_below = n_below - same_below
    correct = same_below + ((~y).sum() - diff_below)
    best = int(np.argmax(correct))
    return float(np.round(candidates[best], 12)), float(correct[best] / len(d))


def verification_auc(distances, same):
    """Area under the ROC curve of the rule "same iff distance < threshold".

    Parameters
    ----------
    distances : array_like of shape (m,)
        Distance of each pair.
    same : array_like of shape (m,), bool or 0/1
        Truth (both classes needed).

    Returns
    -------
    float
        The AUC: the probability that a random same pair is closer than a
        random different pair (ties count half).

    Raises
    ------
    ValueError
        For mismatched inputs or a single class.

    Examples
    --------
    >>> verification_auc([0.1, 0.4, 0.3, 0.9], [1, 1, 0, 0])  # 3 of the 4 (same, diff) pairs ordered right
    0.75
    """
    from sklearn.metrics import roc_auc_score

    d, y = _check_scores(distances, same)
    if y.all() or not y.any():
        raise _checks.fail("same", "contain both same and different pairs", "a single class")
    return float(roc_auc_score(y, -d))


def plot_roc(distances, same, label=None, ax=None, path=None, title="Verification ROC"):
    """Plot the ROC curve of "same iff distance < threshold".

    Parameters
    ----------
    distances : array_like of shape (m,)
        Distance of each pair.
    same : array_like of shape (m,), bool or 0/1
        Truth (both classes needed).
    label : str, optional
        Legend entry; the AUC is appended.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes (to overlay several curves); a new figure otherwise.
    path : str or os.PathLike, optional
        Save the figure there (PNG).
    title : str, default "Verification ROC"
        Axes title.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    auc : float
        The area under the curve.

    Raises
    ------
    ValueError
        For mismatched inputs or a single class.

    Examples
    --------
    >>> fig, auc = plot_roc([0.1, 0.4, 0.3, 0.9], [1, 1, 0, 0], label="toy")
    >>> auc
    0.75
    """
    from sklearn.metrics import roc_curve

    from course_cnn.plots import new_figure, save_figure

    auc = verification_auc(distances, same)
    d, y = _check_scores(distances, same)
    fpr, tpr, _ = roc_curve(y, -d)
    if ax is None:
        fig, ax = new_figure(figsize=(4.5, 4.2))
        ax.plot([0, 1], [0, 1], color="0.7", linestyle="--", linewidth=1)
    fig = ax.figure
    ax.plot(fpr, tpr, label=f"{label or 'encoder'} (AUC {auc:.3f})")
    ax.set(
        xlabel="false-positive rate (different pairs accepted)",
        ylabel="true-positive rate (same pairs accepted)",
        title=title,
    )
    ax.legend(loc="lower right", fontsize=8)
    if path is not None:
        save_figure(fig, path)
    return fig, auc
