r"""Data augmentation: mirroring, random crops, rotations and AlexNet's PCA colour shift.

Augmentation makes new training examples from old ones with transformations
that do not change the label. It is a *training-time* operation: Keras'
random layers (and `PCAColorAugmentation`) transform their input when
called with ``training=True`` (inside ``fit``) and return it unchanged in
inference (``predict``, ``evaluate``), so an augmenter can sit inside the
model.

AlexNet's colour augmentation ("fancy PCA") adds to every pixel of an image
the same RGB offset along the principal components of the training set's
pixel colours:

$$\Delta I = [p_1, p_2, p_3]\,[\alpha_1 \lambda_1, \alpha_2 \lambda_2, \alpha_3 \lambda_3]^T,
\qquad \alpha_i \sim \mathcal{N}(0, \sigma^2),\ \sigma = 0.1,$$

where $p_i, \lambda_i$ are the eigenvectors and eigenvalues of the $3 \times 3$
covariance of RGB values; one $\alpha$ is drawn per image and per epoch. It
changes the intensity and colour of the light, not the object.

References
----------
Krizhevsky, Sutskever, Hinton, "ImageNet classification with deep convolutional neural networks", 2012, section 4.1.
"""

from __future__ import annotations

import keras
import numpy as np

from course_cnn import _checks

__all__ = [
    "data_augmenter",
    "crop_and_mirror",
    "AlexNetCrop",
    "fit_pca_colour",
    "PCAColorAugmentation",
    "augmented_samples",
]

#: Eigenvalues of the RGB covariance of ImageNet pixels in [0, 1] (as used by fb.resnet.torch).
IMAGENET_PCA_EIGENVALUES = (0.2175, 0.0188, 0.0045)
#: Matching eigenvectors, one per column (rows are R, G, B).
IMAGENET_PCA_EIGENVECTORS = (
    (-0.5675, 0.7192, 0.4009),
    (-0.5808, -0.0045, -0.8140),
    (-0.5836, -0.6948, 0.4203),
)


def data_augmenter(seed=None):
    """The course's augmenter: a random horizontal flip, then a random rotation of up to +-20% of a turn.

    ``keras.Sequential([RandomFlip("horizontal"), RandomRotation(0.2)])``.
    Active only with ``training=True``.

    Parameters
    ----------
    seed : int, optional
        Seed of both random layers (``None``: fresh randomness).

    Returns
    -------
    keras.Sequential
        Named ``"data_augmentation"``, with layers ``"random_flip"`` and
        ``"random_rotation"``.

    Examples
    --------
    >>> aug = data_augmenter(seed=0)
    >>> [type(layer).__name__ for layer in aug.layers]
    ['RandomFlip', 'RandomRotation']
    >>> x = np.ones((1, 4, 4, 3), "float32")
    >>> bool(np.all(aug(x, training=False) == x))
    True
    """
    seed = _checks.check_seed(seed)
    return keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=seed, name="random_flip"),
            keras.layers.RandomRotation(0.2, seed=None if seed is None else seed + 1, name="random_rotation"),
        ],
        name="data_augmentation",
    )


