"""Time week 1's numpy conv and pool layers against TensorFlow, side by side in one process.

Usage::

    python benchmarks/week1_conv.py [--repeats 30] [--json out.json]

For each operation the contenders run in turn, round after round (so that
both see the same load on a shared machine), and the median of the rounds is
reported with the ratio ours / TensorFlow. ``conv_forward`` adds the bias;
it is compared with bare ``tf.nn.conv2d`` (the issue's target) and with
``tf.nn.bias_add(tf.nn.conv2d(...))``, the same output. TensorFlow's gradients are its
backprop kernels called directly (``Conv2DBackpropInput``,
``Conv2DBackpropFilter``, ``MaxPoolGrad``, ``AvgPoolGrad``): the work a
``GradientTape`` does on the backward pass, without the forward pass.
Each set holds two contenders (ours and one peer): a third one evicts the
first one's inputs from the cache before it runs, not the second's. The
"[cold caches]" rows write 64 MiB before every call, untimed, so that both
sides read their inputs from memory. The "[back to back]" row runs each side
ten times in a row with no pause, blocks alternating: the steady state of a
layer inside a network, where neither side's threads go idle between calls.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402


def interleaved_medians(contenders, repeats, pause=0.005, before=None):
    """Run each callable once per round, ``repeats`` rounds after one warm-up; median seconds of each.

    A short pause before each call lets the previous contender's worker threads go idle;
    ``before`` (untimed) runs before each call too, e.g. ``flush_caches``.
    """
    for fn in contenders.values():
        fn()
    times = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            if before is not None:
                before()
            time.sleep(pause)
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def back_to_back_medians(contenders, repeats, block=10):
    """Median seconds per call when each callable runs ``block`` times in a row, no pause (as layers in a network).

    Blocks alternate between contenders, ``repeats // block`` rounds (at least 3); the first call of each block
    is not counted (it pays for the switch from the other contender).
    """
    times = {name: [] for name in contenders}
    for _ in range(max(3, repeats // block)):
        for name, fn in contenders.items():
            for k in range(block + 1):
                start = time.perf_counter()
                fn()
                if k:
                    times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


_FLUSH = None


def flush_caches():
    """Write 64 MiB, twice this VM's 32 MiB L3: neither contender then finds its inputs in cache."""
    global _FLUSH
    if _FLUSH is None:
        _FLUSH = np.zeros(16 * 2**20, np.float32)
    _FLUSH += 1.0


def _tf_conv_ops(tf, A, W, dZ):
    A_t, W_t, dZ_t = (tf.constant(x) for x in (A, W, dZ))
    forward = lambda: tf.nn.conv2d(A_t, W_t, strides=1, padding="SAME").numpy()  # noqa: E731  pad 1 for f = 3

    def backward():
        dA = tf.raw_ops.Conv2DBackpropInput(input_sizes=A.shape, filter=W_t, out_backprop=dZ_t, strides=[1, 1, 1, 1], padding="SAME")
        dW = tf.raw_ops.Conv2DBackpropFilter(input=A_t, filter_sizes=W.shape, out_backprop=dZ_t, strides=[1, 1, 1, 1], padding="SAME")
        db = tf.reduce_sum(dZ_t, axis=(0, 1, 2))
        return dA.numpy(), dW.numpy(), db.numpy()

    return forward, backward


def _tf_pool_ops(tf, A, f, stride, mode):
    A_t = tf.constant(A)
    k, s = [1, f, f, 1], [1, stride, stride, 1]
    if mode == "max":
        out = tf.nn.max_pool2d(A_t, f, stride, "VALID")
        forward = lambda: tf.nn.max_pool2d(A_t, f, stride, "VALID").numpy()  # noqa: E731
        dA_t = tf.ones_like(out)
        backward = lambda: tf.raw_ops.MaxPoolGrad(orig_input=A_t, orig_output=out, grad=dA_t, ksize=k, strides=s, padding="VALID").numpy()  # noqa: E731
    else:
        out = tf.nn.avg_pool2d(A_t, f, stride, "VALID")
        forward = lambda: tf.nn.avg_pool2d(A_t, f, stride, "VALID").numpy()  # noqa: E731
        dA_t = tf.ones_like(out)
        backward = lambda: tf.raw_ops.AvgPoolGrad(orig_input_shape=A.shape, grad=dA_t, ksize=k, strides=s, padding="VALID").numpy()  # noqa: E731
    return forward, backward, out.shape


