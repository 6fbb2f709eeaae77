"""Time one style-transfer step: ours against the keras.io example's approach.

Both run in this process on the same VGG-19 (random weights: the time of a
step does not depend on the weights' values) at SIZE x SIZE:

* ours: :class:`course_cnn.week4.style.StyleTransfer`, targets computed once,
  a compiled step that forwards and backpropagates only the generated image;
* keras.io ("Neural style transfer", F. Chollet): the content, style and
  generated images are concatenated into a batch of three and forwarded
  through a VGG-19 feature extractor (all layers as a dict of outputs) at
  every step, in a ``tf.function``; reproduced below from the example.

Usage: ``python benchmarks/week4_style_step.py [--size 400] [--repeats 5]``.
The machine is shared, so three numbers per side: the fastest wall time of
the repeats (the least disturbed run, as ``timeit`` advises), the median
wall time, and the median CPU time of the process (all threads), which other
jobs on the machine disturb least. The ratio is given for each.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from course_cnn.week4.style import STYLE_LAYERS, StyleTransfer, get_layer_outputs, make_style_texture  # noqa: E402
from course_cnn.week4.style.vgg import _randomise  # noqa: E402


# ---------------------------------------------------------------- keras.io
def keras_io_step_fn(feature_extractor, n_rows, n_cols):
    """The keras.io example's loss and gradient step (content layer block5_conv2)."""
    style_layer_names = ["block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1"]
    content_layer_name = "block5_conv2"
    total_variation_weight, style_weight, content_weight = 1e-6, 1e-6, 2.5e-8

    def gram_matrix(x):
        x = tf.transpose(x, (2, 0, 1))
        features = tf.reshape(x, (tf.shape(x)[0], -1))
        return tf.matmul(features, tf.transpose(features))

    def style_loss(style, combination):
        S, C = gram_matrix(style), gram_matrix(combination)
        channels, size = 3, n_rows * n_cols
        return tf.reduce_sum(tf.square(S - C)) / (4.0 * (channels**2) * (size**2))

    def content_loss(base, combination):
        return tf.reduce_sum(tf.square(combination - base))

    def total_variation_loss(x):
        a = tf.square(x[:, : n_rows - 1, : n_cols - 1, :] - x[:, 1:, : n_cols - 1, :])
        b = tf.square(x[:, : n_rows - 1, : n_cols - 1, :] - x[:, : n_rows - 1, 1:, :])
        return tf.reduce_sum(tf.pow(a + b, 1.25))

    def compute_loss(combination_image, base_image, style_reference_image):
        input_tensor = tf.concat([base_image, style_reference_image, combination_image], axis=0)
        features = feature_extractor(input_tensor)
        layer_features = features[content_layer_name]
        loss = content_weight * content_loss(layer_features[0], layer_features[2])
        for layer_name in style_layer_names:
            layer_features = features[layer_name]
            loss += (style_weight / len(style_layer_names)) * style_loss(layer_features[1], layer_features[2])
        return loss + total_variation_weight * total_variation_loss(combination_image)

    @tf.function
    def compute_loss_and_grads(combination_image, base_image, style_reference_image):
        with tf.GradientTape() as tape:
            loss = compute_loss(combination_image, base_image, style_reference_image)
        return loss, tape.gradient(loss, combination_image)

    optimizer = keras.optimizers.SGD(
        keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=100.0, decay_steps=100, decay_rate=0.96)
    )

    def step(combination_image, base_image, style_image):
        loss, grads = compute_loss_and_grads(combination_image, base_image, style_image)
        optimizer.apply_gradients([(grads, combination_image)])
        return float(loss)

    return step


def timed(fn):
    """(wall seconds, CPU seconds of this process's threads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    size = args.size
    keras.utils.set_random_seed(0)
    vgg = keras.applications.VGG19(include_top=False, weights=None, input_shape=(size, size, 3))
    _randomise(vgg, seed=0)
    vgg.trainable = False
    content = np.random.default_rng(1).uniform(size=(size, size, 3)).astype(np.float32)
    style = make_style_texture(size)

    # Ours: course layers (content block5_conv4), targets once, generated image only.
    ours_model = get_layer_outputs(vgg, STYLE_LAYERS + [("block5_conv4", 1)])
    transfer = StyleTransfer(content, style, size=size, weights=None, feature_model=ours_model, verbose=0)

    # keras.io: a dict of every layer's output, three images per step.
    outputs_dict = {layer.name: layer.output for layer in vgg.layers}
    extractor = keras.Model(inputs=vgg.inputs, outputs=outputs_dict)
    theirs = keras_io_step_fn(extractor, size, size)
    base = tf.constant(content[None])
    style_ref = tf.constant(style[None].astype(np.float32) / 255.0)
    combination = tf.Variable(content[None])

    print(f"compiling both steps at {size}x{size} ...", flush=True)
    compile_ours = timed(transfer.step)
    compile_theirs = timed(lambda: theirs(combination, base, style_ref))
    ours_times, theirs_times = [], []
    for _ in range(args.repeats):  # interleaved, so background load hits both alike
        ours_times.append(timed(transfer.step))
        theirs_times.append(timed(lambda: theirs(combination, base, style_ref)))
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; TensorFlow {tf.__version__}, "
          f"Keras {keras.__version__}, numpy {np.__version__}; {size}x{size}, {args.repeats} repeats")
    print(f"first step (with tracing): ours {compile_ours[0]:.2f} s, keras.io {compile_theirs[0]:.2f} s")
    rows = []
    for label, pick in (("fastest wall s/step", lambda t: min(w for w, _ in t)),
                        ("median wall s/step", lambda t: statistics.median(w for w, _ in t)),
                        ("median CPU s/step", lambda t: statistics.median(c for _, c in t))):
        ours, keras_io = pick(ours_times), pick(theirs_times)
        rows.append((label, ours, keras_io))
        print(f"{label:20s} ours {ours:8.3f}   keras.io {keras_io:8.3f}   speed-up {keras_io / ours:5.2f}x")
    print("all (wall, CPU) ours:    ", [(round(w, 2), round(c, 2)) for w, c in ours_times])
    print("all (wall, CPU) keras.io:", [(round(w, 2), round(c, 2)) for w, c in theirs_times])
    print("target: speed-up >= 2.5x")
    return rows

if __name__ == "__main__":
    main()
