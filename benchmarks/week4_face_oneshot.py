"""Week 4 face: the triplet loss trained for real, one-shot verification on unseen classes.

Trains `siamese_encoder` with the semi-hard triplet loss on Fashion-MNIST
classes 0-6 ("identities") and evaluates one-shot verification on the unseen
classes 7-9 (one reference image per class), against an untrained encoder and
raw-pixel L2. The default run uses rotation identities, two random views per
image and a projection head (see `course_cnn.week4.face.identities`); `--plain`
also runs the plain setup (seven identities, the images as they are, the loss
on a 32-D encoding). Writes the figures of the default run into
docs/week4/face/img/ and prints the tables of docs/performance/week4_face.md.

    python benchmarks/week4_face_oneshot.py [--out DIR] [--seeds 0,1] [--plain]
"""

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PLAIN = dict(rotations=False, augment=0, projection_dim=None, embedding_dim=32, epochs=6, steps_per_epoch=150)


def table(r, title):
    print(f"\n{title}; loss per epoch: {', '.join(f'{v:.3f}' for v in r['loss'])}")
    for split, name in (("seen", "classes 0-6 (seen in training), new test images, 7-way"),
                        ("unseen", "classes 7-9 (never seen), 3-way")):
        print(f"\n{name}\n")
        print("| distance | ROC AUC | accuracy at chosen threshold | threshold | one-shot identification |")
        print("| --- | --- | --- | --- | --- |")
        for key, label in (("trained", "trained encoder"), ("untrained", "untrained encoder"), ("pixels", "raw-pixel L2")):
            s = r[split][key]
            print(f"| {label} | {s['auc']:.3f} | {s['accuracy']:.3f} | {s['threshold']:.3f} | {s['identification']:.3f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/week4/face/img", help="folder for the figures (of the first seed)")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds of the default run")
    parser.add_argument("--plain", action="store_true", help="also run the plain setup (seed 0)")
    args = parser.parse_args()

    import numpy as np
    import tensorflow as tf

    from course_cnn.week4.face import fashion_one_shot_experiment

    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, TF {tf.__version__}, numpy {np.__version__}")
    for i, seed in enumerate(int(s) for s in args.seeds.split(",")):
        start = time.perf_counter()
        r = fashion_one_shot_experiment(args.out if i == 0 else None, seed=seed, verbose=2)
        table(r, f"default run, seed {seed}: {time.perf_counter() - start:.0f} s for training and evaluation")
        if r["files"]:
            print("figures:", ", ".join(str(f) for f in r["files"]))
    if args.plain:
        start = time.perf_counter()
        r = fashion_one_shot_experiment(None, seed=0, verbose=2, **PLAIN)
        table(r, f"plain setup, seed 0: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
