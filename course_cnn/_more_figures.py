"""Concept figures of the overview, strategy and SCDV pages (no trained model needed).

Run ``python -m course_cnn.docs_figures more_concepts``. Paths in
:data:`FIGURES` are relative to the docs folder. The numbers come from the
package: ``conv_forward``/``pool_forward`` (week 1 overview),
``label_noise_report``, ``mismatched_split_indices``, ``word_topic_vectors``,
``document_vectors`` and ``sparsify``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from course_cnn import _diagrams as D


def week1_pipeline_figure(path):
    """A photo through the week's operations: vertical-edge conv, ReLU, 2x2 max pool, with their shapes."""
    from course_cnn.datasets import load_photo
    from course_cnn.week1 import conv_forward, pool_forward, vertical_edge_filter

    photo = load_photo("china")[120:312:2, 200:392:2].mean(axis=2) / 255.0  # (96, 96) grey
    A_prev = photo[None, :, :, None]  # (m, n_H, n_W, n_C) = (1, 96, 96, 1)
    W = vertical_edge_filter()[:, :, None, None]  # (f, f, n_C_prev, n_C)
    Z, _ = conv_forward(A_prev, W, np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 1})
    A = np.maximum(Z, 0)
    P, _ = pool_forward(A, {"f": 2, "stride": 2}, "max")
    panels = [("input", A_prev), ("conv, vertical edge, same", Z), ("ReLU", A), ("max pool 2x2 /2", P)]
    fig, axes = D.figure(2.4, ncols=4)
    for ax, (title, x) in zip(axes, panels):
        ax.imshow(x[0, :, :, 0], cmap="gray" if title == "input" else "RdBu_r" if title.startswith("conv")
                  else "magma")
        ax.set_title(f"{title}\n{'x'.join(map(str, x.shape[1:]))}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    return D.save(fig, path, colors=64)


def transfer_regimes_figure(path):
    """Which layers of a pretrained network to train, by the amount of data you have."""
    from matplotlib.patches import Rectangle

    rows = [("little data", 9, "freeze the base; train a new softmax"),
            ("more data", 6, "freeze the early layers; retrain the last ones"),
            ("lots of data", 0, "train everything, starting from the weights")]
    n_layers = 10
    fig, ax = D.figure(2.5)
    for i, (name, frozen, text) in enumerate(rows):
        y = -1.2 * i
        ax.text(-0.2, y + 0.35, name, ha="right", va="center", fontsize=10)
        for k in range(n_layers):
            colour = "#cccccc" if k < frozen else D.COLORS["output"]
            if k == n_layers - 1:
                colour = D.COLORS["dense"]
            ax.add_patch(Rectangle((k * 0.62, y), 0.5, 0.7, facecolor=colour, edgecolor="#333333", lw=0.8))
        ax.text(n_layers * 0.62 + 0.2, y + 0.35, text, va="center", fontsize=10)
    ax.text(0, 1.0, "grey: frozen (pretrained, not trained)   green: trained   red: the new softmax",
            fontsize=10)
    D.blank(ax, (-2.3, 13.8), (-2.55, 1.3))
    return D.save(fig, path)


def strategy_chain_figure(path):
    """Orthogonalisation: the chain of goals, and the knob that tunes each without moving the others."""
    steps = [("fit the training set", "bigger network, better optimiser"),
             ("fit the dev set", "regularisation, more training data"),
             ("fit the test set", "a bigger dev set"),
             ("work in the real world", "change the dev set or the metric")]
    fig, ax = D.figure(2.6)
    for i, (goal, knob) in enumerate(steps):
        y = -0.9 * i
        D.box(ax, 2.0, y, 3.6, 0.6, f"{i + 1}. {goal}", color=D.COLORS["input"])
        ax.text(4.2, y, f"knob: {knob}", va="center", fontsize=10)
        if i:
            D.arrow(ax, (2.0, y + 0.6), (2.0, y + 0.3))
    D.blank(ax, (0.0, 11.0), (-3.1, 0.4))
    ax.set_aspect("auto")
    return D.save(fig, path)


def label_noise_figure(path):
    """The lecture's two cases: dev error split into incorrect labels and other causes."""
    from course_cnn.strategy import label_noise_report

    cases = [label_noise_report(10, 0.06), label_noise_report(2, 0.3)]
    fig, ax = D.figure(2.3)
    for i, r in enumerate(cases):
        ax.barh([i], [r.other_causes], color=D.COLORS["input"], edgecolor="#333333",
                label="other causes" if i == 0 else None)
        ax.barh([i], [r.due_to_labels], left=[r.other_causes], color=D.COLORS["unread"], edgecolor="#333333",
                label="incorrect labels" if i == 0 else None)
        verdict = "relabel" if r.worth_relabelling else "not now"
        ax.text(r.dev_error + 0.2, i, f"{r.due_to_labels:g}% of {r.dev_error:g}% = {r.mislabeled_share:.0%}"
                f" of the errors: {verdict}", va="center", fontsize=10)
    ax.set_yticks([0, 1], ["dev error 10%", "dev error 2%"], fontsize=10)
    ax.set_xlim(0, 25)
    ax.set_xlabel("dev error (%)", fontsize=10)
    ax.legend(fontsize=10, loc="lower right", frameon=False)
    ax.invert_yaxis()
    ax.tick_params(labelsize=10)
    return D.save(fig, path)


def mismatched_split_figure(path):
    """The lecture's split of 10,000 app and 200,000 web images, counted from ``mismatched_split_indices``."""
    from course_cnn.strategy.splits import mismatched_split_indices

    idx = mismatched_split_indices(10_000, 200_000, dev_size=2_500, test_size=2_500, train_dev_size=2_500, seed=0)
    parts = []
    for name in ("train", "train_dev"):
        source = idx[name][:, 0]
        parts.append((name.replace("_", "-"), int(np.sum(source == 0)), int(np.sum(source == 1))))
    parts += [("dev", 0, len(idx["dev"])), ("test", 0, len(idx["test"]))]
    fig, (ax, ax2) = D.figure(2.4, ncols=2, width_ratios=[2.2, 1])
    for axis, chosen in ((ax, parts[:1]), (ax2, parts[1:])):
        names = [p[0] for p in chosen]
        web, app = np.array([p[1] for p in chosen]), np.array([p[2] for p in chosen])
        axis.barh(names, web, color="#cccccc", edgecolor="#333333", label="web images")
        axis.barh(names, app, left=web, color=D.COLORS["output"], edgecolor="#333333", label="app images")
        for k, (w, a) in enumerate(zip(web, app)):
            axis.text((w + a) * 0.5, k, f"{w:,} web\n+ {a:,} app" if w else f"{a:,} app", ha="center",
                      va="center", fontsize=10)
        axis.invert_yaxis()
        axis.tick_params(labelsize=10)
        axis.set_xticks([])
    ax.set_title("training set", fontsize=10)
    ax2.set_title("held out", fontsize=10)
    ax.legend(fontsize=10, loc="lower right", frameon=False)
    return D.save(fig, path)


def scdv_pipeline_figure(path):
    """SCDV's five steps with the shapes of the 20 Newsgroups setting (d = 200, K = 60)."""
    d, K = 200, 60
    steps = [("word\nvectors", f"V x {d}"), ("soft clusters\nP(C_k | w)", f"V x {K}"),
             ("word-topic\nvectors x idf", f"V x {K * d:,}"), ("document\nvector (sum)", f"{K * d:,}"),
             ("sparsify", f"{K * d:,},\nmostly 0")]
    fig, ax = D.figure(1.9)
    for i, (text, shape) in enumerate(steps):
        x = 2.75 * i
        D.box(ax, x + 1.15, 0.6, 2.3, 1.0, text, color=D.COLORS["input"], fontsize=10)
        ax.text(x + 1.15, -0.1, shape, ha="center", va="top", fontsize=10, family="monospace")
        if i:
            D.arrow(ax, (x - 0.35, 0.6), (x - 0.02, 0.6))
    D.blank(ax, (-0.1, 13.8), (-0.6, 1.2))
    return D.save(fig, path)


def skipgram_figure(path, window=2):
    """Skip-gram's (target, context) pairs in a window of ``window`` words, and negatives drawn elsewhere."""
    from course_cnn.scdv import tokenize

    words = tokenize("the orange cat sat quietly on the warm mat")
    target = 4
    fig, ax = D.figure(1.9)
    for i, word in enumerate(words):
        colour = D.COLORS["filter"] if i == target else D.COLORS["output"] if abs(i - target) <= window else "white"
        D.box(ax, 1.5 * i, 0, 1.35, 0.6, word, color=colour, fontsize=10)
        if 0 < abs(i - target) <= window:
            rad = -0.45 if i > target else 0.45  # every arc above the words
            D.arrow(ax, (1.5 * target, 0.32), (1.5 * i, 0.32), connectionstyle=f"arc3,rad={rad}")
    ax.text(1.5 * target, -0.75, f"target w_t and its {2 * window} context words (window {window}): "
            f"{2 * window} positive pairs;\neach pair also gets k negative words drawn from the unigram "
            "distribution^0.75", ha="center", va="top", fontsize=10)
    D.blank(ax, (-0.8, 1.5 * len(words) - 0.6), (-1.9, 1.2))
    return D.save(fig, path)


def scdv_blocks_figure(path, seed=0):
    """Word-topic vectors of a toy vocabulary: K blocks of d columns, scaled by P(C_k | w) and idf."""
    from course_cnn.scdv import word_topic_vectors

    rng = np.random.default_rng(seed)
    n_words, d, K = 6, 8, 4
    word_matrix = rng.normal(size=(n_words, d))
    proba = rng.dirichlet(np.full(K, 0.3), size=n_words)  # (n_words, K), rows sum to 1
    wtv = word_topic_vectors(word_matrix, proba, np.ones(n_words))  # (n_words, K * d)
    fig, (ax, ax2) = D.figure(2.3, ncols=2, width_ratios=[1, 4.2])
    ax.imshow(proba, cmap="Greens", vmin=0, vmax=1)
    ax.set_title("P(C_k | w)", fontsize=10)
    ax.set_xticks(range(K), [f"C{k + 1}" for k in range(K)], fontsize=10)
    ax.set_yticks(range(n_words), [f"w{i + 1}" for i in range(n_words)], fontsize=10)
    lim = np.abs(wtv).max()
    ax2.imshow(wtv, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    for k in range(1, K):
        ax2.axvline(k * d - 0.5, color="#333333", lw=1.2)
    ax2.set_xticks([k * d + d / 2 - 0.5 for k in range(K)], [f"block C{k + 1}" for k in range(K)], fontsize=10)
    ax2.set_yticks([])
    ax2.set_title(f"word-topic vectors ({n_words} x K*d = {n_words} x {K * d}): block k = wv x P(C_k | w)",
                  fontsize=10)
    return D.save(fig, path)


def notation_figure(path):
    """The course's tensor layout: a batch of activations (m, n_H, n_W, n_C) and the weights (f, f, n_C_prev, n_C)."""
    from course_cnn.week1 import conv_output_shape

    m, n, n_C_prev, f, n_C = 3, 6, 3, 3, 2
    out = conv_output_shape((n, n, n_C_prev), f, n_C)
    fig, ax = D.figure(2.7)
    D.cuboid(ax, 0.0, 0.0, 3.0, 3.0, 1.2, D.COLORS["input"], slices=n_C_prev)
    ax.text(4.0, 3.2, "n_C", fontsize=10)
    ax.text(1.9, -1.45, f"A_prev\n(m, n_H, n_W, n_C_prev)\n= ({m}, {n}, {n}, {n_C_prev})", ha="center", va="top",
            fontsize=10)
    ax.text(-0.25, 1.5, "n_H", rotation=90, va="center", ha="right", fontsize=10)
    ax.text(1.5, 3.85, "n_W", ha="center", fontsize=10)
    for k in range(n_C):
        D.cuboid(ax, 5.9 + 1.3 * k, 0.9, 0.9, 0.9, 1.2, D.COLORS["filter"], slices=n_C_prev)
    ax.text(7.0, -1.45, f"W\n(f, f, n_C_prev, n_C)\n= ({f}, {f}, {n_C_prev}, {n_C})", ha="center", va="top",
            fontsize=10)
    D.cuboid(ax, 10.8, 0.5, 2.0, 2.0, 0.8, D.COLORS["output"], slices=n_C)
    ax.text(1.9, 4.3, "one example of the batch of m:", ha="center", fontsize=10)
    ax.text(11.8, -1.45, "Z, A\n(m, n_H, n_W, n_C)\n= ({}, {}, {}, {})".format(m, *out), ha="center", va="top",
            fontsize=10)
    D.blank(ax, (-0.9, 14.2), (-3.1, 4.8))
    return D.save(fig, path)


def week4_pipeline_figure(path):
    """Face recognition end to end on a shipped photo: detect, crop, encode, compare."""
    from course_cnn.datasets import load_photo
    from course_cnn.plots import draw_boxes_on_image
    from course_cnn.week4.face import DEFAULT_THRESHOLD, extract_face, img_to_encoding, load_face_encoder

    photo = load_photo("obama_1")
    crop, box = extract_face(photo)  # crop (150, 150, 3) in [0, 1]; box (y1, x1, y2, x2)
    encoding = img_to_encoding(crop, load_face_encoder("pretrained"), crop_face=False)[0]  # (128,)
    fig, axes = D.figure(2.5, ncols=3, width_ratios=[1, 0.75, 2.4])
    y1, x1, y2, x2 = np.asarray(box, dtype=float)
    draw_boxes_on_image(photo, np.array([[x1, y1, x2, y2]]), ["face"], ax=axes[0])
    axes[0].set_title("1. detect", fontsize=10)
    axes[1].imshow(crop)
    axes[1].set_title(f"2. crop {crop.shape[0]}x{crop.shape[1]}", fontsize=10)
    lim = np.abs(encoding).max()
    axes[2].imshow(encoding.reshape(8, 16), cmap="RdBu_r", vmin=-lim, vmax=lim)
    axes[2].set_title(f"3. encode: {encoding.size} numbers (8 x 16 here);\n4. compare: same person if distance"
                      f" < {DEFAULT_THRESHOLD}", fontsize=10)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    return D.save(fig, path, colors=128)


FIGURES = {
    "week1/img/week1_pipeline.png": week1_pipeline_figure,
    "week2/img/transfer_regimes.png": transfer_regimes_figure,
    "strategy/img/orthogonalisation.png": strategy_chain_figure,
    "strategy/img/label_noise_cases.png": label_noise_figure,
    "strategy/img/mismatched_split.png": mismatched_split_figure,
    "scdv/img/scdv_pipeline.png": scdv_pipeline_figure,
    "scdv/img/skipgram_pairs.png": skipgram_figure,
    "scdv/img/word_topic_blocks.png": scdv_blocks_figure,
    "img/notation_shapes.png": notation_figure,
    "week4/img/week4_face_pipeline.png": week4_pipeline_figure,
}

#: Figures that load the shipped face models (skipped by the fast test).
SLOW = ("week4/img/week4_face_pipeline.png",)


def main(docs_dir="docs"):
    """Draw every figure of :data:`FIGURES` under ``docs_dir`` and return the paths."""
    docs = Path(docs_dir)
    return [make(docs / name) for name, make in FIGURES.items()]


if __name__ == "__main__":
    for written in main(*sys.argv[1:]):
        print(written)
