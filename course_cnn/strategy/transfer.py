r"""Transfer learning: pre-train on task A, fine-tune on task B.

The early layers of a network trained on many images of task A detect
edges, blobs and textures that task B can reuse. Swap the output layer for
one of task B, freeze what was learned (or fine-tune it gently) and train on
B's few examples. It pays when

1. A and B take the same kind of input (images and images),
2. A has a lot more data than B, and
3. A's low-level features are useful for B.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import keras
import numpy as np

from course_cnn import _checks

__all__ = ["Decision", "should_transfer", "TransferResult", "swap_head", "pretrain_then_finetune"]


@dataclass(frozen=True)
class Decision:
    """A yes/no recommendation with the conditions that failed.

    Attributes
    ----------
    recommended : bool
        True when every condition holds.
    failed : tuple of str
        Names of the conditions that fail.
    checks : dict of str to bool
        Every condition and whether it holds.
    reasons : tuple of str
        One sentence per failed condition.
    """

    recommended: bool
    failed: tuple
    checks: dict = field(default_factory=dict)
    reasons: tuple = ()

    @classmethod
    def from_checks(cls, checks, reasons, what):
        """Build a decision from ``{condition: holds}`` and ``{condition: reason if it fails}``.

        Parameters
        ----------
        checks : dict of str to bool
            The conditions.
        reasons : dict of str to str
            Why each condition matters when it fails.
        what : str
            The technique, for the summary ("transfer learning").

        Returns
        -------
        Decision
            The decision.
        """
        failed = tuple(name for name, ok in checks.items() if not ok)
        return cls(not failed, failed, dict(checks), tuple(reasons[name] for name in failed))

    def __str__(self):
        if self.recommended:
            return "recommended: every condition holds"
        return "not recommended: " + "; ".join(self.reasons)


def should_transfer(n_source, n_target, same_input_type=True, low_level_features_useful=True, min_ratio=10.0):
    """Check the lecture's three conditions for transferring from task A (source) to task B (target).

    Parameters
    ----------
    n_source : int
        Examples of task A (pre-training).
    n_target : int
        Examples of task B (fine-tuning).
    same_input_type : bool, default True
        Whether A and B take the same kind of input (both images, both audio).
    low_level_features_useful : bool, default True
        Whether A's low-level features can help B.
    min_ratio : float, default 10.0
        How many times more data A must have than B to count as "a lot
        more" (a rule of thumb; the lecture's examples are 1,000,000 vs 100
        and 10,000 h vs 1 h).

    Returns
    -------
    Decision
        ``recommended``, ``failed`` (among ``"same input"``, ``"more source data"``,
        ``"useful features"``) and the reasons.

    Raises
    ------
    ValueError
        For a negative count or ``n_target`` = 0.

    Examples
    --------
    >>> should_transfer(1_000_000, 100).recommended  # ImageNet -> radiology
    True
    >>> should_transfer(100, 100).failed
    ('more source data',)
    """
    n_source = _checks.check_non_negative_int(n_source, "n_source")
    n_target = _checks.check_positive_int(n_target, "n_target")
    min_ratio = _checks.check_number(min_ratio, "min_ratio", low=0.0)
    checks = {
        "same input": bool(same_input_type),
        "more source data": n_source >= min_ratio * n_target,
        "useful features": bool(low_level_features_useful),
    }
    reasons = {
        "same input": "task A and task B take different kinds of input",
        "more source data": f"task A has {n_source} examples, not a lot more than task B's {n_target} "
                            f"(at least {min_ratio:g}x): each B example is worth more than an A example",
        "useful features": "task A's low-level features do not help task B",
    }
    return Decision.from_checks(checks, reasons, "transfer learning")


@dataclass
class TransferResult:
    """What `pretrain_then_finetune` returns.

    Attributes
    ----------
    model : keras.Model
        The fine-tuned task-B model.
    source_model : keras.Model
        The pre-trained task-A model.
    pretrain_history : dict of str to list of float
        Task A's training curves (empty when ``pretrain_epochs=0``).
    finetune_history : dict of str to list of float
        Task B's training curves.
    frozen : list of str
        Names of the layers kept frozen while fine-tuning.
    """

    model: object
    source_model: object
    pretrain_history: dict
    finetune_history: dict
    frozen: list


def swap_head(model, n_classes, name="target_head"):
    """Replace a classifier's output layer by a new softmax layer of ``n_classes`` units.

    Parameters
    ----------
    model : keras.Model
        A functional classifier; its last layer is the head to replace.
    n_classes : int
        Classes of the new task.
    name : str, default "target_head"
        Name of the new output layer.

    Returns
    -------
    keras.Model
        Same input and (shared) body layers, new head.

    Raises
    ------
    TypeError
        When ``model`` is not a Keras model.

    Examples
    --------
    >>> x = keras.Input((4,), name="x")
    >>> h = keras.layers.Dense(3, name="hidden")(x)
    >>> m = keras.Model(x, keras.layers.Dense(8, activation="softmax", name="head")(h))
    >>> swap_head(m, 2).output_shape
    (None, 2)
    """
    if not isinstance(model, keras.Model):
        raise _checks.fail("model", "be a keras.Model", _checks.describe(model), TypeError)
    n_classes = _checks.check_size(n_classes, "n_classes", _checks.MAX_CLASSES)
    features = model.layers[-2].output
    outputs = keras.layers.Dense(n_classes, activation="softmax", name=name)(features)
    return keras.Model(model.inputs, outputs, name=f"{model.name}_transferred")


def _fit(model, data, epochs, learning_rate, batch_size, verbose, validation_data=None):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    if epochs == 0:
        return {}
    X, y = data
    history = model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=verbose,
                        validation_data=validation_data, shuffle=True)
    return {k: [float(v) for v in vals] for k, vals in history.history.items()}


def _check_data(data, name):
    """A pair ``(X, y)`` of arrays with one label per example."""
    if isinstance(data, (str, bytes)) or not isinstance(data, (tuple, list)) or len(data) != 2:
        raise _checks.fail(name, "be a pair (X, y)", _checks.describe(data), TypeError)
    X = _checks.check_array(data[0], f"{name}[0]", finite=True)
    y = _checks.check_array(data[1], f"{name}[1]", ndim=1, kinds="iu")
    if len(X) != len(y):
        raise _checks.fail(f"{name}[1]", f"hold one label per example of `{name}[0]` ({len(X)})", f"shape {y.shape}")
    return X, y


def pretrain_then_finetune(model, source_data, target_data, n_target_classes, *, freeze="body",
                           pretrain_epochs=3, finetune_epochs=20, learning_rate=1e-3,
                           finetune_learning_rate=None, batch_size=64, target_validation=None, verbose=0):
    """Pre-train a classifier on task A, swap its head, fine-tune it on task B.

    The recipe of the lecture: (1) train ``model`` on A's plentiful data;
    (2) replace the output layer by a fresh one for B; (3) freeze the
    pre-trained layers (few B examples) or only the first few (more B
    examples), and train on B.

    Parameters
    ----------
    model : keras.Model
        A functional classifier for task A (softmax output, integer labels).
    source_data : tuple (X_A, y_A)
        Task A's examples and integer labels.
    target_data : tuple (X_B, y_B)
        Task B's examples and integer labels in [0, n_target_classes).
    n_target_classes : int
        Classes of task B.
    freeze : {"body", "none"} or int, default "body"
        ``"body"`` freezes every pre-trained layer (only the new head learns),
        ``"none"`` fine-tunes everything, an int ``k`` freezes the first
        ``k`` layers.
    pretrain_epochs : int, default 3
        Epochs on task A (0 when ``model`` is already trained).
    finetune_epochs : int, default 20
        Epochs on task B.
    learning_rate : float, default 1e-3
        Adam's learning rate on task A.
    finetune_learning_rate : float, optional
        Learning rate on task B (default: ``learning_rate``; use a smaller
        one when fine-tuning unfrozen layers).
    batch_size : int, default 64
        Mini-batch size.
    target_validation : tuple (X, y), optional
        Task B data to report validation accuracy on while fine-tuning.
    verbose : int, default 0
        Keras verbosity.

    Returns
    -------
    TransferResult
        The task-B model, the task-A model and both histories.

    Raises
    ------
    ValueError
        For a bad ``freeze``, epoch count, learning rate (<= 0) or batch size
        (< 1), or data that are not pairs ``(X, y)`` of matching lengths.
    TypeError
        When ``model`` is not a Keras model.

    Examples
    --------
    >>> x = keras.Input((4,), name="x")
    >>> h = keras.layers.Dense(8, activation="relu", name="hidden")(x)
    >>> m = keras.Model(x, keras.layers.Dense(3, activation="softmax", name="head")(h))
    >>> rng = np.random.default_rng(0)
    >>> A = (rng.normal(size=(32, 4)), rng.integers(0, 3, 32)); B = (rng.normal(size=(8, 4)), rng.integers(0, 2, 8))
    >>> result = pretrain_then_finetune(m, A, B, 2, pretrain_epochs=1, finetune_epochs=1)
    >>> result.model.output_shape, result.frozen
    ((None, 2), ['x', 'hidden'])
    """
    if not isinstance(model, keras.Model):
        raise _checks.fail("model", "be a keras.Model", _checks.describe(model), TypeError)
    pretrain_epochs = _checks.check_int(pretrain_epochs, "pretrain_epochs", 0, _checks.MAX_REPEATS)
    finetune_epochs = _checks.check_int(finetune_epochs, "finetune_epochs", 0, _checks.MAX_REPEATS)
    learning_rate = _checks.check_number(learning_rate, "learning_rate", 0, low_inclusive=False)
    if finetune_learning_rate is not None:
        finetune_learning_rate = _checks.check_number(finetune_learning_rate, "finetune_learning_rate", 0,
                                                      low_inclusive=False)
    batch_size = _checks.check_positive_int(batch_size, "batch_size")
    n_target_classes = _checks.check_size(n_target_classes, "n_target_classes", _checks.MAX_CLASSES)
    n_body = len(model.layers) - 1
    if isinstance(freeze, str):
        n_frozen = {"body": n_body, "none": 0}[_checks.check_choice(freeze, "freeze", ("body", "none"))]
    else:
        n_frozen = _checks.check_int(freeze, "freeze", 0, n_body)
    source_data = _check_data(source_data, "source_data")
    target_data = _check_data(target_data, "target_data")
    pre = _fit(model, source_data, pretrain_epochs, learning_rate, batch_size, verbose)
    target = swap_head(model, n_target_classes)
    frozen = []
    for layer in target.layers[:n_frozen]:
        layer.trainable = False
        frozen.append(layer.name)
    fine = _fit(target, target_data, finetune_epochs, finetune_learning_rate or learning_rate, batch_size, verbose,
                validation_data=target_validation)
    return TransferResult(target, model, pre, fine, frozen)
