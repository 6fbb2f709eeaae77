r"""Sizes and parameter counts of convolutional layers.

Output size per spatial dimension (input $n$, filter $f$, padding $p$,
stride $s$; a window that would stick out of the padded input is skipped,
hence the floor):

$$n_{out} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1$$

"Same" padding keeps $n_{out} = n$ at stride 1: $p = (f - 1)/2$.
A layer of $n_C$ filters of size $f \times f \times n_{C,prev}$ has
$(f \cdot f \cdot n_{C,prev} + 1)\, n_C$ parameters, however large the image:
that is *parameter sharing*.
"""

from __future__ import annotations

from course_cnn import _checks

__all__ = ["conv_output_shape", "same_padding", "conv_parameter_count", "dense_parameter_count"]


def conv_output_shape(input_shape, f, n_filters, stride=1, pad=0):
    r"""Shape of a convolution's output, for 1, 2 or 3 spatial dimensions.

    $$n_{out} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1 \quad\text{for each spatial } n$$

    ``input_shape`` is one example's shape, **spatial dimensions first and
    channels last, no batch axis**: ``(n_L, n_C_prev)`` for a 1-D signal,
    ``(n_H, n_W, n_C_prev)`` for an image, ``(n_D, n_H, n_W, n_C_prev)``
    for a volume. The filter is ``f`` wide in every spatial dimension and
    spans all ``n_C_prev`` channels (the channel rule), so the channel count
    of the output is ``n_filters``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(*spatial, n_C_prev)`` with 1 to 3 spatial dimensions.
    f : int
        Filter size in each spatial dimension.
    n_filters : int
        Number of filters, the output's channels.
    stride : int, default 1
        Step between windows, ``>= 1``.
    pad : int, default 0
        Zeros added on each side of every spatial dimension, ``>= 0``.

    Returns
    -------
    tuple of int
        ``(*spatial_out, n_filters)``.

    Raises
    ------
    ValueError
        For an ``input_shape`` without 2 to 4 positive entries, non-positive
        ``f``/``n_filters``/``stride``, a negative ``pad``, or a filter larger
        than the padded input.
    TypeError
        For non-int sizes.

    Examples
    --------
    >>> conv_output_shape((6, 6, 1), f=3, n_filters=1)  # 6 - 3 + 1 = 4
    (4, 4, 1)
    >>> conv_output_shape((7, 7, 3), f=3, n_filters=2, stride=2)  # floor((7 - 3)/2) + 1 = 3
    (3, 3, 2)
    >>> conv_output_shape((14, 1), f=5, n_filters=16)  # 1-D signal of 14 samples
    (10, 16)
    >>> conv_output_shape((14, 14, 14, 1), f=5, n_filters=16)  # 3-D volume
    (10, 10, 10, 16)
    """
    if not isinstance(input_shape, (tuple, list)) or not 2 <= len(input_shape) <= 4:
        raise _checks.fail(
            "input_shape",
            "be a tuple (*spatial, n_C_prev) with 1 to 3 spatial dimensions, channels last, no batch axis",
            _checks.describe(input_shape) if not isinstance(input_shape, (tuple, list)) else repr(tuple(input_shape)),
        )
    dims = [_checks.check_positive_int(n, f"input_shape[{k}]") for k, n in enumerate(input_shape)]
    f = _checks.check_positive_int(f, "f")
    n_filters = _checks.check_positive_int(n_filters, "n_filters")
    stride = _checks.check_positive_int(stride, "stride")
    pad = _checks.check_non_negative_int(pad, "pad")
    spatial = dims[:-1]
    if f > min(spatial) + 2 * pad:
        raise _checks.fail("f", f"be at most the smallest padded spatial size min(n) + 2 * pad = {min(spatial) + 2 * pad}", f"{f}")
    # n_out = floor((n + 2p - f) / s) + 1 for each spatial dimension
    return tuple((n + 2 * pad - f) // stride + 1 for n in spatial) + (n_filters,)


def same_padding(f):
    r"""Padding that keeps a stride-1 convolution's output as large as its input.

    $$n + 2p - f + 1 = n \iff p = \frac{f - 1}{2}$$

    Parameters
    ----------
    f : int
        Filter size, odd (an even ``f`` would need a different padding on each side).

    Returns
    -------
    int
        ``(f - 1) // 2``.

    Raises
    ------
    ValueError
        For an even or non-positive ``f``.
    TypeError
        For a non-int ``f``.

    Examples
    --------
    >>> same_padding(3), same_padding(5), same_padding(1)
    (1, 2, 0)
    """
    f = _checks.check_positive_int(f, "f")
    if f % 2 == 0:
        raise _checks.fail("f", "be odd for symmetric 'same' padding (p = (f - 1) / 2 must be an int)", f"{f}")
    return (f - 1) // 2


def conv_parameter_count(f, n_C_prev, n_C):
    r"""Learnable parameters of a convolutional layer: weights plus one bias per filter.

    $$(\underbrace{f \cdot f \cdot n_{C,prev}}_{\text{weights per filter}} + \underbrace{1}_{\text{bias}}) \cdot n_C$$

    It does not depend on the image size: every position shares the same filters.

    Parameters
    ----------
    f : int
        Filter size.
    n_C_prev : int
        Channels of the input (each filter spans all of them).
    n_C : int
        Number of filters.

    Returns
    -------
    int
        The parameter count.

    Raises
    ------
    ValueError, TypeError
        For sizes that are not positive ints.

    Examples
    --------
    >>> conv_parameter_count(3, 3, 2)  # (3*3*3 + 1) * 2 = 56, the notes' one-layer example
    56
    >>> conv_parameter_count(5, 3, 6)  # 32x32x3 -> 28x28x6: (5*5*3 + 1) * 6
    456
    """
    f = _checks.check_positive_int(f, "f")
    n_C_prev = _checks.check_positive_int(n_C_prev, "n_C_prev")
    n_C = _checks.check_positive_int(n_C, "n_C")
    weights_per_filter = f * f * n_C_prev
    return (weights_per_filter + 1) * n_C


def dense_parameter_count(n_in, n_out):
    r"""Learnable parameters of a fully connected layer: a weight per input-output pair plus biases.

    $$n_{in} \cdot n_{out} + n_{out}$$

    Parameters
    ----------
    n_in : int
        Input units (for an image, $n_H n_W n_C$).
    n_out : int
        Output units.

    Returns
    -------
    int
        The parameter count.

    Raises
    ------
    ValueError, TypeError
        For sizes that are not positive ints.

    Examples
    --------
    >>> dense_parameter_count(32 * 32 * 3, 28 * 28 * 6)  # the notes' "about 14 million"
    14455392
    """
    n_in = _checks.check_positive_int(n_in, "n_in")
    n_out = _checks.check_positive_int(n_out, "n_out")
    return n_in * n_out + n_out
