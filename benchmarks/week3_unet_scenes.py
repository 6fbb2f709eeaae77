"""Train week 3's U-Net on generated scenes until held-out mean IoU reaches a target; report the time.

Usage::

    python benchmarks/week3_unet_scenes.py [--n-train 2000] [--epochs 12] [--n-filters 8]
        [--size 96 128] [--source fashion] [--target 0.80] [--batch-size 8] [--lr 1e-3]
        [--figure out.png] [--json out.json]

The model is ``unet_model(input_size, n_filters, n_classes=5)`` (the course's
layers; only ``n_filters`` is smaller than the course's 32), trained with
Adam (``--lr``, batches of ``--batch-size``) and
``SparseCategoricalCrossentropy(from_logits=True)`` on
``make_segmentation_scenes(split="train")``. After each epoch the mean IoU
(classes absent from both masks left out) is measured on 300 held-out scenes
whose items come from the source's *test* split; training stops at the first
epoch that reaches ``--target``. The printout gives epochs, minutes, the
per-class IoU and pixel accuracy, and the figure shows predictions on held-out
scenes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def train(n_train, epochs, n_filters, size, source, target, batch_size=8, lr=1e-3, seed=0, n_test=300, log=print):
    import keras
    import numpy as np

    from course_cnn.week3 import (make_segmentation_arrays, make_segmentation_scenes, mean_iou, per_class_iou,
                                  pixel_accuracy, unet_model)

    keras.utils.set_random_seed(seed)
    train_ds = make_segmentation_scenes(n_train, size, seed=seed, source=source).cache().shuffle(
        500, seed=seed).batch(batch_size)
    test = make_segmentation_arrays(n_test, size, seed=seed + 1, source=source, split="test")
    n_classes = len(test.class_names)
    model = unet_model((*size, 3), n_filters=n_filters, n_classes=n_classes)
    model.compile(optimizer=keras.optimizers.Adam(lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history, start, pred = [], time.perf_counter(), None
    for epoch in range(1, epochs + 1):
        fit = model.fit(train_ds, epochs=1, verbose=0, shuffle=False)  # the dataset shuffles itself
        pred = np.argmax(model.predict(test.images, batch_size=64, verbose=0), axis=-1)[..., None]
        score = mean_iou(test.masks, pred, n_classes)
        minutes = (time.perf_counter() - start) / 60
        history.append({"epoch": epoch, "loss": float(fit.history["loss"][-1]), "mean_iou": score, "minutes": minutes})
        log(f"epoch {epoch}: loss {history[-1]['loss']:.3f}, held-out mean IoU {score:.3f}, {minutes:.1f} min")
        if score >= target:
            break
    return {
        "model": model, "test": test, "pred": pred, "history": history,
        "per_class_iou": per_class_iou(test.masks, pred, n_classes).tolist(),
        "pixel_accuracy": pixel_accuracy(test.masks, pred),
        "params": model.count_params(),
    }


def figure(result, path, n=6):
    from course_cnn.plots import new_figure, save_figure

    test, pred = result["test"], result["pred"]
    n_classes = len(test.class_names)
    fig, axes = new_figure(3, n, figsize=(2.2 * n, 5.6))
    for i in range(n):
        axes[0, i].imshow(test.images[i])
        axes[1, i].imshow(test.masks[i, ..., 0], cmap="tab10", vmin=0, vmax=9, interpolation="nearest")
        axes[2, i].imshow(pred[i, ..., 0], cmap="tab10", vmin=0, vmax=9, interpolation="nearest")
        for ax in axes[:, i]:
            ax.axis("off")
    for row, title in enumerate(("held-out scene", "true mask", "predicted mask")):
        axes[row, 0].set_title(title, fontsize=9, loc="left")
    last = result["history"][-1]
    fig.suptitle(f"U-Net (n_filters={result['n_filters']}, {result['params']:,} weights) after {last['epoch']} "
                 f"epochs, {last['minutes']:.1f} min: held-out mean IoU {last['mean_iou']:.2f} "
                 f"({n_classes} classes: {', '.join(test.class_names)})", fontsize=9)
    return save_figure(fig, path, dpi=80)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--n-filters", type=int, default=8)
    parser.add_argument("--size", type=int, nargs=2, default=(96, 128))
    parser.add_argument("--source", default="fashion", choices=("fashion", "digits"))
    parser.add_argument("--target", type=float, default=0.80)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--figure", default="unet_scenes.png")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    print(f"U-Net on {args.n_train} generated {args.source} scenes {tuple(args.size)}, n_filters={args.n_filters}, "
          f"batch {args.batch_size}, Adam lr {args.lr} "
          f"({platform.machine()}, {os.cpu_count()} CPUs)")
    result = train(args.n_train, args.epochs, args.n_filters, tuple(args.size), args.source, args.target,
                   batch_size=args.batch_size, lr=args.lr)
    result["n_filters"] = args.n_filters
    last = result["history"][-1]
    reached = last["mean_iou"] >= args.target
    print(f"{'reached' if reached else 'did NOT reach'} mean IoU {args.target} on held-out scenes: "
          f"{last['mean_iou']:.3f} after {last['epoch']} epochs, {last['minutes']:.1f} min; "
          f"pixel accuracy {result['pixel_accuracy']:.3f}; per-class IoU "
          + ", ".join(f"{name} {v:.2f}" for name, v in zip(result["test"].class_names, result["per_class_iou"])))
    print("figure:", figure(result, args.figure))
    if args.json:
        keep = {k: result[k] for k in ("history", "per_class_iou", "pixel_accuracy", "params", "n_filters")}
        with open(args.json, "w") as fh:
            json.dump(keep, fh, indent=2)


if __name__ == "__main__":
    main()
