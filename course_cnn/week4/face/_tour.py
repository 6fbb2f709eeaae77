"""Tour demos of week 4's face part.

``python -m course_cnn.week4.face._tour DIR`` runs them into DIR (the docs'
figures in ``docs/week4/face/img`` come from there).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from course_cnn.tour import Demo, DemoResult

#: Known people (one reference photo each) and the photos asked about.
_DATABASE = {"obama": "obama_1", "biden": "biden"}
_PHOTOS = ["obama_1", "obama_2", "obama_3", "biden", "grace_hopper"]

# The triplet-training demo's budget with --quick and without (fashion_one_shot_experiment's defaults: {}).
QUICK = dict(triplet=dict(train_per_class=300, test_per_class=100, epochs=2, steps_per_epoch=15, n_trials=2))
FULL = dict(triplet={})


def _distance_figure(crops, encodings, path):
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week4.face import DEFAULT_THRESHOLD

    n = len(_PHOTOS)
    dist = np.linalg.norm(encodings[:, None, :] - encodings[None, :, :], axis=-1)  # (n, n)
    fig, _ = new_figure(figsize=(1.6 * n + 1.2, 1.6 * n * 0.9 + 1.6))
    fig.clear()  # photos along the top, the distance matrix below them (one mosaic, laid out together)
    axes = fig.subplot_mosaic([_PHOTOS, ["matrix"] * n], height_ratios=[1, n * 0.9])
    for crop, name in zip(crops, _PHOTOS):
        axes[name].imshow(crop)
        axes[name].set_title(name, fontsize=8)
        axes[name].axis("off")
    ax = axes["matrix"]
    image = ax.imshow(dist, cmap="viridis_r", vmin=0, vmax=max(0.8, float(dist.max())))
    for i in range(n):
        for j in range(n):
            color = "white" if dist[i, j] > 0.45 else "black"
            ax.text(j, i, f"{dist[i, j]:.2f}", ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(n), _PHOTOS, rotation=30, fontsize=8)  # the photos' own names, on both axes
    ax.set_yticks(range(n), _PHOTOS, fontsize=8)
    ax.set_title(f"distance between L2-normalised encodings (same person below {DEFAULT_THRESHOLD:.2f})", fontsize=9)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label("distance ||f(A) - f(B)||  (0 = identical)", fontsize=8)
    return save_figure(fig, path, dpi=80), dist


def run_verification(out_dir, quick):
    """Encode the shipped photos with the pretrained encoder; verify and recognise."""
    from course_cnn.datasets import load_photo
    from course_cnn.week4.face import DEFAULT_THRESHOLD, FaceDatabase, extract_face, load_face_encoder

    out_dir = Path(out_dir)
    model = load_face_encoder()
    crops = np.stack([extract_face(load_photo(name))[0] for name in _PHOTOS])  # (5, 150, 150, 3)
    raw = model.predict(crops, verbose=0)
    encodings = raw / np.linalg.norm(raw, axis=1, keepdims=True)  # (5, 128)
    figure, dist = _distance_figure(crops, encodings, out_dir / "face_distances.png")
    db = FaceDatabase()
    for person, photo in _DATABASE.items():
        db.add(person, encodings[_PHOTOS.index(photo)])
    lines = [f"database: {', '.join(f'{p} ({photo}.jpg)' for p, photo in _DATABASE.items())}; threshold {DEFAULT_THRESHOLD}"]
    for name, enc in zip(_PHOTOS, encodings):
        d, who = db.nearest(enc)
        answer = who if d < DEFAULT_THRESHOLD else "not in the database"
        lines.append(f"who_is_it({name}.jpg) -> {answer} (closest {who} at {d:.3f})")
    d_ok, d_no = db.distances(encodings[1])["obama"], db.distances(encodings[1])["biden"]
    lines.append(f"verify(obama_2.jpg, 'obama') -> door open: {d_ok < DEFAULT_THRESHOLD} (distance {d_ok:.3f})")
    lines.append(f"verify(obama_2.jpg, 'biden') -> door open: {d_no < DEFAULT_THRESHOLD} (distance {d_no:.3f})")
    answers = out_dir / "who_is_it.txt"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    same = [dist[i, j] for i in range(4) for j in range(i + 1, 4) if (i < 3) == (j < 3)]
    diff = [dist[i, 3] for i in range(3)]
    summary = (
        f"same person at most {max(same):.2f} apart, different people at least {min(diff):.2f}; "
        f"grace_hopper -> {lines[-3].split('-> ')[1].split(' (')[0]}"
    )
    return DemoResult(summary, [figure, answers])


def run_triplet_training(out_dir, quick):
    """Train a siamese encoder with the triplet loss on Fashion-MNIST 0-6; one-shot on 7-9."""
    from course_cnn.week4.face import fashion_one_shot_experiment

    r = fashion_one_shot_experiment(out_dir, verbose=0 if quick else 2, **(QUICK if quick else FULL)["triplet"])
    table = Path(out_dir) / "one_shot.txt"
    rows = [
        f"{split:7s} {k:10s} AUC {r[split][k]['auc']:.3f}  accuracy {r[split][k]['accuracy']:.3f}  "
        f"identification {r[split][k]['identification']:.3f}"
        for split in ("seen", "unseen") for k in ("trained", "untrained", "pixels")
    ]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = "; ".join(
        f"one-shot AUC on {split} classes: " + ", ".join(f"{k} {r[split][k]['auc']:.2f}" for k in ("trained", "untrained", "pixels"))
        for split in ("seen", "unseen")
    )
    return DemoResult(summary + (" (quick: tiny training)" if quick else ""), [*r["files"], table])


DEMOS = [
    Demo("week4-face-verification", "Face verification and recognition with a pretrained encoder", run_verification),
]
# The triplet-training demo takes minutes (benchmarks/week4_face_oneshot.py runs it); it is not in the
# tour, whose --quick path must stay short. Run it with: python -m course_cnn.week4.face._tour DIR --triplet



if __name__ == "__main__":  # python -m course_cnn.week4.face._tour DIR [--quick]
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "face_tour")
    target.mkdir(parents=True, exist_ok=True)
    demos = list(DEMOS)
    if "--triplet" in sys.argv:
        demos.append(Demo("week4-face-triplet", "Triplet training", run_triplet_training))
    for demo in demos:
        print(demo.key, demo.run(target, "--quick" in sys.argv).summary)
