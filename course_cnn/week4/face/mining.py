r"""Online triplet mining: pick the triplets inside a batch, vectorised.

Choosing triplets at random wastes most of the work: once trained a little,
almost every random triplet already satisfies
$d(A, P) + \alpha \le d(A, N)$ and contributes zero loss. *Online mining*
draws batches with several images per identity and builds the triplets from
the batch's pairwise distance matrix $D_{ij} = \lVert f(x_i) - f(x_j)\rVert_2$:

* **batch all**: every valid triplet $(a, p, n)$ (with $a \ne p$ of one label,
  $n$ of another); average the loss over the triplets whose loss is positive;
* **batch hard**: for each anchor, its farthest positive and its closest
  negative, $\max(\max_p D_{ap} - \min_n D_{an} + \alpha, 0)$, averaged over
  anchors;
* **semi-hard** (FaceNet): for each pair $(a, p)$, the closest negative that
  is still *farther* than the positive, $D_{ap} < D_{an}$; when there is none,
  the farthest negative. Averaged over positive pairs. This is what
  TensorFlow Addons' retired ``TripletSemiHardLoss`` computed.

All three only use masks on the $(B, B)$ or $(B, B, B)$ distance tensor, no
Python loop over triplets. Distances are computed so that their gradient is
finite (zero) where two embeddings coincide: $\sqrt{\cdot}$ has an infinite
derivative at 0, so the square root is taken only of strictly positive values.

References
----------
Schroff et al., "FaceNet", CVPR 2015 (semi-hard mining).
Hermans, Beyer and Leibe, "In Defense of the Triplet Loss for Person
Re-Identification", arXiv:1703.07737, 2017 (batch hard, batch all).
"""

from __future__ import annotations

import numpy as np
from keras import ops

from course_cnn import _checks

__all__ = [
    "pairwise_distances",
    "batch_all_triplet_loss",
    "batch_hard_triplet_loss",
    "batch_semi_hard_triplet_loss",
    "triplet_loss_loops",
]

_BIG = 1e9  # stands in for +inf in masked minima


# --------------------------------------------------------------------------
# Checks and kernels
# --------------------------------------------------------------------------
def _check_inputs(labels, embeddings, margin):
    _checks.check_ndim(embeddings, "embeddings", 2, "(B, d)")
    _checks.check_dtype_kind(embeddings, "embeddings", "f")
    _checks.check_dtype_kind(labels, "labels", "biu")
    shape = tuple(labels.shape)
    if len(shape) == 2 and shape[1] == 1:
        labels = ops.reshape(labels, (-1,))
    _checks.check_ndim(labels, "labels", 1, "(B,)")
    if labels.shape[0] is not None and embeddings.shape[0] is not None and labels.shape[0] != embeddings.shape[0]:
        raise _checks.fail("labels", f"have one label per embedding ({embeddings.shape[0]})", f"shape {tuple(labels.shape)}")
    margin = _checks.check_number(margin, "margin", low=0.0)
    return labels, embeddings, margin


def _as_tensors(labels, embeddings):
    labels = labels if hasattr(labels, "dtype") else _checks.check_array(labels, "labels")
    if not hasattr(embeddings, "dtype"):
        embeddings = _checks.check_array(embeddings, "embeddings", kinds="iuf", dtype=np.float32)
    return labels, embeddings


def _pairwise_distances(embeddings, squared=False):
    # ||x_i - x_j||^2 = ||x_i||^2 - 2 x_i.x_j + ||x_j||^2, shape (B, B)
    sq_norms = ops.sum(ops.square(embeddings), axis=1)
    dist2 = sq_norms[:, None] - 2.0 * ops.matmul(embeddings, ops.transpose(embeddings)) + sq_norms[None, :]
    dist2 = ops.maximum(dist2, 0.0)  # rounding can make it slightly negative
    n = ops.shape(embeddings)[0]
    off_diag = 1.0 - ops.eye(n, dtype=dist2.dtype)
    dist2 = dist2 * off_diag  # exact zeros on the diagonal
    # The clamp and the masks would turn a NaN/inf embedding into distance 0; 0 * ||x||^2 is
    # NaN exactly in that embedding's row and column (and 0, with zero gradient, elsewhere).
    poison = 0.0 * (sq_norms[:, None] + sq_norms[None, :])
    if squared:
        return dist2 + poison
    positive = dist2 > 0.0
    # sqrt only where positive: the gradient of sqrt at 0 is infinite (NaN after masking)
    safe = ops.where(positive, dist2, ops.ones_like(dist2))
    return ops.where(positive, ops.sqrt(safe), ops.zeros_like(dist2)) + poison


