"""Plain vs residual networks of growing depth on Fashion-MNIST, same budget for each (the lecture's figure).

Run:  python benchmarks/week2_depth.py --depths 8 20 32 44 --epochs 3 --subset 10000
For each depth, trains course_cnn.week2.resnet(depth, residual=False) and (residual=True) with the same
optimiser, data, epochs and seed, then measures the *training* error (inference mode, on the training subset)
and the test error. Writes a JSON file and the figure "training error vs depth".
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from course_cnn.datasets import load_fashion_mnist, make_dataset  # noqa: E402
from course_cnn.week2.resnet_depth import resnet  # noqa: E402


def train_one(depth, residual, data, args):
    (x_train, y_train), (x_test, y_test) = data
    keras.utils.set_random_seed(0)
    model = resnet(depth, input_shape=(28, 28, 1), classes=10, residual=residual, filters=tuple(args.filters))
    model.compile(keras.optimizers.Adam(args.lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(make_dataset(x_train, y_train, batch_size=args.batch_size, seed=0), epochs=args.epochs,
                        verbose=0)
    seconds = time.perf_counter() - start
    _, train_acc = model.evaluate(make_dataset(x_train, y_train, batch_size=512, shuffle=False), verbose=0)
    _, test_acc = model.evaluate(make_dataset(x_test, y_test, batch_size=512, shuffle=False), verbose=0)
    row = {"depth": depth, "residual": residual, "params": int(model.count_params()), "seconds": round(seconds, 1),
           "train_error": round(1 - float(train_acc), 4), "test_error": round(1 - float(test_acc), 4),
           "final_train_loss": round(float(history.history["loss"][-1]), 4),
           "loss_per_epoch": [round(float(v), 4) for v in history.history["loss"]]}
    print(f"{model.name:>10}: {row['params']:>8,} params, train error {row['train_error']:.4f}, "
          f"test error {row['test_error']:.4f}, last-epoch loss {row['final_train_loss']:.4f}, "
          f"{seconds:.0f} s", flush=True)
    return row


def plot(rows, path):
    from course_cnn.plots import new_figure, save_figure

    fig, axes = new_figure(1, 2, figsize=(9, 3.4))
    for residual, style in ((False, "o--"), (True, "s-")):
        sel = sorted((r for r in rows if r["residual"] == residual), key=lambda r: r["depth"])
        label = "residual" if residual else "plain"
        axes[0].plot([r["depth"] for r in sel], [r["train_error"] for r in sel], style, label=label)
        axes[1].plot([r["depth"] for r in sel], [r["final_train_loss"] for r in sel], style, label=label)
    axes[0].set(xlabel="depth (weighted layers)", ylabel="training-set error (inference mode)",
                title="training error vs depth")
    axes[1].set(xlabel="depth (weighted layers)", ylabel="mean training loss, last epoch",
                title="training loss vs depth")
    for ax in axes:
        ax.legend()
        ax.grid(alpha=0.3)
    save_figure(fig, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--depths", type=int, nargs="+", default=[8, 20, 32, 44])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--subset", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--filters", type=int, nargs="+", default=[8, 16, 32])
    parser.add_argument("--out", default="/tmp/week2_depth.json")
    parser.add_argument("--figure", default="/tmp/week2_depth.png")
    parser.add_argument("--replot", action="store_true", help="only redraw the figure from --out")
    args = parser.parse_args(argv)
    if args.replot:
        with open(args.out, encoding="utf-8") as fh:
            rows = json.load(fh)["rows"]
        plot(rows, args.figure)
        return rows
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
    x_train = (x_train[: args.subset, ..., None] / 255.0).astype("float32")  # (subset, 28, 28, 1)
    y_train = y_train[: args.subset]
    x_test = (x_test[..., None] / 255.0).astype("float32")
    data = (x_train, y_train), (x_test, y_test)
    rows = [train_one(depth, residual, data, args) for depth in args.depths for residual in (False, True)]
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump({"args": vars(args), "rows": rows, "keras": keras.__version__}, fh, indent=1)
    plot(rows, args.figure)
    return rows


if __name__ == "__main__":
    main()
