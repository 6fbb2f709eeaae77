"""Upper bounds on sizes, and the checks that apply them.

A size with an extra zero, or ``1e9`` typed for ``1e3``, must be refused at
once with the parameter's name, not hang a loop or exhaust memory before
numpy or TensorFlow says something that names no parameter. Each bound is
far above any use in the course and far below what would hang or exhaust a
laptop; how it was chosen is written next to it. The checks run before any
allocation.
"""

from __future__ import annotations

from typing import Any

from course_cnn._checks._messages import describe, fail
from course_cnn._checks._scalars import check_int

# Pixels per side of an image or model input: an 8K frame is 7,680 wide;
# 16,384 is TensorFlow's own limit for an image side in its JPEG/PNG ops.
MAX_IMAGE_SIDE = 16_384
# Units or filters of one layer: VGG's widest dense layer has 4,096 units and
# 65,536 is 16 times that (one 3x3x65536x65536 kernel would already be 150 GB).
MAX_UNITS = 65_536
# Classes of a classifier head: ImageNet-21k has 21,841; 1,000,000 leaves room.
MAX_CLASSES = 1_000_000
# Examples a generator makes in memory: 10 million of the smallest images the
# package draws (8x8 float32) is 2.5 GB; more is a typo.
MAX_EXAMPLES = 10_000_000
# Repetitions of a loop (epochs, steps, trials, iterations): a million already
# takes hours for the smallest step; a typo beyond it would look like a hang.
MAX_REPEATS = 1_000_000
# Layers of a network built by depth: ResNet-1202 is the deepest network of the
# course's paper (He et al. 2016); 10,000 layers would take an hour to build.
MAX_DEPTH = 10_000


def check_size(value: Any, name: str, maximum: int, minimum: int = 1) -> int:
    """Require an int in ``[minimum, maximum]``: a count, side or width with an upper bound.

    Parameters
    ----------
    value : object
        The size.
    name : str
        Parameter name for messages.
    maximum : int
        Largest allowed value, one of this module's ``MAX_*`` bounds.
    minimum : int, default 1
        Smallest allowed value.

    Returns
    -------
    int
        ``value``.

    Raises
    ------
    TypeError, ValueError
        ``"`n` must be an int in [1, 10000000]; got 1000000000000."``

    Examples
    --------
    >>> check_size(3, "n", MAX_EXAMPLES)
    3
    """
    return check_int(value, name, minimum, maximum)


def check_input_shape(value: Any, name: str = "input_shape", ndim: int | None = 3, *, allow_none: bool = False) -> tuple:
    """Require a model input shape: a tuple of ``ndim`` positive ints up to `MAX_IMAGE_SIDE`.

    Parameters
    ----------
    value : object
        The shape, e.g. ``(64, 64, 3)``.
    name : str, default "input_shape"
        Parameter name for messages.
    ndim : int or None, default 3
        Required length, or None for any length >= 1.
    allow_none : bool, default False
        Accept ``None`` for a dimension (any size, as Keras allows).

    Returns
    -------
    tuple
        The shape as a tuple of Python ints (and None where allowed).

    Raises
    ------
    TypeError, ValueError
        ``"`input_shape` must be a tuple of 3 ints in [1, 16384]; got (-1, 8, 3)."``

    Examples
    --------
    >>> check_input_shape([28, 28, 1])
    (28, 28, 1)
    """
    what = f"a tuple of {ndim if ndim is not None else 'one or more'} ints in [1, {MAX_IMAGE_SIDE}]"
    what += " (or None)" if allow_none else ""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise fail(name, "be " + what, describe(value), TypeError)
    dims = tuple(value)
    if (ndim is not None and len(dims) != ndim) or not dims:
        raise fail(name, "be " + what, repr(dims))
    out = []
    for dim in dims:
        if dim is None and allow_none:
            out.append(None)
            continue
        try:
            out.append(check_int(dim, name, 1, MAX_IMAGE_SIDE))
        except (TypeError, ValueError) as exc:
            raise fail(name, "be " + what, repr(dims), type(exc)) from None
    return tuple(out)
