"""The `>>>` examples on the week-4 style pages run and print what the pages say."""

import doctest
import re
from pathlib import Path

import pytest

PAGES = sorted((Path(__file__).resolve().parents[3] / "docs" / "week4" / "style").glob("*.md"))


def _examples(page):
    return [block for block in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S) if ">>>" in block]


@pytest.mark.parametrize("page", [p for p in PAGES if _examples(p)], ids=lambda p: p.name)
def test_page_examples(page):
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(_examples(page)):
        test = parser.get_doctest(block, {}, f"{page.name}[{i}]", str(page), 0)
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) of {page.name} failed (see the output above)"
    assert runner.tries > 0
