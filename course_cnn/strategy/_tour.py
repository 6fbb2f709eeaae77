"""ML strategy's tour demo: diagnose a real model trained on mismatched data.

The "other" data are clean 8x8 digits, the target data are the same kind of
digits with sensor noise (a different distribution). The demo splits them
with `mismatched_split`, trains a small CNN, measures the four errors,
draws the error ladder, and runs an error analysis over the dev errors with
tags computed from each example (noise level, true digit).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course_cnn.tour import Demo, DemoResult

#: Human-level error assumed for 8x8 digits (a person misreads about 1 in 100).
HUMAN_ERROR = 1.0

# How long the model trains and how many dev errors go out to tag by hand, with --quick and without; the test
# suite shrinks them to check the wiring fast.
QUICK = dict(epochs=8, errors_to_tag=40)
FULL = dict(epochs=30, errors_to_tag=40)


def _digits_with_noise(seed):
    from course_cnn.datasets import load_digits_images

    X, y = load_digits_images()  # (1797, 8, 8, 1) in [0, 1]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(X))
    t, o = order[:700], order[700:]
    sigma = rng.uniform(0.1, 0.5, size=len(t)).astype(np.float32)  # noise level of each target image
    noisy = np.clip(X[t] + sigma[:, None, None, None] * rng.normal(size=X[t].shape), 0, 1).astype(np.float32)
    target = (noisy, y[t], sigma)
    other = (X[o], y[o], np.zeros(len(o), np.float32))
    return target, other


def _model():
    import keras

    inputs = keras.Input((8, 8, 1), name="digit")
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="conv")(inputs)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(32, activation="relu", name="dense")(x)
    outputs = keras.layers.Dense(10, activation="softmax", name="digit_class")(x)
    return keras.Model(inputs, outputs, name="digits_cnn")


def run_diagnosis_demo(out_dir: Path, quick: bool) -> DemoResult:
    """Train on clean + a little noisy data, diagnose on noisy dev/test, analyse the dev errors."""
    import keras

    from course_cnn.strategy import ErrorAnalysis, diagnose, export_error_sample, mismatched_split, sample_errors

    out, budget = Path(out_dir), QUICK if quick else FULL
    target, other = _digits_with_noise(seed=0)
    split = mismatched_split(target, other, dev_size=250, test_size=250, train_dev_size=150, seed=0)
    (X_tr, y_tr, _), (X_td, y_td, _) = split.train, split.train_dev
    (X_dev, y_dev, sigma_dev), (X_te, y_te, _) = split.dev, split.test
    keras.utils.set_random_seed(0)
    model = _model()
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy")
    model.fit(X_tr, y_tr, epochs=budget["epochs"], batch_size=32, verbose=0)

    def predict(X):
        return np.argmax(model.predict(X, verbose=0), axis=1)

    def error(X, y):
        return float(100 * np.mean(predict(X) != y))

    result = diagnose(HUMAN_ERROR, error(X_tr, y_tr), error(X_dev, y_dev), train_dev=error(X_td, y_td),
                      test=error(X_te, y_te))
    result.plot(path=out / "error_ladder.png", title="digits: clean + a few noisy for training, noisy dev/test")
    files = [out / "error_ladder.png"]
    (out / "diagnosis.txt").write_text(result.summary() + "\n", encoding="utf-8")
    files.append(out / "diagnosis.txt")

    pred_dev = predict(X_dev)
    n_errors = int(np.sum(pred_dev != y_dev))
    idx = sample_errors(y_dev, pred_dev, n=min(100, n_errors), seed=0)
    records = [(["heavy noise"] if sigma_dev[i] > 0.3 else []) + [f"true {y_dev[i]}"] for i in idx]
    analysis = ErrorAnalysis(records, overall_error=result.dev)
    analysis.plot(path=out / "error_analysis.png")
    (out / "error_analysis.md").write_text(analysis.format_table() + "\n", encoding="utf-8")
    to_tag = idx[:budget["errors_to_tag"]]
    sample = export_error_sample(X_dev, y_dev, pred_dev, to_tag, out / "to_tag", tags=["heavy noise", "mislabeled"])
    files += [out / "error_analysis.png", out / "error_analysis.md", sample["grid"], sample["csv"]]
    heavy = analysis.stat("heavy noise")
    summary = (f"train {result.train:.1f}% / train-dev {result.train_dev:.1f}% / dev {result.dev:.1f}% / "
               f"test {result.test:.1f}% -> {' and '.join(result.problems) or 'no large gap'}; "
               f"{heavy.count} of {analysis.n_examined} dev errors are heavily noisy "
               f"(ceiling {heavy.ceiling:.1f}%)")
    return DemoResult(summary, files)


DEMOS = [Demo("strategy-diagnosis", "ML strategy: diagnose a model trained on mismatched data", run_diagnosis_demo)]
