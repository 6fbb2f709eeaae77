"""A small headless-Chromium checker for built HTML pages (docs site, tour index).

It serves a folder on localhost, opens pages in the system's Chromium
(Debian's ``chromium`` and ``chromium-driver``; nothing is downloaded) through
Selenium, and reports what a reader would notice: math left as raw ``$$`` or
``\\(`` source, formula pages without typeset math, display formulas and code
blocks wider than the content column (cut off until the reader scrolls them),
images that do not load or have no alt text, links to pages or anchors that do
not exist, anything loaded from another host, and errors in the browser
console.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
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
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the browser dropping a connection mid-transfer is not a page problem


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
    # "performance" carries the DevTools network events: every request a page makes
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
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
  src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0,
  alt: (img.getAttribute("alt") || "").trim()}));
// A box is cut off when its content is wider than the box (scrollWidth > clientWidth).
// Boxes inside a closed <details> (the collapsed source listings) have no layout: 0 = 0.
const label = e => (e.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 70);
const wide = sel => Array.from(document.querySelectorAll(sel))
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => ({width: e.scrollWidth, box: e.clientWidth, text: label(e)}));
const links = Array.from(document.querySelectorAll("a[href]"))
  .map(a => a.href).filter(h => h.startsWith(location.origin));
return {
  text: text,
  arithmatex: document.querySelectorAll(".arithmatex").length,
  typeset: document.querySelectorAll("mjx-container").length,
  images: images,
  wide_math: wide("div.arithmatex"),
  wide_code: wide("pre > code"),
  links: Array.from(new Set(links)),
  article_images: document.querySelectorAll("article img").length,
  // two $$ blocks run together come out as one formula showing "$$$$"
  dollars_in_math: Array.from(document.querySelectorAll("mjx-container"))
    .map(label).filter(t => t.includes("$$")),
};
"""

_ANCHORS = """
return Array.from(document.querySelectorAll("[id]")).map(e => e.id)
  .concat(Array.from(document.querySelectorAll("a[name]")).map(e => e.name));
"""


def _requests(driver):
    """URLs the page requested since the last call (DevTools network events)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _external(urls, base):
    """The requests that leave the site (data: and blob: URLs stay inside)."""
    return [u for u in urls if not u.startswith((base, "data:", "blob:", "about:"))]


def check_page(driver, url, facts_out=None):
    """Open ``url`` and return the list of problems a reader would see (empty when fine).

    ``facts_out``, a dict, receives what the page holds (its same-site links,
    the number of images in its article) for checks across pages.
    """
    _requests(driver)  # drop the previous page's network events
    driver.get_log("browser")  # and its console messages (a driver may serve several tests)
    driver.get(url)
    driver.execute_async_script(_WAIT_FOR_MATH)
    facts = driver.execute_script(_PAGE_FACTS)
    if facts_out is not None:
        facts_out.update(links=facts["links"], article_images=facts["article_images"])
    problems = []
    visible = facts["text"]
    for raw in ("$$", "\\(", "\\["):
        if raw in visible:
            line = next(l for l in visible.splitlines() if raw in l)
            problems.append(f"raw math source {raw!r} shown: {line.strip()[:80]!r}")
    for formula in facts["dollars_in_math"]:
        problems.append(f"'$$' typeset inside a formula: {formula!r}")
    if ".. math::" in visible:
        problems.append("reStructuredText '.. math::' shown instead of a typeset formula")
    if facts["arithmatex"] and facts["typeset"] < facts["arithmatex"]:
        problems.append(f"{facts['arithmatex']} formulas but {facts['typeset']} typeset")
    for image in facts["images"]:
        if not image["ok"]:
            problems.append(f"image does not load: {image['src']}")
        if not image["alt"]:
            problems.append(f"image without alt text: {image['src']}")
    for kind in ("math", "code"):
        for box in facts[f"wide_{kind}"]:
            problems.append(f"{'display formula' if kind == 'math' else 'code block'} "
                            f"{box['width']} px wide in a {box['box']} px box: {box['text']!r}")
    base = url.split("//", 1)[0] + "//" + url.split("//", 1)[1].split("/", 1)[0] + "/"
    for outside in _external(_requests(driver), base):
        problems.append(f"loads from outside the site: {outside[:120]}")
    for entry in driver.get_log("browser"):
        if entry["level"] == "SEVERE":
            problems.append(f"console error: {entry['message'][:200]}")
    return problems


def html_pages(site):
    """Every page of a built mkdocs site (its ``index.html`` files, 404 excluded)."""
    site = Path(site)
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.name == "index.html" or p.parent == site and p.name != "404.html")


def broken_links(driver, base, links_by_page):
    """Same-site links whose page does not load or whose ``#anchor`` is not on it.

    ``links_by_page`` maps a page's URL to the absolute URLs it links to;
    returns ``{page: [problem, ...]}``.
    """
    targets = sorted({link.split("#", 1)[0] for links in links_by_page.values() for link in links})
    status, anchors = {}, {}
    for target in targets:
        try:
            with urllib.request.urlopen(target) as response:
                status[target] = response.status
        except urllib.error.HTTPError as error:
            status[target] = error.code
    wanted = {link.split("#", 1)[0] for links in links_by_page.values() for link in links
              if "#" in link and link.split("#", 1)[1] and status.get(link.split("#", 1)[0]) == 200}
    for target in sorted(wanted):
        driver.get(target)
        anchors[target] = set(driver.execute_script(_ANCHORS))
    problems = {}
    for page, links in links_by_page.items():
        for link in links:
            target, _, anchor = link.partition("#")
            if status.get(target) != 200:
                problems.setdefault(page, []).append(f"broken link ({status.get(target)}): {link[len(base):]}")
            elif anchor and target in anchors and urllib.parse.unquote(anchor) not in anchors[target]:
                problems.setdefault(page, []).append(f"link to a missing anchor: {link[len(base):]}")
    return problems
