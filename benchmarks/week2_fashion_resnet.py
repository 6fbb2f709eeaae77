"""Train a compact ResNet (course_cnn.week2.resnet) on Fashion-MNIST and report test accuracy and time per epoch.

Run:  python benchmarks/week2_fashion_resnet.py --epochs 8
Writes a JSON summary (--out) and the training curves (--figure). The results
are quoted in docs/performance/week2.md and docs/week2/resnet.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from course_cnn.datasets import load_fashion_mnist, make_dataset  # noqa: E402
from course_cnn.week2.resnet_depth import resnet  # noqa: E402


class EpochTimer(keras.callbacks.Callback):
    """Record the wall time of every epoch."""

    def on_train_begin(self, logs=None):
        self.times = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self._start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--subset", type=int, default=None, help="train on the first N images only")
    parser.add_argument("--steps", type=int, default=None, help="stop each epoch after N steps (timing only)")
    parser.add_argument("--out", default="/tmp/week2_fashion_resnet.json")
    parser.add_argument("--figure", default=None)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
    x_train = (x_train[..., None] / 255.0).astype("float32")  # (60000, 28, 28, 1)
    x_test = (x_test[..., None] / 255.0).astype("float32")  # (10000, 28, 28, 1)
    if args.subset:
        x_train, y_train = x_train[: args.subset], y_train[: args.subset]
    # 4 stages of one basic block: depth = 2 * 1 * 4 + 2 = 10
    model = resnet(10, input_shape=(28, 28, 1), classes=10, filters=(16, 32, 64, 128), name="fashion_resnet10")
    augment = keras.Sequential(
        [keras.layers.RandomFlip("horizontal", seed=1),
         keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=2)],
        name="augment",
    )
    train = make_dataset(x_train, y_train, batch_size=args.batch_size, seed=0, augment=augment)
    test = make_dataset(x_test, y_test, batch_size=512, shuffle=False)
    steps = args.steps or int(np.ceil(len(x_train) / args.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(args.lr, decay_steps=args.epochs * steps, alpha=0.01)
    model.compile(keras.optimizers.Adam(schedule), "sparse_categorical_crossentropy", metrics=["accuracy"])
    print(f"{model.name}: {model.count_params():,} parameters; {len(x_train)} training images", flush=True)
    timer = EpochTimer()
    history = model.fit(train, epochs=args.epochs, steps_per_epoch=args.steps, validation_data=test,
                        callbacks=[timer], verbose=2)
    test_loss, test_acc = model.evaluate(test, verbose=0)
    result = {
        "model": model.name, "params": int(model.count_params()), "epochs": args.epochs,
        "batch_size": args.batch_size, "train_images": int(len(x_train)), "test_accuracy": float(test_acc),
        "test_loss": float(test_loss), "seconds_per_epoch": [round(t, 1) for t in timer.times],
        "history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
        "machine": f"{platform.machine()} {os.cpu_count()} cores (shared)", "tensorflow": tf.__version__,
        "keras": keras.__version__, "numpy": np.__version__,
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)
    print(f"test accuracy {test_acc:.4f}; seconds per epoch {result['seconds_per_epoch']}", flush=True)
    if args.figure:
        from course_cnn.plots import training_curves

        training_curves(history, metrics=("loss", "accuracy"), path=args.figure, title=model.name)
    return result


if __name__ == "__main__":
    main()
