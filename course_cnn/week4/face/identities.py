r"""More identities, more views: what lets a learned distance generalise to new people.

The triplet loss only learns the distinctions its training identities
exercise. A face encoder meant for new people is trained on thousands of
them; with few identities (seven clothing classes standing in for people,
say) the encoder keeps just what tells those few apart and forgets the rest,
and new identities collapse onto old ones. Three standard remedies, each a
small function here:

* **more identities** (`rotation_identities`): every image turned by
  0, 90, 180 and 270 degrees, each (identity, rotation) pair its own identity,
  four times as many. Telling a garment from the same garment upside down
  needs its global shape (where its top is, how tall it is), which is also
  what tells two unseen classes apart;
* **more views** (`augment_images`): random shifts, mirror images and
  brightness changes of each image, so the distance ignores what does not
  change an identity (a face seen from slightly elsewhere, in other light);
* **a projection head** (`projection_head`): the triplet loss is
  applied to a small head on top of the encoder and the head is thrown away
  after training; the encoder's own output, a few layers removed from the
  loss, keeps more than the training identities need (Chen et al. 2020 found
  the same for contrastive learning).

References
----------
Gidaris, Singh, Komodakis, "Unsupervised Representation Learning by
Predicting Image Rotations", ICLR 2018. Chen, Kornblith, Norouzi, Hinton,
"A Simple Framework for Contrastive Learning of Visual Representations"
(SimCLR), ICML 2020 (augmented views, projection head).
"""

from __future__ import annotations

import keras
import numpy as np

from course_cnn import _checks

__all__ = ["rotation_identities", "augment_images", "projection_head"]


def rotation_identities(images, labels):
    r"""Four identities per identity: the images turned by 0, 90, 180 and 270 degrees.

    Image $x$ of identity $y$ turned $k$ quarter turns counter-clockwise
    gets the identity $4y + k$.

    Parameters
    ----------
    images : array_like of shape (m, n, n) or (m, n, n, n_C)
        Square images (any dtype; returned as they are, turned).
    labels : array_like of shape (m,), int >= 0
        Their identities.

    Returns
    -------
    turned : ndarray of shape (4 m, n, n[, n_C])
        The images, then the images turned once, twice and three times.
    turned_labels : ndarray of shape (4 m,), int64
        ``4 * labels + k``.

    Raises
    ------
    ValueError, TypeError
        For non-square images, negative or non-integer labels, or lengths that differ.

    Examples
    --------
    >>> x = np.array([[[1, 2], [3, 4]]])            # one 2x2 image of identity 5
    >>> turned, y = rotation_identities(x, [5])
    >>> turned[1].tolist(), y.tolist()               # a quarter turn counter-clockwise
    ([[2, 4], [1, 3]], [20, 21, 22, 23])
    """
    x = _checks.check_array(images, "images", kinds="biuf", finite=True)
    if x.ndim not in (3, 4) or x.shape[1] != x.shape[2]:
        raise _checks.fail("images", "have shape (m, n, n) or (m, n, n, n_C) (square images)", f"shape {x.shape}")
    y = _checks.check_array(labels, "labels", ndim=1, kinds="iu")
    if len(y) != len(x):
        raise _checks.fail("labels", f"have one label per image ({len(x)})", f"shape {y.shape}")
    if len(y) and y.min() < 0:
        raise _checks.fail("labels", "be non-negative", f"minimum {int(y.min())}")
    turned = np.concatenate([np.rot90(x, k, axes=(1, 2)) for k in range(4)])  # (4 m, n, n[, n_C])
    return turned, np.concatenate([4 * y.astype(np.int64) + k for k in range(4)])


