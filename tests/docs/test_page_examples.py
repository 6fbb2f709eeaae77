"""Every ``>>>`` example on every docs page runs and prints what the page says.

The pages' worked examples are doctests written in the Markdown itself, so
the numbers a reader sees are the numbers the code gives today.
"""

import doctest
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "vendor" not in p.parts and ">>>" in p.read_text(encoding="utf-8"))


def test_most_concept_pages_have_worked_examples():
    assert len(PAGES) >= 20


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_page_examples(page):
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"^\s*```.*$", "", text, flags=re.M)  # a closing fence would read as expected output
    test = doctest.DocTestParser().get_doctest(text, {}, page.stem, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} failing example(s) in {page.name} (see the output above)"
