"""Check suites for week 4, neural style transfer: the content, style and total costs.

Activations are random float32 tensors of shape ``(1, n_H, n_W, n_C)`` for
several seeds and sizes (including ``1 x 1`` maps and non-square ones), so a
cost that reads its dimensions from a global or from the wrong axis fails;
and the course's own tests' kinds of input (values drawn with mean 1 and
stddev 4, a content output given as one stacked tensor of shape
``(1, 1, 4, 4, 3)`` whose ``[-1]`` is taken, Python floats for the total
cost), so that a solution the course accepts passes.
"""

from __future__ import annotations

import numpy as np

from course_cnn.grading._suite import Case, Hint, Suite, same_as

STYLE = "course_cnn.week4.style"
_TOL = {"rtol": 1e-4, "atol": 1e-6}


def _tensor(x):
    import tensorflow as tf

    return tf.constant(np.asarray(x, dtype="float32"))


def _activations(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [_tensor(rng.normal(0.5, 1.0, shape)) for shape in shapes]


def _np(x):
    return np.asarray(x, dtype=np.float64)


def _normaliser_hint(correct, wrong_ones, text):
    """A hint for a cost computed with a wrong normaliser: got * wrong == expected * correct."""

    def applies(d):
        got, expected = float(np.asarray(d.got)), float(np.asarray(d.expected))
        if expected == 0.0 or np.isclose(got, expected, rtol=1e-4):
            return False
        return any(np.isclose(got * wrong, expected * correct(d), rtol=1e-3) for wrong in wrong_ones(d))

    return Hint(text, applies)


# ---- compute_content_cost -------------------------------------------------------------------------------------

_CONTENT_SPECS = [(0, [(1, 8, 8, 4), (1, 4, 4, 3)]), (1, [(1, 5, 7, 6)]), (2, [(1, 6, 6, 2), (1, 3, 2, 5)]),
                  (3, [(1, 1, 1, 8)])]


def _course_normal(seed, shape):
    """Like the course's tf.random.normal(shape, mean=1, stddev=4): negative values too."""
    return _tensor(np.random.default_rng(seed).normal(1.0, 4.0, shape))


def _content_cases():
    cases = []
    for seed, shapes in _CONTENT_SPECS:
        def make(seed=seed, shapes=shapes):
            return {"content_output": _activations(seed, *shapes),
                    "generated_output": _activations(seed + 50, *shapes)}, {}

        cases.append(Case(f"seed {seed}, {len(shapes)} layer output(s), last {shapes[-1]}", make))
    cases.append(Case("the course's test: one tensor (1, 1, 4, 4, 3), a stack of one layer output, mean 1, stddev 4",
                      lambda: ({"content_output": _course_normal(4, (1, 1, 4, 4, 3)),
                                "generated_output": _course_normal(5, (1, 1, 4, 4, 3))}, {})))
    return cases


def _content_dims(d):
    _, n_H, n_W, n_C = d.args["generated_output"][-1].shape
    return n_H, n_W, n_C


def _content_not_squared(d):
    """sum(a_C - a_G) / (4 n_H n_W n_C): the difference summed without its square."""
    a_C, a_G = _np(d.args["content_output"][-1]), _np(d.args["generated_output"][-1])
    return np.sum(a_C - a_G) / (4 * np.prod(_content_dims(d)))


CONTENT_NORMALISER = _normaliser_hint(
    lambda d: 4 * np.prod(_content_dims(d)),
    lambda d: [1, np.prod(_content_dims(d)), 2 * np.prod(_content_dims(d)), 4 * _content_dims(d)[0] * _content_dims(d)[1],
               (4 * np.prod(_content_dims(d))) ** 2, 4],
    "Check the normaliser: J_content = sum((a_C - a_G)^2) / (4 * n_H * n_W * n_C), with n_H, n_W, n_C read from "
    "a_G's shape (not from a global).")

COMPUTE_CONTENT_COST = Suite(
    "week4.compute_content_cost", f"{STYLE}:compute_content_cost", _content_cases, **_TOL,
    summary="content cost sum((a_C - a_G)^2) / (4 n_H n_W n_C) on the last layer output",
    hints=(
        CONTENT_NORMALISER,
        Hint("Use the last element of each list: a_C = content_output[-1], a_G = generated_output[-1].",
             same_as(lambda d: d.reference(d.args["content_output"][:1], d.args["generated_output"][:1]), **_TOL)),
        Hint("Square the difference before summing: tf.reduce_sum(tf.square(tf.subtract(a_C_unrolled, "
             "a_G_unrolled))).", same_as(_content_not_squared, **_TOL)),
    ),
)


# ---- gram_matrix, compute_layer_style_cost --------------------------------------------------------------------

def _gram_cases():
    shapes = [(3, 8), (1, 4), (5, 2), (16, 36)]
    cases = [Case(f"seed {seed}, A {shape}", lambda seed=seed, shape=shape: (
        {"A": _tensor(np.random.default_rng(seed).normal(size=shape))}, {})) for seed, shape in enumerate(shapes)]
    cases.append(Case("the course's test: A (3, 2), mean 1, stddev 4", lambda: ({"A": _course_normal(6, (3, 2))}, {})))
    return cases


GRAM_MATRIX = Suite(
    "week4.gram_matrix", f"{STYLE}:gram_matrix", _gram_cases, **_TOL,
    summary="style matrix G = A A^T of unrolled activations (n_C, n_H * n_W)",
    hints=(Hint("G = A A^T has shape (n_C, n_C): tf.matmul(A, tf.transpose(A)), not A^T A.",
                same_as(lambda d: _np(d.args["A"]).T @ _np(d.args["A"]), **_TOL)),),
)

_LAYER_SPECS = [(0, (1, 4, 4, 3)), (1, (1, 3, 5, 8)), (2, (1, 1, 1, 2)), (3, (1, 6, 2, 4))]


def _layer_cases():
    cases = [Case(f"seed {seed}, a_S and a_G {shape}", lambda seed=seed, shape=shape: (
        dict(zip(("a_S", "a_G"), _activations(seed, shape, shape))), {})) for seed, shape in _LAYER_SPECS]
    cases.append(Case("the course's test: a_S and a_G (1, 4, 4, 3), mean 1, stddev 4", lambda: (
        {"a_S": _course_normal(7, (1, 4, 4, 3)), "a_G": _course_normal(8, (1, 4, 4, 3))}, {})))
    return cases


def _layer_dims(d):
    _, n_H, n_W, n_C = d.args["a_G"].shape
    return n_H * n_W, n_C


def _unrolled_without_transpose(d):
    """The classic unrolling bug: reshape (1, n_H, n_W, n_C) straight to (n_C, n_H * n_W)."""
    area, n_C = _layer_dims(d)
    grams = [(a := _np(x).reshape(n_C, area)) @ a.T for x in (d.args["a_S"], d.args["a_G"])]
    return np.sum((grams[0] - grams[1]) ** 2) / (4 * n_C**2 * area**2)


def _layer_not_squared(d):
    """sum(G_S - G_G) / (4 n_C^2 (n_H n_W)^2): the Gram matrices' difference summed without its square."""
    area, n_C = _layer_dims(d)
    grams = [(a := _np(x).reshape(area, n_C).T) @ a.T for x in (d.args["a_S"], d.args["a_G"])]
    return np.sum(grams[0] - grams[1]) / (4 * n_C**2 * area**2)


LAYER_NORMALISER = _normaliser_hint(
    lambda d: 4 * _layer_dims(d)[1] ** 2 * _layer_dims(d)[0] ** 2,
    lambda d: [4 * _layer_dims(d)[1] ** 2 * _layer_dims(d)[0], _layer_dims(d)[1] ** 2 * _layer_dims(d)[0] ** 2,
               4 * _layer_dims(d)[1] * _layer_dims(d)[0], (4 * _layer_dims(d)[1] * _layer_dims(d)[0]) ** 2,
               4 * (_layer_dims(d)[1] * _layer_dims(d)[0]) ** 2 * 4, 1, 4],
    "Check the normaliser: J_style_layer = sum((G_S - G_G)^2) / (4 * n_C**2 * (n_H * n_W)**2), with the "
    "dimensions read from a_G's shape.")

COMPUTE_LAYER_STYLE_COST = Suite(
    "week4.compute_layer_style_cost", f"{STYLE}:compute_layer_style_cost", _layer_cases, **_TOL,
    summary="one layer's style cost between Gram matrices",
    hints=(
        LAYER_NORMALISER,
        Hint("Unroll with the channels last, then transpose: tf.transpose(tf.reshape(a_S, [n_H * n_W, n_C])); "
             "reshaping straight to (n_C, n_H * n_W) mixes the channels.",
             same_as(_unrolled_without_transpose, **_TOL)),
        Hint("Square the difference of the Gram matrices before summing: "
             "tf.reduce_sum(tf.square(tf.subtract(GS, GG))).", same_as(_layer_not_squared, **_TOL)),
    ),
)


# ---- compute_style_cost, total_cost ---------------------------------------------------------------------------

_STYLE_SPECS = [
    (0, [(1, 8, 8, 3), (1, 4, 4, 6), (1, 2, 2, 8)], [0.2, 0.3, 0.5]),
    (1, [(1, 5, 5, 2), (1, 3, 3, 4)], [0.7, 0.3]),
    (2, [(1, 6, 4, 3), (1, 3, 2, 3), (1, 2, 1, 4), (1, 1, 1, 4), (1, 1, 1, 5)], [0.2] * 5),
]


def _style_cases():
    cases = []
    for seed, shapes, weights in _STYLE_SPECS:
        layers = [(f"block{i + 1}_conv1", w) for i, w in enumerate(weights)]

        def make(seed=seed, shapes=shapes, layers=layers):
            content = (1, 2, 2, 4)  # the content layer's output comes last and is not a style layer
            return {"style_image_output": _activations(seed, *shapes, content),
                    "generated_image_output": _activations(seed + 50, *shapes, content),
                    "STYLE_LAYERS": layers}, {}

        cases.append(Case(f"seed {seed}, {len(shapes)} style layers, weights {weights}", make))
    return cases


def _style_variant(d, kind):
    from course_cnn.week4.style import compute_layer_style_cost

    outputs = zip(d.args["style_image_output"], d.args["generated_image_output"])
    pairs = list(outputs)[1:] if kind == "shifted" else list(outputs)[:-1]
    weights = [w for _, w in d.args["STYLE_LAYERS"]]
    if kind == "unweighted":
        weights = [1.0] * len(weights)
    return sum(w * float(compute_layer_style_cost(a_S, a_G)) for (a_S, a_G), w in zip(pairs, weights))


COMPUTE_STYLE_COST = Suite(
    "week4.compute_style_cost", f"{STYLE}:compute_style_cost", _style_cases, **_TOL,
    summary="weighted sum of the style layers' costs",
    hints=(
        Hint("Multiply each layer's cost by its weight: J_style += weight * compute_layer_style_cost(a_S[i], a_G[i]).",
             same_as(lambda d: _style_variant(d, "unweighted"), **_TOL)),
        Hint("The style layers are every output but the last (the content layer): a_S = style_image_output[:-1].",
             same_as(lambda d: _style_variant(d, "shifted"), **_TOL)),
    ),
)


def _total_cases():
    specs = [(0, None, None), (1, 1.0, 100.0), (2, 0.0, 1.0), (3, 5.0, 0.5)]
    cases = [Case("the course's test: J_content 0.2 and J_style 0.8 as Python floats (J = 34)",
                  lambda: ({"J_content": 0.2, "J_style": 0.8}, {}))]
    for seed, alpha, beta in specs:
        def make(seed=seed, alpha=alpha, beta=beta):
            rng = np.random.default_rng(seed)
            kwargs = {} if alpha is None else {"alpha": alpha, "beta": beta}
            return {"J_content": _tensor(rng.uniform(0, 10)), "J_style": _tensor(rng.uniform(0, 10))}, kwargs

        label = "default alpha 10, beta 40" if alpha is None else f"alpha {alpha}, beta {beta}"
        cases.append(Case(f"seed {seed}, {label}", make))
    return cases


TOTAL_COST = Suite(
    "week4.total_cost", f"{STYLE}:total_cost", _total_cases, **_TOL,
    summary="alpha * J_content + beta * J_style",
    hints=(Hint("alpha weighs the content cost and beta the style cost: J = alpha * J_content + beta * J_style.",
                same_as(lambda d: d.kwargs.get("alpha", 10) * float(d.args["J_style"])
                        + d.kwargs.get("beta", 40) * float(d.args["J_content"]), **_TOL)),),
)

SUITES = [COMPUTE_CONTENT_COST, GRAM_MATRIX, COMPUTE_LAYER_STYLE_COST, COMPUTE_STYLE_COST, TOTAL_COST]
