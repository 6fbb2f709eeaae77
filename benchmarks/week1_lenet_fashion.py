"""Train week 1's LeNet-style model on Fashion-MNIST and report its test accuracy.

Usage::

    python benchmarks/week1_lenet_fashion.py [--epochs 8] [--figure docs/week1/img/lenet_fashion_curves.png]

Needs Fashion-MNIST locally (Debian's ``dataset-fashion-mnist``); nothing is
downloaded. Prints one line per epoch, then the test accuracy, the epochs and
the minutes, and saves the training curves.
"""

from __future__ import annotations

import argparse
import json
import os
import platform

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--figure", default=None, help="where to save the training curves (PNG)")
    parser.add_argument("--json", default=None, help="where to write the numbers")
    args = parser.parse_args(argv)

    import numpy as np
    import tensorflow as tf

    from course_cnn.plots import training_curves
    from course_cnn.week1.training import train_lenet_style

    result = train_lenet_style("fashion_mnist", epochs=args.epochs, batch_size=args.batch_size, seed=args.seed, verbose=2)
    summary = {
        "dataset": "Fashion-MNIST (60,000 train = 54,000 fit + 6,000 validation; 10,000 test)",
        "epochs": result.epochs,
        "batch_size": args.batch_size,
        "test_accuracy": round(result.test_accuracy, 4),
        "minutes": round(result.seconds / 60, 2),
        "parameters": int(result.model.count_params()),
        "machine": f"{os.cpu_count()}-core {platform.machine()} CPU",
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
    }
    print(json.dumps(summary, indent=2))
    if args.figure:
        training_curves(result.history, metrics=("loss", "accuracy"), path=args.figure,
                        title=f"LeNet-style on Fashion-MNIST: test accuracy {result.test_accuracy:.3f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
