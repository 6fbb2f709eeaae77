"""The documentation site, built and read in a real (headless) browser.

Builds the site with ``mkdocs build --strict``, serves it on localhost and
opens every page in Chromium: no raw ``$$``/``\\(`` source may show, formula
pages must hold typeset math, every image must load, the console must stay
clean. Screenshots of a few pages land in ``test-artifacts/docs/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs import browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "docs"
MATHJAX = ROOT / "docs" / "javascripts" / "vendor" / "mathjax" / "tex-mml-chtml.js"


def _mkdocs(*args, cwd=ROOT):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not MATHJAX.is_file():
        if shutil.which("npm") is None:  # MathJax comes from the npm registry at build time
            message = "npm is needed to fetch MathJax for the docs (apt-get install nodejs npm)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        subprocess.run([sys.executable, str(ROOT / "tools" / "fetch_mathjax.py")], check=True)
    out = tmp_path_factory.mktemp("site")
    proc = _mkdocs("build", "--strict", "-d", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_site_is_self_contained(site):
    """No page loads a script, style or font from another host."""
    remote = re.compile(r'<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]*"')
    offenders = []
    for page in site.rglob("*.html"):
        for tag in remote.findall(page.read_text(encoding="utf-8")):
            offenders.append(f"{page.relative_to(site)}: {tag[:120]}")
    assert not offenders, offenders
    assert (site / "javascripts" / "vendor" / "mathjax" / "tex-mml-chtml.js").is_file()
    assert (site / "search" / "search_index.json").is_file()


def test_every_page_renders_in_chromium(site):
    browser.require_browser()
    pages = browser.html_pages(site)
    assert len(pages) >= 5
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    with browser.serve(site) as base, browser.chromium() as driver:
        for page in pages:
            found = browser.check_page(driver, base + page)
            if found:
                problems[page] = found
            if page in ("index.html", "notation/index.html") or page.endswith("week1/index.html"):
                driver.save_screenshot(str(ARTIFACTS / (page.replace("/", "_") + ".png")))
    assert not problems, "\n".join(f"{p}: {msgs}" for p, msgs in problems.items())


def test_notation_page_has_typeset_math(site):
    browser.require_browser()
    with browser.serve(site) as base, browser.chromium() as driver:
        driver.get(base + "notation/")
        driver.execute_async_script(browser._WAIT_FOR_MATH)
        assert len(driver.find_elements("css selector", "mjx-container")) >= 10


def test_checker_catches_a_broken_formula_and_image(site, tmp_path):
    """The same checker fails a page with a formula MathJax cannot find and a missing image."""
    browser.require_browser()
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    page = broken / "notation" / "index.html"
    text = page.read_text(encoding="utf-8")
    text = text.replace("<article", '<p>raw: $$\\frac{a}{b}$$</p><img src="missing.png" alt="x"><article', 1)
    page.write_text(text, encoding="utf-8")
    with browser.serve(broken) as base, browser.chromium() as driver:
        problems = browser.check_page(driver, base + "notation/")
    assert any("raw math source '$$'" in p for p in problems), problems
    assert any("image does not load: missing.png" in p for p in problems), problems
