"""Week 1, assignment 2: convolutional networks in Keras (happy house, SIGNS)."""

from _build import check, code, exercise, markdown, setup

FILENAME = "02_week1_application.ipynb"


def cells():
    return [
        markdown("""
# Week 1 — Convolutional networks in Keras: application

Two models from the course, written with Keras 3:

1. `happyModel()`, a **Sequential** binary classifier for 64x64x3 images (the "happy house": smiling or not);
2. `convolutional_model(input_shape)`, a **functional** six-class classifier (the SIGNS hand signs 0-5).

**Data.** If you have the course's files (`train_happy.h5`, `test_happy.h5`, `train_signs.h5`,
`test_signs.h5`), set `COURSE_DATASETS` to their folder. Otherwise the notebook uses Fashion-MNIST, which
works offline: trousers vs dresses (resized to 64x64x3) stand in for smiling vs not, and the first six
clothing classes stand in for the six hand signs.
"""),
        setup('''
import keras
import tensorflow as tf
from keras import layers
from course_cnn.datasets import load_fashion_mnist, load_happy_dataset, load_signs_dataset
from course_cnn.plots import training_curves

COURSE_DATASETS = None  # e.g. "datasets", the folder with the course's .h5 files
EPOCHS = 2 if QUICK else 10
N_TRAIN = 1200 if QUICK else 12000
keras.utils.set_random_seed(0)'''),
        markdown("## 1. The data"),
        code('''
def fashion_subset(classes, n, size=None):
    """Fashion-MNIST images of the given classes, relabelled 0..len(classes)-1, scaled to [0, 1]."""
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
    def pick(x, y, count):
        keep = np.isin(y, classes)
        x, y = x[keep][:count, :, :, None] / 255.0, np.searchsorted(classes, y[keep][:count])
        if size is not None:  # grayscale 28x28 -> RGB size x size
            x = np.repeat(tf.image.resize(x, (size, size)).numpy(), 3, axis=-1)
        return x.astype("float32"), y
    return pick(x_train, y_train, n) + pick(x_test, y_test, n // 4)

if COURSE_DATASETS:
    X_train, Y_train, X_test, Y_test, _ = load_happy_dataset(COURSE_DATASETS)
    X_train, X_test, Y_train, Y_test = X_train / 255.0, X_test / 255.0, Y_train.T, Y_test.T
else:
    X_train, Y_train, X_test, Y_test = fashion_subset([1, 3], N_TRAIN, size=64)  # trousers vs dresses
print("training images:", X_train.shape, "test images:", X_test.shape)
'''),
        markdown("""
## 2. The happy model (Sequential API)

`ZeroPadding2D(padding=3)` on 64x64x3 inputs → `Conv2D(32, (7, 7), strides=1)` → `BatchNormalization(axis=3)`
→ `ReLU` → `MaxPool2D` (default 2x2) → `Flatten` → `Dense(1, activation="sigmoid")`. The padding of 3 keeps
the 7x7 convolution's output at 64x64: $n_H = 64 + 2 \\cdot 3 - 7 + 1 = 64$.
"""),
        exercise("week1.happyModel", '''
def happyModel():
    """The happy-house classifier as a keras.Sequential model (start it with keras.Input((64, 64, 3)))."""
    raise NotImplementedError
'''),
        check("week1.happyModel"),
        code('''
happy_model = happyModel()
happy_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = happy_model.fit(X_train, Y_train, epochs=EPOCHS, batch_size=32, validation_split=0.1, verbose=2)
loss, accuracy = happy_model.evaluate(X_test, Y_test, verbose=0)
print(f"test accuracy: {accuracy:.3f}")
training_curves(history, metrics=("loss", "accuracy"))
'''),
        markdown("""
## 3. The SIGNS model (functional API)

`Conv2D(8, 4x4, same)` → ReLU → `MaxPool2D(8, stride 8, same)` → `Conv2D(16, 2x2, same)` → ReLU →
`MaxPool2D(4, stride 4, same)` → `Flatten` → `Dense(6, softmax)`. With the functional API each layer is called
on the previous tensor, and `keras.Model(inputs, outputs)` ties them together.
"""),
        exercise("week1.convolutional_model", '''
def convolutional_model(input_shape):
    """The six-class SIGNS classifier, built with the functional API; returns a keras.Model."""
    raise NotImplementedError
'''),
        check("week1.convolutional_model"),
        code('''
if COURSE_DATASETS:
    X_train, Y_train, X_test, Y_test, _ = load_signs_dataset(COURSE_DATASETS)
    X_train, X_test, Y_train, Y_test = X_train / 255.0, X_test / 255.0, Y_train.ravel(), Y_test.ravel()
else:
    X_train, Y_train, X_test, Y_test = fashion_subset([0, 1, 2, 3, 4, 5], 3 * N_TRAIN)  # six classes, 28x28x1
signs_model = convolutional_model(X_train.shape[1:])
signs_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
history = signs_model.fit(X_train, Y_train, epochs=EPOCHS, batch_size=64, validation_split=0.1, verbose=2)
print(f"test accuracy: {signs_model.evaluate(X_test, Y_test, verbose=0)[1]:.3f}")
training_curves(history, metrics=("loss", "accuracy"))
'''),
        markdown("""
The SIGNS model has only 1,310 parameters (for 64x64x3 inputs): convolutions share their weights across
positions. Next week: deeper networks, and why residual connections let them train.
"""),
    ]
