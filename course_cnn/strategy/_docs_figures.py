"""Draw the cheap figures of docs/strategy/ (no training): ``python -m course_cnn.strategy._docs_figures``.

The training figures come from ``benchmarks/strategy_experiments.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: The lecture's four cases (human-level error 0 %): train, train-dev, dev.
LECTURE_CASES = {"variance": (1, 9, 10), "mismatch": (1, 1.5, 10), "bias": (10, 11, 12),
                 "bias_mismatch": (10, 11, 20)}


def main(out="docs/strategy/img"):
    """Write the ladder of each lecture case, the CLI example and the lecture's error-analysis chart."""
    from course_cnn.strategy import ErrorAnalysis, diagnose

    out = Path(out)
    written = []
    for name, (train, train_dev, dev) in LECTURE_CASES.items():
        d = diagnose(0, train, dev, train_dev=train_dev)
        written.append(out / f"ladder_{name}.png")
        d.plot(path=written[-1], title=f"{train} / {train_dev} / {dev}: " + " and ".join(d.problems))
    d = diagnose(0.5, 8.8, 14.3, train_dev=9.1, test=14.8)
    written.append(out / "ladder_cli.png")
    d.plot(path=written[-1])
    # the lecture's spreadsheet: 100 examined errors of a 10 % cat classifier
    records = ([["dog"]] * 8 + [["great cat"]] * 43 + [["blurry"]] * 45 + [["dog", "blurry"]] * 4)
    records[0] = ["dog", "instagram"]
    analysis = ErrorAnalysis(records, overall_error=10, tags=["dog", "great cat", "blurry", "instagram"])
    written.append(out / "error_analysis_cats.png")
    analysis.plot(path=written[-1])
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in main(*sys.argv[1:]):
        print(path)
