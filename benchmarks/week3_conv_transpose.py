"""Time week 3's numpy transposed convolution against ``tf.nn.conv2d_transpose``, side by side.

Usage::

    python benchmarks/week3_conv_transpose.py [--repeats 30] [--json out.json]

The issue's layer: ``A_prev`` of shape (64, 16, 16, 32) up to (64, 32, 32, 16),
f = 3, stride 2, ``"same"``, in float32 and float64. Ours adds the bias; the
TensorFlow side is the bare ``tf.nn.conv2d_transpose`` (with
``tf.nn.bias_add`` the gap only narrows). Contenders alternate round after
round (both see the same load on a shared machine); medians are reported
with the ratio ours / TensorFlow. The target is a ratio of at most 3.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

TARGET_RATIO = 3.0


def interleaved_medians(contenders, repeats, pause=0.005):
    """Each callable once per round after one warm-up; the median seconds of each."""
    for fn in contenders.values():
        fn()
    times = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            time.sleep(pause)
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def run(repeats):
    import tensorflow as tf

    from course_cnn.week3 import conv_transpose_forward

    rng = np.random.default_rng(0)
    m, n_H_prev, n_C_prev, f, n_C, s = 64, 16, 32, 3, 16, 2
    rows = []
    for dtype in ("float32", "float64"):
        A_prev = rng.standard_normal((m, n_H_prev, n_H_prev, n_C_prev)).astype(dtype)
        W = rng.standard_normal((f, f, n_C_prev, n_C)).astype(dtype)
        b = rng.standard_normal((1, 1, 1, n_C)).astype(dtype)
        A_tf, W_tf = tf.constant(A_prev), tf.constant(W.transpose(0, 1, 3, 2))  # TF: (f, f, n_C, n_C_prev)
        out_shape = (m, n_H_prev * s, n_H_prev * s, n_C)
        ours = conv_transpose_forward(A_prev, W, b, {"stride": s, "pad": "same"})[0]
        theirs = tf.nn.conv2d_transpose(A_tf, W_tf, out_shape, s, "SAME").numpy() + b.reshape(n_C)
        np.testing.assert_allclose(ours, theirs, rtol=1e-4 if dtype == "float32" else 1e-10,
                                   atol=1e-3 if dtype == "float32" else 1e-10)
        medians = interleaved_medians({
            "ours": lambda: conv_transpose_forward(A_prev, W, b, {"stride": s, "pad": "same"}),
            "tf": lambda: tf.nn.conv2d_transpose(A_tf, W_tf, out_shape, s, "SAME").numpy(),
        }, repeats)
        ratio = medians["ours"] / medians["tf"]
        rows.append({"dtype": dtype, "ours_ms": 1e3 * medians["ours"], "tf_ms": 1e3 * medians["tf"],
                     "ratio": ratio, "within_target": ratio <= TARGET_RATIO})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    rows = run(args.repeats)
    print(f"conv_transpose_forward vs tf.nn.conv2d_transpose, (64, 16, 16, 32) -> (64, 32, 32, 16), f=3, s=2 "
          f"({platform.processor() or platform.machine()}, {os.cpu_count()} CPUs)")
    for row in rows:
        print(f"  {row['dtype']}: ours {row['ours_ms']:.2f} ms, TensorFlow {row['tf_ms']:.2f} ms, "
              f"ratio {row['ratio']:.2f} (target <= {TARGET_RATIO:g}: {'met' if row['within_target'] else 'MISSED'})")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
