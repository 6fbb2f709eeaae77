r"""Siamese encoders and how to train them with the triplet loss.

A *siamese network* is one encoder $f$ applied to two (or three) inputs with
shared weights; the decision uses only the distance between the outputs,

$$d(x^{(1)}, x^{(2)}) = \lVert f(x^{(1)}) - f(x^{(2)})\rVert_2 .$$

Training it with the triplet loss needs batches where every identity shows
up several times: `identity_batches` draws $P$ identities and $K$
images of each ($B = PK$), and the mining losses of
`mining` pick the triplets inside the batch.
`train_triplet_encoder` puts the pieces together.

References
----------
Taigman et al., "DeepFace: Closing the Gap to Human-Level Performance in
Face Verification", CVPR 2014. Schroff et al., "FaceNet", CVPR 2015.
Hermans et al., "In Defense of the Triplet Loss", 2017 (P x K batches).
"""

from __future__ import annotations

import keras
import numpy as np

from course_cnn import _checks
from course_cnn.week4.face.identities import augment_images, projection_head
from course_cnn.week4.face.mined_losses import TripletBatchAllLoss, TripletHardLoss, TripletSemiHardLoss

__all__ = ["siamese_encoder", "identity_batches", "train_triplet_encoder", "as_float_images"]

_LOSSES = {"semi-hard": TripletSemiHardLoss, "hard": TripletHardLoss, "all": TripletBatchAllLoss}


def _residual_stage(x, filters, name):
    # main path: 3x3 stride-2 conv -> BN -> ReLU -> 3x3 conv -> BN
    y = keras.layers.Conv2D(filters, 3, strides=2, padding="same", use_bias=False, name=f"{name}_conv1")(x)
    y = keras.layers.BatchNormalization(name=f"{name}_bn1")(y)
    y = keras.layers.ReLU(name=f"{name}_relu1")(y)
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv2")(y)
    y = keras.layers.BatchNormalization(name=f"{name}_bn2")(y)
    # shortcut: 1x1 stride-2 projection to the new shape
    s = keras.layers.Conv2D(filters, 1, strides=2, use_bias=False, name=f"{name}_proj")(x)
    s = keras.layers.BatchNormalization(name=f"{name}_proj_bn")(s)
    return keras.layers.ReLU(name=f"{name}_out")(keras.layers.Add(name=f"{name}_add")([y, s]))


