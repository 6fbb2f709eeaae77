"""Time week 2's numpy depthwise convolution against tf.nn.depthwise_conv2d, side by side in one process.

Usage::

    python benchmarks/week2_depthwise.py [--repeats 30] [--json out.json]

The issue's case: A_prev (64, 32, 32, 32), f = 3, stride 1, pad 1 ("same"),
float32 and float64. Ours adds the bias, TensorFlow's bare
``depthwise_conv2d`` does not (the bias is one pass over the output, about
1/19 of ours). The contenders alternate round after round (the median of the
rounds is reported, with the ratio ours / TensorFlow), as in
``week1_conv.py``, whose timing helpers this script uses; "[back to back]"
runs each side ten times in a row. The loop version is timed once on a
small input, for scale. The issue's target: ours within 3x of TensorFlow.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from week1_conv import _blas_description, _cpu_model, back_to_back_medians, interleaved_medians  # noqa: E402

SHAPE = (64, 32, 32, 32)


def bench_depthwise(tf, dtype, repeats, rows):
    from course_cnn.week2 import depthwise_conv_forward

    rng = np.random.default_rng(0)
    A = rng.standard_normal(SHAPE).astype(dtype)
    W = rng.standard_normal((3, 3, SHAPE[3])).astype(dtype)
    b = rng.standard_normal((1, 1, 1, SHAPE[3])).astype(dtype)
    hp = {"stride": 1, "pad": 1}
    A_t, W_t, b_t = tf.constant(A), tf.constant(W[:, :, :, None]), tf.constant(b.reshape(-1))
    tf_forward = lambda: tf.nn.depthwise_conv2d(A_t, W_t, [1, 1, 1, 1], "SAME").numpy()  # noqa: E731
    tf_forward_bias = lambda: tf.nn.bias_add(tf.nn.depthwise_conv2d(A_t, W_t, [1, 1, 1, 1], "SAME"), b_t).numpy()  # noqa: E731
    ours = lambda: depthwise_conv_forward(A, W, b, hp)  # noqa: E731
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(ours()[0], tf_forward_bias(), rtol=tol, atol=tol)
    name = np.dtype(dtype).name
    t = interleaved_medians({"ours": ours, "tf": tf_forward}, repeats)
    rows.append(("depthwise_conv_forward", name, t["ours"], t["tf"]))
    t = interleaved_medians({"ours": ours, "tf": tf_forward_bias}, repeats)
    rows.append(("  vs depthwise_conv2d + bias_add", name, t["ours"], t["tf"]))
    t = back_to_back_medians({"ours": ours, "tf": tf_forward}, repeats)
    rows.append(("depthwise_conv_forward [back to back]", name, t["ours"], t["tf"]))


def bench_loops(tf, rows):
    from course_cnn.week2 import depthwise_conv_forward_loops

    rng = np.random.default_rng(0)
    A, W, b = rng.standard_normal((2, 8, 8, 3)), rng.standard_normal((3, 3, 3)), np.zeros((1, 1, 1, 3))
    start = time.perf_counter()
    depthwise_conv_forward_loops(A, W, b, {"stride": 1, "pad": 1})
    loops = time.perf_counter() - start
    A_t, W_t = tf.constant(A), tf.constant(W[:, :, :, None])
    t = interleaved_medians({"tf": lambda: tf.nn.depthwise_conv2d(A_t, W_t, [1, 1, 1, 1], "SAME").numpy()}, 10)
    rows.append(("depthwise_conv_forward_loops [small, once]", "float64", loops, t["tf"]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--json", default=None, help="also write the rows here")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]

    import tensorflow as tf

    rows = []
    for dtype in (np.float32, np.float64):
        bench_depthwise(tf, dtype, args.repeats, rows)
    bench_loops(tf, rows)
    print(f"A_prev {SHAPE}, W (3, 3, {SHAPE[3]}), stride 1, pad 1; [small]: A_prev (2, 8, 8, 3)")
    print(f"{os.cpu_count()}-core {platform.machine()} CPU ({_cpu_model()}), numpy {np.__version__}, "
          f"TensorFlow {tf.__version__}, median of {args.repeats} interleaved rounds")
    print(f"load average (1 min): {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after")
    print(f"TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS', '(unset: TensorFlow decides from the CPU)')}")
    print(f"numpy's BLAS: {_blas_description()}")
    print(f"{'operation':44s} {'dtype':8s} {'ours ms':>10s} {'TF ms':>9s} {'ours/TF':>8s}")
    for op, dtype, ours, ref in rows:
        print(f"{op:44s} {dtype:8s} {ours * 1e3:10.3f} {ref * 1e3:9.3f} {ours / ref:8.2f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump([{"operation": r[0].strip(), "dtype": r[1], "ours_s": r[2], "tf_s": r[3], "ratio": r[2] / r[3]}
                       for r in rows], fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
