"""Regenerate the figures of the docs site: ``python -m course_cnn.docs_figures``.

Every PNG under ``docs/**/img/`` is drawn by code in this package or by a
script in ``benchmarks/``; this module is the one entry point that runs them.

Usage (from the repository root)::

    python -m course_cnn.docs_figures                 # every group but the benchmarks (about 10 min on 2 cores)
    python -m course_cnn.docs_figures concepts        # the diagrams only (about 2 min)
    python -m course_cnn.docs_figures week3_concepts  # one generator
    python -m course_cnn.docs_figures --benchmarks    # also re-run the benchmarks that draw figures (hours)
    python -m course_cnn.docs_figures --list

Groups: ``concepts`` (diagrams computed from the package's own formulas and
models, plus the shipped face encoder), ``trained`` (figures of small models
trained on the spot) and ``benchmarks`` (training curves and results that
come out of the timed benchmarks; only with ``--benchmarks``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

#: name -> (group, "module:function", folder under docs/ passed to the function or None)
GENERATORS = {
    "week1_concepts": ("concepts", "course_cnn.week1._concept_figures:main", "week1/img"),
    "week2_concepts": ("concepts", "course_cnn.week2._concept_figures:main", "week2/img"),
    "week3_concepts": ("concepts", "course_cnn.week3._concept_figures:main", "week3/img"),
    "week3_segmentation": ("concepts", "course_cnn.week3._segmentation_figures:main", "week3/img"),
    "week4_concepts": ("concepts", "course_cnn.week4._concept_figures:main", "week4"),
    "more_concepts": ("concepts", "course_cnn._more_figures:main", "."),
    "strategy_ladders": ("concepts", "course_cnn.strategy._docs_figures:main", "strategy/img"),
    "week2_augmentation": ("concepts", "course_cnn.week2._doc_figures:figures", "week2/img"),
    "week1_trained": ("trained", "course_cnn.week1._docs_figures:main", "week1/img"),
    "week3_trained": ("trained", "course_cnn.week3._figures:main", "week3/img"),
    "week4_style_trained": ("trained", "course_cnn.week4.style._make_figures:main", None),
    "week4_face_distances": ("trained", "course_cnn.docs_figures:face_distances", "week4/face/img"),
}

#: name -> the benchmark command (run from the repository root) that writes docs figures.
BENCHMARKS = {
    "week1_lenet_curves": ["benchmarks/week1_lenet_fashion.py", "--figure", "docs/week1/img/lenet_fashion_curves.png"],
    "week2_resnet_curves": ["benchmarks/week2_fashion_resnet.py", "--epochs", "10", "--figure",
                            "docs/week2/img/fashion_resnet10_curves.png"],
    "week2_plain_vs_residual": ["benchmarks/week2_depth.py", "--depths", "8", "20", "32", "44", "--epochs", "3",
                                "--subset", "10000", "--figure", "docs/week2/img/plain_vs_residual.png"],
    "week3_tiny_yolo": ["benchmarks/week3_train_detector.py", "--figure", "docs/week3/img/tiny_yolo_shapes.png"],
    "week3_unet": ["benchmarks/week3_unet_scenes.py", "--figure", "docs/week3/img/unet_scenes.png"],
    "week4_face_oneshot": ["benchmarks/week4_face_oneshot.py", "--out", "docs/week4/face/img"],
    "strategy_experiments": ["benchmarks/strategy_experiments.py", "--out", "docs/strategy/img"],
    "scdv_clusters": ["benchmarks/scdv_20ng.py", "--transductive", "--sentences", "--epochs", "5", "--dim", "200",
                      "--c-grid", "0.3,1,3,10", "--figures", "docs/scdv/img"],
}


def face_distances(folder):
    """The face tour's distance table of the shipped photos (``face_distances.png``)."""
    import shutil
    import tempfile

    from course_cnn.week4.face._tour import run_verification

    with tempfile.TemporaryDirectory() as tmp:  # the tour also writes a text file the docs do not use
        run_verification(Path(tmp), quick=False)
        Path(folder).mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copy(Path(tmp) / "face_distances.png", Path(folder) / "face_distances.png"))]


def _run_generator(name, docs):
    group, target, folder = GENERATORS[name]
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    if folder is None:  # writes to its own fixed docs/... path, relative to the repository root
        previous = os.getcwd()
        os.chdir(Path(docs).resolve().parent)
        try:
            return function()
        finally:
            os.chdir(previous)
    return function(Path(docs) / folder)


def select(names, benchmarks=False):
    """Expand group names (``concepts``, ``trained``, ``benchmarks``) and generator names into generator names."""
    if not names:
        names = ["concepts", "trained"] + (["benchmarks"] if benchmarks else [])
    chosen = []
    for name in names:
        if name in GENERATORS or name in BENCHMARKS:
            chosen.append(name)
        elif name == "benchmarks":
            chosen += list(BENCHMARKS)
        elif name in {group for group, _, _ in GENERATORS.values()}:
            chosen += [key for key, (group, _, _) in GENERATORS.items() if group == name]
        else:
            known = ", ".join(["concepts", "trained", "benchmarks", *GENERATORS, *BENCHMARKS])
            raise SystemExit(f"docs_figures: unknown generator {name!r}; known: {known}.")
    return list(dict.fromkeys(chosen))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_cnn.docs_figures", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="groups or generators (default: concepts and trained)")
    parser.add_argument("--docs", default="docs", help="the docs folder (default: docs)")
    parser.add_argument("--benchmarks", action="store_true", help="also re-run the benchmarks that draw figures")
    parser.add_argument("--list", action="store_true", help="list the generators and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, (group, target, folder) in GENERATORS.items():
            print(f"{name:22s} {group:9s} {target} -> docs/{folder or '(its own paths)'}")
        for name, command in BENCHMARKS.items():
            print(f"{name:22s} benchmark python {' '.join(command)}")
        return 0
    for name in select(args.names, args.benchmarks):
        print(f"== {name}", flush=True)
        if name in BENCHMARKS:
            subprocess.run([sys.executable, *BENCHMARKS[name]], check=True)
            continue
        written = _run_generator(name, args.docs)
        for path in written or []:
            print(f"   {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
