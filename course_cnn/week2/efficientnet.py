r"""EfficientNet's compound scaling: depth, width and resolution grown together by one knob $\phi$.

A network can be made bigger three ways: more layers (depth $d$), more
channels per layer (width $w$), larger input images (resolution $r$).
Tan and Le found that scaling all three together works better than any one
alone, with fixed ratios found by a small grid search on the baseline
(EfficientNet-B0):

$$d = \alpha^{\phi}, \qquad w = \beta^{\phi}, \qquad r = \gamma^{\phi}$$

$$\alpha \cdot \beta^2 \cdot \gamma^2 \approx 2, \qquad \alpha, \beta, \gamma \ge 1$$

A convolution's cost grows linearly with depth but with the *square* of
width (both $n_{C,prev}$ and $n_C$ grow) and of resolution (both $n_H$ and
$n_W$ grow), so the FLOPs grow by $(\alpha \beta^2 \gamma^2)^{\phi} \approx 2^{\phi}$:
each step of $\phi$ about doubles the computation. The paper's values are
$\alpha = 1.2$, $\beta = 1.1$, $\gamma = 1.15$ ($1.2 \cdot 1.1^2 \cdot 1.15^2 = 1.92$).

The released B1-B7 round these: their coefficients (``EFFICIENTNET_VARIANTS``)
are close to $\phi = 1 \ldots 7$ but not equal to the formula, which
``efficientnet_table`` shows next to the parameter counts of Keras' own
``keras.applications.EfficientNetB0`` ... ``B7``.

References
----------
M. Tan, Q. V. Le, "EfficientNet: Rethinking model scaling for convolutional neural networks", ICML 2019.
"""

from __future__ import annotations

from typing import NamedTuple

from course_cnn import _checks

__all__ = ["Scaling", "efficientnet_scaling", "efficientnet_table"]

#: The released variants, from the paper's code: k -> (width coefficient, depth coefficient, resolution, dropout).
EFFICIENTNET_VARIANTS = {
    0: (1.0, 1.0, 224, 0.2),
    1: (1.0, 1.1, 240, 0.2),
    2: (1.1, 1.2, 260, 0.3),
    3: (1.2, 1.4, 300, 0.3),
    4: (1.4, 1.8, 380, 0.4),
    5: (1.6, 2.2, 456, 0.4),
    6: (1.8, 2.6, 528, 0.5),
    7: (2.0, 3.1, 600, 0.5),
}
#: EfficientNet-B0's input side, the resolution that gamma ** phi multiplies.
BASE_RESOLUTION = 224


class Scaling(NamedTuple):
    r"""Multipliers of one compound-scaling step, returned by ``efficientnet_scaling``.

    Attributes
    ----------
    depth : float
        $d = \alpha^{\phi}$, the factor on the number of layers.
    width : float
        $w = \beta^{\phi}$, the factor on the number of channels.
    resolution : float
        $r = \gamma^{\phi}$, the factor on the input's height and width.
    flops : float
        $(\alpha \beta^2 \gamma^2)^{\phi}$, the factor on the multiplications.
    constraint : float
        $\alpha \beta^2 \gamma^2$, which the paper keeps close to 2.

    Examples
    --------
    >>> Scaling(1.0, 1.0, 1.0, 1.0, 1.92).flops
    1.0
    """

    depth: float
    width: float
    resolution: float
    flops: float
    constraint: float


