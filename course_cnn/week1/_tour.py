"""Week 1's tour demos: edge filters on a real photo, and what a small CNN's layers compute."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course_cnn.tour import Demo, DemoResult

# What each demo shows or trains, with --quick and without: the photo's subsampling, the LeNet's training (on digits,
# or on Fashion-MNIST) and feature maps shown per layer, the photos whose names start so. The test suite shrinks them
# to check the wiring fast.
QUICK = dict(photo_step=2, lenet=dict(epochs=3, batch_size=32), feature_maps=16,
             faces=("grace_hopper", "obama", "biden"))
FULL = dict(photo_step=1, lenet=dict(epochs=2, batch_size=128), feature_maps=16,
            faces=("grace_hopper", "obama", "biden"))


def run_edges(out_dir: Path, quick: bool) -> DemoResult:
    """Four hand-made edge filters on a photo, with the notes' 6x6 example as a check."""
    from course_cnn.datasets import load_photo
    from course_cnn.week1 import detect_edges, plot_edge_responses, vertical_edge_filter

    toy = np.array([[10, 10, 10, 0, 0, 0]] * 6)
    toy_edges = detect_edges(toy, vertical_edge_filter())  # [[0, 30, 30, 0]] * 4
    step = (QUICK if quick else FULL)["photo_step"]
    photo = load_photo("china")[::step, ::step]  # quick: (214, 320, 3), same picture, a quarter of the pixels
    path = Path(out_dir) / "edge_responses.png"
    plot_edge_responses(photo, path=path, title="Edge filters on a photo (|response|, brighter = stronger edge)")
    (Path(out_dir) / "notes_example.txt").write_text(
        "input (bright left, dark right):\n" + np.array2string(toy) + "\n\nvertical-edge response:\n" + np.array2string(toy_edges) + "\n",
        encoding="utf-8",
    )
    summary = f"6x6 example -> thick edge of {int(toy_edges.max())}s; 4 filters on a {photo.shape[1]}x{photo.shape[0]} photo"
    return DemoResult(summary, [path, Path(out_dir) / "notes_example.txt"])


def run_feature_maps(out_dir: Path, quick: bool) -> DemoResult:
    """Train the LeNet-style model briefly, then show the feature maps of its two conv stages."""
    from course_cnn.week1 import plot_feature_maps, train_lenet_style

    if quick:
        result = train_lenet_style("digits", **QUICK["lenet"], verbose=0)
        from course_cnn.datasets import load_digits_images

        image = load_digits_images()[0][0]  # an 8x8 "0"
    else:
        result = train_lenet_style("fashion_mnist", **FULL["lenet"], verbose=2)
        from course_cnn.datasets import load_fashion_mnist

        image = (load_fashion_mnist(download=False)[1][0][0].astype(np.float32) / 255.0)[..., None]  # a 28x28 test image
    files = []
    for layer in ("relu1", "relu2"):
        path = Path(out_dir) / f"feature_maps_{layer}.png"
        plot_feature_maps(result.model, image, layer, max_maps=(QUICK if quick else FULL)["feature_maps"], path=path)
        files.append(path)
    data = "scikit-learn digits" if quick else "Fashion-MNIST"
    summary = f"LeNet-style on {data}: {result.epochs} epochs, test accuracy {result.test_accuracy:.3f}; feature maps of relu1 and relu2"
    return DemoResult(summary, files)


def run_expressions(out_dir: Path, quick: bool) -> DemoResult:
    from course_cnn.datasets import list_photos, load_photo
    from course_cnn.plots import new_figure, save_figure
    from course_cnn.week1 import EXPRESSIONS, classify_expression

    names = [n for n in list_photos() if n.startswith((QUICK if quick else FULL)["faces"])]
    fig, axes = new_figure(2, len(names), figsize=(2.6 * len(names), 5.0))
    verdicts = []
    for column, name in enumerate(names):
        image = load_photo(name)
        probs = classify_expression(image)  # (7,), the face found by week 3's detector
        axes[0, column].imshow(image)
        axes[0, column].set_axis_off()
        happy = probs[EXPRESSIONS.index("happy")]
        axes[0, column].set_title(f"{name}: {'happy' if happy >= 0.5 else 'not happy'}", fontsize=9)
        axes[1, column].barh(EXPRESSIONS, probs, color=["C1" if e == "happy" else "C0" for e in EXPRESSIONS])
        axes[1, column].set_xlim(0, 1)
        axes[1, column].invert_yaxis()
        verdicts.append(f"{name} p(happy)={happy:.2f}")
    path = save_figure(fig, Path(out_dir) / "expressions.png")
    return DemoResult("face-api's expression net (Keras): " + ", ".join(verdicts), [path])


DEMOS = [
    Demo("week1-edges", "Week 1: edge detection on a photo", run_edges),
    Demo("week1-feature-maps", "Week 1: feature maps of a small CNN", run_feature_maps),
    Demo("week1-expressions", "Week 1: happy or not? A real expression classifier on the shipped photos", run_expressions),
]