def _masks(labels):
    same = ops.equal(labels[:, None], labels[None, :])  # (B, B)
    n = ops.shape(labels)[0]
    not_self = ops.logical_not(ops.cast(ops.eye(n), "bool"))
    positive_pair = ops.logical_and(same, not_self)  # a != p, same label
    negative_pair = ops.logical_not(same)  # different label
    return positive_pair, negative_pair


def _masked_mean(values, mask):
    mask = ops.cast(mask, values.dtype)
    count = ops.sum(mask)
    return ops.sum(values * mask) / ops.maximum(count, 1.0)  # 0 when nothing counts


# --------------------------------------------------------------------------
# Public losses
# --------------------------------------------------------------------------
def pairwise_distances(embeddings, squared=False):
    r"""Pairwise Euclidean distances with a finite gradient everywhere.

    $$
    D_{ij}^2 = \lVert x_i\rVert^2 - 2\, x_i \cdot x_j + \lVert x_j\rVert^2
    $$

    clamped at 0, with an exactly zero diagonal; $D_{ij} = \sqrt{D_{ij}^2}$
    where positive and 0 (with zero gradient) elsewhere.

    Parameters
    ----------
    embeddings : array_like of shape (B, d)
        One embedding per row.
    squared : bool, default False
        Return $D^2$ instead of $D$.

    Returns
    -------
    tf.Tensor of shape (B, B)
        The distances.

    Raises
    ------
    ValueError, TypeError
        When ``embeddings`` is not a 2-D float array.

    Examples
    --------
    >>> D = pairwise_distances(np.array([[0.0, 0.0], [3.0, 4.0]], dtype="float32"))
    >>> np.asarray(D).tolist()
    [[0.0, 5.0], [5.0, 0.0]]
    """
    _, embeddings = _as_tensors(np.zeros(0, int), embeddings)
    _checks.check_ndim(embeddings, "embeddings", 2, "(B, d)")
    _checks.check_dtype_kind(embeddings, "embeddings", "f")
    return _pairwise_distances(ops.convert_to_tensor(embeddings), squared=bool(squared))


def batch_all_triplet_loss(labels, embeddings, margin=0.2, squared=False):
    r"""Batch-all triplet loss: every valid triplet of the batch.

    $$
    \ell_{apn} = \max(D_{ap} - D_{an} + \alpha, 0), \qquad
    \mathcal{L} = \frac{\sum_{\text{valid}} \ell_{apn}}{\#\{\text{valid } (a,p,n) : \ell_{apn} > 0\}}
    $$

    over the triplets with $a \ne p$, $y_a = y_p$, $y_n \ne y_a$. Averaging
    over the *active* triplets keeps the loss from fading as easy triplets
    pile up. With no active triplet the loss is 0.

    Parameters
    ----------
    labels : array_like of shape (B,) or (B, 1), int
        Identity of each embedding.
    embeddings : array_like of shape (B, d), float
        The encoder's outputs.
    margin : float, default 0.2
        The margin $\alpha \ge 0$.
    squared : bool, default False
        Use squared distances $D^2$.

    Returns
    -------
    tf.Tensor of shape ()
        The loss.

    Raises
    ------
    ValueError, TypeError
        For mismatched shapes, non-integer labels or ``margin`` < 0.

    Examples
    --------
    >>> emb = np.array([[0.0], [0.1], [0.15]], dtype="float32")
    >>> # triplets (0,1,2): 0.1-0.15+0.2=0.15 and (1,0,2): 0.1-0.05+0.2=0.25; mean 0.2
    >>> round(float(batch_all_triplet_loss(np.array([0, 0, 1]), emb, margin=0.2)), 6)
    0.2

    References
    ----------
    Hermans et al., "In Defense of the Triplet Loss", 2017.
    """
    labels, embeddings = _as_tensors(labels, embeddings)
    labels, embeddings, margin = _check_inputs(labels, embeddings, margin)
    dist = _pairwise_distances(ops.convert_to_tensor(embeddings), squared=bool(squared))
    positive_pair, negative_pair = _masks(ops.convert_to_tensor(labels))
    # loss[a, p, n] = D[a, p] - D[a, n] + margin, shape (B, B, B)
    loss = dist[:, :, None] - dist[:, None, :] + margin
    valid = ops.logical_and(positive_pair[:, :, None], negative_pair[:, None, :])
    loss = ops.maximum(loss, 0.0) * ops.cast(valid, loss.dtype)
    active = ops.cast(loss > 1e-16, loss.dtype)
    return ops.sum(loss) / ops.maximum(ops.sum(active), 1.0)


