"""Week 2, assignment 2: transfer learning, on a network pre-trained here."""

from _build import check, code, exercise, markdown, setup

FILENAME = "04_week2_transfer_learning.ipynb"


def cells():
    return [
        markdown("""
# Week 2 — Transfer learning

The course fine-tunes MobileNetV2, pre-trained on ImageNet, to recognise alpacas. Its ImageNet weights need a
download, so this notebook does the same thing with a network it can pre-train itself, offline: a small CNN
trained on eight Fashion-MNIST classes (**task A**, plenty of data), whose body is then reused for the other
two classes (**task B**, only a few examples). With ImageNet weights available
(`course_cnn.week2.alpaca_model(weights="imagenet")`), the same recipe applies to MobileNetV2.

First, the data augmentation the course puts in front of the network.
"""),
        setup('''
import keras
from keras import layers
from course_cnn.datasets import load_fashion_mnist
keras.utils.set_random_seed(0)'''),
        markdown("""
## 1. Data augmentation

A `keras.Sequential` of `RandomFlip("horizontal")` and `RandomRotation(0.2)` (up to ±20% of a full turn).
These layers only act in training (`model.fit`, or `training=True`); at inference they pass images unchanged.
"""),
        exercise("week2.data_augmenter", '''
def data_augmenter():
    """Returns keras.Sequential([RandomFlip("horizontal"), RandomRotation(0.2)])."""
    raise NotImplementedError
'''),
        check("week2.data_augmenter"),
        code('''
from course_cnn.week2 import augmented_samples

(x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
samples, figure = augmented_samples(x_train[0, :, :, None] / 255.0, data_augmenter(), n=8,
                                    title="one image, eight augmentations")
figure
'''),
        markdown("""
## 2. Pre-train on task A, transfer to task B

`course_cnn.strategy.pretrain_then_finetune` trains the model on task A, swaps its head for a new
`Dense(n_target_classes)`, freezes the body, and trains the head on task B. The course's rule of thumb
(`layers_to_retrain`): with little data retrain only the head; with more, the top layers; with a lot,
everything (starting from the pre-trained weights).
"""),
        code('''
from course_cnn.strategy import pretrain_then_finetune, should_transfer
from course_cnn.week2 import layers_to_retrain

def small_cnn():
    inputs = keras.Input((28, 28, 1))
    x = data_augmenter()(inputs)
    x = layers.Conv2D(16, 3, activation="relu", name="conv1")(x)
    x = layers.MaxPooling2D(name="pool1")(x)
    x = layers.Conv2D(32, 3, activation="relu", name="conv2")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(inputs, layers.Dense(8, activation="softmax", name="head")(x))

scale = lambda x: (x[:, :, :, None] / 255.0).astype("float32")
source = y_train < 8                                     # task A: classes 0-7
n_source = 4000 if QUICK else 48000
n_target = 100                                           # task B: classes 8 and 9, 100 examples
target = np.flatnonzero(y_train >= 8)[:n_target]
test_target = y_test >= 8
print(should_transfer(n_source, n_target))
print("layers to retrain:", layers_to_retrain(n_target, n_layers=4))
result = pretrain_then_finetune(
    small_cnn(), (scale(x_train[source][:n_source]), y_train[source][:n_source]),
    (scale(x_train[target]), y_train[target] - 8), n_target_classes=2,
    pretrain_epochs=2 if QUICK else 5, finetune_epochs=40 if QUICK else 100,
    target_validation=(scale(x_test[test_target]), y_test[test_target] - 8))
print("task B, last epoch:", {k: round(v[-1], 3) for k, v in result.finetune_history.items()})
print("frozen layers:", result.frozen)
'''),
    ]
