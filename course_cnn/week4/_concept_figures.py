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


#: The shipped photos, in the order the face figures show them.
PHOTOS = ("obama_1", "obama_2", "obama_3", "biden")


def face_encodings():
    """Face crops and unit-length encodings of :data:`PHOTOS` under the shipped encoder."""
    from course_cnn.datasets import load_photo
    from course_cnn.week4.face import extract_face, img_to_encoding, load_face_encoder

    model = load_face_encoder("pretrained")
    crops = {name: extract_face(load_photo(name))[0] for name in PHOTOS}  # (150, 150, 3) in [0, 1]
    encodings = {name: img_to_encoding(crop, model, crop_face=False)[0] for name, crop in crops.items()}  # (128,)
    return crops, encodings


def _thumb(ax, image, xy, zoom=0.32):
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage

    ax.add_artist(AnnotationBbox(OffsetImage(image, zoom=zoom), xy, frameon=False))


def siamese_figure(path, faces=None):
    """Three photos through the same encoder: 128-number encodings and the distances between them."""
    crops, enc = faces or face_encodings()
    names = ("obama_1", "obama_2", "biden")
    fig, ax = D.figure(3.4)
    lim = max(np.abs(enc[n]).max() for n in names)
    for i, name in enumerate(names):
        y = -1.45 * i
        _thumb(ax, crops[name], (0.5, y), zoom=0.28)
        ax.text(0.5, y - 0.5, f"x{i + 1}: {name}", ha="center", va="top", fontsize=10)
        D.arrow(ax, (1.05, y), (1.75, y))
        D.box(ax, 2.35, y, 1.1, 0.6, "f(x)", color=D.COLORS["filter"])
        D.arrow(ax, (2.95, y), (3.55, y))
        ax.imshow(enc[name][None, :], extent=(3.6, 9.6, y - 0.18, y + 0.18), cmap="RdBu_r", vmin=-lim, vmax=lim,
                  aspect="auto")
    ax.text(2.35, 0.55, "same network,\nsame weights", ha="center", va="bottom", fontsize=10)
    ax.text(6.6, 0.3, f"encoding f(x): {enc[names[0]].size} numbers, unit length", ha="center", fontsize=10)
    d_same = float(np.linalg.norm(enc["obama_1"] - enc["obama_2"]))
    d_diff = float(np.linalg.norm(enc["obama_1"] - enc["biden"]))
    ax.text(9.9, -0.7, f"||f(x1) - f(x2)||\n= {d_same:.2f}", va="center", fontsize=10, color="#38761d")
    ax.text(9.9, -2.2, f"||f(x1) - f(x3)||\n= {d_diff:.2f}", va="center", fontsize=10, color="#cc0000")
    ax.set_xlim(-0.1, 12.0)
    ax.set_ylim(-3.6, 1.0)
    ax.set_axis_off()
    return D.save(fig, path, colors=128)


def verification_figure(path, faces=None):
    """Verification (1:1, one distance against a threshold) vs recognition (1:K, the nearest of a database)."""
    from course_cnn.week4.face import DEFAULT_THRESHOLD

    crops, enc = faces or face_encodings()
    dist = lambda a, b: float(np.linalg.norm(enc[a] - enc[b]))  # noqa: E731
    fig, (ax, ax2) = D.figure(3.0, ncols=2)
    claims = [("obama_2 claims obama", dist("obama_2", "obama_1")), ("biden claims obama", dist("biden", "obama_1"))]
    bars = ax.barh([c[0] for c in claims], [c[1] for c in claims], color=D.COLORS["input"], edgecolor="#333333")
    for bar, (_, d) in zip(bars, claims):
        verdict = "accept" if d < DEFAULT_THRESHOLD else "reject"
        ax.text(d + 0.02, bar.get_y() + bar.get_height() / 2, f"{d:.2f}: {verdict}",
                va="center", fontsize=10)
    ax.set_title("verification, 1:1\nagainst obama_1's encoding", fontsize=10)
    database = {"obama": "obama_1", "biden": "biden"}
    query = "obama_3"
    distances = {person: dist(query, photo) for person, photo in database.items()}
    best = min(distances, key=distances.get)
    bars = ax2.barh(list(distances), list(distances.values()), color=D.COLORS["input"], edgecolor="#333333")
    for bar, (person, d) in zip(bars, distances.items()):
        bar.set_facecolor(D.COLORS["output"] if person == best else D.COLORS["input"])
        ax2.text(d + 0.02, bar.get_y() + bar.get_height() / 2, f"{d:.2f}", va="center", fontsize=10)
    ax2.set_title(f"recognition, 1:K\n{query}: nearest is {best}", fontsize=10)
    for axis in (ax, ax2):
        axis.axvline(DEFAULT_THRESHOLD, color="#cc0000", ls="--", lw=1.2)
        axis.set_xlim(0, 1.05)
        axis.set_xlabel(f"distance (threshold {DEFAULT_THRESHOLD}, dashed)", fontsize=10)
        axis.tick_params(labelsize=10)
        axis.invert_yaxis()
    return D.save(fig, path)


