"""SCDV feature formation: vectorised block products against the reference per-token loop.

Both sides start from the same token lists and produce the unnormalised
document vectors sum_{w in D} wtv_w (float32, like the reference code) for
the whole 20 Newsgroups corpus (train + test), in chunks of 2,048 documents.
The loop adds each token's word-topic vector (a dict lookup and one
K*d-float add per token); the vectorised path builds the sparse count matrix
(scikit-learn CountVectorizer) and multiplies it by one V x d block per
cluster. Times are process CPU seconds (the machine is shared, wall time is
printed too). Every chunk is compared after l2 normalisation.

Word vectors come from ``--vectors`` (an npz saved by scdv_20ng.py
``--vectors-cache``) or are trained quickly here (1 epoch).

    nice -n 10 .venv/bin/python benchmarks/scdv_features_speed.py --vectors /tmp/scdv_d100_wv.npz
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402


class Clock:
    """Accumulates CPU and wall seconds of the timed blocks."""

    def __init__(self):
        self.cpu = self.wall = 0.0

    def __enter__(self):
        self._cpu, self._wall = time.process_time(), time.perf_counter()

    def __exit__(self, *exc):
        self.cpu += time.process_time() - self._cpu
        self.wall += time.perf_counter() - self._wall


def loop_sum(token_lists, wtv, index):
    out = np.zeros((len(token_lists), wtv.shape[1]), dtype=np.float32)
    for doc, tokens in enumerate(token_lists):
        vector = out[doc]
        for token in tokens:
            if token in index:
                vector += wtv[index[token]]
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", default=None)
    parser.add_argument("--vectors", default=None)
    parser.add_argument("--clusters", type=int, default=60)
    parser.add_argument("--min-proba", type=float, default=1e-10, help="the pruned variant's min_proba")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    from sklearn.base import clone

    from course_cnn.datasets import load_20newsgroups
    from course_cnn.scdv import SCDV, WordVectors, tokenize, train_word2vec, word_topic_vectors
    from course_cnn.scdv.features import _document_vectors, l2_normalise

    news = load_20newsgroups(args.archive)
    if args.vectors:
        saved = np.load(args.vectors)
        wv = WordVectors(list(saved["vocab"]), saved["matrix"])
    else:
        wv = train_word2vec(news.train_texts, dim=100, epochs=1)
    exact = SCDV(n_clusters=args.clusters, word_vectors=wv).fit(news.train_texts)
    pruned = clone(exact).set_params(min_proba=args.min_proba)
    pruned.__dict__.update({k: v for k, v in exact.__dict__.items() if k.endswith("_") or k == "_counter"})
    pruned.cluster_proba_ = np.where(exact.cluster_proba_ < args.min_proba, 0.0, exact.cluster_proba_)
    token_lists = [tokenize(t) for t in news.train_texts + news.test_texts]
    n_tokens = sum(len(t) for t in token_lists)
    wtv = word_topic_vectors(exact.word_matrix_, exact.cluster_proba_, exact.idf_)         # (V, K * d) float32
    index = {w: i for i, w in enumerate(exact.vocabulary_)}
    clocks = {name: Clock() for name in ("loop", "count", "products_exact", "products_pruned", "normalise")}
    worst = {"exact": 0.0, "pruned": 0.0}
    for start in range(0, len(token_lists), 2048):
        chunk = token_lists[start:start + 2048]
        with clocks["loop"]:
            reference = loop_sum(chunk, wtv, index)
        with clocks["count"]:
            counts = exact._counter.transform(chunk).tocsc()
        for name, model in (("exact", exact), ("pruned", pruned)):
            with clocks["products_" + name]:
                fast = _document_vectors(counts, model.word_matrix_, model.cluster_proba_, model.idf_)
            if name == "exact":
                with clocks["normalise"]:
                    l2_normalise(fast)
            else:
                l2_normalise(fast)
            worst[name] = max(worst[name], float(np.abs(fast - l2_normalise(reference.copy())).max()))
    results = {name: {"cpu_s": c.cpu, "wall_s": c.wall} for name, c in clocks.items()}
    loop_cpu = clocks["loop"].cpu
    for name in ("exact", "pruned"):
        vectorised = clocks["count"].cpu + clocks["products_" + name].cpu
        results[f"speedup_{name}"] = loop_cpu / vectorised
        results[f"speedup_{name}_products_only"] = loop_cpu / clocks["products_" + name].cpu
        results[f"max_abs_diff_{name}"] = worst[name]
    results.update(documents=len(token_lists), tokens=n_tokens, words=len(index), features=wtv.shape[1],
                   kept_proba_fraction=float(np.mean(pruned.cluster_proba_ > 0)), min_proba=args.min_proba)
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
