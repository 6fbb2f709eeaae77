r"""The style-transfer optimisation loop, made fast.

The course's loop optimises the pixels of the generated image $G$ with Adam:

1. compute the targets: $a^{(C)}$ at the content layer, and the style
   image's activations at the style layers;
2. initialise $G$ as the content image plus uniform noise, clipped to [0, 1];
3. repeat: forward $G$ through VGG-19, $J(G) = \alpha J_{content} + \beta
   J_{style}$ (+ an optional total-variation term), one Adam step on the
   pixels, clip to [0, 1].

What makes `StyleTransfer` fast: the targets are computed **once**
(and the style targets are stored as Gram matrices, not activations), so
each step forwards and backpropagates *only* $G$ through VGG-19, in one
compiled ``tf.function``. The keras.io example instead stacks content, style
and generated images into one batch of three and forwards all of them at
every step (``benchmarks/week4_style_step.py`` measures the difference).
"""

from __future__ import annotations

import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from course_cnn import _checks
from course_cnn.week4.style.costs import CONTENT_LAYER, STYLE_LAYERS
from course_cnn.week4.style.images import _load_resized, save_image
from course_cnn.week4.style.vgg import _layer_names, vgg19_features

__all__ = ["StyleTransfer", "vgg_preprocess"]

# ImageNet channel means in BGR order, as Keras' "caffe" preprocessing uses.
_BGR_MEANS = tf.constant([103.939, 116.779, 123.68], dtype=tf.float32)


def vgg_preprocess(image):
    """Keras' VGG "caffe" preprocessing of a [0, 1] RGB image.

    ``x * 255``, RGB to BGR, minus the ImageNet channel means; the same as
    ``keras.applications.vgg19.preprocess_input(image * 255)`` but
    differentiable and usable inside a ``tf.function``.

    Parameters
    ----------
    image : tensor of shape (m, n_H, n_W, 3)
        Pixels in [0, 1].

    Returns
    -------
    tf.Tensor of shape (m, n_H, n_W, 3)
        Zero-centred BGR values in about [-124, 152].

    Examples
    --------
    >>> [round(float(v), 3) for v in vgg_preprocess(tf.zeros((1, 1, 1, 3))).numpy().ravel()]
    [-103.939, -116.779, -123.68]
    """
    image = _checks.check_tensor(image, "image")  # static checks only: it runs inside the training step
    _checks.check_shape(image, "image", (..., 3))
    image = tf.cast(image, tf.float32) * 255.0
    return image[..., ::-1] - _BGR_MEANS  # RGB -> BGR, centred


def _gram(a):
    """Gram matrix divided by n_H * n_W: (1, n_H, n_W, n_C) -> (n_C, n_C)."""
    n_H, n_W, n_C = a.shape[1], a.shape[2], a.shape[3]
    features = tf.reshape(a, (n_H * n_W, n_C))  # (n_H * n_W, n_C)
    return tf.matmul(features, features, transpose_a=True) / float(n_H * n_W)