def batch_hard_triplet_loss(labels, embeddings, margin=0.2, squared=False):
    r"""Batch-hard triplet loss: each anchor's hardest positive and negative.

    $$
    \mathcal{L} = \frac{1}{|\mathcal{A}|} \sum_{a \in \mathcal{A}}
    \max\left(\max_{p} D_{ap} - \min_{n} D_{an} + \alpha,\ 0\right)
    $$

    where $\mathcal{A}$ holds the anchors that have at least one positive
    and one negative in the batch (0 when there is none).

    Parameters
    ----------
    labels : array_like of shape (B,) or (B, 1), int
        Identity of each embedding.
    embeddings : array_like of shape (B, d), float
        The encoder's outputs.
    margin : float, default 0.2
        The margin $\alpha \ge 0$.
    squared : bool, default False
        Use squared distances $D^2$.

    Returns
    -------
    tf.Tensor of shape ()
        The loss.

    Raises
    ------
    ValueError, TypeError
        For mismatched shapes, non-integer labels or ``margin`` < 0.

    Examples
    --------
    >>> emb = np.array([[0.0], [0.1], [0.15]], dtype="float32")
    >>> # anchor 0: 0.1-0.15+0.2=0.15; anchor 1: 0.1-0.05+0.2=0.25; anchor 2 has no positive
    >>> round(float(batch_hard_triplet_loss(np.array([0, 0, 1]), emb, margin=0.2)), 6)
    0.2

    References
    ----------
    Hermans et al., "In Defense of the Triplet Loss", 2017.
    """
    labels, embeddings = _as_tensors(labels, embeddings)
    labels, embeddings, margin = _check_inputs(labels, embeddings, margin)
    dist = _pairwise_distances(ops.convert_to_tensor(embeddings), squared=bool(squared))
    positive_pair, negative_pair = _masks(ops.convert_to_tensor(labels))
    pos_f, neg_f = ops.cast(positive_pair, dist.dtype), ops.cast(negative_pair, dist.dtype)
    # hardest positive: the farthest one (distances are >= 0, so masking with 0 is safe)
    hardest_pos = ops.max(dist * pos_f, axis=1)  # (B,)
    # hardest negative: the closest one (push non-negatives to +BIG before the min)
    hardest_neg = ops.min(dist + _BIG * (1.0 - neg_f), axis=1)  # (B,)
    valid = ops.logical_and(ops.any(positive_pair, axis=1), ops.any(negative_pair, axis=1))
    per_anchor = ops.maximum(hardest_pos - hardest_neg + margin, 0.0)
    per_anchor = ops.where(valid, per_anchor, ops.zeros_like(per_anchor))
    return _masked_mean(per_anchor, valid)


def batch_semi_hard_triplet_loss(labels, embeddings, margin=1.0):
    r"""Semi-hard triplet loss, a Keras 3 replacement for TF Addons' loss.

    For each positive pair $(a, p)$ (same label, $a \ne p$) the negative is

    $$
    n^*(a, p) = \begin{cases}
      \arg\min_{n:\ D_{an} > D_{ap}} D_{an} & \text{if such a negative exists (semi-hard)}\\
      \arg\max_{n} D_{an} & \text{otherwise (the easiest of the hard ones)}
    \end{cases}
    $$

    and $\mathcal{L} = \frac{1}{\#\text{pairs}} \sum_{(a,p)} \max(D_{ap} - D_{a n^*} + \alpha, 0)$
    with Euclidean (not squared) distances, as in
    ``tfa.losses.triplet_semihard_loss``.

    Corner cases, where TF Addons misbehaved, are defined here: pairs whose
    anchor has no negative in the batch (a batch of one class) are left out,
    and a batch with no positive pair at all gives 0 instead of 0/0.

    Parameters
    ----------
    labels : array_like of shape (B,) or (B, 1), int
        Identity of each embedding.
    embeddings : array_like of shape (B, d), float
        The encoder's outputs (usually L2-normalised).
    margin : float, default 1.0
        The margin $\alpha \ge 0$ (TF Addons' default).

    Returns
    -------
    tf.Tensor of shape ()
        The loss.

    Raises
    ------
    ValueError, TypeError
        For mismatched shapes, non-integer labels or ``margin`` < 0.

    Examples
    --------
    >>> emb = np.array([[0.0], [0.1], [0.15], [0.5]], dtype="float32")
    >>> # (0,1): D=0.1, negatives at 0.15, 0.5 -> 0.15: 0.1-0.15+0.2=0.15
    >>> # (1,0): D=0.1, negatives at 0.05, 0.4 -> 0.4: 0.1-0.4+0.2<0 -> 0
    >>> # (2,3): D=0.35, negatives at 0.15, 0.05, none farther -> 0.15: 0.35-0.15+0.2=0.4
    >>> # (3,2): D=0.35, negatives at 0.5, 0.4 -> 0.4: 0.35-0.4+0.2=0.15; mean 0.7/4
    >>> round(float(batch_semi_hard_triplet_loss(np.array([0, 0, 1, 1]), emb, margin=0.2)), 6)
    0.175

    References
    ----------
    Schroff et al., "FaceNet", CVPR 2015, section 3.2.
    """
    labels, embeddings = _as_tensors(labels, embeddings)
    labels, embeddings, margin = _check_inputs(labels, embeddings, margin)
    dist = _pairwise_distances(ops.convert_to_tensor(embeddings))
    positive_pair, negative_pair = _masks(ops.convert_to_tensor(labels))
    neg_f = ops.cast(negative_pair, dist.dtype)
    d_ap = dist[:, :, None]  # (B, B, 1): D[a, p]
    d_an = dist[:, None, :]  # (B, 1, B): D[a, n]
    # semi-hard candidates: negatives farther than the positive, (B, B, B)
    semi = ops.logical_and(negative_pair[:, None, :], d_an > d_ap)
    semi_f = ops.cast(semi, dist.dtype)
    closest_semi = ops.min(d_an + _BIG * (1.0 - semi_f), axis=2)  # (B, B)
    farthest_neg = ops.max(dist * neg_f, axis=1)  # (B,), distances >= 0
    has_semi = ops.any(semi, axis=2)
    neg_dist = ops.where(has_semi, closest_semi, farthest_neg[:, None])
    pair_loss = ops.maximum(dist - neg_dist + margin, 0.0)  # (B, B)
    counted = ops.logical_and(positive_pair, ops.any(negative_pair, axis=1)[:, None])
    pair_loss = ops.where(counted, pair_loss, ops.zeros_like(pair_loss))
    return _masked_mean(pair_loss, counted)


