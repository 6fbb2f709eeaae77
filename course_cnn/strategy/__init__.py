"""ML strategy: tools for the "structuring machine learning projects" lectures.

* `.error_sampling`, `.error_analysis`: sample errors, tag them,
  count, and read the ceiling of each fix (`sample_errors`,
  `ErrorAnalysis`).
* `.labels`: is relabelling dev/test worth it (`label_noise_report`).
* `.splits`: train / train-dev / dev / test when distributions differ
  (`mismatched_split`).
* `.diagnosis`: avoidable bias, variance, data mismatch, dev overfitting
  (`diagnose`, `plot_error_ladder`).
* `.synthesis`: artificial data synthesis (`synthesize`).
* `.transfer`: transfer learning (`should_transfer`,
  `pretrain_then_finetune`).
* `.multitask`: multi-task learning with missing labels
  (`masked_binary_crossentropy`, `multitask_model`,
  `should_multitask`).

Every error rate is given in one convention per call: ``scale="percent"``
(the default, ``10`` is 10 %) or ``scale="fraction"`` (``0.1`` is 10 %).
"""

from course_cnn._lazy import lazy_attributes
from course_cnn.strategy.diagnosis import Diagnosis, diagnose, plot_error_ladder
from course_cnn.strategy.error_analysis import ErrorAnalysis, TagStat
from course_cnn.strategy.error_sampling import export_error_sample, sample_errors
from course_cnn.strategy.labels import LabelNoiseReport, label_noise_report
from course_cnn.strategy.splits import MismatchedSplit, mismatched_split, mismatched_split_indices
from course_cnn.strategy.synthesis import make_perturbation_pool, synthesize

# Keras-based tools load on first use, so that `course-cnn diagnose` and the
# arithmetic and numpy tools answer without importing TensorFlow.
_LAZY = {
    "should_transfer": "transfer",
    "pretrain_then_finetune": "transfer",
    "swap_head": "transfer",
    "TransferResult": "transfer",
    "Decision": "transfer",
    "masked_binary_crossentropy": "multitask",
    "MaskedBinaryCrossentropy": "multitask",
    "multitask_model": "multitask",
    "should_multitask": "multitask",
}
__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "sample_errors",
    "export_error_sample",
    "ErrorAnalysis",
    "TagStat",
    "label_noise_report",
    "LabelNoiseReport",
    "mismatched_split",
    "mismatched_split_indices",
    "MismatchedSplit",
    "diagnose",
    "Diagnosis",
    "plot_error_ladder",
    "synthesize",
    "make_perturbation_pool",
    "should_transfer",
    "pretrain_then_finetune",
    "swap_head",
    "TransferResult",
    "Decision",
    "masked_binary_crossentropy",
    "MaskedBinaryCrossentropy",
    "multitask_model",
    "should_multitask",
]
