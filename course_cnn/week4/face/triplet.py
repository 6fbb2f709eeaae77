r"""The triplet loss: learn a distance by comparing three images at a time.

An encoder $f$ maps an image to a point on the unit sphere. For an *anchor*
$A$, a *positive* $P$ (same person) and a *negative* $N$ (someone else) we
want the positive closer than the negative by at least a margin $\alpha$:

$$\lVert f(A) - f(P)\rVert_2^2 + \alpha \le \lVert f(A) - f(N)\rVert_2^2 .$$

The triplet loss is the hinge on that inequality, summed over the $m$
triplets of a batch:

$$\mathcal{J} = \sum_{i=1}^{m} \max\left(\lVert f(A^{(i)}) - f(P^{(i)})\rVert_2^2
  - \lVert f(A^{(i)}) - f(N^{(i)})\rVert_2^2 + \alpha,\ 0\right).$$

`triplet_loss` is the course's graded function (``y_pred`` holds the
three encodings); `TripletLoss` is the same formula as a Keras loss
for a model whose output stacks the three encodings along axis 1.

References
----------
Schroff, Kalenichenko and Philbin, "FaceNet: A Unified Embedding for Face
Recognition and Clustering", CVPR 2015.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from course_cnn import _checks

__all__ = ["triplet_loss", "TripletLoss"]


def _check_alpha(alpha):
    return _checks.check_number(alpha, "alpha", low=0.0)


def _check_same_dims(anchor, positive, negative):
    shapes = {name: tuple(x.shape) for name, x in (("anchor", anchor), ("positive", positive), ("negative", negative))}
    for name in ("positive", "negative"):
        if shapes[name] != shapes["anchor"]:
            raise _checks.fail(
                f"y_pred[{1 if name == 'positive' else 2}] ({name})",
                f"have the same shape as the anchor {shapes['anchor']}",
                f"shape {shapes[name]}",
            )


def _triplet_terms(anchor, positive, negative, alpha):
    # pos_dist: ||f(A) - f(P)||^2, one per triplet, summed over the embedding axis
    pos_dist = ops.sum(ops.square(anchor - positive), axis=-1)
    # neg_dist: ||f(A) - f(N)||^2
    neg_dist = ops.sum(ops.square(anchor - negative), axis=-1)
    # basic_loss: pos_dist - neg_dist + alpha, hinged at 0
    return ops.maximum(pos_dist - neg_dist + alpha, 0.0)


def triplet_loss(y_true, y_pred, alpha=0.2):
    r"""The course's triplet loss, summed over the batch.

    $$
    \mathcal{J} = \sum_i \max\left(\lVert A_i - P_i\rVert_2^2 - \lVert A_i - N_i\rVert_2^2 + \alpha, 0\right)
    $$

    Parameters
    ----------
    y_true : object
        Ignored (present so the function has a Keras loss signature).
    y_pred : sequence of 3 array_like of shape (m, d) or (d,), or tensor of shape (3, m, d)
        ``anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]``:
        the encodings of the anchor, positive and negative images (lists
        of floats work, as in the course's tests).
    alpha : float, default 0.2
        The margin $\alpha$: any finite real number, as in the course,
        whose test checks that ``alpha=-2`` on equal encodings gives 0
        (the hinge at work). A negative margin asks for nothing useful in
        training; `TripletLoss` refuses one.

    Returns
    -------
    tf.Tensor of shape ()
        The loss (a sum, not a mean, as in the course).

    Raises
    ------
    ValueError
        When ``y_pred`` does not hold three encodings of one shape, holds
        NaN or infinite values (checked when the values are at hand, not
        inside a training graph), or ``alpha`` is not finite.
    TypeError
        For encodings that are not numbers.

    Examples
    --------
    >>> a = np.array([[0.0, 0.0]]); p = np.array([[0.0, 1.0]]); n = np.array([[0.0, 2.0]])
    >>> float(triplet_loss(None, (a, p, n), alpha=0.2))  # max(1 - 4 + 0.2, 0)
    0.0
    >>> round(float(triplet_loss(None, (a, n, p), alpha=0.2)), 6)  # max(4 - 1 + 0.2, 0)
    3.2

    References
    ----------
    Schroff et al., "FaceNet", CVPR 2015.
    """
    alpha = _checks.check_number(alpha, "alpha")
    if isinstance(y_pred, (list, tuple)):
        if len(y_pred) != 3:
            raise _checks.fail("y_pred", "hold 3 encodings (anchor, positive, negative)", f"{len(y_pred)} items")
        parts = [ops.convert_to_tensor(x if hasattr(x, "dtype") else _checks.check_array(x, f"y_pred[{k}]", kinds="iuf"))
                 for k, x in enumerate(y_pred)]
    else:
        if not hasattr(y_pred, "shape"):
            requirement = "be a sequence of 3 encodings or a tensor of shape (3, m, d)"
            raise _checks.fail("y_pred", requirement, _checks.describe(y_pred), TypeError)
        _checks.check_shape(y_pred, "y_pred", (3, None, None))
        y_pred = ops.convert_to_tensor(y_pred)
        parts = [y_pred[0], y_pred[1], y_pred[2]]
    for k, x in enumerate(parts):
        _checks.check_finite_values(x, f"y_pred[{k}]")  # eager values only: in a training graph NaN propagates
    anchor, positive, negative = (ops.cast(x, "float32") for x in parts)
    _check_same_dims(anchor, positive, negative)
    return ops.sum(_triplet_terms(anchor, positive, negative, alpha))


@keras.saving.register_keras_serializable(package="course_cnn")
class TripletLoss(keras.losses.Loss):
    r"""The triplet loss as a Keras loss, for a model that outputs ``(m, 3, d)``.

    The model's output stacks the encodings of anchor, positive and negative
    along axis 1; ``y_true`` is ignored (pass zeros). Each triplet's loss is
    $\max(\lVert A - P\rVert^2 - \lVert A - N\rVert^2 + \alpha, 0)$ and Keras
    averages them over the batch (``reduction="sum_over_batch_size"``) or
    sums them (``reduction="sum"``, the course's choice).

    Parameters
    ----------
    alpha : float, default 0.2
        The margin.
    reduction : str, default "sum_over_batch_size"
        Keras reduction over the batch.
    name : str, default "triplet_loss"
        The loss's name.

    Raises
    ------
    ValueError
        When ``alpha`` < 0, or the prediction is not of shape (m, 3, d).

    Examples
    --------
    >>> y_pred = np.array([[[0.0, 0.0], [0.0, 2.0], [0.0, 1.0]]])  # (m=1, 3, d=2)
    >>> round(float(TripletLoss(alpha=0.2)(np.zeros(1), y_pred)), 6)  # 4 - 1 + 0.2
    3.2
    """

    def __init__(self, alpha=0.2, reduction="sum_over_batch_size", name="triplet_loss"):
        super().__init__(reduction=reduction, name=name)
        self.alpha = _check_alpha(alpha)

    def call(self, y_true, y_pred):
        _checks.check_shape(y_pred, "y_pred", (None, 3, None))
        return _triplet_terms(y_pred[:, 0], y_pred[:, 1], y_pred[:, 2], self.alpha)

    def get_config(self):
        return {"alpha": self.alpha, "reduction": self.reduction, "name": self.name}