def crop_and_mirror(crop_size, seed=None):
    """Random crops and horizontal mirroring (AlexNet's first augmentation).

    Training: a random ``crop_size`` window (`AlexNetCrop`), mirrored
    with probability 1/2. Inference: the centre window, not mirrored, so the
    model sees the same size in both modes. (Keras 3's own ``RandomCrop``
    returns the whole image in inference, which breaks a model with a dense
    head.)

    Parameters
    ----------
    crop_size : tuple of 2 int
        ``(height, width)`` of the crops (AlexNet: 224x224 from 256x256).
    seed : int, optional
        Seed of the random layers.

    Returns
    -------
    keras.Sequential
        Named ``"crop_and_mirror"``.

    Raises
    ------
    TypeError, ValueError
        For a ``crop_size`` that is not two positive ints.

    Examples
    --------
    >>> aug = crop_and_mirror((24, 24), seed=0)
    >>> tuple(aug(np.zeros((2, 32, 32, 3), "float32"), training=True).shape)
    (2, 24, 24, 3)
    """
    if isinstance(crop_size, (str, bytes)) or not hasattr(crop_size, "__len__") or len(crop_size) != 2:
        raise _checks.fail("crop_size", "be a pair (height, width) of positive ints", _checks.describe(crop_size),
                           TypeError)
    height, width = (_checks.check_size(v, "crop_size", _checks.MAX_IMAGE_SIDE) for v in crop_size)
    seed = _checks.check_seed(seed)
    return keras.Sequential(
        [
            AlexNetCrop(height, width, seed=seed, name="random_crop"),
            keras.layers.RandomFlip("horizontal", seed=None if seed is None else seed + 1, name="random_mirror"),
        ],
        name="crop_and_mirror",
    )


