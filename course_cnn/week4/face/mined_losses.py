r"""The mined triplet losses as Keras losses: ``y_true`` = labels, ``y_pred`` = embeddings.

They are drop-in replacements for TensorFlow Addons' ``TripletSemiHardLoss``
and ``TripletHardLoss`` (retired with TF Addons): compile an encoder with one
of them and fit it on ``(images, labels)`` batches that hold several images
per label (see `identity_batches`).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from course_cnn import _checks
from course_cnn.week4.face.mining import batch_all_triplet_loss, batch_hard_triplet_loss, batch_semi_hard_triplet_loss

__all__ = ["TripletSemiHardLoss", "TripletHardLoss", "TripletBatchAllLoss"]


class _MinedLoss(keras.losses.Loss):
    _fn = None

    def __init__(self, margin=1.0, name=None, reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)
        self.margin = _checks.check_number(margin, "margin", low=0.0)

    def call(self, y_true, y_pred):
        labels = ops.cast(ops.reshape(y_true, (-1,)), "int32")
        return type(self)._fn(labels, y_pred, self.margin)

    def get_config(self):
        return {"margin": self.margin, "name": self.name, "reduction": self.reduction}


@keras.saving.register_keras_serializable(package="course_cnn")
class TripletSemiHardLoss(_MinedLoss):
    r"""Keras loss: `batch_semi_hard_triplet_loss` with labels as ``y_true``.

    A drop-in replacement for ``tfa.losses.TripletSemiHardLoss``: compile an
    encoder with it and fit on ``(images, labels)`` batches that hold
    several images per label (see `identity_batches`).

    Parameters
    ----------
    margin : float, default 1.0
        The margin $\alpha \ge 0$.
    name : str, default "triplet_semi_hard_loss"
        The loss's name.
    reduction : str, default "sum_over_batch_size"
        Keras reduction (the loss is already a scalar).

    Raises
    ------
    ValueError
        When ``margin`` < 0.

    Examples
    --------
    >>> emb = np.array([[0.0], [0.1], [0.15], [0.5]], dtype="float32")
    >>> round(float(TripletSemiHardLoss(margin=0.2)(np.array([0, 0, 1, 1]), emb)), 6)
    0.175
    """

    _fn = staticmethod(batch_semi_hard_triplet_loss)

    def __init__(self, margin=1.0, name="triplet_semi_hard_loss", reduction="sum_over_batch_size"):
        super().__init__(margin=margin, name=name, reduction=reduction)


@keras.saving.register_keras_serializable(package="course_cnn")
class TripletHardLoss(_MinedLoss):
    r"""Keras loss: `batch_hard_triplet_loss` with labels as ``y_true``.

    Parameters
    ----------
    margin : float, default 1.0
        The margin $\alpha \ge 0$.
    name : str, default "triplet_hard_loss"
        The loss's name.
    reduction : str, default "sum_over_batch_size"
        Keras reduction (the loss is already a scalar).

    Raises
    ------
    ValueError
        When ``margin`` < 0.

    Examples
    --------
    >>> emb = np.array([[0.0], [0.1], [0.15]], dtype="float32")
    >>> round(float(TripletHardLoss(margin=0.2)(np.array([0, 0, 1]), emb)), 6)
    0.2
    """

    _fn = staticmethod(batch_hard_triplet_loss)

    def __init__(self, margin=1.0, name="triplet_hard_loss", reduction="sum_over_batch_size"):
        super().__init__(margin=margin, name=name, reduction=reduction)


@keras.saving.register_keras_serializable(package="course_cnn")
class TripletBatchAllLoss(_MinedLoss):
    r"""Keras loss: `batch_all_triplet_loss` with labels as ``y_true``.

    Parameters
    ----------
    margin : float, default 1.0
        The margin $\alpha \ge 0$.
    name : str, default "triplet_batch_all_loss"
        The loss's name.
    reduction : str, default "sum_over_batch_size"
        Keras reduction (the loss is already a scalar).

    Raises
    ------
    ValueError
        When ``margin`` < 0.

    Examples
    --------
    >>> emb = np.array([[0.0], [0.1], [0.15]], dtype="float32")
    >>> round(float(TripletBatchAllLoss(margin=0.2)(np.array([0, 0, 1]), emb)), 6)
    0.2
    """

    _fn = staticmethod(batch_all_triplet_loss)

    def __init__(self, margin=1.0, name="triplet_batch_all_loss", reduction="sum_over_batch_size"):
        super().__init__(margin=margin, name=name, reduction=reduction)
