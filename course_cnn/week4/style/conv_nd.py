r"""Convolutions in 1, 2 and 3 dimensions.

Nothing in a convolution is specific to images: a filter slides along every
*spatial* axis of its input and spans all its channels. Along each spatial
axis of size $n$, with filter size $f$, padding $p$ and stride $s$:

$$
n_{out} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1
$$

* 1-D (an ECG, an audio signal, a time series): input $(n_L, n_C)$, filters
  $(f, n_C)$; the lecture's 14-sample signal with 16 filters of size 5 gives
  $(10, 16)$.
* 3-D (a CT scan, a video): input $(n_D, n_H, n_W, n_C)$, filters
  $(f, f, f, n_C)$; the lecture's $14 \times 14 \times 14 \times 1$ volume
  with 16 filters of $5 \times 5 \times 5$ gives $(10, 10, 10, 16)$.

About week 1's numpy convolution: `course_cnn.week1.conv_forward` is
the course's 2-D layer and is **2-D only** (it takes
``A_prev`` of shape ``(m, n_H_prev, n_W_prev, n_C_prev)``).
`conv_forward_nd` below is its generalisation to any number of
spatial dimensions, tested against week 1's 2-D layer and against Keras'
``Conv1D`` and ``Conv3D``. `course_cnn.week1.conv_output_shape`
computes the output shape for 1, 2 and 3 spatial dimensions.

This module also builds small ``Conv1D`` and ``Conv3D`` classifiers and
generates data they learn from in seconds: waveforms (sine, square,
sawtooth) and volumes (a cube or a ball).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from course_cnn import _checks

__all__ = [
    "conv_forward_nd",
    "make_signals",
    "SIGNAL_CLASSES",
    "make_volumes",
    "VOLUME_CLASSES",
    "conv1d_model",
    "conv3d_model",
]

SIGNAL_CLASSES = ("sine", "square", "sawtooth")
VOLUME_CLASSES = ("cube", "ball")


def conv_forward_nd(A_prev, W, b, stride=1, pad=0):
    r"""Forward pass of a convolution with any number of spatial dimensions.

    $$
    Z[i, \mathbf{o}, c] = b_c + \sum_{\mathbf{u}, k}
    W[\mathbf{u}, k, c] \; A_{pad}[i, s\,\mathbf{o} + \mathbf{u}, k]
    $$

    where $\mathbf{o}$ is an output position and $\mathbf{u}$ an offset
    inside the filter, both with one index per spatial axis.

    Parameters
    ----------
    A_prev : ndarray of shape (m, *spatial_prev, n_C_prev)
        Inputs: ``(m, n_L, n_C_prev)`` signals, ``(m, n_H, n_W, n_C_prev)``
        images, ``(m, n_D, n_H, n_W, n_C_prev)`` volumes.
    W : ndarray of shape (*f, n_C_prev, n_C)
        Filters, one size per spatial axis (Keras' kernel layout).
    b : ndarray of shape (n_C,) or (1, ..., 1, n_C)
        Biases.
    stride : int, default 1
        The same stride along every spatial axis.
    pad : int, default 0
        Zeros added on both sides of every spatial axis.

    Returns
    -------
    Z : ndarray of shape (m, *spatial_out, n_C)
        With ``n_out = (n + 2 pad - f) // stride + 1`` per spatial axis.

    Raises
    ------
    ValueError
        When ``W`` does not have two more dimensions than the spatial axes of
        ``A_prev``, the channels disagree, or a filter is larger than the
        padded input.

    Examples
    --------
    >>> A = np.arange(6.0).reshape(1, 6, 1)          # one signal 0..5
    >>> W = np.array([1.0, 0.0, -1.0]).reshape(3, 1, 1)
    >>> conv_forward_nd(A, W, np.zeros(1))[0, :, 0]  # a[t] - a[t + 2]
    array([-2., -2., -2., -2.])
    """
    A_prev = _checks.check_array(A_prev, "A_prev", finite=True, dtype=np.float64)
    W = _checks.check_array(W, "W", finite=True, dtype=np.float64)
    b = _checks.check_array(b, "b", finite=True, dtype=np.float64)
    stride = _checks.check_size(stride, "stride", _checks.MAX_IMAGE_SIDE)
    pad = _checks.check_non_negative_int(pad, "pad")
    if pad > _checks.MAX_IMAGE_SIDE:  # checked before allocating the padded array
        raise _checks.fail("pad", f"be at most {_checks.MAX_IMAGE_SIDE} (the largest image side)", repr(pad))
    n_spatial = A_prev.ndim - 2
    if n_spatial < 1:
        raise _checks.fail("A_prev", "have shape (m, *spatial, n_C_prev) with at least one spatial axis", f"shape {A_prev.shape}")
    if W.ndim != n_spatial + 2 or W.shape[-2] != A_prev.shape[-1]:
        raise _checks.fail("W", f"have shape (*f, n_C_prev, n_C) with {n_spatial} filter sizes and n_C_prev = "
                           f"{A_prev.shape[-1]}, to match `A_prev` of shape {A_prev.shape}", f"shape {W.shape}")
    n_C = W.shape[-1]
    if b.size != n_C:
        raise _checks.fail("b", f"hold one bias per filter ({n_C})", f"shape {b.shape}")
    f = W.shape[:n_spatial]
    spatial_axes = tuple(range(1, n_spatial + 1))
    A_pad = np.pad(A_prev, [(0, 0)] + [(pad, pad)] * n_spatial + [(0, 0)])  # (m, *padded, n_C_prev)
    for axis, size in zip(spatial_axes, f):
        if A_pad.shape[axis] < size:
            raise _checks.fail("W", f"fit in the padded input {A_pad.shape[1:-1]}", f"filter size {f}")
    # Every window at once: (m, *positions, n_C_prev, *f), then keep every stride-th position.
    windows = sliding_window_view(A_pad, f, axis=spatial_axes)
    windows = windows[(slice(None),) + (slice(None, None, stride),) * n_spatial]
    # Move the channel axis behind the filter offsets to match W's (*f, n_C_prev, n_C) layout.
    windows = np.moveaxis(windows, n_spatial + 1, -1)  # (m, *out, *f, n_C_prev)
    Z = np.tensordot(windows, W, axes=n_spatial + 1)  # (m, *out, n_C)
    return Z + b.reshape(n_C)


def _waveform(kind, t):
    """One period-normalised waveform of values in [-1, 1] at phases ``t`` (in periods)."""
    frac = t % 1.0
    if kind == 0:
        return np.sin(2 * np.pi * t)
    if kind == 1:
        return np.where(frac < 0.5, 1.0, -1.0)
    return 2.0 * frac - 1.0


def make_signals(m=600, length=64, noise=0.2, seed=0):
    """Noisy 1-D waveforms to classify: sine, square or sawtooth.

    Each signal has a random frequency (2 to 6 periods over its length),
    phase and amplitude (0.5 to 1.5), plus Gaussian noise.

    Parameters
    ----------
    m : int, default 600
        Number of signals.
    length : int, default 64
        Samples per signal, $n_L$.
    noise : float, default 0.2
        Standard deviation of the added noise.
    seed : int, default 0
        Seed of the generator.

    Returns
    -------
    X : ndarray of shape (m, length, 1), float32
        The signals (one channel).
    y : ndarray of shape (m,), int64
        Class index into `SIGNAL_CLASSES`.

    Examples
    --------
    >>> X, y = make_signals(6, length=14)
    >>> X.shape, sorted(set(y.tolist())) <= [0, 1, 2]
    ((6, 14, 1), True)
    """
    m = _checks.check_size(m, "m", _checks.MAX_EXAMPLES)  # before allocating (m, length, 1)
    length = _checks.check_size(length, "length", _checks.MAX_IMAGE_SIDE)
    noise = _checks.check_number(noise, "noise", low=0)
    rng = np.random.default_rng(_checks.check_seed(seed))
    y = rng.integers(0, len(SIGNAL_CLASSES), size=m)
    periods = rng.uniform(2, 6, size=(m, 1))
    phase = rng.uniform(0, 1, size=(m, 1))
    amplitude = rng.uniform(0.5, 1.5, size=(m, 1))
    t = np.arange(length)[None, :] / length * periods + phase  # (m, length) in periods
    X = np.stack([_waveform(kind, row) for kind, row in zip(y, t)]) * amplitude
    X = X + rng.normal(0, noise, size=X.shape)
    return X[..., None].astype(np.float32), y.astype(np.int64)


def make_volumes(m=300, size=14, noise=0.1, seed=0):
    """Small 3-D volumes to classify: a solid cube or a solid ball.

    Each shape has a random size (half-width or radius 2 to size/3) and a
    random centre fully inside the volume, plus Gaussian noise; the cube's
    and the ball's volumes overlap in range, so the network must see shape.

    Parameters
    ----------
    m : int, default 300
        Number of volumes.
    size : int, default 14
        Side of the cube volume, $n_D = n_H = n_W$ (at least 8).
    noise : float, default 0.1
        Standard deviation of the added noise.
    seed : int, default 0
        Seed of the generator.

    Returns
    -------
    X : ndarray of shape (m, size, size, size, 1), float32
        Volumes (one channel), 1 inside the shape, 0 outside, plus noise.
    y : ndarray of shape (m,), int64
        Class index into `VOLUME_CLASSES`.

    Examples
    --------
    >>> X, y = make_volumes(4, size=14)
    >>> X.shape
    (4, 14, 14, 14, 1)
    """
    m = _checks.check_size(m, "m", _checks.MAX_EXAMPLES)  # before allocating (m, size, size, size, 1)
    size = _checks.check_int(size, "size", 8, 1024)  # 1024**3 voxels (4 GB of float32) per volume at most
    noise = _checks.check_number(noise, "noise", low=0)
    rng = np.random.default_rng(_checks.check_seed(seed))
    y = rng.integers(0, len(VOLUME_CLASSES), size=m)
    grid = np.stack(np.meshgrid(*[np.arange(size)] * 3, indexing="ij"), axis=-1).astype(np.float64)  # (s, s, s, 3)
    X = np.zeros((m, size, size, size), dtype=np.float32)
    for i, kind in enumerate(y):
        half = rng.uniform(2.0, size / 3)
        centre = rng.uniform(half, size - 1 - half, size=3)
        offset = grid - centre  # (s, s, s, 3)
        if kind == 0:  # cube: max-norm ball
            inside = np.abs(offset).max(axis=-1) <= half
        else:  # ball: Euclidean
            inside = np.sqrt((offset**2).sum(axis=-1)) <= half * 1.2
        X[i] = inside
    X += rng.normal(0, noise, size=X.shape).astype(np.float32)
    return X[..., None], y.astype(np.int64)


def _check_builder(side, side_name, n_channels, n_classes, filters, kernel_size, seed):
    """The builders' sizes, bounded before any layer is made; returns the seed."""
    if side is not None:
        _checks.check_size(side, side_name, _checks.MAX_IMAGE_SIDE)
    _checks.check_size(n_channels, "n_channels", _checks.MAX_UNITS)
    _checks.check_size(n_classes, "n_classes", _checks.MAX_CLASSES)
    _checks.check_size(filters, "filters", _checks.MAX_UNITS)
    _checks.check_size(kernel_size, "kernel_size", _checks.MAX_IMAGE_SIDE)
    return _checks.check_seed(seed, allow_none=False)


def conv1d_model(input_length=64, n_channels=1, n_classes=3, filters=16, kernel_size=5, seed=0):
    """A small 1-D ConvNet classifier (functional, every layer named).

    ``Conv1D(filters, kernel_size) -> ReLU -> MaxPooling1D(2) ->
    Conv1D(2 filters, kernel_size) -> ReLU -> GlobalMaxPooling1D -> Dense``.

    Parameters
    ----------
    input_length : int or None, default 64
        $n_L$ of the signals (``None``: any length).
    n_channels : int, default 1
        Channels per sample.
    n_classes : int, default 3
        Softmax outputs.
    filters : int, default 16
        Filters of the first layer.
    kernel_size : int, default 5
        Filter size $f$.
    seed : int, default 0
        Seed of the initial weights.

    Returns
    -------
    keras.Model
        Compiled with Adam and sparse categorical cross-entropy.

    Examples
    --------
    >>> model = conv1d_model(input_length=14)
    >>> tuple(model.get_layer("conv1d_1").output.shape)  # 14 - 5 + 1 = 10 samples, 16 filters
    (None, 10, 16)
    """
    import keras

    seed = _check_builder(input_length, "input_length", n_channels, n_classes, filters, kernel_size, seed)
    layers = keras.layers
    init = keras.initializers.HeNormal(seed=seed)
    inputs = keras.Input((input_length, n_channels), name="signal")
    x = layers.Conv1D(filters, kernel_size, activation="relu", kernel_initializer=init, name="conv1d_1")(inputs)
    x = layers.MaxPooling1D(2, name="pool_1")(x)
    x = layers.Conv1D(2 * filters, kernel_size, activation="relu", kernel_initializer=init, name="conv1d_2")(x)
    x = layers.GlobalMaxPooling1D(name="global_pool")(x)
    outputs = layers.Dense(n_classes, activation="softmax", kernel_initializer=keras.initializers.GlorotUniform(seed=seed), name="classes")(x)
    model = keras.Model(inputs, outputs, name="conv1d_classifier")
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def conv3d_model(input_size=14, n_channels=1, n_classes=2, filters=16, kernel_size=5, seed=0):
    r"""A small 3-D ConvNet classifier (functional, every layer named).

    ``Conv3D(filters, kernel_size) -> ReLU -> MaxPooling3D(2) ->
    Conv3D(filters, 3) -> ReLU -> GlobalAveragePooling3D -> Dense``.

    Parameters
    ----------
    input_size : int or None, default 14
        $n_D = n_H = n_W$ of the volumes (``None``: any size).
    n_channels : int, default 1
        Channels per voxel.
    n_classes : int, default 2
        Softmax outputs.
    filters : int, default 16
        Filters per convolution.
    kernel_size : int, default 5
        Filter size $f$ of the first layer ($f \times f \times f$).
    seed : int, default 0
        Seed of the initial weights.

    Returns
    -------
    keras.Model
        Compiled with Adam and sparse categorical cross-entropy.

    Examples
    --------
    >>> model = conv3d_model(input_size=14)
    >>> tuple(model.get_layer("conv3d_1").output.shape)  # 14 - 5 + 1 = 10 per axis, 16 filters
    (None, 10, 10, 10, 16)
    """
    import keras

    seed = _check_builder(input_size, "input_size", n_channels, n_classes, filters, kernel_size, seed)
    layers = keras.layers
    init = keras.initializers.HeNormal(seed=seed)
    inputs = keras.Input((input_size, input_size, input_size, n_channels), name="volume")
    x = layers.Conv3D(filters, kernel_size, activation="relu", kernel_initializer=init, name="conv3d_1")(inputs)
    x = layers.MaxPooling3D(2, name="pool_1")(x)
    x = layers.Conv3D(filters, 3, activation="relu", kernel_initializer=init, name="conv3d_2")(x)
    x = layers.GlobalAveragePooling3D(name="global_pool")(x)
    outputs = layers.Dense(n_classes, activation="softmax", kernel_initializer=keras.initializers.GlorotUniform(seed=seed), name="classes")(x)
    model = keras.Model(inputs, outputs, name="conv3d_classifier")
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
