r"""Training the LeNet-style model on real data that needs no network.

Fashion-MNIST (60,000 training and 10,000 test images of clothing, 28x28
grayscale) comes from Debian's ``dataset-fashion-mnist`` files through
``course_cnn.datasets.load_fashion_mnist``; scikit-learn's 8x8 digits
(1,797 images) make the quick version. Both go through
``course_cnn.datasets.make_dataset``, and the model minimises the
cross-entropy of its softmax output:

$$J = -\frac{1}{m} \sum_{i=1}^{m} \log \hat{y}^{(i)}_{y^{(i)}}$$
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from course_cnn import _checks, datasets
from course_cnn.week1.models import lenet_style_model

__all__ = ["TrainingResult", "train_lenet_style"]


@dataclass
class TrainingResult:
    """What ``train_lenet_style`` returns.

    Attributes
    ----------
    model : keras.Model
        The trained model.
    history : dict of str to list of float
        Per-epoch ``loss``, ``accuracy`` and their ``val_`` twins (validation
        = a held-out slice of the training set).
    test_accuracy : float
        Accuracy on the test set, never seen in training or model selection.
    epochs : int
        Epochs trained.
    seconds : float
        Wall-clock training time.
    dataset : str
        ``"fashion_mnist"`` or ``"digits"``.
    """

    model: object
    history: dict
    test_accuracy: float
    epochs: int
    seconds: float
    dataset: str


def _load(dataset: str, path, seed: int):
    if dataset == "fashion_mnist":
        (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist(path, download=False)
        x_train = (x_train.astype(np.float32) / 255.0)[..., None]  # (60000, 28, 28, 1) in [0, 1]
        x_test = (x_test.astype(np.float32) / 255.0)[..., None]
        return x_train, y_train.astype(np.int64), x_test, y_test.astype(np.int64)
    X, y = datasets.load_digits_images()  # (1797, 8, 8, 1) in [0, 1]
    order = np.random.default_rng(_checks.check_seed(seed)).permutation(len(X))
    n_test = len(X) // 4
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def train_lenet_style(dataset="fashion_mnist", epochs=8, batch_size=128, learning_rate=1e-3, seed=0, path=None, verbose=2):
    r"""Train ``lenet_style_model`` with Adam and report test accuracy.

    The last 10% of the training set is held out for validation curves;
    the test set is only used once, at the end.

    Parameters
    ----------
    dataset : {"fashion_mnist", "digits"}, default "fashion_mnist"
        Fashion-MNIST (local IDX files, no download) or scikit-learn's
        digits (a seeded 75/25 train/test split).
    epochs : int, default 8
        Passes over the training set.
    batch_size : int, default 128
        Examples per gradient step.
    learning_rate : float, default 1e-3
        Adam's step size.
    seed : int, default 0
        Seeds the weights, dropout, shuffling and the digits split.
    path : str or os.PathLike, optional
        Folder of the Fashion-MNIST IDX files (default: where Debian puts them).
    verbose : int, default 2
        Keras verbosity: 0 silent, 1 progress bar, 2 one line per epoch.

    Returns
    -------
    TrainingResult
        Model, history, test accuracy, epochs and seconds.

    Raises
    ------
    ValueError, TypeError
        For an unknown ``dataset`` or invalid sizes.
    FileNotFoundError
        When Fashion-MNIST is not installed (the message says how to get it).

    Examples
    --------
    >>> result = train_lenet_style("digits", epochs=2, batch_size=32, verbose=0)
    >>> result.test_accuracy > 0.5  # chance is 0.1
    True
    """
    import keras

    dataset = _checks.check_choice(dataset, "dataset", ("fashion_mnist", "digits"))
    epochs = _checks.check_positive_int(epochs, "epochs")
    batch_size = _checks.check_positive_int(batch_size, "batch_size")
    learning_rate = _checks.check_number(learning_rate, "learning_rate", 0.0, low_inclusive=False)
    seed = _checks.check_int(seed, "seed")
    if epochs > _checks.MAX_REPEATS:  # a typo would train for days
        raise _checks.fail("epochs", f"be at most {_checks.MAX_REPEATS}", repr(epochs))
    if path is not None:
        _checks.check_path(path, "path")
    x_train, y_train, x_test, y_test = _load(dataset, path, seed)
    n_val = len(x_train) // 10
    keras.utils.set_random_seed(seed)
    model = lenet_style_model(x_train.shape[1:], n_classes=10)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    train = datasets.make_dataset(x_train[:-n_val], y_train[:-n_val], batch_size=batch_size, seed=seed)
    val = datasets.make_dataset(x_train[-n_val:], y_train[-n_val:], batch_size=512, shuffle=False)
    start = time.perf_counter()
    history = model.fit(train, validation_data=val, epochs=epochs, verbose=verbose, shuffle=False)  # make_dataset shuffles
    seconds = time.perf_counter() - start
    test = datasets.make_dataset(x_test, y_test, batch_size=512, shuffle=False, cache=False)
    _, test_accuracy = model.evaluate(test, verbose=0)
    return TrainingResult(model, dict(history.history), float(test_accuracy), epochs, seconds, dataset)