def bench_conv(tf, dtype, repeats, rows):
    from numpy.lib.stride_tricks import sliding_window_view

    from course_cnn.week1 import conv_backward, conv_forward

    rng = np.random.default_rng(0)
    A = rng.standard_normal((64, 32, 32, 16)).astype(dtype)
    W = rng.standard_normal((3, 3, 16, 32)).astype(dtype)
    b = rng.standard_normal((1, 1, 1, 32)).astype(dtype)
    hp = {"stride": 1, "pad": 1}
    Z, cache = conv_forward(A, W, b, hp)
    dZ = rng.standard_normal(Z.shape).astype(dtype)
    tf_forward, tf_backward = _tf_conv_ops(tf, A, W, dZ)

    def tensordot_forward():  # the plain alternative: sliding windows + tensordot, no im2col copy control
        windows = sliding_window_view(np.pad(A, ((0, 0), (1, 1), (1, 1), (0, 0))), (3, 3), axis=(1, 2))  # (m, n_H, n_W, C, f, f)
        return np.tensordot(windows, W.transpose(2, 0, 1, 3), axes=3) + b.reshape(-1)

    A_t, W_t, b_t = tf.constant(A), tf.constant(W), tf.constant(b.reshape(-1))
    # the same output as ours, Z = conv + b, all in TensorFlow (bias_add is a second kernel)
    tf_forward_bias = lambda: tf.nn.bias_add(tf.nn.conv2d(A_t, W_t, strides=1, padding="SAME"), b_t).numpy()  # noqa: E731
    np.testing.assert_allclose(Z, tf_forward_bias(), rtol=1e-3, atol=1e-3)
    ours = lambda: conv_forward(A, W, b, hp)  # noqa: E731
    name = np.dtype(dtype).name
    # Two contenders per set: a third one's buffers (conv2d + bias_add writes 16 MB) evict the first one's
    # inputs from the L3 cache while the second finds its own still there, which skews the ratio.
    t = interleaved_medians({"ours": ours, "tf": tf_forward}, repeats)
    rows.append(("conv_forward", name, t["ours"], t["tf"]))
    t = interleaved_medians({"ours": ours, "tf_bias": tf_forward_bias}, repeats)
    rows.append(("conv_forward vs conv2d + bias_add", name, t["ours"], t["tf_bias"]))
    # Cold caches for both: what a call costs when the layer before it has pushed its inputs out to memory.
    t = interleaved_medians({"ours": ours, "tf": tf_forward}, repeats, before=flush_caches)
    rows.append(("conv_forward [cold caches]", name, t["ours"], t["tf"]))
    # No pause at all: both sides' threads stay awake and on their own CPUs.
    t = back_to_back_medians({"ours": ours, "tf": tf_forward}, repeats)
    rows.append(("conv_forward [back to back]", name, t["ours"], t["tf"]))
    # A set of its own: tensordot's product runs on OpenBLAS's threads, which then spin for about 0.1 s
    # waiting for more work; in the same rounds they would take a core from the next contender.
    t = interleaved_medians({"tensordot": tensordot_forward, "tf": tf_forward}, repeats)
    rows.append(("(sliding-window tensordot)", name, t["tensordot"], t["tf"]))
    t = interleaved_medians({"ours": lambda: conv_backward(dZ, cache), "tf": tf_backward}, repeats)
    rows.append(("conv_backward", name, t["ours"], t["tf"]))
    t = interleaved_medians({"ours": lambda: conv_backward(dZ, cache), "tf": tf_backward}, repeats, before=flush_caches)
    rows.append(("conv_backward [cold caches]", name, t["ours"], t["tf"]))


def bench_pool(tf, dtype, repeats, rows):
    from course_cnn.week1 import pool_backward, pool_forward

    rng = np.random.default_rng(0)
    A = rng.standard_normal((64, 32, 32, 16)).astype(dtype)
    hp = {"f": 2, "stride": 2}
    for mode in ("max", "average"):
        tf_forward, tf_backward, out_shape = _tf_pool_ops(tf, A, 2, 2, mode)
        _, cache = pool_forward(A, hp, mode)
        dA = np.ones(out_shape, dtype=dtype)
        t = interleaved_medians({"ours": lambda: pool_forward(A, hp, mode), "tf": tf_forward}, repeats)
        rows.append((f"pool_forward ({mode})", np.dtype(dtype).name, t["ours"], t["tf"]))
        t = interleaved_medians({"ours": lambda: pool_backward(dA, cache, mode), "tf": tf_backward}, repeats)
        rows.append((f"pool_backward ({mode})", np.dtype(dtype).name, t["ours"], t["tf"]))


