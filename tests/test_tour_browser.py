"""`course-cnn tour --quick` for real: every demo runs and its index shows every image."""

import time

import pytest

from course_cnn import cli, tour
from tests.docs import browser


@pytest.mark.slow
def test_quick_tour_runs_every_demo_and_its_index_loads(tmp_path, capsys):
    start = time.perf_counter()
    status = cli.main(["tour", "--quick", "--out", str(tmp_path)])
    elapsed = time.perf_counter() - start
    out = capsys.readouterr().out
    assert status == 0, out
    demos = tour.registered_demos()
    assert len(demos) >= 1
    for demo in demos:
        assert (tmp_path / demo.key).is_dir()
    print(f"quick tour: {len(demos)} demos in {elapsed:.0f} s")  # the README promises under 2 minutes on 2 cores
    browser.require_browser()
    with browser.serve(tmp_path) as base, browser.chromium() as driver:
        problems = browser.check_page(driver, base + "index.html")
        n_images = len(driver.find_elements("css selector", "img"))
    assert not problems, problems
    assert n_images >= len(demos)