def efficientnet_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    r"""Depth, width and resolution multipliers for compound coefficient ``phi``.

    $$d = \alpha^{\phi}, \qquad w = \beta^{\phi}, \qquad r = \gamma^{\phi}$$

    $$\text{FLOPs} \times (\alpha \beta^2 \gamma^2)^{\phi}, \qquad \alpha \beta^2 \gamma^2 \approx 2$$

    Parameters
    ----------
    phi : float
        The compound coefficient, in [0, 100] (0 is the baseline B0).
    alpha, beta, gamma : float, default 1.2, 1.1, 1.15
        The per-step factors of depth, width and resolution, each in [1, 10]
        (the paper's grid-search result by default).

    Returns
    -------
    Scaling
        ``(depth, width, resolution, flops, constraint)``.

    Raises
    ------
    TypeError, ValueError
        For a ``phi`` or a factor that is not a finite number in its range.

    Examples
    --------
    >>> s = efficientnet_scaling(1)
    >>> s.depth, s.width, s.resolution
    (1.2, 1.1, 1.15)
    >>> round(s.constraint, 4)  # 1.2 * 1.1**2 * 1.15**2: close to 2
    1.9203
    >>> s7 = efficientnet_scaling(7)
    >>> round(s7.depth, 2), round(s7.width, 2), round(224 * s7.resolution)  # B7 uses 3.1, 2.0, 600
    (3.58, 1.95, 596)
    >>> round(s7.flops)  # 1.9203 ** 7: a little under 2 ** 7 = 128
    96
    """
    phi = _checks.check_number(phi, "phi", 0.0, 100.0)
    alpha = _checks.check_number(alpha, "alpha", 1.0, 10.0)
    beta = _checks.check_number(beta, "beta", 1.0, 10.0)
    gamma = _checks.check_number(gamma, "gamma", 1.0, 10.0)
    constraint = alpha * beta**2 * gamma**2  # FLOPs of one step: linear in depth, quadratic in width and resolution
    return Scaling(depth=alpha**phi, width=beta**phi, resolution=gamma**phi, flops=constraint**phi,
                   constraint=constraint)


def efficientnet_table(variants=(0, 1, 2, 3, 4, 5, 6, 7)):
    r"""Keras' EfficientNet-B0 ... B7 next to the compound-scaling formula, one row per variant.

    Builds ``keras.applications.EfficientNetB{k}(weights=None)`` (random
    weights, no download; 1-15 s each, B7 the slowest) and reads its
    parameter count and input size; puts beside them the released
    coefficients (``EFFICIENTNET_VARIANTS``) and the formula's multipliers
    at $\phi = k$ (``efficientnet_scaling(k)``).

    Parameters
    ----------
    variants : sequence of int, default (0, 1, ..., 7)
        Which of B0-B7.

    Returns
    -------
    list of dict
        Keys ``name``, ``phi``, ``params``, ``resolution`` (the model's input
        side), ``width_coefficient``, ``depth_coefficient`` (the released
        ones), ``formula_width``, ``formula_depth``, ``formula_resolution``
        ($224 \gamma^{\phi}$), ``formula_flops``.

    Raises
    ------
    TypeError, ValueError
        For a bare int or string, or a variant outside 0-7.

    Examples
    --------
    >>> row = efficientnet_table([0])[0]
    >>> row["name"], row["params"], row["resolution"]
    ('EfficientNetB0', 5330571, 224)
    """
    if isinstance(variants, (str, bytes, int)) or not hasattr(variants, "__iter__"):
        raise _checks.fail("variants", "be a sequence of ints in 0-7", _checks.describe(variants), TypeError)
    variants = list(variants)
    for k in variants:
        _checks.check_int(k, "variants", 0, 7)
    import keras

    rows = []
    for k in variants:
        model = getattr(keras.applications, f"EfficientNetB{k}")(weights=None)
        width, depth, resolution, _ = EFFICIENTNET_VARIANTS[k]
        formula = efficientnet_scaling(k)
        rows.append({
            "name": f"EfficientNetB{k}", "phi": k, "params": int(model.count_params()),
            "resolution": int(model.input_shape[1]), "width_coefficient": width, "depth_coefficient": depth,
            "formula_width": formula.width, "formula_depth": formula.depth,
            "formula_resolution": BASE_RESOLUTION * formula.resolution, "formula_flops": formula.flops,
        })
        keras.backend.clear_session()  # B7 alone holds 66 million weights
    return rows
