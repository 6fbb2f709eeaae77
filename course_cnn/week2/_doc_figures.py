"""Regenerate week 2's documentation figures and layer tables.

Run:  python -m course_cnn.week2._doc_figures [docs/week2/img]
Writes the augmentation figures and prints the markdown layer tables used in
docs/week2/*.md (computed by Keras from the models themselves).
"""

from __future__ import annotations

import sys
from pathlib import Path


def markdown_layers(model, keep=None):
    from course_cnn.week2.summary import layer_table

    rows = layer_table(model)
    lines = ["| layer | type | output (n_H, n_W, n_C) | parameters |", "| --- | --- | --- | ---: |"]
    for name, kind, shape, params in rows:
        if keep is None or keep(name, kind):
            lines.append(f"| `{name}` | {kind} | {shape} | {params:,} |")
    lines.append(f"| **total** | | | **{model.count_params():,}** |")
    return "\n".join(lines)


def figures(img_dir: Path):
    import numpy as np
    from PIL import Image

    from course_cnn.datasets import load_photo
    from course_cnn.plots import save_figure
    from course_cnn.week2.augmentation import PCAColorAugmentation, augmented_samples, crop_and_mirror, data_augmenter

    photo = np.asarray(Image.fromarray(load_photo("flower")).resize((128, 128))).astype("float32") / 255.0
    for key, augmenter, title in (
        ("aug_flip_rotation", data_augmenter(seed=0), "data_augmenter(): random flip + rotation"),
        ("aug_crop_mirror", crop_and_mirror((112, 112), seed=0), "crop_and_mirror((112, 112))"),
        ("aug_pca_colour", PCAColorAugmentation(std=1.0, seed=0), "PCAColorAugmentation(std=1.0), exaggerated"),
    ):
        _, fig = augmented_samples(photo, augmenter, n=6, title=title)
        save_figure(fig, img_dir / f"{key}.png", dpi=70)  # keep each PNG under 200 KB


def main(argv=None):
    from course_cnn.week2 import ResNet50, alexnet, googlenet, lenet5, vgg16

    argv = sys.argv[1:] if argv is None else argv
    img_dir = Path(argv[0] if argv else "docs/week2/img")
    figures(img_dir)
    print("## LeNet-5\n" + markdown_layers(lenet5()))
    print("## AlexNet\n" + markdown_layers(alexnet(), keep=lambda n, k: k != "Dropout"))
    print("## VGG-16\n" + markdown_layers(vgg16()))
    print("## ResNet50\n" + markdown_layers(ResNet50(), keep=lambda n, k: n.endswith("_out") or "_" not in n
                                             or n in ("conv1_pad", "bn_conv1", "conv1_relu", "max_pool", "avg_pool")))
    print("## GoogLeNet\n" + markdown_layers(googlenet(), keep=lambda n, k: not n.startswith("inception")
                                             or n.endswith("_concat")))


if __name__ == "__main__":
    main()
