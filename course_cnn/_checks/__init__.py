"""Input validation: the one place where user input is checked.

Every public function of the package validates its arguments here and then
calls a private kernel that assumes valid input ("check at the edge, compute
inside"). All messages follow one template::

    `<name>` must <requirement>; got <received>.

for example ``"`boxes` must have shape (..., 4); got shape (19, 19, 5, 3)."``
so that a learner always sees which parameter is wrong, what is allowed and
what was passed. Nothing here imports TensorFlow: tensors are read through
their ``shape``/``dtype`` attributes or converted with ``numpy.asarray``.

The helpers live in five private modules (the message template, array checks,
scalar checks, checks of other objects: strings, paths, seeds, models, and
the upper bounds on sizes with their checks) and are all re-exported here: import them from
``course_cnn._checks``.
"""

from course_cnn._checks._arrays import (
    check_array,
    check_dtype_kind,
    check_finite,
    check_finite_values,
    check_ndim,
    check_same_leading_dims,
    check_shape,
    check_tensor,
)
from course_cnn._checks._limits import (
    MAX_CLASSES,
    MAX_DEPTH,
    MAX_EXAMPLES,
    MAX_IMAGE_SIDE,
    MAX_REPEATS,
    MAX_UNITS,
    check_input_shape,
    check_size,
)
from course_cnn._checks._messages import CourseCNNWarning, describe, fail
from course_cnn._checks._objects import SEED_MAX, check_model, check_path, check_seed, check_strings
from course_cnn._checks._scalars import (
    check_choice,
    check_int,
    check_non_negative_int,
    check_number,
    check_positive_int,
    check_probability,
)

__all__ = [
    "CourseCNNWarning",
    "fail",
    "describe",
    "check_array",
    "check_ndim",
    "check_shape",
    "check_dtype_kind",
    "check_finite",
    "check_finite_values",
    "check_int",
    "check_positive_int",
    "check_non_negative_int",
    "check_number",
    "check_probability",
    "check_choice",
    "check_same_leading_dims",
    "check_tensor",
    "check_strings",
    "check_path",
    "check_seed",
    "check_model",
    "SEED_MAX",
    "check_size",
    "check_input_shape",
    "MAX_IMAGE_SIDE",
    "MAX_UNITS",
    "MAX_CLASSES",
    "MAX_EXAMPLES",
    "MAX_REPEATS",
    "MAX_DEPTH",
]
