"""Week 2, assignment 1: residual networks."""

from _build import check, code, exercise, markdown, setup

FILENAME = "03_week2_residual_networks.ipynb"


def cells():
    return [
        markdown("""
# Week 2 — Residual networks

Very deep plain networks are hard to train: the training error goes *up* with depth. A residual block adds
its input back before the last activation,

$$a^{[l+2]} = g\\left(z^{[l+2]} + a^{[l]}\\right),$$

so with $W^{[l+2]}, b^{[l+2]} \\to 0$ it computes the identity: adding blocks cannot hurt, and each block only
learns a correction. You will build the two blocks of ResNet-50 and the whole network (Keras functional API),
then train a small residual network on Fashion-MNIST.

In every block each `Conv2D` gets `kernel_initializer=initializer(seed=0)` and is followed by
`BatchNormalization(axis=3)(X, training=training)`; the grader passes its own seeded `initializer` and
compares your block's output values with ours.
"""),
        setup('''
import keras
from keras.initializers import glorot_uniform, random_uniform
from keras.layers import (Activation, Add, AveragePooling2D, BatchNormalization, Conv2D, Dense, Flatten, Input,
                          MaxPooling2D, ZeroPadding2D)
keras.utils.set_random_seed(0)'''),
        markdown("""
## 1. The identity block

Main path: `Conv2D(F1, 1x1, valid)` → BN → ReLU → `Conv2D(F2, fxf, same)` → BN → ReLU →
`Conv2D(F3, 1x1, valid)` → BN; then `Add()([X, X_shortcut])` and ReLU. The input and output have the same
shape, so `F3` equals the input's channels.
"""),
        exercise("week2.identity_block", '''
def identity_block(X, f, filters, training=True, initializer=random_uniform):
    """X: (m, n_H, n_W, n_C); filters = [F1, F2, F3]. Returns the block's output, same shape as X."""
    raise NotImplementedError
'''),
        check("week2.identity_block"),
        markdown("""
## 2. The convolutional block

When the shape changes, the shortcut gets its own `Conv2D(F3, 1x1, strides=s, valid)` + BN. The main path's
first 1x1 convolution also has `strides=(s, s)`.
"""),
        exercise("week2.convolutional_block", '''
def convolutional_block(X, f, filters, s=2, training=True, initializer=glorot_uniform):
    """Like identity_block, with stride s on the first conv and a conv + BN on the shortcut."""
    raise NotImplementedError
'''),
        check("week2.convolutional_block"),
        markdown("""
## 3. ResNet-50

`ZeroPadding2D((3, 3))` → `Conv2D(64, 7x7, strides=2)` → BN → ReLU → `MaxPooling2D(3x3, strides=2)`, then four
stages, each one convolutional block followed by identity blocks (all with f = 3):

| stage | filters | blocks | s |
| --- | --- | --- | --- |
| 2 | [64, 64, 256] | 3 | 1 |
| 3 | [128, 128, 512] | 4 | 2 |
| 4 | [256, 256, 1024] | 6 | 2 |
| 5 | [512, 512, 2048] | 3 | 2 |

then `AveragePooling2D((2, 2))` → `Flatten` → `Dense(classes, softmax)`. For 64x64x3 inputs the stages output
15x15x256, 8x8x512, 4x4x1024 and 2x2x2048.
"""),
        exercise("week2.ResNet50", '''
def ResNet50(input_shape=(64, 64, 3), classes=6):
    """The course's ResNet-50 as a keras.Model."""
    raise NotImplementedError
'''),
        check("week2.ResNet50"),
        code('''
model = ResNet50(input_shape=(64, 64, 3), classes=6)
print(f"{model.count_params():,} parameters in {len(model.layers)} layers")
'''),
        markdown("""
## 4. A residual network that trains on a CPU

ResNet-50 needs a GPU to train in reasonable time. The package's `resnet(depth)` builds the CIFAR-style
residual network of the ResNet paper (basic blocks of two 3x3 convolutions) for 28x28 images; below, a small
one trains on Fashion-MNIST. With `residual=False` you get the plain network of the same depth, to compare.
"""),
        code('''
from course_cnn.datasets import load_fashion_mnist
from course_cnn.plots import training_curves
from course_cnn.week2 import resnet

(x_train, y_train), (x_test, y_test) = load_fashion_mnist(download=False)
n = 2000 if QUICK else 60000
x_train, x_test = x_train[:n, :, :, None] / 255.0, x_test[:, :, :, None] / 255.0
small = resnet(depth=8, input_shape=(28, 28, 1), classes=10, filters=(8, 16, 32))
small.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = small.fit(x_train, y_train[:n], epochs=1 if QUICK else 10, batch_size=64, validation_split=0.1,
                    verbose=2)
print(f"test accuracy: {small.evaluate(x_test[:2000], y_test[:2000], verbose=0)[1]:.3f}")
training_curves(history, metrics=("loss", "accuracy"))
'''),
        markdown("""
With `QUICK = True` this is one epoch on 2,000 images: the batch-normalisation statistics have not settled
yet and the test accuracy can be close to chance. `QUICK = False` trains for 10 epochs on all 60,000 images
(several minutes per epoch on a laptop CPU).
"""),
    ]
