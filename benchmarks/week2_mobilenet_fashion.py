"""Train the small MobileNets (v1 and v2 blocks) on Fashion-MNIST, offline, same budget for each.

Run:  python benchmarks/week2_mobilenet_fashion.py --epochs 5 --subset 20000 --out docs/week2/img
Fashion-MNIST comes from the Debian package dataset-fashion-mnist (course_cnn.datasets.load_fashion_mnist,
download=False). Each model gets the same optimiser, data, epochs and seed; the test accuracy is measured on
the whole 10,000-image test set. Writes fashion_mobilenet.json and the curves figure fashion_mobilenet_curves.png.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from course_cnn.datasets import load_fashion_mnist, make_dataset  # noqa: E402
from course_cnn.week2 import small_mobilenet  # noqa: E402


def train_one(version, data, args):
    (x_train, y_train), (x_test, y_test) = data
    keras.utils.set_random_seed(0)
    model = small_mobilenet(version=version)
    model.compile(keras.optimizers.Adam(args.lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(make_dataset(x_train, y_train, batch_size=args.batch_size, seed=0), epochs=args.epochs,
                        validation_data=make_dataset(x_test, y_test, batch_size=512, shuffle=False), verbose=0)
    seconds = time.perf_counter() - start
    row = {"model": model.name, "version": version, "params": int(model.count_params()), "seconds": round(seconds, 1),
           "test_accuracy": round(float(history.history["val_accuracy"][-1]), 4),
           "history": {k: [round(float(v), 4) for v in vals] for k, vals in history.history.items()}}
    print(f"{model.name}: {row['params']:,} params, test accuracy {row['test_accuracy']:.4f} after {args.epochs} "
          f"epochs on {len(x_train):,} images, {seconds:.0f} s", flush=True)
    return row


def plot(rows, path):
    from course_cnn.plots import new_figure, save_figure

    fig, axes = new_figure(1, 2, figsize=(9, 3.4))
    for row, colour in zip(rows, ("tab:blue", "tab:orange")):
        epochs = np.arange(1, len(row["history"]["loss"]) + 1)
        label = f"v{row['version']} ({row['params']:,} params)"
        axes[0].plot(epochs, row["history"]["loss"], "-", color=colour, label=f"{label}, train")
        axes[0].plot(epochs, row["history"]["val_loss"], "--", color=colour, label=f"{label}, test")
        axes[1].plot(epochs, row["history"]["accuracy"], "-", color=colour, label=f"{label}, train")
        axes[1].plot(epochs, row["history"]["val_accuracy"], "--", color=colour, label=f"{label}, test")
    axes[0].set(xlabel="epoch", ylabel="cross-entropy", title="loss")
    axes[1].set(xlabel="epoch", ylabel="accuracy", title="accuracy (test: all 10,000 images)")
    for ax in axes:
        ax.set_xticks(epochs)
        ax.legend(fontsize=7)
    return save_figure(fig, path, dpi=80)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--subset", type=int, default=20000, help="training images used (of 60,000)")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--out", default="docs/week2/img")
    parser.add_argument("--replot", action="store_true", help="only redraw the figure from fashion_mobilenet.json")
    args = parser.parse_args(argv)
    if args.replot:
        rows = json.loads((Path(args.out) / "fashion_mobilenet.json").read_text(encoding="utf-8"))["rows"]
        print("figure:", plot(rows, Path(args.out) / "fashion_mobilenet_curves.png"))
        return 0
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
    x_train = x_train[:args.subset, :, :, None].astype("float32") / 255.0  # (m, 28, 28, 1)
    x_test = x_test[:, :, :, None].astype("float32") / 255.0
    data = (x_train, y_train[:args.subset]), (x_test, y_test)
    rows = [train_one(version, data, args) for version in (1, 2)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = {"epochs": args.epochs, "subset": args.subset, "batch_size": args.batch_size, "lr": args.lr,
               "cpus": os.cpu_count(), "rows": rows}
    (out / "fashion_mobilenet.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print("figure:", plot(rows, out / "fashion_mobilenet_curves.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
