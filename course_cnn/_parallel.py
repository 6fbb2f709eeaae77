"""Run independent chunks of numpy work on the idle CPUs, each with a single-threaded BLAS (private).

Used by week 1's convolution (im2col + a matrix product per few examples)
and by SCDV's feature formation (a batched product per group of documents).
One large matrix product split by OpenBLAS's own threads is fast on an idle
machine but very slow on a busy one: its threads meet at barriers, so when
one is descheduled the others wait (measured: 140 ms instead of 6 ms for
week 1's benchmark layer on a loaded 2-core machine). Independent tasks, each
with BLAS limited to one thread, avoid that; they run on a thread pool sized
to the CPUs that no other task is using at the moment of the call (a second
thread on a core another process is using only adds switching). This is
what scikit-learn's KMeans does with ``threadpoolctl`` (a dependency of
scikit-learn). The chunks, and the order their results are combined in, do
not depend on the number of threads, so results are identical either way.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
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
    """Threads to use: the CPUs not running another task right now, at least one."""
    cpus = n_cpus()
    return max(1, min(cpus, cpus - _other_running_tasks()))


def _other_running_tasks(loadavg: str = "/proc/loadavg") -> int:
    """Tasks running or ready to run on the machine now, besides the calling thread (0 where unknown).

    Linux's ``/proc/loadavg`` counts them at this instant (its fourth field,
    ``running/total``). The load *average* would count this process's own
    recent work, so a loop of convolutions would see its own past load and
    fall back to one thread.
    """
    try:
        with open(loadavg, encoding="ascii") as fh:
            running = int(fh.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):  # not Linux
        return 0
    return max(0, running - 1)


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


@functools.lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    """One pool for the process, started on first use (starting threads on every call costs about a millisecond)."""
    return ThreadPoolExecutor(max_workers=n_cpus(), thread_name_prefix="course_cnn")


def run(fn: Callable, chunks: Sequence) -> list:
    """``[fn(chunk) for chunk in chunks]``, in order; several chunks run with one BLAS thread each."""
    if len(chunks) < 2:
        return [fn(chunk) for chunk in chunks]  # one product: let BLAS use its threads
    workers = min(len(chunks), n_workers())
    with _LOCK, _single_threaded_blas():
        if workers < 2:
            return [fn(chunk) for chunk in chunks]
        results = [None] * len(chunks)
        next_index = itertools.count()  # shared: each worker takes the next chunk when it is free

        def work() -> None:
            while (i := next(next_index)) < len(chunks):
                results[i] = fn(chunks[i])

        for future in [_pool().submit(work) for _ in range(workers)]:
            future.result()  # re-raises a chunk's exception
        return results
