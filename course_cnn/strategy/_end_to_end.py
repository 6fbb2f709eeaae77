"""End-to-end vs pipeline on the shipped face photos (week 3 detector, week 4 encoder).

The pipeline: detect the face (``course_cnn.week3.detect_faces``), crop it,
encode the crop (``course_cnn.week4.face``). "End-to-end" here: feed the whole
frame to the same encoder. Each photo is also pasted, smaller, into a bigger
scene (a door camera sees more than a face), and every pair of frames from
different photos is scored by the distance of their encodings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

PHOTOS = {"obama_1": "obama", "obama_2": "obama", "obama_3": "obama", "biden": "biden",
          "grace_hopper": "hopper"}


def _paste(photo, background, rng):
    """Shrink ``photo`` to 50-80 % of the background's height and paste it at a random place."""
    from PIL import Image

    bg_H, bg_W = background.shape[:2]
    h = int(bg_H * rng.uniform(0.5, 0.8))
    w = int(photo.shape[1] * h / photo.shape[0])
    small = np.asarray(Image.fromarray(photo).resize((w, h), Image.BILINEAR))
    y, x = rng.integers(0, bg_H - h + 1), rng.integers(0, bg_W - w + 1)
    frame = background.copy()
    frame[y:y + h, x:x + w] = small
    return frame


def make_frames(n_scenes, seed=0):
    """Each shipped photo as is, plus ``n_scenes`` copies pasted into the china.jpg scene."""
    from course_cnn.datasets import load_photo

    rng = np.random.default_rng(seed)
    background = load_photo("china")
    frames = []
    for name, person in PHOTOS.items():
        photo = load_photo(name)
        frames.append((name, person, "photo", photo))
        for k in range(n_scenes):
            frames.append((name, person, f"scene {k}", _paste(photo, background, rng)))
    return frames


def _pairs(frames, encodings):
    """(distance, same person) for every pair of frames from different source photos (2.0 when a face is missing)."""
    out = []
    for i in range(len(frames)):
        for j in range(i + 1, len(frames)):
            if frames[i][0] == frames[j][0]:
                continue
            if encodings[i] is None or encodings[j] is None:
                dist = 2.0  # no face found: the system rejects (2 is the largest distance of unit vectors)
            else:
                dist = float(np.linalg.norm(encodings[i] - encodings[j]))
            out.append((dist, frames[i][1] == frames[j][1]))
    return out


def _score(pairs, threshold):
    from sklearn.metrics import roc_auc_score

    d = np.array([p[0] for p in pairs])
    same = np.array([p[1] for p in pairs])
    found = d < 2.0
    return {"pairs": len(pairs), "same_mean": float(d[same & found].mean()),
            "different_mean": float(d[~same & found].mean()),
            "accuracy_at_threshold": float(np.mean((d < threshold) == same)),
            "auc": float(roc_auc_score(same, -d))}


def run_end_to_end(out_dir, quick=True, seed=0):
    """Pipeline (detect -> crop -> encode) vs the whole frame through the same encoder."""
    from PIL import Image

    from course_cnn.plots import image_grid, new_figure, save_figure
    from course_cnn.week4.face import DEFAULT_THRESHOLD, NoFaceError, img_to_encoding, load_face_encoder

    out = Path(out_dir)
    frames = make_frames(1 if quick else 3, seed=seed)
    encoder = load_face_encoder()
    results, misses = {}, {}
    all_pairs = {}
    for label, crop in (("pipeline: detect, crop, encode", True), ("end-to-end: encode the whole frame", False)):
        encodings = []
        for _, _, _, image in frames:
            try:
                encodings.append(img_to_encoding(image, encoder, crop_face=crop)[0])
            except NoFaceError:
                encodings.append(None)
                misses[label] = misses.get(label, 0) + 1
        all_pairs[label] = _pairs(frames, encodings)
        results[label] = _score(all_pairs[label], DEFAULT_THRESHOLD)
    fig, ax = new_figure(figsize=(6.4, 3.4))
    for k, (label, pairs) in enumerate(all_pairs.items()):
        for same, color, dx in ((True, "#2ca02c", -0.12), (False, "#d62728", 0.12)):
            d = [p[0] for p in pairs if p[1] == same and p[0] < 2.0]
            jitter = np.random.default_rng(k).uniform(-0.05, 0.05, len(d))
            ax.plot(k + dx + jitter, d, ".", color=color, ms=5, alpha=0.7,
                    label=("same person" if same else "different people") if k == 0 else None)
    ax.axhline(DEFAULT_THRESHOLD, color="k", lw=0.8, ls="--", label=f"threshold {DEFAULT_THRESHOLD}")
    ax.set_xticks([0, 1], ["pipeline\n(detect, crop, encode)", "end-to-end\n(whole frame)"])
    ax.set_ylabel("distance between encodings")
    ax.legend(fontsize=7)
    ax.set_title(f"{len(frames)} frames of 3 people, pairs from different photos", fontsize=9)
    files = [save_figure(fig, out / "end_to_end_distances.png")]
    first_scenes = [f for f in frames if f[2] == "scene 0"]  # one per photo
    shown = [f[3] for f in first_scenes]
    thumbs = np.stack([np.asarray(Image.fromarray(s).resize((240, 160))) for s in shown])
    image_grid(thumbs, titles=[f[0] for f in first_scenes], ncols=5, path=out / "end_to_end_frames.png",
               suptitle="photos pasted into a scene (what a door camera sees)")
    files.append(out / "end_to_end_frames.png")
    return {"frames": len(frames), "detector_misses": misses, "threshold": DEFAULT_THRESHOLD,
            "results": results}, files
