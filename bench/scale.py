"""Retrieval at scale: ragqa's default retrieval against a raw Chroma query, up to N chunks.

    .venv/bin/python bench/scale.py --chunks 20000 --json out.json [--server] [--sizes 1000,10000]

The scaled corpus is built from real text: the articles of squad_dev15 and the seeds are
chunked and embedded once, for real, and their chunks copied until the collection holds
``N``. Copy ``c`` of a chunk keeps its text with one marker word added (``copy<c>``, so
BM25 indexes distinct documents) and gets a near-duplicate vector, the real one plus
Gaussian noise (sigma 0.02 a dimension, cosine about 0.93 to the original) renormalised,
so 100k chunks need not be embedded for a latency run. Copies are grouped a hundred
chunks to an article, and each article gets one of 20 sources and a date in 2020-2024,
so filtered questions select real subsets. The collection grows through each size in
``--sizes`` (then ``N``), written by ``ArticleStore.write_article`` as an ingest would.

At each size, every squad_dev15 gold question (embedded once up front, the same vector
for every path) is timed through: a raw ``collection.query`` for ``k`` neighbours; the
default retrieval (``Retriever.retrieve``: hybrid dense + BM25 with the rerank, including
the BM25 revision check and building passages); and the same with a source filter. Also
reported: the BM25 build time, the memory the BM25 build holds, and the process's RSS.
With ``--server`` the collection lives on a ``chroma run`` server on a free loopback port.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from retrieval import PrecomputedQueries, time_calls  # bench/retrieval.py, run from bench/

from eval.gold import load_gold
from index import Chunk, Embedder, StoredChunk
from qa import Assistant, RetrievalFilters, Settings
from qa.retrieval import Retriever

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the Chroma server launcher the tests use
from tests.chroma_server import chroma_server  # noqa: E402

DEV = REPO.parent / "shared" / "devsets" / "squad_dev15"
SOURCES = tuple(f"Source {n:02d}" for n in range(20))
CHUNKS_PER_ARTICLE = 100
NOISE_SIGMA = 0.02
FIRST_DAY = date(2020, 1, 1).toordinal()
LAST_DAY = date(2024, 12, 31).toordinal()


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _ms(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50_ms": round(1000 * statistics.median(samples), 2),
        "p95_ms": round(1000 * cuts[94], 2),
        "p99_ms": round(1000 * cuts[98], 2),
    }


def _time(call: Callable[[str], object], questions: list[str], passes: int) -> dict[str, float]:
    return _ms(time_calls(call, questions, passes))


def _real_chunks(settings: Settings, embedder: Embedder) -> tuple[list[StoredChunk], np.ndarray]:
    """The real chunks and vectors the copies are made from, ingested as ``ragqa ingest`` does."""
    source = Assistant(
        settings.model_copy(update={"collection": "scale-source", "chroma_url": None}),
        embedder=embedder,
    )
    source.ingest([DEV / "articles", REPO / "seeds"])
    chunks = source.store.chunks()
    stored = source.store.vectors([c.chunk_id for c in chunks])
    return chunks, np.stack([stored[c.chunk_id] for c in chunks]).astype(np.float32)


def _copies(
    chunks: list[StoredChunk], vectors: np.ndarray, start: int, stop: int, rng: np.random.Generator
) -> Iterator[tuple[list[Chunk], np.ndarray]]:
    """Scaled-corpus chunks ``start`` to ``stop``, an article (a hundred chunks) at a time."""
    for first in range(start, stop, CHUNKS_PER_ARTICLE):
        number = first // CHUNKS_PER_ARTICLE
        article_id = f"scaled/{number:06d}"
        day = date.fromordinal(int(rng.integers(FIRST_DAY, LAST_DAY + 1)))
        count = min(CHUNKS_PER_ARTICLE, stop - first)
        picked = [(first + i) % len(chunks) for i in range(count)]
        article = [
            Chunk(
                chunk_id=f"{article_id}-{i}",
                article_id=article_id,
                title=chunks[p].title,
                file_name=f"{number:06d}.txt",
                text=f"{chunks[p].text} copy{(first + i) // len(chunks)}",
                start=chunks[p].start,
                end=chunks[p].end,
                ordinal=i,
                chunk_count=count,
                content_hash=f"{number:064x}",
                file_path=article_id,
                source=SOURCES[number % len(SOURCES)],
                published=day.isoformat(),
                sentences=chunks[p].sentence_spans,  # stored at ingest, as ragqa ingest does
            )
            for i, p in enumerate(picked)
        ]
        noisy = vectors[picked] + rng.normal(0, NOISE_SIGMA, (count, vectors.shape[1]))
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        yield article, noisy.astype(np.float32)


def _measure(
    assistant: Assistant,
    queries: PrecomputedQueries,
    vectors: dict[str, list[float]],
    questions: list[str],
    k: int,
    passes: int,
) -> dict[str, Any]:
    store = assistant.store
    collection = store._collection  # raw Chroma, the baseline a user would write
    retriever = Retriever.from_settings(assistant.settings, store, queries)
    lexical = retriever._lexical
    assert lexical is not None
    gc.collect()
    rss_before = _rss_mb()
    started = time.perf_counter()
    lexical.refresh()  # the build an ingest leaves behind, timed on its own
    build_s = time.perf_counter() - started
    gc.collect()
    bm25_mb = _rss_mb() - rss_before
    filtered = RetrievalFilters(sources=SOURCES[:2])
    result: dict[str, Any] = {
        "chunks": store.chunk_total(),
        "bm25_build_s": round(build_s, 2),
        "bm25_rss_mb": round(bm25_mb, 1),
        "raw_chroma": _time(
            lambda q: collection.query(query_embeddings=[vectors[q]], n_results=k),
            questions,
            passes,
        ),
        "ragqa": _time(lambda q: retriever.retrieve(q, k, RetrievalFilters()), questions, passes),
        "raw_chroma_filtered": _time(
            lambda q: collection.query(
                query_embeddings=[vectors[q]],
                n_results=k,
                where={"source": {"$in": list(filtered.sources)}},
            ),
            questions,
            passes,
        ),
        "ragqa_filtered": _time(lambda q: retriever.retrieve(q, k, filtered), questions, passes),
        "revision_check": _time(lambda q: store.revision(), questions, passes),
        "process_rss_mb": round(_rss_mb(), 1),
    }
    for path in ("ragqa", "ragqa_filtered"):
        baseline = result["raw_chroma_filtered" if "filtered" in path else "raw_chroma"]
        result[path]["p95_over_raw_ms"] = round(result[path]["p95_ms"] - baseline["p95_ms"], 2)
    return result


def run(chunk_target: int, sizes: list[int], server: bool, k: int, passes: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        settings = Settings(home=home, collection="scale", llm="none", top_k=k)
        # The shared export, as ``ragqa`` uses it: making one here would import torch.
        embedder = Embedder.bundled(
            stamp_dir=settings.models_dir, export_dir=settings.model_cache
        )
        questions = [item.question for item in load_gold(DEV / "gold.jsonl", DEV / "articles")]
        vectors = {q: embedder.embed_query(q) for q in questions}
        queries: Any = PrecomputedQueries(embedder, vectors)
        chunks, chunk_vectors = _real_chunks(settings, embedder)
        with _deployment(home, server) as chroma_url:
            if chroma_url:
                settings = settings.model_copy(update={"chroma_url": chroma_url})
            assistant = Assistant(settings, embedder=embedder)
            rng = np.random.default_rng(0)
            results: dict[str, Any] = {
                "deployment": "server" if server else "embedded",
                "k": k,
                "questions": len(questions),
                "real_chunks": len(chunks),
                "sizes": [],
            }
            written = 0
            for size in sorted({*sizes, chunk_target}):
                started = time.perf_counter()
                with assistant.store.batch():
                    for article, noisy in _copies(chunks, chunk_vectors, written, size, rng):
                        assistant.store.write_article(article, noisy.tolist())
                write_s = time.perf_counter() - started
                print(f"wrote {size - written} chunks in {write_s:.0f} s", file=sys.stderr)
                measured = _measure(assistant, queries, vectors, questions, k, passes)
                measured["write_chunks_per_s"] = round((size - written) / write_s, 1)
                written = size
                results["sizes"].append(measured)
                _print(results["deployment"], measured)
    return results


@contextmanager
def _deployment(home: Path, server: bool) -> Iterator[str]:
    if not server:
        yield ""
        return
    folder = home / "chroma-server"
    folder.mkdir()
    with chroma_server(folder / "data", folder / "server.log") as url:
        yield url


def _print(deployment: str, r: dict[str, Any]) -> None:
    print(
        f"{deployment} {r['chunks']} chunks: BM25 build {r['bm25_build_s']} s, "
        f"{r['bm25_rss_mb']} MB; process {r['process_rss_mb']} MB"
    )
    for path in ("raw_chroma", "ragqa", "raw_chroma_filtered", "ragqa_filtered", "revision_check"):
        over = r[path].get("p95_over_raw_ms")
        extra = f"   p95 over raw {over:+.2f} ms" if over is not None else ""
        print(
            f"  {path:20s} p50 {r[path]['p50_ms']:7.2f}   p95_ms {r[path]['p95_ms']:7.2f}   "
            f"p99 {r[path]['p99_ms']:7.2f}{extra}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=100_000, help="the largest size")
    parser.add_argument("--sizes", default="1000,10000", help="smaller sizes measured first")
    parser.add_argument("--server", action="store_true", help="over a chroma run server")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "scale.json")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--passes", type=int, default=2, help="times each question is asked")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s and int(s) < args.chunks]
    results = run(args.chunks, sizes, args.server, args.k, args.passes)
    results["cores"] = os.cpu_count()
    results["date"] = date.today().isoformat()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
