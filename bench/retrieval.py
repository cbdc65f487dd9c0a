"""Per-question retrieval time: raw Chroma query against our dense, BM25 and hybrid paths.

    .venv/bin/python bench/retrieval.py [--out bench/results/retrieval.json] [--passes 3]

Each corpus (the seeds and squad_dev15, with their gold questions) is ingested into a
fresh data directory. Question embeddings are computed once up front and reported on
their own, so every timed path starts from the same vector: raw Chroma is
``collection.query`` for ``k`` neighbours; the others are ``Retriever.retrieve`` (which
includes building passages, the BM25 index's freshness check, fusion and the rerank).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval.gold import load_gold
from index import Embedder
from qa import Assistant, RetrievalFilters, Settings
from qa.retrieval import Retriever

REPO = Path(__file__).resolve().parent.parent

DEV = REPO.parent / "shared" / "devsets" / "squad_dev15"
CORPORA = {
    "seeds": (REPO / "seeds", REPO / "eval" / "gold" / "seeds.jsonl"),
    "squad_dev15": (DEV / "articles", DEV / "gold.jsonl"),
}
PATHS = {
    "dense": {"retrieval": "dense", "rerank": False},
    "bm25": {"retrieval": "bm25", "rerank": False},
    "hybrid": {"retrieval": "hybrid", "rerank": False},
    "hybrid_rerank": {"retrieval": "hybrid", "rerank": True},  # the default
}


class PrecomputedQueries:
    """What ``Retriever`` uses of an ``Embedder``, with question vectors from a table."""

    def __init__(self, embedder: Embedder, vectors: dict[str, list[float]]) -> None:
        self.llama_embedding = embedder.llama_embedding
        self._vectors = vectors

    def embed_query(self, text: str) -> list[float]:
        return self._vectors[text]


def _ms(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return {
        "p50_ms": round(1000 * statistics.median(samples), 2),
        "p95_ms": round(1000 * cuts[18], 2),
    }


def time_calls(call: Callable[[str], object], questions: list[str], passes: int) -> list[float]:
    """Seconds per call of ``call(question)``, ``passes`` times over, after five warm-ups."""
    for question in questions[:5]:  # warm caches and lazy loads
        call(question)
    samples = []
    for _ in range(passes):
        for question in questions:
            started = time.perf_counter()
            call(question)
            samples.append(time.perf_counter() - started)
    return samples


def bench_corpus(name: str, embedder: Embedder, home: Path, k: int, passes: int) -> dict:
    corpus, gold = CORPORA[name]
    # A follow-up asked alone is not the question it stands for: single questions only.
    questions = [i.question for i in load_gold(gold, corpus) if i.conversation is None]
    settings = Settings(home=home, collection=f"bench-{name}", llm="none", top_k=k)
    assistant = Assistant(settings, embedder=embedder)
    assistant.ingest([corpus])
    collection = assistant.store.vector_store.client

    started = time.perf_counter()
    vectors = {q: embedder.embed_query(q) for q in questions}
    embed_s = (time.perf_counter() - started) / len(questions)
    precomputed: Any = PrecomputedQueries(embedder, vectors)

    result: dict = {
        "chunks": collection.count(),
        "questions": len(questions),
        "k": k,
        "question_embedding": {"mean_ms": round(1000 * embed_s, 2)},
        "raw_chroma": _ms(
            time_calls(
                lambda q: collection.query(query_embeddings=[vectors[q]], n_results=k),
                questions,
                passes,
            )
        ),
    }
    for path, changes in PATHS.items():
        retriever = Retriever.from_settings(
            settings.model_copy(update=changes), assistant.store, precomputed
        )
        retriever.refresh()
        samples = time_calls(
            lambda q, r=retriever: r.retrieve(q, k, RetrievalFilters()), questions, passes
        )
        result[path] = _ms(samples)
    lexical = Retriever.from_settings(settings, assistant.store, precomputed)._lexical
    assert lexical is not None
    result["bm25_freshness_check"] = _ms(time_calls(lambda q: lexical.refresh(), questions, passes))
    started = time.perf_counter()
    lexical._build = None  # force a load from disk
    lexical.refresh()
    result["bm25_load_ms"] = round(1000 * (time.perf_counter() - started), 1)
    started = time.perf_counter()
    lexical._rebuild(assistant.store.revision())
    result["bm25_rebuild_ms"] = round(1000 * (time.perf_counter() - started), 1)
    for path in PATHS:
        result[path]["p95_over_raw_ms"] = round(
            result[path]["p95_ms"] - result["raw_chroma"]["p95_ms"], 2
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "retrieval.json")
    parser.add_argument("--passes", type=int, default=3, help="times each question is asked")
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as home:
        embedder = Embedder.bundled(stamp_dir=Path(home) / "models")
        for name in CORPORA:
            results[name] = bench_corpus(name, embedder, Path(home), args.k, args.passes)
    for name, r in results.items():
        print(
            f"{name}: {r['chunks']} chunks, {r['questions']} questions, k={r['k']}, "
            f"question embedding {r['question_embedding']['mean_ms']} ms (not included)"
        )
        for path in ("raw_chroma", *PATHS, "bm25_freshness_check"):
            extra = r[path].get("p95_over_raw_ms")
            over = f"   p95 over raw {extra:+.2f} ms" if extra is not None else ""
            p50, p95 = r[path]["p50_ms"], r[path]["p95_ms"]
            print(f"  {path:22s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms{over}")
        print(f"  bm25 load {r['bm25_load_ms']} ms, rebuild {r['bm25_rebuild_ms']} ms")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
