"""Concept figures of docs/week4/: the triplet loss's geometry and the style cost's Gram matrices.

Run ``python -m course_cnn.docs_figures week4_concepts`` (or this module).
The triplet figure encodes the shipped photos with the shipped face encoder
(and with the same network untrained); the style figure measures Gram
matrices and the style cost with ``gram_matrix`` and
``compute_layer_style_cost``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from course_cnn import _diagrams as D

#: Anchor, positive and negative photos (shipped in course_cnn/assets/photos).
TRIPLET = ("obama_1", "obama_2", "biden")
#: The course's margin.
ALPHA = 0.2


def triplet_distances(weights):
    """Squared distances d(A, P), d(A, N), d(P, N) and the triplet loss of :data:`TRIPLET` under one encoder."""
    from course_cnn.datasets import load_photo
    from course_cnn.week4.face import img_to_encoding, load_face_encoder, triplet_loss

    if weights is None:
        import keras

        keras.utils.set_random_seed(0)  # the untrained network's weights, reproducibly
    model = load_face_encoder(weights)
    a, p, n = (img_to_encoding(load_photo(name), model, crop_face=True) for name in TRIPLET)
    sq = lambda u, v: float(np.sum((u - v) ** 2))  # noqa: E731
    return sq(a, p), sq(a, n), sq(p, n), float(triplet_loss(None, (a, p, n), alpha=ALPHA))


def _triangle(d_ap, d_an, d_pn):
    """2-D points A, P, N with exactly these (unsquared) distances: A at 0, P on the x axis."""
    x = (d_ap ** 2 + d_an ** 2 - d_pn ** 2) / (2 * d_ap)
    return np.zeros(2), np.array([d_ap, 0.0]), np.array([x, np.sqrt(max(d_an ** 2 - x ** 2, 0.0))])


def _triplet_panel(ax, sq_ap, sq_an, sq_pn, loss, title, lim):
    from matplotlib.patches import Circle, Wedge

    A, P, N = _triangle(np.sqrt(sq_ap), np.sqrt(sq_an), np.sqrt(sq_pn))
    r_p, r_margin = np.sqrt(sq_ap), np.sqrt(sq_ap + ALPHA)
    ax.add_patch(Wedge((0, 0), r_margin, 0, 360, width=r_margin - r_p, color="#fce5cd"))
    ax.add_patch(Circle((0, 0), r_margin, fill=False, ls="--", color="#b45f06", lw=1.2))
    ax.add_patch(Circle((0, 0), r_p, fill=False, ls=":", color="#38761d", lw=1.2))
    for point, text, colour in ((A, "A", "#333333"), (P, "P", "#38761d"), (N, "N", "#cc0000")):
        ax.plot(*point, "o", color=colour, ms=7)
        ax.annotate(text, point, xytext=(5, 4), textcoords="offset points", fontsize=11, color=colour,
                    weight="bold")
    ax.set_title(f"{title}\n|A-P|² = {sq_ap:.3f}, |A-N|² = {sq_an:.3f}, loss = {loss:.3f}", fontsize=10)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def triplet_figure(path):
    """A, P, N at their true distances under the untrained and the shipped encoder, with the margin ring."""
    untrained = triplet_distances(None)
    trained = triplet_distances("pretrained")
    lim = 1.1 * max(np.sqrt(untrained[1]), np.sqrt(trained[1]), np.sqrt(trained[0] + ALPHA))
    fig, axes = D.figure(4.4, ncols=2)
    _triplet_panel(axes[0], *untrained, "untrained network (random weights)", lim)
    _triplet_panel(axes[1], *trained, "shipped encoder (trained)", lim)
    fig.suptitle(f"A = {TRIPLET[0]}, P = {TRIPLET[1]}, N = {TRIPLET[2]}\n"
                 f"a negative inside the orange ring (margin α = {ALPHA}) costs loss", fontsize=10)
    return D.save(fig, path)


def style_images(size=96):
    """Two crops of one generated texture (same style, different layout) and a photo, in [0, 1]."""
    from PIL import Image

    from course_cnn.datasets import load_photo
    from course_cnn.week4.style import make_style_texture

    texture = np.asarray(make_style_texture(2 * size, seed=0), dtype=np.float32)
    texture = texture / 255.0 if texture.max() > 1 else texture
    photo = np.asarray(Image.fromarray(load_photo("china")).resize((size, size)), dtype=np.float32) / 255.0
    return {"texture, top-left": texture[:size, :size], "texture, bottom-right": texture[size:, size:],
            "photo": photo}


def style_cost_figure(path, size=96, layer="block1_conv1"):
    """Three images, the Gram matrices of one VGG-19 layer (random weights) and the style costs between them."""
    from course_cnn.week4.style import compute_layer_style_cost, gram_matrix, vgg19_features, vgg_preprocess

    images = style_images(size)
    model = vgg19_features([layer], weights=None, input_shape=(size, size, 3), seed=0)
    acts = {}
    for name, image in images.items():
        out = model(vgg_preprocess(image[None]))
        acts[name] = out[0] if isinstance(out, (list, tuple)) else out  # (1, n_H, n_W, n_C)
    grams = {}
    for name, a in acts.items():
        n_H, n_W, n_C = a.shape[1:]
        unrolled = np.transpose(np.reshape(np.asarray(a), (n_H * n_W, n_C)))  # (n_C, n_H*n_W)
        grams[name] = np.asarray(gram_matrix(unrolled)) / (n_H * n_W)
    names = list(images)
    fig, axes = D.figure(5.0, nrows=2, ncols=3)
    vmax = np.percentile(np.abs(np.concatenate([g.ravel() for g in grams.values()])), 99)
    for j, name in enumerate(names):
        axes[0, j].imshow(np.clip(images[name], 0, 1))
        axes[0, j].set_title(name, fontsize=10)
        axes[1, j].imshow(grams[name], cmap="magma", vmin=0, vmax=vmax)
        cost = float(compute_layer_style_cost(acts[names[0]], acts[name]))
        axes[1, j].set_title(f"Gram, {grams[name].shape[0]}x{grams[name].shape[1]}\n"
                             f"J_style(first, this) = {cost:.3g}", fontsize=10)
        for ax in axes[:, j]:
            ax.set_xticks([])
            ax.set_yticks([])
    fig.suptitle(f"style = which channels fire together: Gram matrices of {layer} (VGG-19, random weights)",
                 fontsize=10)
    return D.save(fig, path, colors=64)


FIGURES = {
    "face/img/triplet_geometry.png": triplet_figure,
    "style/img/gram_style_cost.png": style_cost_figure,
}


def main(out_dir="docs/week4"):
    """Draw every week 4 concept figure under ``out_dir`` and return the paths."""
    out = Path(out_dir)
    return [make(out / name) for name, make in FIGURES.items()]


if __name__ == "__main__":
    for written in main(*sys.argv[1:]):
        print(written)