def augment_images(x, seed, max_shift=3, brightness=(0.6, 1.4)):
    r"""Random views of a batch: a shift, a mirror image and a brightness change per image.

    Each image is padded with ``max_shift`` zeros on every side and cropped
    back at a random offset (a shift of up to ``max_shift`` pixels each way),
    mirrored left-right with probability 1/2, and multiplied by a factor drawn
    uniformly from ``brightness``, then clipped to [0, 1]. The randomness is
    a function of ``seed`` only (``tf.random.stateless_*``), so a training
    run is reproducible.

    Parameters
    ----------
    x : tensor of shape (B, n_H, n_W, n_C), float32 in [0, 1]
        The batch.
    seed : tensor or tuple of 2 ints
        Seed of the stateless random ops (e.g. ``(run_seed, batch_number)``).
    max_shift : int, default 3
        Largest shift in pixels.
    brightness : tuple of 2 floats, default (0.6, 1.4)
        Range of the brightness factor.

    Returns
    -------
    tf.Tensor of shape (B, n_H, n_W, n_C), float32

    Raises
    ------
    ValueError, TypeError
        For ``x`` not of rank 4, a negative ``max_shift`` or a ``brightness``
        range that is not two numbers ``0 <= low <= high``.

    Examples
    --------
    >>> import tensorflow as tf
    >>> x = tf.ones((4, 8, 8, 1)) * 0.5
    >>> views = augment_images(x, (0, 1))
    >>> tuple(views.shape), bool(tf.reduce_all(views <= 1.0))
    ((4, 8, 8, 1), True)
    """
    import tensorflow as tf

    x = _checks.check_tensor(x, "x")  # static checks only: it runs in tf.data (the shape is checked below)
    max_shift = _checks.check_int(max_shift, "max_shift", 0, _checks.MAX_IMAGE_SIDE)
    if not isinstance(brightness, (tuple, list)) or len(brightness) != 2:
        raise _checks.fail("brightness", "be a pair (low, high)", _checks.describe(brightness), TypeError)
    low = _checks.check_number(brightness[0], "brightness", low=0)
    high = _checks.check_number(brightness[1], "brightness", low=low)
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    if x.shape.rank != 4:
        raise _checks.fail("x", "have shape (B, n_H, n_W, n_C)", f"shape {tuple(x.shape)}")
    seeds = tf.random.experimental.stateless_split(tf.cast(tf.convert_to_tensor(seed), tf.int64), num=3)
    shape = tf.shape(x)
    n, height, width = shape[0], shape[1], shape[2]
    mirror = tf.random.stateless_uniform([n, 1, 1, 1], seeds[0]) < 0.5
    x = tf.where(mirror, tf.reverse(x, axis=[2]), x)
    padded = tf.pad(x, [[0, 0], [max_shift, max_shift], [max_shift, max_shift], [0, 0]])
    offset = tf.random.stateless_uniform([n, 2], seeds[1], 0, 2 * max_shift + 1, dtype=tf.int32)  # (B, 2)
    rows = offset[:, :1] + tf.range(height)[None, :]                                              # (B, n_H)
    cols = offset[:, 1:] + tf.range(width)[None, :]                                               # (B, n_W)
    x = tf.gather(tf.gather(padded, rows, axis=1, batch_dims=1), cols, axis=2, batch_dims=1)
    scale = tf.random.stateless_uniform([n, 1, 1, 1], seeds[2], low, high)
    return tf.clip_by_value(x * scale, 0.0, 1.0)


def projection_head(encoder, dim=32, hidden=128, bottleneck=64):
    r"""The encoder followed by a small head, for training only.

    ``Dense(bottleneck) -> L2 norm -> Dense(hidden) -> ReLU -> Dense(dim) -> L2 norm``:
    the triplet loss is applied to the head's output, and the encoder's own
    encoding sits three layers away from it. The head shares nothing with
    the encoder but its input, so after training the encoder is used alone
    (the head's model trained the encoder's own weights).

    Parameters
    ----------
    encoder : keras.Model
        Maps images to encodings.
    dim : int, default 32
        Size of the head's output.
    hidden : int, default 128
        Width of its hidden ReLU layer.
    bottleneck : int, default 64
        Size of its first, linear layer (normalised to unit length).

    Returns
    -------
    keras.Model
        ``encoder.input`` -> (m, dim), unit norm, named ``<encoder>_with_head``.

    Raises
    ------
    ValueError, TypeError
        For sizes that are not positive ints.

    Examples
    --------
    >>> from course_cnn.week4.face import siamese_encoder
    >>> enc = siamese_encoder((8, 8, 1), embedding_dim=None, filters=(4,), pooling="flatten")
    >>> projection_head(enc, dim=3).output_shape
    (None, 3)
    """
    encoder = _checks.check_model(encoder, "encoder")
    dim = _checks.check_size(dim, "dim", _checks.MAX_UNITS)
    hidden = _checks.check_size(hidden, "hidden", _checks.MAX_UNITS)
    bottleneck = _checks.check_size(bottleneck, "bottleneck", _checks.MAX_UNITS)
    h = keras.layers.Dense(bottleneck, name="projection_bottleneck")(encoder.output)
    h = keras.layers.UnitNormalization(name="projection_bottleneck_l2_normalize")(h)
    h = keras.layers.Dense(hidden, activation="relu", name="projection_hidden")(h)
    h = keras.layers.Dense(dim, name="projection")(h)
    h = keras.layers.UnitNormalization(name="projection_l2_normalize")(h)
    return keras.Model(encoder.input, h, name=f"{encoder.name}_with_head")
