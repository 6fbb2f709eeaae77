"""Run im2col chunks on a few threads, each with a single-threaded BLAS (private).

One large matrix product split by OpenBLAS's own threads is fast on an idle
machine but slow on a busy one: its threads meet at barriers, so when one is
descheduled the others wait. Many small independent tasks (im2col + gemm of
one or two examples) handed to a thread pool, with BLAS limited to one thread
per call, keep every core busy whatever the load, and each task's block stays
in cache. This is what scikit-learn's KMeans does with ``threadpoolctl``
(a dependency of scikit-learn).
"""

from __future__ import annotations

import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

# One parallel section at a time: concurrent callers changing the BLAS thread
# count and restoring it in a different order could leave it at 1.
_LOCK = threading.Lock()


def n_workers() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@functools.lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # scans the loaded BLAS libraries once


def run(fn: Callable, chunks: Sequence) -> list:
    """``[fn(chunk) for chunk in chunks]``, in order, on up to ``n_workers()`` threads."""
    workers = min(len(chunks), n_workers())
    if workers < 2:
        return [fn(chunk) for chunk in chunks]
    with _LOCK, _controller().limit(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, chunks))
