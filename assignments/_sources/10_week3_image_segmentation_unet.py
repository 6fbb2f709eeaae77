"""Week 3: image segmentation with U-Net, trained on generated scenes (the course's CARLA frames when present)."""

from _build import check, code, exercise, markdown, setup

FILENAME = "10_week3_image_segmentation_unet.ipynb"


def cells():
    return [
        markdown("""
# Week 3 — Image segmentation with U-Net

Semantic segmentation labels every pixel of an image with a class. U-Net does it with an encoder that shrinks
the image (convolutions and max pooling), a decoder that grows it back (transposed convolutions), and **skip
connections** that hand the encoder's fine detail to the decoder at every size.

You will write the transposed convolution in numpy, then U-Net's two blocks and the model, with the course's
names and layers, and train it. The course trains on frames of the CARLA driving simulator; if you have its
folders (`CameraRGB/`, `CameraMask/`), set `CARLA_DIR` below and they are used. Otherwise the notebook trains
on generated scenes that exist offline: Fashion-MNIST items (or digits) pasted on textured backgrounds, with
exact per-pixel masks.
"""),
        setup('''
import keras
import tensorflow as tf

CARLA_DIR = None  # e.g. "data/" holding CameraRGB/ and CameraMask/ from the course'''),
        markdown("""
## 1. The transposed convolution, in numpy

Each input value multiplies the whole filter, and the product is **added** into the output at the input's
position times the stride; then `pad` rows and columns are cropped from every side:

$$Z_{\\text{full}}[i,\\, h s + u,\\, w s + v,\\, c] \\mathrel{+}= \\sum_k A_{prev}[i, h, w, k]\\, W[u, v, k, c]$$

$$n_H = (n_{H,prev} - 1)\\, s + f - 2p$$

`W` has week 1's shape `(f, f, n_C_prev, n_C)` and `b` is `(1, 1, 1, n_C)`. Loop over examples, input rows,
input columns and input channels: `Z_full[i, h*s : h*s + f, w*s : w*s + f, :] += A_prev[i, h, w, k] * W[:, :, k, :]`.
Then crop and add `b`. (For `pad="same"` the output is `n_H_prev * stride` rows, cropping
`max(f - stride, 0) // 2` at the top and the rest at the bottom, as TensorFlow does.)
"""),
        exercise("week3.conv_transpose_forward", '''
def conv_transpose_forward(A_prev, W, b, hparameters):
    """A_prev (m, n_H_prev, n_W_prev, n_C_prev), W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C),
    hparameters {"stride": s, "pad": p} -> (Z, cache) with cache = (A_prev, W, b, hparameters)."""
    raise NotImplementedError
'''),
        check("week3.conv_transpose_forward"),
        markdown("""
Keras' `Conv2DTranspose` computes the same thing (its kernel is stored as `(f, f, n_C, n_C_prev)`):
"""),
        code('''
rng = np.random.default_rng(0)
A_prev = rng.standard_normal((1, 3, 3, 2)).astype("float32")
W = rng.standard_normal((3, 3, 2, 4)).astype("float32")
b = np.zeros((1, 1, 1, 4), dtype="float32")
layer = keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
layer.build(A_prev.shape)
layer.set_weights([W.transpose(0, 1, 3, 2), b.reshape(4)])
Z, _ = conv_transpose_forward(A_prev, W, b, {"stride": 2, "pad": "same"})
print(Z.shape, np.allclose(Z, layer(A_prev).numpy(), atol=1e-5))
'''),
        markdown("""
## 2. The encoder block

Two 3x3 convolutions (`padding='same'`, `activation='relu'`, `kernel_initializer='he_normal'`), a
`Dropout(dropout_prob)` when `dropout_prob > 0`, and a 2x2 `MaxPooling2D` when `max_pooling`. Return
`(next_layer, skip_connection)`: the skip connection is the output **before** the pooling.
"""),
        exercise("week3.conv_block", '''
from keras.layers import Conv2D, Dropout, MaxPooling2D

def conv_block(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
    """-> (next_layer, skip_connection)"""
    raise NotImplementedError
'''),
        check("week3.conv_block"),
        markdown("""
## 3. The decoder block

`Conv2DTranspose(n_filters, 3, strides=(2, 2), padding='same')` on `expansive_input` doubles its height and width;
concatenate the result with `contractive_input` on the channel axis (`concatenate([up, contractive_input],
axis=3)`), then two 3x3 convolutions as in the encoder block.
"""),
        exercise("week3.upsampling_block", '''
from keras.layers import Conv2D, Conv2DTranspose, concatenate

def upsampling_block(expansive_input, contractive_input, n_filters=32):
    """-> the block's output, twice the height and width of expansive_input"""
    raise NotImplementedError
'''),
        check("week3.upsampling_block"),
        markdown("""
## 4. The model

Down blocks with `n_filters`, `2n`, `4n`, `8n` filters (the `8n` block with `dropout_prob=0.3`), a bottleneck
`conv_block(cblock4[0], 16n, dropout_prob=0.3, max_pooling=False)`, up blocks with `8n`, `4n`, `2n`, `n`
filters, each given the skip connection `cblockN[1]` of the same size, then
`Conv2D(n_filters, 3, activation='relu', padding='same', kernel_initializer='he_normal')` and
`Conv2D(n_classes, 1, padding='same')`: one logit per class per pixel.
"""),
        exercise("week3.unet_model", '''
from keras import Input, Model

def unet_model(input_size=(96, 128, 3), n_filters=32, n_classes=23):
    raise NotImplementedError
'''),
        check("week3.unet_model"),
        markdown("""
## 5. Data

With the course's CARLA folders, `load_segmentation_folder` reads them as the course does (class id = the max
over the mask's channels, nearest-neighbour resizing to 96x128). Without them, `make_segmentation_scenes`
generates scenes; held-out scenes use items from Fashion-MNIST's test split (or digits the training scenes never
show). `QUICK` uses small digit scenes so that training takes about a minute.
"""),
        code('''
from course_cnn.week3 import (SCENE_CLASSES, create_mask, display, load_segmentation_folder,
                              make_segmentation_arrays, make_segmentation_scenes, mean_iou, per_class_iou)
from course_cnn.datasets import find_fashion_mnist

if CARLA_DIR is not None:
    size, n_classes = (96, 128), 23
    dataset = load_segmentation_folder(f"{CARLA_DIR}/CameraRGB", f"{CARLA_DIR}/CameraMask", size=size)
    n_test = 100
    test_ds, train_ds = dataset.take(n_test), dataset.skip(n_test)
    test_images, test_masks = (np.stack(t) for t in zip(*[(x.numpy(), y.numpy()) for x, y in test_ds]))
    n_filters, epochs = 32, 5 if QUICK else 40
else:
    source = "fashion" if (find_fashion_mnist() is not None and not QUICK) else "digits"
    size = (64, 64) if QUICK else (96, 128)
    n_train, epochs, n_filters = (600, 5, 8) if QUICK else (2000, 12, 8)
    train_ds = make_segmentation_scenes(n_train, size, seed=0, source=source)
    test = make_segmentation_arrays(100, size, seed=1, source=source, split="test")
    test_images, test_masks, n_classes = test.images, test.masks, len(test.class_names)
    print(f"{source} scenes, classes: {test.class_names}")

for image, mask in train_ds.take(1):
    display([image, mask])
'''),
        markdown("""
## 6. Training

The network outputs logits, so the loss is `SparseCategoricalCrossentropy(from_logits=True)` on the masks of
class ids. Mean IoU averages the IoU of every class present in the true or predicted mask (classes absent from
both are left out), so the background, most of the pixels, does not dominate it as it dominates accuracy.
"""),
        code('''
keras.utils.set_random_seed(0)
unet = unet_model((*size, 3), n_filters=n_filters, n_classes=n_classes)
unet.compile(optimizer=keras.optimizers.Adam(2e-3 if QUICK else 1e-3),
             loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = unet.fit(train_ds.cache().shuffle(500, seed=0).batch(8), epochs=epochs, verbose=2)
pred_masks = np.argmax(unet.predict(test_images, verbose=0), axis=-1)[..., None]
print(f"held-out mean IoU {mean_iou(test_masks, pred_masks, n_classes):.3f}")
print("per-class IoU", np.round(per_class_iou(test_masks, pred_masks, n_classes), 2))
'''),
        markdown("""
## 7. Masks

`create_mask` takes the argmax over the classes (of the first image of a batch, as in the course):
"""),
        code('''
for i in range(3):
    display([test_images[i], test_masks[i], create_mask(unet.predict(test_images[i:i + 1], verbose=0))])
'''),
        markdown("""
A minute of training gets the shapes of the items but mostly not their classes. With `QUICK = False` the
full-size scenes train for about 16 minutes on a 2-core CPU and reach a held-out mean IoU of about 0.8
(`benchmarks/week3_unet_scenes.py`). The package ships a U-Net with these very layers (`n_filters=8`) trained
that way; here are its masks on held-out scenes, for comparison. On CARLA the course's full model
(`n_filters=32`, 8.6 million weights) needs a GPU to train in reasonable time.
"""),
        code('''
from course_cnn.week3._scenes_unet import held_out_scenes, load_scenes_unet, predict_masks

if find_fashion_mnist() is not None:
    shipped, recipe = load_scenes_unet()
    scenes = held_out_scenes(recipe, n=100)
    shipped_masks = predict_masks(shipped, scenes.images)
    print(f"shipped U-Net: held-out mean IoU {mean_iou(scenes.masks, shipped_masks, len(scenes.class_names)):.3f}")
    for i in range(3):
        display([scenes.images[i], scenes.masks[i], shipped_masks[i]])
'''),
    ]
