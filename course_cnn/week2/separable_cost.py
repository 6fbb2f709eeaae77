r"""What depthwise separation saves, layer by layer, in a real network.

For a convolution with an $n_H \times n_W \times n_C$ output, $f \times f$
filters and $n_{C,prev}$ input channels, the lecture counts

$$\text{standard} = n_H n_W \cdot n_C \cdot f^2 n_{C,prev}, \qquad
  \text{separable} = \underbrace{n_H n_W \cdot f^2 n_{C,prev}}_{\text{depthwise}}
  + \underbrace{n_H n_W \cdot n_{C,prev} n_C}_{\text{pointwise}}$$

multiplications, a ratio of $\frac{1}{n_C} + \frac{1}{f^2}$.
`separable_multiplications_table` walks a Keras model and gives both counts
for each of its convolutions, so the lecture's ratio can be read off the
converted SSD MobileNet v1 (`course_cnn.week3.load_ssd_face_detector`) or the
other face-api.js networks.
"""

from __future__ import annotations

from course_cnn import _checks
from course_cnn.week2.depthwise import depthwise_separable_multiplications

__all__ = ["separable_multiplications_table"]


def _standard(n_H, n_W, f, n_C_prev, n_C):
    return n_H * n_W * n_C * f * f * n_C_prev  # one f x f x n_C_prev product per output number


def separable_multiplications_table(model):
    r"""Multiplications of every convolution of a model, with and without depthwise separation.

    A ``SeparableConv2D`` layer, or a ``DepthwiseConv2D`` layer followed by a
    $1 \times 1$ ``Conv2D`` (MobileNet's block, written as two layers), makes
    one *separable* row; a plain ``Conv2D`` makes a row whose two counts are
    equal. Biases, batch norms and activations are not counted (as in the
    lecture), nor are dense layers.

    Parameters
    ----------
    model : keras.Model
        A built model with fixed input size.

    Returns
    -------
    list of dict
        One dict per convolution, in the model's order, with keys ``layer``
        (name; ``"a + b"`` for a two-layer block), ``output``
        ``(n_H, n_W, n_C)``, ``f``, ``n_C_prev``, ``separable`` (bool),
        ``multiplications`` (as built) and ``standard`` (the same output with
        a standard $f \times f$ convolution).

    Raises
    ------
    TypeError
        When ``model`` is not a Keras model.
    ValueError
        When a convolution's output size is not fixed.

    Examples
    --------
    >>> import keras
    >>> x = keras.Input((6, 6, 3))
    >>> y = keras.layers.SeparableConv2D(5, 3, name="sep")(x)  # the lecture's 6x6x3 -> 4x4x5
    >>> row, = separable_multiplications_table(keras.Model(x, y))
    >>> row["multiplications"], row["standard"]
    (672, 2160)
    """
    import keras

    model = _checks.check_model(model)
    rows, pending = [], None  # pending: a depthwise layer waiting for its pointwise partner
    for layer in model.layers:
        if isinstance(layer, (keras.layers.SeparableConv2D, keras.layers.DepthwiseConv2D, keras.layers.Conv2D)):
            n_H, n_W, n_C = _output_size(layer)
            n_C_prev, f = int(layer.input.shape[-1]), int(layer.kernel_size[0])
        if isinstance(layer, keras.layers.SeparableConv2D):
            rows.append(_separable_row(layer.name, (n_H, n_W, n_C), f, n_C_prev))
        elif isinstance(layer, keras.layers.DepthwiseConv2D):
            pending = (layer.name, f, n_C_prev)
        elif isinstance(layer, keras.layers.Conv2D):
            if pending is not None and f == 1 and n_C_prev == pending[2]:
                rows.append(_separable_row(f"{pending[0]} + {layer.name}", (n_H, n_W, n_C), pending[1], n_C_prev))
            else:
                count = _standard(n_H, n_W, f, n_C_prev, n_C)
                rows.append(_row(layer.name, (n_H, n_W, n_C), f, n_C_prev, False, count, count))
            pending = None
    return rows


def _output_size(layer):
    shape = tuple(layer.output.shape[1:])
    if len(shape) != 3 or any(d is None for d in shape):
        raise _checks.fail("model", "have convolutions of fixed output size", f"{layer.name!r} with output {shape}")
    return tuple(int(d) for d in shape)


def _separable_row(name, output, f, n_C_prev):
    n_H, n_W, n_C = output
    depthwise, pointwise = depthwise_separable_multiplications((n_H, n_W), f, n_C_prev, n_C)
    return _row(name, output, f, n_C_prev, True, depthwise + pointwise, _standard(n_H, n_W, f, n_C_prev, n_C))


def _row(name, output, f, n_C_prev, separable, multiplications, standard):
    return {
        "layer": name, "output": output, "f": f, "n_C_prev": n_C_prev, "separable": separable,
        "multiplications": int(multiplications), "standard": int(standard),
    }  # fmt: skip