def siamese_encoder(input_shape, embedding_dim=128, filters=(32, 64, 128), pooling="avg", name="siamese_encoder"):
    r"""A small ResNet-style encoder ending in L2 normalisation.

    ``conv 3x3 -> BN -> ReLU``, then one residual stage per entry of
    ``filters`` (each halves the spatial size), global average pooling (or a
    flatten, which keeps where each feature is), a dense layer to
    ``embedding_dim`` (none with ``embedding_dim=None``: the pooled features
    are the encoding) and $f(x) / \lVert f(x)\rVert_2$, so
    encodings lie on the unit sphere and distances in $[0, 2]$.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_H, n_W, n_C)`` of the images (values in [0, 1]).
    embedding_dim : int or None, default 128
        Size $d$ of the encoding; ``None`` leaves out the dense layer (then
        $d$ is the size of the pooled features; train such an encoder through
        a `projection_head`).
    filters : sequence of int, default (32, 64, 128)
        Channels of the stem (the first entry) and of each residual stage.
    pooling : {"avg", "flatten"}, default "avg"
        How the last feature map becomes a vector.
    name : str, default "siamese_encoder"
        Model name.

    Returns
    -------
    keras.Model
        Input (m, n_H, n_W, n_C), output (m, d) of unit norm.

    Raises
    ------
    ValueError, TypeError
        For a malformed ``input_shape``, ``embedding_dim`` or ``filters``.

    Examples
    --------
    >>> enc = siamese_encoder((28, 28, 1), embedding_dim=16, filters=(8, 16))
    >>> enc.output_shape
    (None, 16)
    >>> out = enc(np.random.default_rng(0).random((2, 28, 28, 1)).astype("float32"))
    >>> np.round(np.linalg.norm(np.asarray(out), axis=1), 4).tolist()
    [1.0, 1.0]
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise _checks.fail("input_shape", "be a tuple (n_H, n_W, n_C)", _checks.describe(input_shape))
    input_shape = _checks.check_input_shape(input_shape)
    if embedding_dim is not None:
        embedding_dim = _checks.check_size(embedding_dim, "embedding_dim", _checks.MAX_UNITS)
    if not isinstance(filters, (tuple, list)) or not filters:
        raise _checks.fail("filters", "be a non-empty sequence of positive ints", _checks.describe(filters))
    filters = [_checks.check_size(f, "filters", _checks.MAX_UNITS) for f in filters]
    pooling = _checks.check_choice(pooling, "pooling", ("avg", "flatten"))
    inputs = keras.Input(input_shape, name="image")
    x = keras.layers.Conv2D(filters[0], 3, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = keras.layers.BatchNormalization(name="stem_bn")(x)
    x = keras.layers.ReLU(name="stem_relu")(x)
    for i, f in enumerate(filters, start=1):
        x = _residual_stage(x, f, f"stage{i}")  # (m, n_H / 2^i, n_W / 2^i, f)
    if pooling == "avg":
        x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)  # (m, filters[-1])
    else:
        x = keras.layers.Flatten(name="flatten")(x)  # (m, n_H' n_W' filters[-1])
    if embedding_dim is not None:
        x = keras.layers.Dense(embedding_dim, name="embedding")(x)  # (m, d)
    outputs = keras.layers.UnitNormalization(name="l2_normalize")(x)
    return keras.Model(inputs, outputs, name=name)


def as_float_images(images, name="images"):
    """Images as float32 in [0, 1] with a channel axis.

    Parameters
    ----------
    images : array_like of shape (m, n_H, n_W) or (m, n_H, n_W, n_C)
        uint8 (0-255, divided by 255) or float (kept as is) images.
    name : str, default "images"
        Parameter name for messages.

    Returns
    -------
    ndarray of shape (m, n_H, n_W, n_C), float32
        The images (``n_C = 1`` added to 3-D input).

    Raises
    ------
    ValueError, TypeError
        For other ranks or dtypes.

    Examples
    --------
    >>> float(as_float_images(np.full((2, 4, 4), 255, np.uint8)).max()), as_float_images(np.zeros((2, 4, 4))).shape
    (1.0, (2, 4, 4, 1))
    """
    arr = _checks.check_array(images, name, kinds="uif", finite=True)
    if arr.ndim == 3:
        arr = arr[..., None]  # (m, n_H, n_W, 1)
    _checks.check_ndim(arr, name, 4, "(m, n_H, n_W, n_C)")
    return arr.astype(np.float32) / 255.0 if arr.dtype == np.uint8 else arr.astype(np.float32)


def _check_batches(images, labels, identities_per_batch, images_per_identity):
    x = as_float_images(images)
    y = _checks.check_array(labels, "labels", ndim=1, kinds="iu")
    if len(y) != len(x):
        raise _checks.fail("labels", f"have one label per image ({len(x)})", f"shape {y.shape}")
    P = _checks.check_size(identities_per_batch, "identities_per_batch", _checks.MAX_EXAMPLES)
    K = _checks.check_int(images_per_identity, "images_per_identity", 2, _checks.MAX_EXAMPLES)
    n_classes = len(np.unique(y))
    if P > n_classes:
        raise _checks.fail("identities_per_batch", f"be at most the number of identities ({n_classes})", str(P))
    return x, y, P, K


def identity_batches(images, labels, identities_per_batch, images_per_identity, seed=0):
    r"""An endless ``tf.data`` stream of $P \times K$ batches for triplet mining.

    Each batch holds $P$ = ``identities_per_batch`` distinct identities drawn
    at random and $K$ = ``images_per_identity`` images of each (drawn without
    replacement when the identity has enough images), so every image in the
    batch has $K-1$ positives and $(P-1)K$ negatives.

    Parameters
    ----------
    images : array_like of shape (m, n_H, n_W) or (m, n_H, n_W, n_C)
        Images (uint8 are scaled to [0, 1]).
    labels : array_like of shape (m,), int
        Identity of each image.
    identities_per_batch : int
        $P$, at most the number of identities.
    images_per_identity : int
        $K \ge 2$.
    seed : int, default 0
        Seed of the sampling.

    Returns
    -------
    tf.data.Dataset
        Yields ``(x, y)`` with ``x`` of shape (P K, n_H, n_W, n_C) float32
        and ``y`` of shape (P K,) int32, forever (use ``steps_per_epoch``).

    Raises
    ------
    ValueError, TypeError
        For mismatched lengths, $P$ larger than the number of identities, or $K < 2$.

    Examples
    --------
    >>> ds = identity_batches(np.zeros((12, 4, 4), np.uint8), np.arange(12) % 3, 2, 3, seed=0)
    >>> x, y = next(iter(ds))
    >>> tuple(x.shape), sorted(np.unique(np.asarray(y), return_counts=True)[1].tolist())  # 2 identities x 3 images
    ((6, 4, 4, 1), [3, 3])
    """
    import tensorflow as tf

    x, y, P, K = _check_batches(images, labels, identities_per_batch, images_per_identity)
    classes = np.unique(y)
    members = {c: np.flatnonzero(y == c) for c in classes}
    rng = np.random.default_rng(_checks.check_seed(seed))

    def generate():
        while True:
            chosen = rng.choice(classes, size=P, replace=False)
            idx = np.concatenate([rng.choice(members[c], size=K, replace=len(members[c]) < K) for c in chosen])
            yield x[idx], y[idx].astype(np.int32)

    signature = (
        tf.TensorSpec((P * K, *x.shape[1:]), tf.float32),
        tf.TensorSpec((P * K,), tf.int32),
    )
    return tf.data.Dataset.from_generator(generate, output_signature=signature).prefetch(2)


def _views(batch, n_views, seed, number):
    """``n_views`` random views of every image of batch ``number``, stacked, with their labels repeated."""
    import tensorflow as tf

    x, y = batch
    # view v of batch i is drawn with seed (seed, n_views * i + v): the same run gives the same views
    views = [augment_images(x, tf.stack([tf.cast(seed, tf.int64), n_views * number + v])) for v in range(n_views)]
    return tf.concat(views, axis=0), tf.concat([y] * n_views, axis=0)


def train_triplet_encoder(
    encoder,
    images,
    labels,
    *,
    loss="semi-hard",
    margin=0.5,
    identities_per_batch=8,
    images_per_identity=4,
    steps_per_epoch=100,
    epochs=5,
    learning_rate=1e-3,
    augment=0,
    projection_dim=None,
    seed=0,
    verbose=1,
    jit_compile="auto",
):
    r"""Train an encoder with an online-mined triplet loss on $P \times K$ batches.

    Compiles ``encoder`` with Adam and the chosen loss
    (`TripletSemiHardLoss`,
    `TripletHardLoss` or
    `TripletBatchAllLoss`) and fits it
    on `identity_batches`, optionally on random views of the images
    (`augment_images`) and through a
    projection head (`projection_head`)
    that is dropped afterwards.

    Parameters
    ----------
    encoder : keras.Model
        Maps images to embeddings (e.g. `siamese_encoder`); trained in place.
    images : array_like of shape (m, n_H, n_W) or (m, n_H, n_W, n_C)
        Training images.
    labels : array_like of shape (m,), int
        Their identities.
    loss : {"semi-hard", "hard", "all"}, default "semi-hard"
        The mining strategy.
    margin : float, default 0.5
        The margin $\alpha$.
    identities_per_batch, images_per_identity : int, default 8 and 4
        $P$ and $K$.
    steps_per_epoch, epochs : int, default 100 and 5
        Length of training.
    learning_rate : float, default 1e-3
        Adam's step size.
    augment : int, default 0
        Random views (shift, mirror image, brightness) of every image of a
        batch to train on; 0 trains on the images themselves. With 2 or more
        the batch holds each image's views side by side, and two views of
        one image are positives of each other too.
    projection_dim : int, optional
        Apply the loss to a projection head of this size on top of the
        encoder instead of to the encoder's output; the encoder is trained in
        place either way and returned without the head.
    seed : int, default 0
        Seed of the batch sampling and of the views.
    verbose : int, default 1
        Keras verbosity (progress bar).
    jit_compile : bool or "auto", default "auto"
        Passed to ``Model.compile`` (XLA; ``False`` starts faster for tiny runs).

    Returns
    -------
    keras.callbacks.History
        ``history.history["loss"]`` has one value per epoch.

    Raises
    ------
    ValueError, TypeError
        For bad data or settings.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.random((40, 8, 8, 1)).astype("float32"), np.arange(40) % 4
    >>> enc = siamese_encoder((8, 8, 1), embedding_dim=4, filters=(4,))
    >>> h = train_triplet_encoder(enc, X, y, identities_per_batch=4, images_per_identity=2,
    ...                           steps_per_epoch=2, epochs=1, verbose=0, jit_compile=False)
    >>> len(h.history["loss"])
    1
    """
    encoder = _checks.check_model(encoder, "encoder")
    loss = _checks.check_choice(loss, "loss", _LOSSES)
    margin = _checks.check_number(margin, "margin", low=0.0)
    learning_rate = _checks.check_number(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    steps = _checks.check_size(steps_per_epoch, "steps_per_epoch", _checks.MAX_REPEATS)
    epochs = _checks.check_size(epochs, "epochs", _checks.MAX_REPEATS)
    augment = _checks.check_int(augment, "augment", 0, _checks.MAX_REPEATS)
    if projection_dim is not None:
        projection_dim = _checks.check_size(projection_dim, "projection_dim", _checks.MAX_UNITS)
    data = identity_batches(images, labels, identities_per_batch, images_per_identity, seed=seed)
    if augment:
        data = data.enumerate().map(lambda i, batch: _views(batch, augment, seed, i))
    model = encoder if projection_dim is None else projection_head(encoder, projection_dim)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=_LOSSES[loss](margin=margin),
                  jit_compile=jit_compile)
    return model.fit(data, steps_per_epoch=steps, epochs=epochs, shuffle=False, verbose=verbose)
