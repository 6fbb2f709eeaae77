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
