"""Every `>>>` example in docs/week1/*.md runs and prints what the page says."""

import doctest
import re
from pathlib import Path

import pytest

PAGES = sorted((Path(__file__).resolve().parents[2] / "docs" / "week1").glob("*.md"))


def test_pages_exist():
    names = {p.stem for p in PAGES}
    assert {"edge-detection", "padding", "strided-convolution", "convolution-over-volume", "one-layer", "pooling", "cnn-example", "why-convolutions"} <= names


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_examples(page):
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"^```.*$", "", text, flags=re.M)  # a fence would otherwise read as expected output
    test = doctest.DocTestParser().get_doctest(text, {}, page.stem, str(page), 0)
    assert (">>>" in text) == bool(test.examples)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} failing example(s) in {page.name} (see the output above)"