@keras.saving.register_keras_serializable(package="course_cnn")
class AlexNetCrop(keras.layers.Layer):
    """Random ``height`` x ``width`` crops in training, the centre crop in inference.

    One random offset per batch (like Keras' ``RandomCrop``), uniform over
    the valid positions ``0 .. n_H - height`` and ``0 .. n_W - width``.

    Parameters
    ----------
    height, width : int
        Size of the crops; at most the images' size.
    seed : int, optional
        Seed of the offsets.
    **kwargs
        Passed to ``keras.layers.Layer``.

    Raises
    ------
    TypeError, ValueError
        For non-positive sizes; when called, for images smaller than the crop.

    Examples
    --------
    >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> np.asarray(AlexNetCrop(2, 2)(x, training=False))[0, :, :, 0]
    array([[ 5.,  6.],
           [ 9., 10.]], dtype=float32)
    """

    def __init__(self, height, width, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.height = _checks.check_size(height, "height", _checks.MAX_IMAGE_SIDE)
        self.width = _checks.check_size(width, "width", _checks.MAX_IMAGE_SIDE)
        self.seed = _checks.check_seed(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def call(self, inputs, training=False):
        n_H, n_W = inputs.shape[1], inputs.shape[2]
        if n_H is not None and (n_H < self.height or n_W < self.width):
            raise _checks.fail("inputs", f"be at least {self.height}x{self.width} to crop",
                               f"shape {tuple(inputs.shape)}")
        n_H, n_W = keras.ops.shape(inputs)[1], keras.ops.shape(inputs)[2]
        if training:
            top = keras.random.randint((), 0, n_H - self.height + 1, seed=self.seed_generator)
            left = keras.random.randint((), 0, n_W - self.width + 1, seed=self.seed_generator)
        else:
            top, left = (n_H - self.height) // 2, (n_W - self.width) // 2
        return inputs[:, top:top + self.height, left:left + self.width, :]  # (m, height, width, n_C)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.height, self.width, input_shape[3])

    def get_config(self):
        config = super().get_config()
        config.update(height=self.height, width=self.width, seed=self.seed)
        return config


def fit_pca_colour(images):
    r"""Eigenvalues and eigenvectors of the RGB covariance of a set of images.

    $\Sigma = \frac{1}{N} \sum_{\text{pixels}} (x - \mu)(x - \mu)^T$ over all
    $N = m \cdot n_H \cdot n_W$ pixels, then $\Sigma = P \Lambda P^T$.

    Parameters
    ----------
    images : array_like of shape (m, n_H, n_W, 3)
        Training images (any value range; the result is in the same units).

    Returns
    -------
    eigenvalues : ndarray of shape (3,)
        Largest first.
    eigenvectors : ndarray of shape (3, 3)
        Column ``i`` belongs to ``eigenvalues[i]``.

    Raises
    ------
    ValueError
        For images that are not (m, n_H, n_W, 3).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> grey = np.repeat(rng.random((4, 8, 8, 1)), 3, axis=-1)  # R = G = B
    >>> values, vectors = fit_pca_colour(grey)
    >>> np.round(np.abs(vectors[:, 0]), 3)  # all variance along (1, 1, 1) / sqrt(3)
    array([0.577, 0.577, 0.577])
    """
    images = _checks.check_array(images, "images", ndim=4, finite=True, dtype=np.float64)
    _checks.check_shape(images, "images", (None, None, None, 3))
    pixels = images.reshape(-1, 3)  # (m * n_H * n_W, 3)
    covariance = np.cov(pixels, rowvar=False, bias=True)  # (3, 3)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)  # ascending
    order = np.argsort(eigenvalues)[::-1]
    return eigenvalues[order], eigenvectors[:, order]


@keras.saving.register_keras_serializable(package="course_cnn")
class PCAColorAugmentation(keras.layers.Layer):
    r"""AlexNet's PCA colour augmentation as a Keras layer.

    With ``training=True`` adds $P (\alpha \odot \lambda) \cdot$ ``scale`` to
    every pixel of each image, $\alpha \sim \mathcal{N}(0, \text{std}^2)$ drawn
    per image; with ``training=False`` returns the input unchanged.

    Parameters
    ----------
    eigenvalues : sequence of 3 float, default IMAGENET_PCA_EIGENVALUES
        $\lambda_1, \lambda_2, \lambda_3$ (from `fit_pca_colour`).
    eigenvectors : 3x3 nested sequence, default IMAGENET_PCA_EIGENVECTORS
        Columns $p_1, p_2, p_3$.
    std : float, default 0.1
        Standard deviation $\sigma$ of the $\alpha_i$ (AlexNet: 0.1).
    scale : float, default 1.0
        Multiplies the offset: 1 for images in [0, 1] with the ImageNet
        defaults, 255 for images in [0, 255].
    seed : int, optional
        Seed of the layer's random draws.
    **kwargs
        Passed to ``keras.layers.Layer`` (``name``, ...).

    Raises
    ------
    TypeError, ValueError
        For eigenvalues/eigenvectors of the wrong shape, or a ``std`` or
        ``scale`` that is not positive.

    Examples
    --------
    >>> layer = PCAColorAugmentation(seed=0)
    >>> x = np.full((2, 4, 4, 3), 0.5, "float32")
    >>> bool(np.all(layer(x, training=False) == x))
    True
    >>> y = np.asarray(layer(x, training=True))
    >>> bool(np.allclose(y - x, (y - x)[:, :1, :1, :]))  # one RGB offset per image
    True
    """

    def __init__(self, eigenvalues=IMAGENET_PCA_EIGENVALUES, eigenvectors=IMAGENET_PCA_EIGENVECTORS, std=0.1,
                 scale=1.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        values = _checks.check_array(eigenvalues, "eigenvalues", shape=(3,), finite=True, dtype=np.float64)
        vectors = _checks.check_array(eigenvectors, "eigenvectors", shape=(3, 3), finite=True, dtype=np.float64)
        self.eigenvalues = [float(v) for v in values]
        self.eigenvectors = vectors.tolist()
        self.std = _checks.check_number(std, "std", low=0.0, low_inclusive=False)
        self.scale = _checks.check_number(scale, "scale", low=0.0, low_inclusive=False)
        self.seed = _checks.check_seed(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def call(self, inputs, training=False):
        if not training:
            return inputs
        batch = keras.ops.shape(inputs)[0]
        alpha = keras.random.normal((batch, 3), stddev=self.std, seed=self.seed_generator)  # (m, 3)
        weights = alpha * keras.ops.convert_to_tensor(self.eigenvalues, dtype=alpha.dtype)  # alpha_i * lambda_i
        vectors = keras.ops.convert_to_tensor(self.eigenvectors, dtype=alpha.dtype)  # (3, 3), columns p_i
        # delta_I = P @ (alpha * lambda), one RGB offset per image: (m, 3)
        delta = keras.ops.matmul(weights, keras.ops.transpose(vectors)) * self.scale
        delta = keras.ops.cast(delta, inputs.dtype)
        return inputs + keras.ops.reshape(delta, (-1, 1, 1, 3))  # broadcast over (n_H, n_W)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(eigenvalues=self.eigenvalues, eigenvectors=self.eigenvectors, std=self.std,
                      scale=self.scale, seed=self.seed)
        return config


def augmented_samples(image, augmenter, n=8, path=None, title=None):
    """Apply ``augmenter`` (in training mode) ``n`` times to one image and show the results.

    Each sample is its own call (a batch of one), as each batch of a
    training run is: layers that draw one random value per batch, such as
    `AlexNetCrop`'s offset, show their variety too.

    Parameters
    ----------
    image : array_like of shape (n_H, n_W, n_C)
        The image, float in [0, 1] (or uint8).
    augmenter : callable
        A Keras layer or model (called with ``training=True``) or a function
        of a batch.
    n : int, default 8
        Number of augmented versions (the original is shown first; crops
        smaller than it are centred on a gray canvas of its size).
    path : str or os.PathLike, optional
        Where to save the figure (PNG).
    title : str, optional
        Title of the grid.

    Returns
    -------
    samples : ndarray of shape (n, n_H', n_W', n_C)
        The augmented images.
    fig : matplotlib.figure.Figure
        The original and the samples in a grid.

    Raises
    ------
    ValueError
        For an image that is not 3-D or a non-positive ``n``.

    Examples
    --------
    >>> image = np.random.default_rng(0).random((16, 16, 3)).astype("float32")
    >>> samples, fig = augmented_samples(image, data_augmenter(seed=0), n=3)
    >>> samples.shape
    (3, 16, 16, 3)
    """
    from course_cnn.plots import image_grid

    image = _checks.check_array(image, "image", ndim=3, kinds="iuf", finite=True)
    if not callable(augmenter):
        raise _checks.fail("augmenter", "be a Keras layer or a function of a batch", _checks.describe(augmenter), TypeError)
    n = _checks.check_int(n, "n", 1, _MAX_PANELS)
    batch = np.repeat(image[None].astype("float32") / (255.0 if image.dtype == np.uint8 else 1.0), n, axis=0)
    # one call per sample, as each batch of a training run is one call: a layer that draws one random value per
    # batch (AlexNetCrop's offset, like Keras' RandomCrop) would otherwise show n copies of the same crop
    if isinstance(augmenter, keras.layers.Layer):
        samples = [augmenter(batch[i:i + 1], training=True) for i in range(n)]
    else:
        samples = [augmenter(batch[i:i + 1]) for i in range(n)]
    samples = np.clip(np.concatenate([np.asarray(s) for s in samples]), 0.0, 1.0)
    shown = [batch[0]] + [_on_canvas(sample, batch.shape[1:]) for sample in samples]  # crops centred on gray
    titles = ["original"] + [f"#{i + 1}" + ("" if samples.shape[1:] == batch.shape[1:] else f" ({samples.shape[2]}x{samples.shape[1]})")
                             for i in range(n)]
    fig = image_grid(np.stack(shown), titles=titles, ncols=min(len(shown), 9), path=path, suptitle=title)
    return samples, fig


_MAX_PANELS = 100  # one figure: a grid of more than 100 small images is unreadable


def _on_canvas(sample, shape):
    """``sample`` centred on a mid-gray canvas of ``shape`` (n_H, n_W, n_C), so a crop shows its size."""
    if sample.shape == tuple(shape):
        return sample
    canvas = np.full(shape, 0.5, dtype=np.float32)
    top, left = (shape[0] - sample.shape[0]) // 2, (shape[1] - sample.shape[1]) // 2
    canvas[top:top + sample.shape[0], left:left + sample.shape[1]] = sample
    return canvas
