"""The course's own random test inputs, drawn again without touching TensorFlow's global seed.

The course's unit tests call ``tf.random.set_seed(g)`` and then
``tf.random.normal(shape, mean, stddev, seed=s)`` several times. Each of
those calls draws from one stateful Philox stream with key ``g`` and counter
``(skip, s)``, where every draw of ``n`` values moves ``skip`` on by
``256 n`` (TensorFlow reserves 256 128-bit samples per output value). A
`tf.random.Generator` built from that key and counter gives the very same
values, so the grader's cases hold the course's exact inputs (and the
course's expected outputs: 1789 boxes kept by ``yolo_filter_boxes``, say)
while the learner's global seed stays as it was.
"""

from __future__ import annotations

import numpy as np


def course_normals(global_seed: int, op_seed: int, *draws: tuple) -> list:
    """Tensors equal to ``tf.random.normal`` calls made right after ``tf.random.set_seed(global_seed)``.

    Parameters
    ----------
    global_seed : int
        The argument of the course's ``tf.random.set_seed``.
    op_seed : int
        The ``seed=`` of its ``tf.random.normal`` calls.
    *draws : tuple
        ``(shape, mean, stddev)`` of each call, in the course's order.

    Returns
    -------
    list of tf.Tensor
        float32 tensors, one per draw.

    Examples
    --------
    >>> boxes, = course_normals(10, 1, ([19, 19, 5, 4], 1.0, 4.0))  # doctest: +SKIP
    """
    import tensorflow as tf

    out, skip = [], 0
    for shape, mean, stddev in draws:
        generator = tf.random.Generator.from_key_counter(key=global_seed, counter=[skip, op_seed], alg="philox")
        out.append(generator.normal(shape, mean=mean, stddev=stddev, dtype=tf.float32))
        skip += 256 * int(np.prod(shape))
    return out
