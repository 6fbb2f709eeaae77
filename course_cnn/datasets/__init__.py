"""Datasets that work with no network.

Every loader here reads local files first and says exactly what to provide
when nothing is found:

* the course's own ``.h5`` datasets (happy faces, SIGNS), at a path you give;
* Fashion-MNIST from the IDX files of Debian's ``dataset-fashion-mnist``
  package, a folder you name, or ``keras.datasets`` when online;
* scikit-learn's 8x8 digits as images, for the quickest demos;
* sample photos that ship with scikit-learn, matplotlib and this package;
* the 20 Newsgroups "bydate" archive, read straight from its ``.tar.gz``.

`make_dataset` turns arrays into the ``tf.data`` pipeline every week
trains from. TensorFlow is imported inside the functions that need it, so
importing this module stays fast. The loaders live in private modules, one
per source, and are all re-exported here.
"""

from course_cnn.datasets._course_h5 import (
    convert_to_one_hot,
    load_course_h5,
    load_happy_dataset,
    load_signs_dataset,
)
from course_cnn.datasets._fashion import (
    FASHION_MNIST_CLASSES,
    find_fashion_mnist,
    load_fashion_mnist,
    read_idx,
)
from course_cnn.datasets._images import image_dataset_from_folder, list_photos, load_digits_images, load_photo
from course_cnn.datasets._newsgroups import Newsgroups, find_20newsgroups, load_20newsgroups
from course_cnn.datasets._pipeline import make_dataset

__all__ = [
    "load_course_h5",
    "load_happy_dataset",
    "load_signs_dataset",
    "convert_to_one_hot",
    "read_idx",
    "find_fashion_mnist",
    "load_fashion_mnist",
    "FASHION_MNIST_CLASSES",
    "load_digits_images",
    "list_photos",
    "load_photo",
    "image_dataset_from_folder",
    "Newsgroups",
    "find_20newsgroups",
    "load_20newsgroups",
    "make_dataset",
]
