"""The chunk runner shared by the numpy kernels: BLAS threads, worker count."""


def test_parallel_run_restores_blas_threads():
    from threadpoolctl import threadpool_info

    from course_cnn import _parallel

    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    seen = _parallel.run(lambda k: [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"], [0, 1, 2])
    after = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert after == before
    assert all(all(n == 1 for n in threads) for threads in seen)  # one BLAS thread per task while it ran
    assert 1 <= _parallel.n_workers() <= _parallel.n_cpus()


def test_workers_come_from_the_tasks_running_now(monkeypatch, tmp_path):
    from course_cnn import _parallel

    loadavg = tmp_path / "loadavg"
    loadavg.write_text("1.95 1.20 0.80 3/412 12345\n")  # averages high, but 3 running now: us and 2 others
    assert _parallel._other_running_tasks(str(loadavg)) == 2
    loadavg.write_text("1.95 1.20 0.80 1/412 12345\n")  # only the caller runs: its own recent load does not count
    assert _parallel._other_running_tasks(str(loadavg)) == 0
    assert _parallel._other_running_tasks(str(tmp_path / "missing")) == 0  # no /proc: assume the CPUs are free
    monkeypatch.setattr(_parallel, "n_cpus", lambda: 4)
    for others, workers in [(0, 4), (1, 3), (3, 1), (9, 1)]:
        monkeypatch.setattr(_parallel, "_other_running_tasks", lambda: others)
        assert _parallel.n_workers() == workers


def test_run_keeps_order_and_binds_each_worker_to_its_own_cpu_when_all_are_idle(monkeypatch):
    import os
    import threading

    import pytest

    from course_cnn import _parallel

    if not hasattr(os, "sched_setaffinity") or _parallel.n_cpus() < 2:
        pytest.skip("binding threads needs Linux and two CPUs")
    monkeypatch.setattr(_parallel, "_other_running_tasks", lambda: 0)
    allowed = os.sched_getaffinity(0)
    barrier = threading.Barrier(2, timeout=10)  # two chunks run at once, one per worker

    def chunk(k):
        barrier.wait()
        return k, threading.get_ident(), os.sched_getaffinity(0)

    seen = _parallel.run(chunk, [0, 1])
    assert [k for k, _, _ in seen] == [0, 1]
    assert threading.get_ident() in {ident for _, ident, _ in seen}  # the caller is a worker
    masks = [mask for _, _, mask in seen]
    assert all(len(mask) == 1 for mask in masks) and masks[0] != masks[1]
    assert os.sched_getaffinity(0) == allowed  # the caller's own mask is back


def test_run_leaves_placement_to_the_scheduler_when_another_task_runs(monkeypatch):
    import os

    import pytest

    from course_cnn import _parallel

    if not hasattr(os, "sched_setaffinity") or _parallel.n_cpus() < 3:
        pytest.skip("needs three CPUs: two free workers beside one busy CPU")
    monkeypatch.setattr(_parallel, "_other_running_tasks", lambda: 1)
    allowed = os.sched_getaffinity(0)
    masks = _parallel.run(lambda k: os.sched_getaffinity(0), [0, 1, 2, 3])
    assert all(mask == allowed for mask in masks)


def test_run_reraises_a_chunk_error_after_every_worker_stopped(monkeypatch):
    import pytest

    from course_cnn import _parallel

    monkeypatch.setattr(_parallel, "_other_running_tasks", lambda: 0)
    done = []

    def chunk(k):
        if k == 3:
            raise RuntimeError("chunk 3 failed")
        done.append(k)
        return k

    with pytest.raises(RuntimeError, match="chunk 3 failed"):
        _parallel.run(chunk, list(range(8)))
    assert sorted(done) == [0, 1, 2, 4, 5, 6, 7]  # the others ran, and none is still running
    assert _parallel.run(lambda k: k * k, list(range(6))) == [0, 1, 4, 9, 16, 25]


def test_a_cpu_that_cannot_be_taken_leaves_the_worker_unbound(monkeypatch):
    import os

    import pytest

    from course_cnn import _parallel

    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("binding threads needs Linux")
    allowed = os.sched_getaffinity(0)
    missing = max(allowed) + 4096  # no such CPU: the kernel refuses it
    with _parallel._bound_to(missing):
        assert os.sched_getaffinity(0) == allowed
    with _parallel._bound_to(min(allowed)):
        assert os.sched_getaffinity(0) == {min(allowed)}
    assert os.sched_getaffinity(0) == allowed
