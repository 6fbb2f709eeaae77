"""Would Winograd's F(2, 3) bring week 1's ``conv_forward`` within 1.5x of ``tf.nn.conv2d``? (A probe, not a test.)

Usage::

    python benchmarks/week1_winograd.py [--repeats 100]

Our ``conv_forward`` is im2col + one OpenBLAS product; on the benchmark layer
(A_prev (64, 32, 32, 16), W (3, 3, 16, 32), pad 1, stride 1, float32) the
product alone runs at OpenBLAS's speed for that shape, which already costs
about as long as TensorFlow's whole convolution. The only way left to fewer
seconds is fewer multiplications. Winograd's minimal filtering F(2, 3)
(Lavin and Gray, 2016) computes two outputs of a 3-tap filter with 4
products instead of 6:

    m0 = (d0 - d2) g0          m1 = (d1 + d2) (g0 + g1 + g2) / 2
    m2 = (d2 - d1) (g0 - g1 + g2) / 2          m3 = (d1 - d3) g2
    y0 = m0 + m1 + m2 = d0 g0 + d1 g1 + d2 g2
    y1 = m1 - m2 - m3 = d1 g0 + d2 g1 + d3 g2

Applied along the rows (d_k = padded input row 2s + k, a whole row of
n_W_prev * n_C_prev contiguous values) and with im2col along the columns,
each m_j is one product (R, 3 n_C_prev) @ (3 n_C_prev, n_C) with R = m *
ceil(n_H / 2) * n_W rows: 2/3 of im2col's multiplications. The price is
numpy passes over memory: the input transform (4 adds), an im2col copy of
each of the 4 transformed inputs, and the output transform (5 adds). The
probe checks the numbers against ``conv_forward``, then times, single
threaded, each step of both, and both on the idle cores, back to back
(as ``benchmarks/week1_conv.py``'s steady-state row) against ``tf.nn.conv2d``.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import as_strided  # noqa: E402

from course_cnn.week1.padding import _zero_pad  # noqa: E402


def filter_transform(W):
    """G_j for the four products, from the filter's rows g_u = W[u]: (4, 3 * n_C_prev, n_C)."""
    g0, g1, g2 = W[0], W[1], W[2]                                           # (3, n_C_prev, n_C) each
    G = np.stack([g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2])          # (4, 3, n_C_prev, n_C)
    return np.ascontiguousarray(G.reshape(4, 3 * W.shape[2], W.shape[3]))


def winograd_rows_chunk(X, G, b_row, pad, Z_chunk, clock=None):
    """F(2, 3) along the rows for a few examples X, written into Z_chunk (n_H even; stride 1, f = 3)."""
    tick = clock or (lambda name: None)
    if clock:
        clock.start()
    m, H, W_in, n_C_prev = X.shape
    n_C = G.shape[2]
    n_H, n_W = H + 2 * pad - 2, W_in + 2 * pad - 2
    S = n_H // 2
    X_pad = _zero_pad(X, pad)                                                # (m, n_H + 2, W_pad, n_C_prev)
    tick("pad")
    d = [X_pad[:, k:k + 2 * S:2] for k in range(4)]                         # rows 2s + k: (m, S, W_pad, n_C_prev)
    V = np.empty((4,) + d[0].shape, X.dtype)                                 # input transform B^T d
    np.subtract(d[0], d[2], out=V[0])
    np.add(d[1], d[2], out=V[1])
    np.subtract(d[2], d[1], out=V[2])
    np.subtract(d[1], d[3], out=V[3])
    tick("input transform")
    s_j, s_i, s_s, s_w, s_c = V.strides
    U = np.empty((4, m, S, n_W, 3 * n_C_prev), X.dtype)                      # im2col along the columns
    np.copyto(U, as_strided(V, shape=U.shape, strides=(s_j, s_i, s_s, s_w, s_c), writeable=False))
    tick("im2col")
    M = np.matmul(U.reshape(4, -1, 3 * n_C_prev), G)                        # (4, R, n_C)
    tick("products")
    M0, M1, M2, M3 = (M_j.reshape(m, S, n_W * n_C) for M_j in M)
    Y = Z_chunk.reshape(m, S, 2, n_W * n_C)                                  # output rows 2s and 2s + 1
    M1 += b_row
    np.add(M0, M1, out=Y[:, :, 0])
    Y[:, :, 0] += M2                                                         # y0 = m0 + m1 + m2 (+ b)
    np.subtract(M1, M2, out=M1)
    np.subtract(M1, M3, out=Y[:, :, 1])                                      # y1 = m1 - m2 - m3 (+ b)
    tick("output transform")


