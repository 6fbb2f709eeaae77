"""Run im2col chunks on the idle CPUs, each with a single-threaded BLAS (private).

One large matrix product split by OpenBLAS's own threads is fast on an idle
machine but very slow on a busy one: its threads meet at barriers, so when
one is descheduled the others wait (measured: 140 ms instead of 6 ms for the
benchmark's layer on a loaded 2-core machine). Independent tasks (im2col +
gemm of a few examples), each with BLAS limited to one thread, avoid that;
they run on a thread pool sized to the CPUs that are not already busy (a
second thread on a core another process is using only adds switching). This
is what scikit-learn's KMeans does with ``threadpoolctl`` (a dependency of
scikit-learn). The chunks, and the order their results are combined in, do
not depend on the number of threads, so results are identical either way.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

# One parallel section at a time: concurrent callers changing the BLAS thread
# count and restoring it in a different order could leave it at 1.
_LOCK = threading.Lock()


def n_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def n_workers() -> int:
    """Threads to use: the CPUs not already busy (1-minute load average), at least one."""
    cpus = n_cpus()
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform
        busy = 0.0
    return max(1, min(cpus, round(cpus - busy)))


@functools.lru_cache(maxsize=1)
def _controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # installed with scikit-learn; without it BLAS keeps its threads
        return None
    return ThreadpoolController()  # scans the loaded BLAS libraries once


def _single_threaded_blas():
    controller = _controller()
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1, user_api="blas")


def run(fn: Callable, chunks: Sequence) -> list:
    """``[fn(chunk) for chunk in chunks]``, in order; several chunks run with one BLAS thread each."""
    if len(chunks) < 2:
        return [fn(chunk) for chunk in chunks]  # one product: let BLAS use its threads
    workers = min(len(chunks), n_workers())
    with _LOCK, _single_threaded_blas():
        if workers < 2:
            return [fn(chunk) for chunk in chunks]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(fn, chunks))
