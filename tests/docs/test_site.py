"""The documentation site, built and read in a real (headless) browser.

Builds the site with ``mkdocs build --strict``, serves it on localhost and
opens every page in Chromium at 1280 px (a few key pages in the default
run, every page in the slow step, which CI runs too): no raw ``$$``/``\\(`` source may
show, formula pages must hold typeset math, no display formula or code block
may be wider than its column, every image must load and carry alt text, every
same-site link must reach its page and anchor, nothing may load from another
host, the console must stay clean. Screenshots of a few pages land in
``test-artifacts/docs/``; the number of concept pages with figures is
reported in pytest's terminal summary of the slow run.
"""

from __future__ import annotations

import json
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
# the course's teaching pages (not the API, performance, grading or front pages)
CONCEPT_SECTIONS = ("week1", "week2", "week3", "week4", "strategy", "scdv")
REPORT_FILE = ARTIFACTS / "report.txt"  # lines for pytest's terminal summary (tests/conftest.py)


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


@pytest.fixture(scope="module")
def driver():
    """One headless Chromium for the module's tests (starting one costs about a second)."""
    browser.require_browser()
    with browser.chromium() as chromium:
        yield chromium


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


def test_search_previews_show_no_tex_source(site):
    """The search box shows formulas as text (tools/mkdocs_hooks.py), and the page
    that teaches the triplet loss outranks the pages that merely use it."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    raw = [d["location"] for d in index["docs"] if "\\(" in d["text"] or "\\[" in d["text"]]
    assert not raw, raw[:10]
    page = next(d for d in index["docs"] if d["location"] == "week4/face/triplet-loss/")
    assert page.get("boost", 1) > 1 and "\\" not in page["text"] and "triplet loss" in page["text"]


# Four pages that hold each kind of content (long split formulas, tables, code, figures, links):
# checked in the default run; every page is checked in the slow step, which CI runs too.
KEY_PAGES = ("index.html", "week1/one-layer/index.html", "week3/yolo/index.html", "week4/face/triplet-loss/index.html")


def _check_pages(site, pages, driver):
    """Open ``pages`` in Chromium: the problems found per page, the links followed, the figures counted."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems, links, figures = {}, {}, {}
    with browser.serve(site) as base:
        for page in pages:
            facts = {}
            found = browser.check_page(driver, base + page, facts_out=facts)
            if found:
                problems[page] = found
            links[page] = facts["links"]
            figures[page] = facts["article_images"]
            if page in ("index.html", "notation/index.html") or page.endswith("week1/index.html"):
                driver.save_screenshot(str(ARTIFACTS / (page.replace("/", "_") + ".png")))
        for page, found in browser.broken_links(driver, base, links).items():
            problems.setdefault(page, []).extend(found)
    return problems, figures


def test_key_pages_render_in_chromium(site, driver):
    pages = [page for page in browser.html_pages(site) if page in KEY_PAGES]
    assert len(pages) == len(KEY_PAGES), sorted(set(KEY_PAGES) - set(pages))
    problems, _ = _check_pages(site, pages, driver)
    assert not problems, "\n".join(f"{p}: {msgs}" for p, msgs in problems.items())


@pytest.mark.slow
def test_every_page_renders_in_chromium(site, driver):
    pages = browser.html_pages(site)
    assert len(pages) >= 5
    problems, figures = _check_pages(site, pages, driver)
    concept = [p for p in pages if p.split("/", 1)[0] in CONCEPT_SECTIONS]
    with_figures = [p for p in concept if figures[p]]
    with REPORT_FILE.open("a", encoding="utf-8") as report:
        report.write(f"docs: {len(with_figures)} of {len(concept)} concept pages have figures "
                     f"({sum(figures[p] for p in concept)} figures in all)\n")
    assert not problems, "\n".join(f"{p}: {msgs}" for p, msgs in problems.items())


def test_notation_page_has_typeset_math(site, driver):
    with browser.serve(site) as base:
        driver.get(base + "notation/")
        driver.execute_async_script(browser._WAIT_FOR_MATH)
        assert len(driver.find_elements("css selector", "mjx-container")) >= 10


def test_checker_catches_every_defect_it_looks_for(site, driver, tmp_path):
    """The checker the pages pass fails a page with each defect injected: raw formula source, an image that does
    not load, a formula or code line too wide for the column, an image with no alt text, a link to a missing page
    or anchor, and a script from another host."""
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    page = broken / "notation" / "index.html"
    wide_tex = " + ".join(f"x_{{{i}}}^{{2}}" for i in range(60))
    injected = ('<p>raw: $$\\frac{a}{b}$$</p><img src="missing.png" alt="x">'
                f'<div class="arithmatex">\\[{wide_tex}\\]</div>'
                # extra.css wraps code; a block that does not wrap is what the checker must catch
                f'<pre><code style="white-space: pre">x = "{"a" * 200}"</code></pre>'
                '<img src="../assets/images/favicon.png">'
                '<a href="../no-such-page/">gone</a><a href="../#no-such-anchor">gone</a>'
                '<script src="https://cdn.example.invalid/x.js"></script>')
    text = re.sub(r"(<article[^>]*>)", lambda m: m.group(1) + injected, page.read_text(encoding="utf-8"), count=1)
    page.write_text(text, encoding="utf-8")
    with browser.serve(broken) as base:
        facts = {}
        problems = browser.check_page(driver, base + "notation/", facts_out=facts)
        problems += browser.broken_links(driver, base, {"notation/": facts["links"]}).get("notation/", [])
    assert any("raw math source '$$'" in p for p in problems), problems
    assert any("image does not load: missing.png" in p for p in problems), problems
    assert any(p.startswith("display formula") for p in problems), problems
    assert any(p.startswith("code block") for p in problems), problems
    assert any(p.startswith("image without alt text") for p in problems), problems
    assert any("broken link (404): no-such-page/" in p for p in problems), problems
    assert any("missing anchor: #no-such-anchor" in p for p in problems), problems
    assert any("loads from outside the site: https://cdn.example.invalid/x.js" in p for p in problems), problems