def winograd_forward(A_prev, W, b, pad, chunks, run, clock=None):
    m, H, W_in, _ = A_prev.shape
    n_C = W.shape[3]
    n_H, n_W = H + 2 * pad - 2, W_in + 2 * pad - 2
    G, b_row = filter_transform(W), np.tile(b.reshape(n_C), n_W)
    Z = np.empty((m, n_H, n_W, n_C), A_prev.dtype)
    run(lambda chunk: winograd_rows_chunk(A_prev[chunk], G, b_row, pad, Z[chunk], clock), chunks)
    return Z


class StepClock:
    def __init__(self):
        self.seconds, self._last = {}, time.perf_counter()

    def start(self):
        self._last = time.perf_counter()

    def __call__(self, name):
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._last
        self._last = now


def im2col_steps(A_prev, W, b, pad, chunks, clock):
    """Our conv_forward's chunk work, step by step, single threaded."""
    from course_cnn.week1.conv import _im2col

    f, _, n_C_prev, n_C = W.shape
    n_H, n_W = A_prev.shape[1] + 2 * pad - f + 1, A_prev.shape[2] + 2 * pad - f + 1
    W_2d, b_example = W.reshape(-1, n_C), np.tile(b.reshape(n_C), n_H * n_W)
    Z = np.empty((A_prev.shape[0], n_H, n_W, n_C), A_prev.dtype)
    for chunk in chunks:
        clock.start()
        A_pad = _zero_pad(A_prev[chunk], pad)
        clock("pad")
        cols = _im2col(A_pad, f, 1, n_H, n_W)
        clock("im2col")
        np.matmul(cols, W_2d, out=Z[chunk].reshape(-1, n_C))
        clock("products")
        Z[chunk].reshape(-1, b_example.size)[:] += b_example
        clock("bias")


def median_ms(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args(argv)

    import tensorflow as tf
    from threadpoolctl import threadpool_limits

    from course_cnn import _parallel
    from course_cnn.week1 import conv_forward
    from course_cnn.week1.conv import _batch_chunks

    rng = np.random.default_rng(0)
    A = rng.standard_normal((64, 32, 32, 16)).astype(np.float32)
    W = rng.standard_normal((3, 3, 16, 32)).astype(np.float32)
    b = rng.standard_normal((1, 1, 1, 32)).astype(np.float32)
    hp = {"stride": 1, "pad": 1}
    chunks = _batch_chunks(64, 16 * 32 * 4 * 48 * 4)       # the transformed im2col block of an example, ~2 MiB a chunk
    Z_ours, _ = conv_forward(A, W, b, hp)
    Z_wino = winograd_forward(A, W, b, 1, chunks, _parallel.run)
    A64, W64, b64 = (x.astype(np.float64) for x in (A, W, b))
    exact = np.abs(winograd_forward(A64, W64, b64, 1, chunks, _parallel.run) - conv_forward(A64, W64, b64, hp)[0]).max()
    print(f"max |Winograd - conv_forward|: float32 {np.abs(Z_wino - Z_ours).max():.2e}, float64 {exact:.2e}")

    with threadpool_limits(limits=1, user_api="blas"):
        steps = {}
        ours_chunks = _batch_chunks(64, 32 * 32 * 144 * 4)   # conv_forward's own chunks (its im2col block)
        for name, work in (("im2col (ours)", lambda c: im2col_steps(A, W, b, 1, ours_chunks, c)),
                           ("Winograd F(2,3) rows", lambda c: winograd_forward(A, W, b, 1, chunks, serial, c))):
            clock = StepClock()
            for _ in range(20):
                work(clock)
            steps[name] = {k: 1e3 * v / 20 for k, v in clock.seconds.items()}
    print("single thread, ms per call:")
    for name, parts in steps.items():
        steps_text = ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
        print(f"  {name:22s} {steps_text}; total {sum(parts.values()):.2f}")

    A_t, W_t = tf.constant(A), tf.constant(W)
    contenders = {"conv_forward (im2col)": lambda: conv_forward(A, W, b, hp),
                  "Winograd F(2,3) rows": lambda: winograd_forward(A, W, b, 1, chunks, _parallel.run),
                  "tf.nn.conv2d": lambda: tf.nn.conv2d(A_t, W_t, 1, "SAME").numpy()}
    results = {name: [] for name in contenders}
    for _ in range(3):                          # blocks alternate, each call back to back with the previous one
        for name, fn in contenders.items():
            fn()
            results[name].append(median_ms(fn, args.repeats))
    tf_ms = float(np.median(results["tf.nn.conv2d"]))
    print("both cores, back to back, median ms (ratio to tf.nn.conv2d):")
    for name, ms in results.items():
        print(f"  {name:22s} {np.median(ms):6.2f}  ({np.median(ms) / tf_ms:.2f}x)")
    return 0


def serial(fn, chunks):
    return [fn(chunk) for chunk in chunks]


if __name__ == "__main__":
    raise SystemExit(main())