def triplet_loss_loops(labels, embeddings, margin, strategy="semi-hard", squared=False):
    r"""Loop reference of the three mined losses, written straight from the formulas.

    Slow (a Python loop over anchors, positives and negatives); use it to
    read the definitions and to test the vectorised versions.

    Parameters
    ----------
    labels : array_like of shape (B,), int
        Identity of each embedding.
    embeddings : array_like of shape (B, d), float
        The embeddings.
    margin : float
        The margin $\alpha \ge 0$.
    strategy : {"semi-hard", "hard", "all"}, default "semi-hard"
        Which mining.
    squared : bool, default False
        Squared distances (``"hard"`` and ``"all"`` only).

    Returns
    -------
    float
        The loss.

    Raises
    ------
    ValueError, TypeError
        For bad shapes, NaN/inf embeddings, ``margin`` < 0 or an unknown ``strategy``.

    Examples
    --------
    >>> emb = np.array([[0.0], [0.1], [0.15], [0.5]])
    >>> round(triplet_loss_loops([0, 0, 1, 1], emb, 0.2), 6)
    0.175
    """
    y = _checks.check_array(labels, "labels", ndim=1, kinds="biu")
    X = _checks.check_array(embeddings, "embeddings", ndim=2, kinds="f", finite=True, dtype=np.float64)
    if len(X) != len(y):
        raise _checks.fail("embeddings", f"have one row per label ({len(y)})", f"shape {X.shape}")
    margin = _checks.check_number(margin, "margin", low=0.0)
    strategy = _checks.check_choice(strategy, "strategy", ("semi-hard", "hard", "all"))
    B = len(y)
    D = np.array([[np.sum((X[i] - X[j]) ** 2) for j in range(B)] for i in range(B)])
    if not squared or strategy == "semi-hard":
        D = np.sqrt(D)
    losses = []
    for a in range(B):
        negatives = [n for n in range(B) if y[n] != y[a]]
        positives = [p for p in range(B) if p != a and y[p] == y[a]]
        if not negatives or not positives:
            continue
        if strategy == "hard":
            losses.append(max(max(D[a, p] for p in positives) - min(D[a, n] for n in negatives) + margin, 0.0))
            continue
        for p in positives:
            if strategy == "all":
                losses.extend(max(D[a, p] - D[a, n] + margin, 0.0) for n in negatives)
                continue
            farther = [D[a, n] for n in negatives if D[a, n] > D[a, p]]
            d_neg = min(farther) if farther else max(D[a, n] for n in negatives)
            losses.append(max(D[a, p] - d_neg + margin, 0.0))
    if strategy == "all":
        active = [v for v in losses if v > 1e-16]
        return float(sum(active) / len(active)) if active else 0.0
    return float(np.mean(losses)) if losses else 0.0