def one_shot_figure(path, faces=None):
    """The distance between every two shipped photos: one photo per person is enough to tell them apart."""
    from course_cnn.week4.face import DEFAULT_THRESHOLD

    crops, enc = faces or face_encodings()
    n = len(PHOTOS)
    matrix = np.array([[np.linalg.norm(enc[a] - enc[b]) for b in PHOTOS] for a in PHOTOS])
    fig, ax = D.figure(3.6, width=4.6)
    ax.imshow(matrix < DEFAULT_THRESHOLD, cmap="Greens", vmin=0, vmax=1.6)
    for (r, c), d in np.ndenumerate(matrix):
        ax.text(c, r, f"{d:.2f}", ha="center", va="center", fontsize=10)
    ax.set_xticks(range(n), PHOTOS, fontsize=10, rotation=20)
    ax.set_yticks(range(n), PHOTOS, fontsize=10)
    ax.set_title(f"d(img1, img2) with the shipped encoder;\ngreen: below {DEFAULT_THRESHOLD}, 'same person'",
                 fontsize=10)
    return D.save(fig, path)


def content_cost_figure(path, size=96, layer="block2_conv1"):
    """Content photo vs a noisy copy (the course's starting image) vs another photo: where their activations differ."""
    from PIL import Image

    from course_cnn.datasets import load_photo
    from course_cnn.week4.style import compute_content_cost, vgg19_features, vgg_preprocess

    def photo(name):
        return np.asarray(Image.fromarray(load_photo(name)).resize((size, size)), dtype=np.float32) / 255.0

    content = photo("china")
    rng = np.random.default_rng(0)
    images = {"content C": content,
              "C + noise (the course's start)": np.clip(content + rng.uniform(-0.2, 0.2, content.shape), 0, 1),
              "another photo": photo("flower")}
    model = vgg19_features([layer], weights=None, input_shape=(size, size, 3), seed=0)
    acts = {}
    for name, image in images.items():
        out = model(vgg_preprocess(image[None].astype(np.float32)))
        acts[name] = np.asarray(out[0] if isinstance(out, (list, tuple)) else out)  # (1, n_H, n_W, n_C)
    a_C = acts["content C"]
    maps = {name: np.sum((a_C - a) ** 2, axis=-1)[0] for name, a in acts.items()}  # (n_H, n_W)
    vmax = max(m.max() for m in maps.values())
    fig, axes = D.figure(4.6, nrows=2, ncols=3)
    for j, name in enumerate(images):
        axes[0, j].imshow(images[name])
        axes[0, j].set_title(name, fontsize=10)
        axes[1, j].imshow(maps[name], cmap="magma", vmin=0, vmax=vmax)
        cost = float(compute_content_cost(a_C, acts[name]))
        axes[1, j].set_title(f"J_content(C, this) = {cost:.3g}", fontsize=10)
        for ax in axes[:, j]:
            ax.set_xticks([])
            ax.set_yticks([])
    fig.suptitle(f"bottom: sum over channels of (a(C) - a(G))² at {layer} (VGG-19, random weights)", fontsize=10)
    return D.save(fig, path, colors=128)


FIGURES = {
    "face/img/triplet_geometry.png": triplet_figure,
    "style/img/gram_style_cost.png": style_cost_figure,
    "style/img/content_cost_maps.png": content_cost_figure,
    "face/img/siamese_encodings.png": siamese_figure,
    "face/img/verification_recognition.png": verification_figure,
    "face/img/one_shot_distances.png": one_shot_figure,
}


def main(out_dir="docs/week4"):
    """Draw every week 4 concept figure under ``out_dir`` and return the paths."""
    out = Path(out_dir)
    faces = face_encodings()
    with_faces = {siamese_figure, verification_figure, one_shot_figure}
    return [make(out / name, faces) if make in with_faces else make(out / name) for name, make in FIGURES.items()]


if __name__ == "__main__":
    for written in main(*sys.argv[1:]):
        print(written)
