"""Print what the docs tests measured (e.g. how many concept pages have figures).

The tests write their report lines to a file, so that the lines reach the
terminal summary also when the tests ran in xdist workers (``-n auto``).
"""

from tests.docs import test_site


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller (or a run without xdist)
        test_site.REPORT_FILE.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter):
    if test_site.REPORT_FILE.is_file():
        terminalreporter.section("docs site")
        for line in test_site.REPORT_FILE.read_text(encoding="utf-8").splitlines():
            terminalreporter.write_line(line)
