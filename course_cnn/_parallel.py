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

When no other task is running, each worker is bound to a CPU of its own
for the length of the call (``os.sched_setaffinity`` on the worker thread,
restored afterwards). Left to itself, Linux often woke both workers on the
same CPU of an idle 2-CPU virtual machine and left them there for the whole
call, each chunk taking twice as long (measured: week 1's benchmark layer in
10-13 ms with both workers on one CPU, 5.5 ms on two; it happened in most
calls after the machine had been idle for 10 ms or more). A worker slowed
by another process arriving meanwhile only takes fewer chunks from the
shared queue.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait
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


def _cpu_list() -> list[int] | None:
    """The CPUs this process may run on, in order, or None where threads cannot be bound (not Linux)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    return sorted(os.sched_getaffinity(0))


@contextlib.contextmanager
def _bound_to(cpu: int | None):
    """Run the calling thread on ``cpu`` alone inside the block (nothing when ``cpu`` is None)."""
    if cpu is None:
        yield
        return
    allowed = os.sched_getaffinity(0)  # on Linux, pid 0 is the calling thread
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError:  # e.g. the CPU left the process's cpuset meanwhile: run unbound
        yield
        return
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


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
    """``[fn(chunk) for chunk in chunks]``, in order; several chunks run with one BLAS thread each.

    The calling thread is one of the workers: it starts at once, and only
    ``workers - 1`` pool threads need waking (about 0.1 ms each on an idle
    virtual machine).
    """
    if len(chunks) < 2:
        return [fn(chunk) for chunk in chunks]  # one product: let BLAS use its threads
    free = n_workers()
    workers = min(len(chunks), free)
    with _LOCK, _single_threaded_blas():
        if workers < 2:
            return [fn(chunk) for chunk in chunks]
        results = [None] * len(chunks)
        next_index = itertools.count()  # shared: each worker takes the next chunk when it is free
        cpus = _cpu_list()
        if cpus is None or free != len(cpus):
            cpus = [None] * workers  # another task runs somewhere: let the scheduler place the workers
        # else every CPU is idle and each worker gets its own (workers <= free == len(cpus))

        def work(cpu: int | None) -> None:
            with _bound_to(cpu):
                while (i := next(next_index)) < len(chunks):
                    results[i] = fn(chunks[i])

        helpers = [_pool().submit(work, cpus[k]) for k in range(1, workers)]
        try:
            work(cpus[0])
        finally:
            wait(helpers)  # never leave a helper writing into results after we return
        for future in helpers:
            future.result()  # re-raises a helper's exception
        return results