class StyleTransfer:
    r"""Neural style transfer of a content image in the style of another.

    Minimises $J(G) = \alpha J_{content}(C, G) + \beta J_{style}(S, G)
    + \gamma J_{TV}(G)$ over the pixels of $G$ with Adam, as the course does,
    but with the targets computed once and a compiled step that forwards
    only $G$ through VGG-19.

    Parameters
    ----------
    content_image, style_image : str, os.PathLike, PIL image or array_like
        Anything `load_image` reads: any size
        and aspect ratio, RGB, RGBA or grayscale. Each is resized so that
        its longer side is ``size`` (the style image keeps its own aspect).
    size : int or None, default 400
        Longer side of the images; ``None`` keeps the content image's size.
    weights : "imagenet", path or None, default "imagenet"
        VGG-19 weights, see `vgg19_features`.
        ``None`` gives an untrained network (tests, offline demos).
    style_layers : list of (str, float), default STYLE_LAYERS
        Style layers and their weights $\lambda^{[l]}$.
    content_layer : str, default "block5_conv4"
        The content layer.
    alpha, beta : float, default 10, 40
        Weights of the content and the style cost (the course's values).
    tv_weight : float, default 0
        Weight $\gamma$ of the total-variation cost (0: the course's cost).
    learning_rate : float, default 0.01
        Adam's step size on pixels in [0, 1].
    noise : float, default 0.25
        Initialisation: content image plus uniform noise in
        $[-\text{noise}, \text{noise}]$, clipped to [0, 1].
    preprocess : bool, default False
        ``False`` feeds the [0, 1] image straight into VGG-19 as the course
        does (its $\alpha$, $\beta$ are tuned for that); ``True`` applies
        Keras' VGG preprocessing (`vgg_preprocess`), which the
        ImageNet weights were trained with (then retune $\alpha/\beta$).
    seed : int, default 0
        Seed of the noise (and of the random weights when ``weights=None``).
    feature_model : keras.Model, optional
        A ready `vgg19_features` model with
        outputs ``style_layers`` then ``content_layer`` (skips building one).
    snapshot_every : int, optional
        Keep a copy of the image every that many steps in ``snapshots``.
    snapshot_dir : str or os.PathLike, optional
        Also write each snapshot there as ``step_00050.png``.
    verbose : int, default 1
        1: a progress line (``keras.utils.Progbar``); 0: silent.

    Attributes
    ----------
    generated : tf.Variable of shape (1, n_H, n_W, 3)
        The image being optimised.
    history : dict of str to list of float
        ``"cost"``, ``"content"``, ``"style"``, ``"tv"`` per step.
    snapshots : list of (int, ndarray of shape (n_H, n_W, 3))
        The kept images, with their step.
    content, style : ndarray of shape (1, n_H, n_W, 3)
        The resized inputs.

    Raises
    ------
    FileNotFoundError
        With ``weights="imagenet"`` and no weights file (see
        `vgg19_features`).
    ValueError
        For bad images or parameters.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> transfer = StyleTransfer(np.full((24, 32, 3), 0.5), rng.uniform(size=(40, 40, 3)),
    ...                          size=32, weights=None, verbose=0)
    >>> image = transfer.run(2)
    >>> image.shape, len(transfer.history["cost"])
    ((24, 32, 3), 2)

    References
    ----------
    L. A. Gatys, A. S. Ecker, M. Bethge, "A Neural Algorithm of Artistic
    Style", arXiv:1508.06576, 2015.
    """

    def __init__(self, content_image, style_image, *, size=400, weights="imagenet", style_layers=STYLE_LAYERS,
                 content_layer=CONTENT_LAYER[0][0], alpha=10, beta=40, tv_weight=0, learning_rate=0.01,
                 noise=0.25, preprocess=False, seed=0, feature_model=None, snapshot_every=None,
                 snapshot_dir=None, verbose=1):
        self.alpha = _checks.check_number(alpha, "alpha", low=0)
        self.beta = _checks.check_number(beta, "beta", low=0)
        self.tv_weight = _checks.check_number(tv_weight, "tv_weight", low=0)
        learning_rate = _checks.check_number(learning_rate, "learning_rate", low=0, low_inclusive=False)
        noise = _checks.check_number(noise, "noise", low=0)
        self.style_layers = [(name, _checks.check_number(w, "style_layers", low=0)) for name, w in self._pairs(style_layers)]
        self.content_layer = content_layer
        self.preprocess = bool(preprocess)
        self.snapshot_every = None if snapshot_every is None else _checks.check_positive_int(snapshot_every, "snapshot_every")
        self.snapshot_dir = None if snapshot_dir is None else _checks.check_path(snapshot_dir, "snapshot_dir")
        self.verbose = _checks.check_int(verbose, "verbose", 0, 2)
        seed = _checks.check_seed(seed)
        if not isinstance(content_layer, str):
            raise _checks.fail("content_layer", "be a layer name (str)", _checks.describe(content_layer), TypeError)
        if feature_model is not None:
            _checks.check_model(feature_model, "feature_model")
        self.content = _load_resized(content_image, size, "content_image", "size")
        self.style = _load_resized(style_image, size, "style_image", "size")
        layer_names = [name for name, _ in self.style_layers] + [content_layer]
        if feature_model is None:
            self._check_vgg_size(layer_names)
            feature_model = vgg19_features(layer_names, weights=weights, seed=seed)
        elif len(feature_model.outputs) != len(layer_names):
            raise _checks.fail("feature_model", f"have {len(layer_names)} outputs (style layers, then content)",
                               f"{len(feature_model.outputs)} outputs")
        self.feature_model = feature_model
        # Targets, once: the content activations and the style Gram matrices.
        self.a_C = tf.constant(self._features(self.content)[-1])
        self.gram_S = [tf.constant(_gram(a_S)) for a_S in self._features(self.style)[:-1]]
        rng = np.random.default_rng(_checks.check_seed(seed))
        start = self.content + rng.uniform(-noise, noise, self.content.shape).astype(np.float32)
        self.generated = tf.Variable(np.clip(start, 0.0, 1.0), name="generated_image")
        self.optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
        self.history = {"cost": [], "content": [], "style": [], "tv": []}
        self.snapshots = []
        self.steps_done = 0
        self._step = tf.function(self._train_step)

    def _check_vgg_size(self, layer_names):
        # blockN is behind N - 1 poolings of 2: the image needs 2^(N-1) pixels per side.
        blocks = {name: int(name[5]) for name in layer_names if name.startswith("block") and name[5:6].isdigit()}
        if not blocks:
            return
        deepest = max(blocks, key=blocks.get)
        need = 2 ** (blocks[deepest] - 1)
        for name, image in (("content_image", self.content), ("style_image", self.style)):
            if min(image.shape[1:3]) < need:
                raise _checks.fail(name, f"be at least {need} pixels on each side after resizing (VGG-19 halves "
                                   f"it {blocks[deepest] - 1} times before {deepest})", f"size {image.shape[1:3]}")

    @staticmethod
    def _pairs(style_layers):
        _layer_names(style_layers)  # validates the list
        if not all(isinstance(item, (list, tuple)) and len(item) == 2 for item in style_layers):
            raise _checks.fail("style_layers", "be a list of (layer name, weight) pairs", _checks.describe(style_layers))
        return style_layers

    def _features(self, image):
        image = tf.convert_to_tensor(image, tf.float32)
        outputs = self.feature_model(vgg_preprocess(image) if self.preprocess else image, training=False)
        return outputs if isinstance(outputs, (list, tuple)) else [outputs]

    def _costs(self, image):
        """J_content, J_style, J_TV of the generated image (one VGG forward)."""
        outputs = self._features(image)
        a_G = outputs[-1]
        _, n_H, n_W, n_C = a_G.shape
        # J_content = sum((a_C - a_G)^2) / (4 n_H n_W n_C)
        J_content = tf.reduce_sum(tf.square(self.a_C - a_G)) / (4.0 * n_H * n_W * n_C)
        J_style = tf.constant(0.0)
        for (_, weight), gram_S, a in zip(self.style_layers, self.gram_S, outputs[:-1]):
            # lambda^[l] * sum((G_S - G_G)^2) / (4 n_C^2), Gram matrices already / (n_H n_W)
            J_style += weight * tf.reduce_sum(tf.square(gram_S - _gram(a))) / (4.0 * a.shape[-1] ** 2)
        n_H_img, n_W_img = image.shape[1], image.shape[2]
        J_tv = tf.reduce_sum(tf.image.total_variation(image)) / float(n_H_img * n_W_img * 3)
        return J_content, J_style, J_tv

    def _train_step(self):
        with tf.GradientTape() as tape:
            J_content, J_style, J_tv = self._costs(self.generated)
            # J = alpha J_content + beta J_style + gamma J_TV
            J = self.alpha * J_content + self.beta * J_style + self.tv_weight * J_tv
        grad = tape.gradient(J, self.generated)
        self.optimizer.apply_gradients([(grad, self.generated)])
        self.generated.assign(tf.clip_by_value(self.generated, 0.0, 1.0))
        return J, J_content, J_style, J_tv

    def step(self):
        """Run one optimisation step and record its costs.

        Returns
        -------
        dict of str to float
            ``cost``, ``content``, ``style``, ``tv`` of the image *before*
            the step (the value the gradient was taken at).

        Examples
        --------
        >>> transfer = StyleTransfer(np.zeros((16, 16)), np.ones((16, 16)), size=16, weights=None, verbose=0)
        >>> sorted(transfer.step())
        ['content', 'cost', 'style', 'tv']
        """
        values = [float(v) for v in self._step()]
        costs = dict(zip(("cost", "content", "style", "tv"), values))
        for key, value in costs.items():
            self.history[key].append(value)
        self.steps_done += 1
        return costs

    def run(self, iterations, callback=None):
        """Run ``iterations`` optimisation steps.

        Parameters
        ----------
        iterations : int
            Number of Adam steps (more continue where the last run stopped).
        callback : callable, optional
            ``callback(step, image, costs)`` after every step, with the
            1-based step number, the ``tf.Variable`` image and the costs
            dict; return ``True`` to stop early.

        Returns
        -------
        ndarray of shape (n_H, n_W, 3), float32
            The generated image, in [0, 1].

        Raises
        ------
        ValueError
            For a non-positive ``iterations``.

        Examples
        --------
        >>> transfer = StyleTransfer(np.zeros((16, 16, 3)), np.ones((16, 16, 3)), size=16, weights=None, verbose=0)
        >>> transfer.run(3, callback=lambda step, image, costs: step == 2).shape
        (16, 16, 3)
        >>> transfer.steps_done
        2
        """
        iterations = _checks.check_positive_int(iterations, "iterations")
        bar = keras.utils.Progbar(iterations, stateful_metrics=["cost", "content", "style"]) if self.verbose else None
        start = time.perf_counter()
        for i in range(1, iterations + 1):
            costs = self.step()
            if bar is not None:
                bar.update(i, [("cost", costs["cost"]), ("content", costs["content"]), ("style", costs["style"])])
            if self.snapshot_every and self.steps_done % self.snapshot_every == 0:
                self._snapshot()
            if callback is not None and callback(i, self.generated, costs):
                break
        self.seconds = time.perf_counter() - start
        return self.image()

    def _snapshot(self):
        image = self.image()
        self.snapshots.append((self.steps_done, image))
        if self.snapshot_dir is not None:
            save_image(image, self.snapshot_dir / f"step_{self.steps_done:05d}.png")

    def image(self):
        """The current generated image.

        Returns
        -------
        ndarray of shape (n_H, n_W, 3), float32
            Pixels in [0, 1].

        Examples
        --------
        >>> StyleTransfer(np.zeros((16, 16)), np.ones((16, 16)), size=16, weights=None, verbose=0).image().shape
        (16, 16, 3)
        """
        return self.generated.numpy()[0]