def bench_loops(tf, repeats, rows):
    from course_cnn import week1

    rng = np.random.default_rng(0)
    A = rng.standard_normal((2, 8, 8, 3))  # small: the loops are slow
    W, b = rng.standard_normal((3, 3, 3, 4)), rng.standard_normal((1, 1, 1, 4))
    hp = {"stride": 1, "pad": 1}
    Z, cache = week1.conv_forward(A, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    tf_forward, tf_backward = _tf_conv_ops(tf, A, W, dZ)
    pool_hp = {"f": 2, "stride": 2}
    _, pool_cache = week1.pool_forward(A, pool_hp)
    tf_pool_forward, tf_pool_backward, out_shape = _tf_pool_ops(tf, A, 2, 2, "max")
    dA = np.ones(out_shape)
    pairs = {
        "conv_forward": (lambda: week1.conv_forward_loops(A, W, b, hp), lambda: week1.conv_forward(A, W, b, hp), tf_forward),
        "conv_backward": (lambda: week1.conv_backward_loops(dZ, cache), lambda: week1.conv_backward(dZ, cache), tf_backward),
        "pool_forward (max)": (lambda: week1.pool_forward_loops(A, pool_hp), lambda: week1.pool_forward(A, pool_hp), tf_pool_forward),
        "pool_backward (max)": (lambda: week1.pool_backward_loops(dA, pool_cache), lambda: week1.pool_backward(dA, pool_cache), tf_pool_backward),
    }
    for name, (loops, vectorised, reference) in pairs.items():
        t = interleaved_medians({"loops": loops, "vectorised": vectorised, "tf": reference}, max(3, repeats // 5))
        op, _, mode = name.partition(" ")
        rows.append((f"{op}_loops {mode} [small]".replace("  ", " "), "float64", t["loops"], t["tf"]))
        rows.append((f"{name} [small]", "float64", t["vectorised"], t["tf"]))


def bench_full_loops(tf, rows):
    """The course's loop on the full float32 input, timed once (it takes seconds, TensorFlow milliseconds)."""
    from course_cnn.week1 import conv_forward_loops

    rng = np.random.default_rng(0)
    A = rng.standard_normal((64, 32, 32, 16)).astype(np.float32)
    W = rng.standard_normal((3, 3, 16, 32)).astype(np.float32)
    b = np.zeros((1, 1, 1, 32), np.float32)
    tf_forward, _ = _tf_conv_ops(tf, A, W, np.zeros((64, 32, 32, 32), np.float32))
    start = time.perf_counter()
    conv_forward_loops(A, W, b, {"stride": 1, "pad": 1})
    loops = time.perf_counter() - start
    t = interleaved_medians({"tf": tf_forward}, 10)
    rows.append(("conv_forward_loops [full, once]", "float32", loops, t["tf"]))


def _blas_description():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown"
    libs = [lib for lib in threadpool_info() if lib["user_api"] == "blas" and "openblas64_" in lib["filepath"]] or [
        lib for lib in threadpool_info() if lib["user_api"] == "blas"
    ]
    return ", ".join(f"{lib['internal_api']} {lib['version']} ({lib.get('architecture')} kernels, {lib['num_threads']} threads)" for lib in libs[:1])


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            return next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--json", default=None, help="also write the rows here")
    parser.add_argument("--full-loops", action="store_true", help="also time conv_forward_loops once on the full input (slow)")
    args = parser.parse_args(argv)

    import tensorflow as tf

    rows = []
    for dtype in (np.float32, np.float64):
        bench_conv(tf, dtype, args.repeats, rows)
        bench_pool(tf, dtype, args.repeats, rows)
    bench_loops(tf, args.repeats, rows)
    if args.full_loops:
        bench_full_loops(tf, rows)
    print(f"A_prev (64, 32, 32, 16), W (3, 3, 16, 32), pad 1, stride 1; pool f 2 stride 2; [small]: A_prev (2, 8, 8, 3), W (3, 3, 3, 4)")
    print(f"{os.cpu_count()}-core {platform.machine()} CPU ({_cpu_model()}), numpy {np.__version__}, TensorFlow {tf.__version__}, median of {args.repeats} interleaved rounds")
    # TensorFlow's x86 wheels turn oneDNN's kernels on by default only on CPUs with AVX-512 VNNI/BF16, AVX-VNNI or AMX;
    # elsewhere conv2d runs Eigen's kernels unless TF_ENABLE_ONEDNN_OPTS=1 (read when TensorFlow is imported).
    print(f"TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS', '(unset: TensorFlow decides from the CPU)')}")
    print(f"numpy's BLAS: {_blas_description()}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    print(f"{'operation':36s} {'dtype':8s} {'ours ms':>10s} {'TF ms':>9s} {'ours/TF':>8s}")
    for op, dtype, ours, ref in rows:
        print(f"{op:36s} {dtype:8s} {ours * 1e3:10.3f} {ref * 1e3:9.3f} {ours / ref:8.2f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump([{"operation": r[0], "dtype": r[1], "ours_s": r[2], "tf_s": r[3], "ratio": r[2] / r[3]} for r in rows], fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
