r"""Receptive fields: the window of the input that one unit of a layer sees.

Walking the layers from the input, with $r$ the field's size, $J$ the
distance in input pixels between neighbouring units ("jump") and $s_0$ the
input coordinate of unit 0's field:

$$
r_{out} = r_{in} + (f - 1) J_{in}, \qquad J_{out} = J_{in} \cdot s,
\qquad s_{0,out} = s_{0,in} - p_{left} J_{in}
$$

for a convolution or pooling of size $f$, stride $s$ and left padding
$p_{left}$. Unit $i$'s field starts at input pixel $s_0 + i J$. Shallow
layers have small fields (edges, colours); deeper layers see larger parts.
`course_cnn.week4.style.visualize` crops these windows to show what a unit
responds to.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_cnn import _checks

__all__ = ["ReceptiveField", "receptive_field"]

# Layers that keep positions one-to-one (element-wise or per-position).
_PASS_THROUGH = (
    "InputLayer", "Activation", "ReLU", "LeakyReLU", "ELU", "BatchNormalization", "LayerNormalization",
    "Dropout", "SpatialDropout2D", "GaussianNoise", "Rescaling", "Normalization",
)


@dataclass(frozen=True)
class ReceptiveField:
    """Receptive field of a layer's units, per spatial axis (rows, columns).

    Attributes
    ----------
    size : tuple of int
        $r$: the field's height and width in input pixels.
    jump : tuple of int
        $J$: input pixels between neighbouring units.
    start : tuple of int
        $s_0$: input row/column of unit (0, 0)'s top-left corner (negative
        when it hangs over the padded border).
    """

    size: tuple
    jump: tuple
    start: tuple

    def window(self, i, j):
        """Input rows ``[y1, y2)`` and columns ``[x1, x2)`` seen by unit (i, j).

        Parameters
        ----------
        i, j : int
            The unit's row and column in the layer's output.

        Returns
        -------
        tuple of int
            ``(y1, x1, y2, x2)``, possibly outside the image at the borders.

        Examples
        --------
        >>> ReceptiveField((5, 5), (2, 2), (0, 0)).window(1, 2)
        (2, 4, 7, 9)
        """
        y1 = self.start[0] + i * self.jump[0]
        x1 = self.start[1] + j * self.jump[1]
        return (y1, x1, y1 + self.size[0], x1 + self.size[1])


def _pair(value):
    return tuple(value) if isinstance(value, (list, tuple)) else (value, value)


def _left_padding(padding, n_in, f, s):
    """TensorFlow's 'same' padding puts the smaller half on the left/top."""
    if padding == "valid":
        return 0
    n_out = -(-n_in // s)  # ceil(n_in / s)
    pad_total = max((n_out - 1) * s + f - n_in, 0)
    return pad_total // 2


def _layer_geometry(layer):
    """(f, s, padding) per axis for conv/pool layers, None for pass-through ones."""
    kind = type(layer).__name__
    if kind in _PASS_THROUGH:
        return None
    config = layer.get_config()
    if "kernel_size" in config:  # Conv2D, DepthwiseConv2D, SeparableConv2D
        dilation = _pair(config.get("dilation_rate", 1))
        f = tuple((k - 1) * d + 1 for k, d in zip(_pair(config["kernel_size"]), dilation))
        return f, _pair(config["strides"]), config["padding"]
    if "pool_size" in config:  # MaxPooling2D, AveragePooling2D
        strides = config.get("strides") or config["pool_size"]
        return _pair(config["pool_size"]), _pair(strides), config["padding"]
    raise _checks.fail(
        "layer_name", "be reached through Conv2D, pooling and element-wise layers only",
        f"a path through {layer.name!r} ({kind})",
    )


def receptive_field(model, layer_name):
    """Receptive field of the units of ``model``'s layer ``layer_name``.

    Parameters
    ----------
    model : keras.Model
        A chain of layers from one image input (each layer has one inbound
        layer) up to ``layer_name``: Conv2D, pooling, and element-wise layers.
    layer_name : str
        The layer.

    Returns
    -------
    ReceptiveField
        Size, jump and start per axis.

    Raises
    ------
    ValueError
        For an unknown layer, or a path through a layer whose geometry is not
        known (a Dense or Flatten before it, a merge of branches).

    Examples
    --------
    >>> import keras
    >>> x = inputs = keras.Input((28, 28, 1))
    >>> x = keras.layers.Conv2D(8, 3, name="conv1")(x)
    >>> x = keras.layers.MaxPooling2D(2, name="pool1")(x)
    >>> x = keras.layers.Conv2D(8, 3, name="conv2")(x)
    >>> receptive_field(keras.Model(inputs, x), "conv2")  # r = 3 + 1*1 + 2*2
    ReceptiveField(size=(8, 8), jump=(2, 2), start=(0, 0))
    """
    chain = _chain_to(model, layer_name)
    size, jump, start = [1, 1], [1, 1], [0, 0]
    for layer in chain:
        geometry = _layer_geometry(layer)
        if geometry is None:
            continue
        f, s, padding = geometry
        n_in = tuple(layer.input.shape[1:3])
        for axis in range(2):
            if padding == "same" and n_in[axis] is None:
                raise _checks.fail("model", "have a fixed input size for 'same' padding", f"an unknown size at {layer.name!r}")
            p_left = _left_padding(padding, n_in[axis], f[axis], s[axis])
            # r_out = r_in + (f - 1) J_in;  s0_out = s0_in - p_left J_in;  J_out = J_in s
            size[axis] += (f[axis] - 1) * jump[axis]
            start[axis] -= p_left * jump[axis]
            jump[axis] *= s[axis]
    return ReceptiveField(tuple(size), tuple(jump), tuple(start))


def _chain_to(model, layer_name):
    """The layers from the input to ``layer_name``, following single inbound links."""
    model = _checks.check_model(model)
    names = [layer.name for layer in model.layers]
    if not isinstance(layer_name, str) or layer_name not in names:
        raise _checks.fail("layer_name", f"name a layer of the model ({', '.join(names)})", _checks.describe(layer_name))
    chain, layer = [], model.get_layer(layer_name)
    while True:
        chain.append(layer)
        inbound = [node for node in layer._inbound_nodes if node.parent_nodes or node.is_input]
        node = inbound[0] if inbound else None
        if node is None or node.is_input or not node.parent_nodes:
            break
        if len(node.parent_nodes) != 1:
            raise _checks.fail("layer_name", "be reached through a single chain of layers", f"a merge at {layer.name!r}")
        layer = node.parent_nodes[0].operation
    return chain[::-1]
