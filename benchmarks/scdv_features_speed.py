"""SCDV feature formation: the vectorised path against the reference per-token loop.

Both sides start from the same token lists (stop words removed, as
``SCDV.transform`` sees them) and produce the unnormalised document vectors
sum_{w in D} wtv_w (float32, like the reference code) for the whole 20
Newsgroups corpus (train + test), in chunks of 2,048 documents. The loop adds
each token's word-topic vector (a dict lookup and one K*d-float add per
token, the reference code's way); the vectorised path builds the sparse count
matrix (``count_matrix``) and computes every document's K x d block matrix
as one small product A_D^T B_D, documents of similar length batched into
stacked matrix products on the idle cores. Each side writes chunk after
chunk into one float32 buffer of its own (as ``SCDV.transform`` does), so
neither pays for fresh pages per chunk. Wall-clock seconds are the
comparison (the vectorised side uses both cores when they are idle); process
CPU seconds are printed too. Every chunk is compared after l2 normalisation.

Word vectors come from ``--vectors`` (an npz saved by scdv_20ng.py
``--vectors-cache``) or are trained quickly here (1 epoch).

    .venv/bin/python benchmarks/scdv_features_speed.py --vectors /tmp/scdv_wv.npz [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


def loop_sum(token_lists, wtv, index, out):
    """The reference code's loop: one K*d-float add per in-vocabulary token, into the first rows of ``out``."""
    out = out[:len(token_lists)]
    out[:] = 0.0
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
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    from course_cnn.datasets import load_20newsgroups
    from course_cnn.scdv import SCDV, WordVectors, count_matrix, train_word2vec, word_topic_vectors
    from course_cnn.scdv.features import _document_vectors
    from course_cnn.scdv.sparsity import l2_normalise

    news = load_20newsgroups(args.archive)
    if args.vectors:
        saved = np.load(args.vectors)
        wv = WordVectors(list(saved["vocab"]), saved["matrix"])
    else:
        wv = train_word2vec(news.train_texts, dim=100, epochs=1)
    scdv = SCDV(n_clusters=args.clusters, word_vectors=wv).fit(news.train_texts)
    token_lists = scdv._tokenize(news.train_texts + news.test_texts)
    wtv = word_topic_vectors(scdv.word_matrix_, scdv.cluster_proba_, scdv.idf_)   # (V, K * d) float32
    index = scdv._word_index
    clocks = {name: Clock() for name in ("loop", "count", "products", "normalise")}
    worst, nnz = 0.0, 0
    # each side writes chunk after chunk into a buffer of its own, as SCDV.transform does
    loop_buffer, buffer = (np.empty((2048, wtv.shape[1]), dtype=np.float32) for _ in range(2))
    for start in range(0, len(token_lists), 2048):
        chunk = token_lists[start:start + 2048]
        with clocks["loop"]:
            reference = loop_sum(chunk, wtv, index, loop_buffer)
        with clocks["count"]:
            counts = count_matrix(chunk, index)
        with clocks["products"]:
            fast = _document_vectors(counts, scdv.word_matrix_, scdv.cluster_proba_, scdv.idf_, out=buffer)
        with clocks["normalise"]:
            l2_normalise(fast)
        nnz += counts.nnz
        worst = max(worst, float(np.abs(fast - l2_normalise(reference)).max()))
    results = {name: {"cpu_s": c.cpu, "wall_s": c.wall} for name, c in clocks.items()}
    vectorised = {kind: getattr(clocks["count"], kind) + getattr(clocks["products"], kind) for kind in ("wall", "cpu")}
    tokens = sum(len(t) for t in token_lists)
    flops = 2 * nnz * wtv.shape[1]
    results.update(
        speedup_wall=clocks["loop"].wall / vectorised["wall"], speedup_cpu=clocks["loop"].cpu / vectorised["cpu"],
        speedup_products_only_wall=clocks["loop"].wall / clocks["products"].wall, max_abs_diff=worst,
        documents=len(token_lists), tokens=tokens, in_vocabulary_tokens=int(sum(t in index for d in token_lists for t in d)),
        distinct_words_per_document_nnz=nnz, words=len(index), features=wtv.shape[1],
        products_gflop=flops / 1e9, products_gflop_per_s=flops / 1e9 / clocks["products"].wall,
        machine=f"{platform.machine()}, {os.cpu_count()} CPUs", numpy=np.__version__,
    )
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
