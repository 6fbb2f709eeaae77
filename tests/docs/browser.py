"""A small headless-Chromium checker for built HTML pages (docs site, tour index).

It serves a folder on localhost, opens pages in the system's Chromium
(Debian's ``chromium`` and ``chromium-driver``; nothing is downloaded) through
Selenium, and reports what a reader would notice: math left as raw ``$$`` or
``\\(`` source, formula pages without typeset math, images that do not load,
and errors in the browser console.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def require_browser():
    """Skip locally without Chromium; in CI (CI=true) a missing browser is a failure."""
    if CHROMIUM and CHROMEDRIVER:
        return
    message = "Chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextlib.contextmanager
def serve(folder):
    """Serve ``folder`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def chromium():
    """A headless Chromium driven by Selenium, with console logging on."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


_WAIT_FOR_MATH = """
const done = arguments[arguments.length - 1];
if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
  MathJax.startup.promise.then(() => done(true), () => done(false));
} else { done(null); }
"""

_PAGE_FACTS = """
// visible prose only: code samples may legitimately show "$$" or "\\(".
const clone = document.body.cloneNode(true);
clone.querySelectorAll("pre, code, mjx-container, script, style, textarea").forEach(e => e.remove());
const text = clone.textContent;
const images = Array.from(document.images).map(img => ({
  src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0}));
return {
  text: text,
  arithmatex: document.querySelectorAll(".arithmatex").length,
  typeset: document.querySelectorAll("mjx-container").length,
  images: images,
};
"""


def check_page(driver, url):
    """Open ``url`` and return the list of problems a reader would see (empty when fine)."""
    driver.get(url)
    driver.execute_async_script(_WAIT_FOR_MATH)
    facts = driver.execute_script(_PAGE_FACTS)
    problems = []
    visible = facts["text"]
    for raw in ("$$", "\\(", "\\["):
        if raw in visible:
            line = next(l for l in visible.splitlines() if raw in l)
            problems.append(f"raw math source {raw!r} shown: {line.strip()[:80]!r}")
    if ".. math::" in visible:
        problems.append("reStructuredText '.. math::' shown instead of a typeset formula")
    if facts["arithmatex"] and facts["typeset"] < facts["arithmatex"]:
        problems.append(f"{facts['arithmatex']} formulas but {facts['typeset']} typeset")
    for image in facts["images"]:
        if not image["ok"]:
            problems.append(f"image does not load: {image['src']}")
    for entry in driver.get_log("browser"):
        if entry["level"] == "SEVERE":
            problems.append(f"console error: {entry['message'][:200]}")
    return problems


def html_pages(site):
    """Every page of a built mkdocs site (its ``index.html`` files, 404 excluded)."""
    site = Path(site)
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.name == "index.html" or p.parent == site and p.name != "404.html")
