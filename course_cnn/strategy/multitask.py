r"""Multi-task learning: one network, several yes/no questions, some answers missing.

A self-driving car's image may say "pedestrian: yes, stop sign: no, traffic
light: ?, car: ?". One network with one sigmoid output per task learns all
of them, and the missing "?" labels simply drop out of the loss:

$$
J = \frac{1}{\sum_{i,j} \mathbb{1}[y^{(i)}_j \ne ?]}
\sum_{i=1}^{m} \sum_{j=1}^{n_\text{tasks}} \mathbb{1}[y^{(i)}_j \ne ?]\;
\mathcal{L}\big(\hat y^{(i)}_j, y^{(i)}_j\big),\qquad
\mathcal{L}(\hat y, y) = -y \log \hat y - (1-y)\log(1-\hat y).
$$

It pays when the tasks share low-level features, when each task's data is
dwarfed by the others' together, and when the network can be big enough.
"""

from __future__ import annotations

import keras
import numpy as np

from course_cnn import _checks
from course_cnn.strategy.transfer import Decision

__all__ = ["masked_binary_crossentropy", "MaskedBinaryCrossentropy", "multitask_model", "should_multitask"]

#: The value that marks a missing label, besides NaN.
MISSING = -1.0


@keras.saving.register_keras_serializable(package="course_cnn")
def masked_binary_crossentropy(y_true, y_pred, from_logits=False):
    r"""Binary cross-entropy averaged over the labels that are present.

    $$
    J = \frac{\sum_{i,j} M_{ij}\,\mathcal{L}(\hat y_{ij}, y_{ij})}{\max(1, \sum_{i,j} M_{ij})},\qquad
    M_{ij} = \mathbb{1}[y_{ij} \text{ is neither NaN nor } -1]
    $$

    Missing labels are replaced by 0 *before* the loss is computed, so they
    contribute exactly zero loss and zero gradient (a NaN times 0 would
    still poison the gradient).

    Parameters
    ----------
    y_true : tensor or ndarray of shape (m, n_tasks)
        Labels in {0, 1}; NaN or -1 marks a missing label (the lecture's "?").
    y_pred : tensor or ndarray of shape (m, n_tasks)
        Predicted probabilities (or logits with ``from_logits=True``).
    from_logits : bool, default False
        Whether ``y_pred`` holds logits.

    Returns
    -------
    tensor, scalar float32
        The mean loss over present labels (0 when none is present).

    Examples
    --------
    Labels ``[1, ?, 0, ?]`` against predictions ``[0.8, 0.3, 0.4, 0.9]``:
    $(-\ln 0.8 - \ln 0.6) / 2 = (0.2231 + 0.5108) / 2 = 0.3670$.

    >>> loss = masked_binary_crossentropy([[1.0, np.nan, 0.0, -1.0]], [[0.8, 0.3, 0.4, 0.9]])
    >>> round(float(loss), 4)
    0.367
    """
    ops = keras.ops
    y_true = _checks.check_tensor(y_true, "y_true")  # static checks only: it runs inside the training graph
    y_pred = _checks.check_tensor(y_pred, "y_pred")
    _checks.check_shape(y_pred, "y_pred", tuple(y_true.shape))  # never broadcast
    y_true = ops.cast(ops.convert_to_tensor(y_true), "float32")
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), "float32")
    present = ops.logical_not(ops.logical_or(ops.isnan(y_true), ops.equal(y_true, MISSING)))
    mask = ops.cast(present, "float32")
    filled = ops.where(present, y_true, ops.zeros_like(y_true))  # no NaN reaches the loss
    per_label = ops.binary_crossentropy(filled, y_pred, from_logits=from_logits)  # (m, n_tasks)
    return ops.sum(per_label * mask) / ops.maximum(ops.sum(mask), 1.0)


@keras.saving.register_keras_serializable(package="course_cnn")
class MaskedBinaryCrossentropy(keras.losses.Loss):
    """Keras loss object for `masked_binary_crossentropy` (saves with the model).

    Parameters
    ----------
    from_logits : bool, default False
        Whether predictions are logits.
    name : str, default "masked_binary_crossentropy"
        The loss name.

    Examples
    --------
    >>> loss = MaskedBinaryCrossentropy()
    >>> round(float(loss([[1.0, -1.0]], [[0.5, 0.9]])), 4)  # -ln 0.5
    0.6931
    """

    def __init__(self, from_logits=False, name="masked_binary_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.from_logits = bool(from_logits)

    def call(self, y_true, y_pred):
        return masked_binary_crossentropy(y_true, y_pred, from_logits=self.from_logits)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}


