"""Our TensorFlow SGNS against gensim's Word2Vec: words/second on the same corpus, same settings.

gensim is not a dependency of course_cnn; install it anywhere importable
(``pip install --target /tmp/gensim_pkgs gensim`` and ``PYTHONPATH=/tmp/gensim_pkgs``).
Both train skip-gram, negative sampling (with ``--hs`` also a hierarchical softmax), the same window, negatives,
min_count, subsampling and epochs on the first ``--docs`` 20 Newsgroups
training posts, one after the other in this process; the script prints
words/second (corpus words in the vocabulary per second of training, before
subsampling, as gensim counts them) and the ratio, and checks the two
vocabularies agree.

    PYTHONPATH=/tmp/gensim_pkgs nice -n 10 .venv/bin/python benchmarks/scdv_word2vec_speed.py --docs 3000 --dim 100
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", default=None)
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gensim threads (this machine has 2 cores)")
    parser.add_argument("--hs", action="store_true", help="both also train a hierarchical softmax (gensim's hs=1)")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    from gensim.models import Word2Vec

    from course_cnn.datasets import load_20newsgroups
    from course_cnn.scdv import tokenize, train_word2vec

    texts = load_20newsgroups(args.archive).train_texts[:args.docs]
    tokens = [tokenize(t) for t in texts]
    settings = dict(window=10, negative=10, min_count=20, sample=1e-3, epochs=args.epochs)

    ours = train_word2vec(tokens, dim=args.dim, seed=0, hs=args.hs, **settings)
    words = sum(len(t) for t in tokens)
    name = "TF SGNS + HS" if args.hs else "TF SGNS"
    print(f"ours ({name}, batch 4096): {ours.stats['words_per_second']:,.0f} words/s, "
          f"CPU {ours.stats['cpu_seconds']:.0f} s, "
          f"{ours.stats['pairs_per_second']:,.0f} pairs/s, {ours.stats['seconds']:.1f} s")

    start = time.perf_counter()
    model = Word2Vec(vector_size=args.dim, sg=1, hs=int(args.hs), seed=1, workers=args.workers,
                     window=settings["window"], negative=settings["negative"], min_count=settings["min_count"],
                     sample=settings["sample"])
    model.build_vocab(tokens)
    build = time.perf_counter() - start
    start, cpu_start = time.perf_counter(), time.process_time()
    model.train(tokens, total_examples=len(tokens), epochs=args.epochs)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    in_vocab = sum(1 for t in tokens for w in t if w in model.wv.key_to_index)
    gensim_rate = args.epochs * in_vocab / seconds
    print(f"gensim Word2Vec (sg, {args.workers} workers): {gensim_rate:,.0f} words/s, CPU {cpu_seconds:.0f} s, {seconds:.1f} s "
          f"(+{build:.1f} s vocabulary)")
    print(f"vocabularies equal: {sorted(model.wv.index_to_key) == sorted(ours.vocab)} ({len(ours)} words); "
          f"{words:,} tokens; gensim / ours = {gensim_rate / ours.stats['words_per_second']:.1f}x")
    for word in ("god", "space", "windows"):
        if word in ours and word in model.wv:
            print(f"  {word}: ours {[w for w, _ in ours.most_similar(word, 5)]}, "
                  f"gensim {[w for w, _ in model.wv.most_similar(word, topn=5)]}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ours_words_per_second": ours.stats["words_per_second"], "gensim_words_per_second": gensim_rate,
                       "ours_seconds": ours.stats["seconds"], "gensim_seconds": seconds,
                       "ours_cpu_seconds": ours.stats["cpu_seconds"], "gensim_cpu_seconds": cpu_seconds, "tokens": words,
                       "vocab": len(ours), "args": vars(args)}, f, indent=2)


if __name__ == "__main__":
    main()
