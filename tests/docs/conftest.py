"""Print what the docs tests measured (e.g. how many concept pages have figures)."""

from tests.docs import test_site


def pytest_terminal_summary(terminalreporter):
    if test_site.REPORT:
        terminalreporter.section("docs site")
        for line in test_site.REPORT:
            terminalreporter.write_line(line)