def multitask_model(trunk, n_tasks, name="multitask", from_logits=False):
    """Put one sigmoid output per task on top of a shared trunk.

    Parameters
    ----------
    trunk : keras.Model
        Input -> features; a feature map is flattened before the head.
    n_tasks : int
        Number of yes/no tasks.
    name : str, default "multitask"
        Model name; the head layer is ``f"{name}_heads"``.
    from_logits : bool, default False
        Output logits instead of probabilities (then compile with
        ``MaskedBinaryCrossentropy(from_logits=True)``).

    Returns
    -------
    keras.Model
        Functional model of output shape (m, n_tasks).

    Raises
    ------
    TypeError
        When ``trunk`` is not a Keras model.
    ValueError
        For ``n_tasks`` < 1.

    Examples
    --------
    >>> inputs = keras.Input((8,), name="x")
    >>> trunk = keras.Model(inputs, keras.layers.Dense(4, name="features")(inputs), name="trunk")
    >>> multitask_model(trunk, 3).output_shape
    (None, 3)
    """
    if not isinstance(trunk, keras.Model):
        raise _checks.fail("trunk", "be a keras.Model (input -> features)", _checks.describe(trunk), TypeError)
    trunk = _checks.check_model(trunk, "trunk")
    n_tasks = _checks.check_size(n_tasks, "n_tasks", _checks.MAX_UNITS)
    inputs = keras.Input(trunk.input_shape[1:], name=f"{name}_input")
    features = trunk(inputs)
    if len(features.shape) > 2:
        features = keras.layers.Flatten(name=f"{name}_flatten")(features)
    outputs = keras.layers.Dense(n_tasks, activation=None if from_logits else "sigmoid", name=f"{name}_heads")(features)
    return keras.Model(inputs, outputs, name=name)


def should_multitask(n_per_task, shared_low_level_features=True, can_train_big_network=True, min_boost=1.0):
    r"""Check the lecture's three conditions for multi-task learning.

    1. the tasks can share low-level features;
    2. each task's data is dwarfed by the rest: for every task $t$,
       $\sum_{k \ne t} n_k \ge$ ``min_boost`` $\cdot\, n_t$;
    3. a network big enough to do well on all tasks can be trained.

    Parameters
    ----------
    n_per_task : sequence of int, length >= 2
        Labelled examples per task.
    shared_low_level_features : bool, default True
        Whether the tasks can benefit from shared low-level features.
    can_train_big_network : bool, default True
        Whether a big enough network is affordable.
    min_boost : float, default 1.0
        How much more data the other tasks together must have.

    Returns
    -------
    Decision
        ``recommended``, the failed conditions and the reasons.

    Raises
    ------
    ValueError
        For fewer than 2 tasks or a negative count.

    Examples
    --------
    >>> should_multitask([1000, 1000, 1000, 1000]).recommended
    True
    >>> should_multitask([100_000, 1000]).failed
    ('data',)
    """
    counts = _checks.check_array(n_per_task, "n_per_task", ndim=1, kinds="iu")
    if len(counts) < 2:
        raise _checks.fail("n_per_task", "list at least 2 tasks", f"{len(counts)}")
    if (counts < 0).any():
        raise _checks.fail("n_per_task", "hold non-negative counts", f"{counts.min()}")
    min_boost = _checks.check_number(min_boost, "min_boost", low=0.0)
    others = counts.sum() - counts
    starved = [int(t) for t in np.flatnonzero(others < min_boost * counts)]
    checks = {
        "shared features": bool(shared_low_level_features),
        "data": not starved,
        "big network": bool(can_train_big_network),
    }
    reasons = {
        "shared features": "the tasks share no useful low-level features",
        "data": f"task(s) {starved} have more data than the other tasks together x {min_boost:g}: "
                "they gain little from the others",
        "big network": "too small a network makes multi-task learning hurt each task",
    }
    return Decision.from_checks(checks, reasons, "multi-task learning")
