"""Week 4 face: the triplet loss trained for real, one-shot verification on unseen classes.

Trains `siamese_encoder` with the semi-hard triplet loss on Fashion-MNIST
classes 0-6 ("identities") and evaluates one-shot verification on the unseen
classes 7-9 (one reference image per class), against an untrained encoder and
raw-pixel L2. Writes the figures into docs/week4/face/img/ and prints the
table of docs/performance/week4_face.md.

    python benchmarks/week4_face_oneshot.py [--out DIR] [--epochs N]
"""

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/week4/face/img", help="folder for the figures")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--steps", type=int, default=150)
    args = parser.parse_args()

    import numpy as np
    import tensorflow as tf

    from course_cnn.week4.face import fashion_one_shot_experiment

    start = time.perf_counter()
    r = fashion_one_shot_experiment(args.out, epochs=args.epochs, steps_per_epoch=args.steps, verbose=2)
    seconds = time.perf_counter() - start
    print(f"\nmachine: {platform.machine()} {os.cpu_count()} CPUs, TF {tf.__version__}, numpy {np.__version__}")
    print(f"training + evaluation: {seconds:.0f} s; loss per epoch: {', '.join(f'{v:.3f}' for v in r['loss'])}")
    for split, title in (("seen", "classes 0-6 (seen in training), new test images, 7-way"),
                         ("unseen", "classes 7-9 (never seen), 3-way")):
        print(f"\n{title}\n")
        print("| distance | ROC AUC | accuracy at chosen threshold | threshold | one-shot identification |")
        print("| --- | --- | --- | --- | --- |")
        for key, name in (("trained", "trained encoder (semi-hard triplet)"), ("untrained", "untrained encoder"),
                          ("pixels", "raw-pixel L2")):
            s = r[split][key]
            print(f"| {name} | {s['auc']:.3f} | {s['accuracy']:.3f} | {s['threshold']:.3f} | {s['identification']:.3f} |")
    print("\nfigures:", ", ".join(str(f) for f in r["files"]))


if __name__ == "__main__":
    main()
