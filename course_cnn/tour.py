"""The tour: one short demo per week, run by ``course-cnn tour``.

Each part of the course registers its demos in a private module
``course_cnn/<part>/_tour.py`` that defines ``DEMOS``, a list of
`Demo`. The tour imports those modules in course order (only the ones
that exist), runs every demo into one output folder, prints one line per
demo and writes ``index.html`` linking every figure and table.

A demo is a function ``run(out_dir, quick) -> DemoResult``: it writes its
files into ``out_dir`` (a folder of its own) and returns a one-line summary.
``quick=True`` asks for the fastest version that still shows the idea.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from course_cnn import _checks

__all__ = ["Demo", "DemoResult", "PARTS", "registered_demos", "run_tour", "write_index"]

#: The course's parts, in the order the tour visits them.
PARTS = ("week1", "week2", "week3", "week4", "strategy", "scdv")


@dataclass(frozen=True)
class DemoResult:
    """What a demo produced.

    Attributes
    ----------
    summary : str
        One line for the terminal and the index.
    files : list of pathlib.Path
        Figures (``.png``) and tables (``.csv``, ``.txt``, ``.html``) written.
    """

    summary: str
    files: list = field(default_factory=list)


@dataclass(frozen=True)
class Demo:
    """A registered demo.

    Attributes
    ----------
    key : str
        Short unique name, also the demo's sub-folder (``"week1-edges"``).
    title : str
        Human title for the index.
    run : callable
        ``run(out_dir: Path, quick: bool) -> DemoResult``.
    """

    key: str
    title: str
    run: Callable[[Path, bool], DemoResult]


def registered_demos(parts=PARTS):
    """Collect the demos registered by each part of the course, in order.

    Parameters
    ----------
    parts : sequence of str, default PARTS
        Sub-packages to look in; those without a ``_tour`` module are skipped.

    Returns
    -------
    list of Demo
        The demos, in course order.

    Examples
    --------
    >>> isinstance(registered_demos(), list)
    True
    """
    demos = []
    for part in _checks.check_strings(parts, "parts"):
        name = f"course_cnn.{part}._tour"
        if importlib.util.find_spec(f"course_cnn.{part}") is None or importlib.util.find_spec(name) is None:
            continue
        demos.extend(importlib.import_module(name).DEMOS)
    return demos


@dataclass
class _Outcome:
    demo: Demo
    seconds: float
    result: DemoResult | None = None
    error: str | None = None


def run_tour(out_dir="course_cnn_tour", quick=False, only=None, demos=None, echo=print):
    """Run every registered demo into ``out_dir`` and write ``index.html``.

    A failing demo is reported (with its traceback in ``<key>/error.txt``)
    and the tour goes on with the next one.

    Parameters
    ----------
    out_dir : str or os.PathLike, default "course_cnn_tour"
        Output folder, created if needed.
    quick : bool, default False
        Run the fast version of each demo.
    only : sequence of str, optional
        Run only the demos whose key starts with one of these prefixes.
    demos : list of Demo, optional
        Demos to run instead of the registered ones.
    echo : callable, default print
        Where progress lines go.

    Returns
    -------
    list
        One outcome per demo with ``demo``, ``seconds``, ``result`` and
        ``error`` attributes.

    Examples
    --------
    >>> outcomes = run_tour("/tmp/course_cnn_doctest_tour", demos=[], echo=lambda line: None)
    >>> outcomes
    []
    """
    out = _checks.check_path(out_dir, "out_dir")
    out.mkdir(parents=True, exist_ok=True)
    demos = registered_demos() if demos is None else list(demos)
    only = None if only is None else _checks.check_strings(only, "only")
    if only:
        demos = [d for d in demos if any(d.key.startswith(prefix) for prefix in only)]
    outcomes = []
    for i, demo in enumerate(demos, 1):
        echo(f"[{i}/{len(demos)}] {demo.title} ...")
        folder = out / demo.key
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        try:
            result = demo.run(folder, quick)
            outcome = _Outcome(demo, time.perf_counter() - start, result=result)
            echo(f"      {result.summary} ({outcome.seconds:.1f} s)")
        except Exception as exc:  # a broken demo must not stop the tour
            (folder / "error.txt").write_text(traceback.format_exc(), encoding="utf-8")
            outcome = _Outcome(demo, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}")
            echo(f"      FAILED: {outcome.error} (see {folder / 'error.txt'})")
        outcomes.append(outcome)
    index = write_index(out, outcomes)
    failed = sum(o.error is not None for o in outcomes)
    total = sum(o.seconds for o in outcomes)
    echo(f"{len(outcomes) - failed} of {len(outcomes)} demos ran in {total:.1f} s; open {index}")
    return outcomes


def write_index(out_dir, outcomes):
    """Write ``out_dir/index.html`` linking each demo's outputs.

    Parameters
    ----------
    out_dir : str or os.PathLike
        The tour's output folder.
    outcomes : list
        As returned by `run_tour`.

    Returns
    -------
    pathlib.Path
        The index file.

    Examples
    --------
    >>> write_index("/tmp/course_cnn_doctest_tour", []).name
    'index.html'
    """
    out = _checks.check_path(out_dir, "out_dir")
    sections = []
    for outcome in outcomes:
        title = html.escape(outcome.demo.title)
        if outcome.error is not None:
            body = f'<p class="error">Failed: {html.escape(outcome.error)} (<a href="{outcome.demo.key}/error.txt">traceback</a>)</p>'
        else:
            parts = [f"<p>{html.escape(outcome.result.summary)} <small>({outcome.seconds:.1f} s)</small></p>"]
            for file in outcome.result.files:
                rel = html.escape(Path(file).resolve().relative_to(out.resolve()).as_posix())
                if Path(file).suffix.lower() in (".png", ".jpg", ".jpeg", ".svg"):
                    parts.append(f'<figure><img src="{rel}" alt="{rel}"><figcaption>{rel}</figcaption></figure>')
                else:
                    parts.append(f'<p><a href="{rel}">{rel}</a></p>')
            body = "\n".join(parts)
        sections.append(f'<section id="{html.escape(outcome.demo.key)}"><h2>{title}</h2>\n{body}\n</section>')
    page = (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>course_cnn tour</title>\n"
        "<link rel=\"icon\" href=\"data:,\">\n"
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "img{max-width:100%;border:1px solid #ddd}.error{color:#b00}</style></head><body>\n"
        "<h1>course_cnn tour</h1>\n" + "\n".join(sections) + "\n</body></html>\n"
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index

