"""Run the ML-strategy experiments once (full size) and write the docs figures and numbers.

    python benchmarks/strategy_experiments.py [--quick] [--out docs/strategy/img] [synthesis transfer multitask end_to_end]

Trains tiny Keras models on Fashion-MNIST (synthesis, transfer) and on
generated shapes (multi-task) on the CPU, and compares the face pipeline
(week-3 detector -> week-4 encoder) with encoding the whole frame; the full
run takes several minutes.
The numbers printed here are the ones quoted in docs/strategy/*.md.
"""

import argparse
import json
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiments", nargs="*", default=["synthesis", "transfer", "multitask", "end_to_end"])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default="docs/strategy/img")
    args = parser.parse_args()

    import numpy as np
    import tensorflow as tf

    from course_cnn.strategy import _end_to_end, _experiments

    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs; TF {tf.__version__}, numpy {np.__version__}")
    results = {}
    for name in args.experiments:
        start = time.perf_counter()
        numbers, files = getattr(_end_to_end if name == "end_to_end" else _experiments, f"run_{name}")(args.out, quick=args.quick)
        numbers["seconds"] = round(time.perf_counter() - start, 1)
        results[name] = numbers
        print(f"{name}: {json.dumps(numbers)}", flush=True)
        print("  wrote " + ", ".join(str(f) for f in files), flush=True)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
