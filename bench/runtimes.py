"""The models' cost: torch against onnxruntime (the ``runtime`` setting), same inputs.

    .venv/bin/python bench/runtimes.py [--windows 4,8,16] [--passes 3]
        [--out bench/results/runtimes.json]

The embedder: every seeds and squad_dev15 gold question embedded as a query (median and
p95 ms), and the chunks of the squad_dev15 articles embedded as at ingest (chunks/s),
by MiniLM in torch (sentence-transformers through llama-index) and in onnxruntime
(``index/onnx.py`` exports it, int8), with the lowest and mean cosine between their
vectors. Whether int8 costs retrieval: for every answerable gold question of each
corpus, whether its nearest 5 chunks of that corpus (exact cosine search) hold a gold
answer, with questions and chunks embedded by each runtime, and crossed (int8
questions over chunks stored by torch, as after a change of runtime).

The reader: each seed gold question's windows (ranked as the answer path ranks them)
are read, capped at each window count, by the shipped reader in torch and in
onnxruntime, both on two threads. Reported per question: median and p95 milliseconds,
and the largest difference in answer logits between the two runtimes (they must agree
for the swap to be safe).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from retrieval import CORPORA  # bench/retrieval.py's corpora and gold, run from bench/

from eval import GoldItem, load_gold
from eval.normalize import contains_answer
from index import Embedder
from qa import Assistant, RetrievalFilters, Settings
from qa.answer import load_reader
from qa.answer.reader import WindowText
from qa.answer.windows import rank_windows

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "devsets" / "squad_dev15"


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


STORED_BY = {"float": "torch", "int8": "onnxruntime"}


def _recall_at_5(
    settings: Settings, embedders: dict[str, Embedder], corpus: str
) -> dict[str, float]:
    """Share of answerable questions whose 5 nearest chunks hold a gold answer, per pairing."""
    articles, gold = CORPORA[corpus]
    items: list[GoldItem] = [
        i for i in load_gold(gold, articles) if not i.unanswerable and i.conversation is None
    ]
    source = Assistant(
        settings.model_copy(update={"collection": f"recall-{corpus}"}),
        embedder=embedders["torch"],
    )
    source.ingest([articles])
    chunks = [c.text for c in source.store.chunks()]
    stored = {name: np.asarray(embedders[r].embed_texts(chunks)) for name, r in STORED_BY.items()}
    asked = {
        name: np.asarray([embedders[r].embed_query(i.question) for i in items])
        for name, r in STORED_BY.items()
    }
    pairings = {
        "float": ("float", "float"),
        "int8": ("int8", "int8"),
        "int8 questions, float chunks": ("int8", "float"),
    }
    result: dict[str, float] = {"questions": len(items), "chunks": len(chunks)}
    for label, (question_kind, chunk_kind) in pairings.items():
        nearest = np.argsort(-(asked[question_kind] @ stored[chunk_kind].T), axis=1)[:, :5]
        hits = [
            any(contains_answer(chunks[c], a) for c in row for a in item.answers)
            for item, row in zip(items, nearest, strict=True)
        ]
        result[label] = round(sum(hits) / len(hits), 4)
    return result


def _bench_embedders(settings: Settings, embedders: dict[str, Embedder], passes: int) -> dict:
    questions = [
        item.question
        for articles, gold in CORPORA.values()
        for item in load_gold(gold, articles)
        if item.conversation is None
    ]
    source = Assistant(
        settings.model_copy(update={"collection": "runtimes"}), embedder=embedders["torch"]
    )
    source.ingest([DEV / "articles"])
    chunks = [c.text for c in source.store.chunks()]
    result: dict[str, Any] = {"questions": len(questions), "chunks": len(chunks)}
    vectors = {}
    for runtime, embedder in embedders.items():
        embedder._query_vector.cache_clear()
        times = []
        for _ in range(passes):
            for question in questions:
                started = time.perf_counter()
                embedder._embed_query_uncached(question)
                times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        vectors[runtime] = np.asarray(embedder.embed_texts(chunks))
        seconds = time.perf_counter() - started
        result[runtime] = {
            "query_p50_ms": round(statistics.median(times), 2),
            "query_p95_ms": round(_percentile(times, 95), 2),
            "chunks_per_s": round(len(chunks) / seconds, 1),
        }
    cosines = (vectors["torch"] * vectors["onnxruntime"]).sum(axis=1)
    result["min_cosine"] = round(float(cosines.min()), 4)
    result["mean_cosine"] = round(float(cosines.mean()), 4)
    result["recall_at_5"] = {
        corpus: _recall_at_5(settings, embedders, corpus) for corpus in CORPORA
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--windows", default="4,8,16")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "runtimes.json")
    args = parser.parse_args()
    torch.set_num_threads(2)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), llm="none", model_cache=Path(home) / "cache")
        embedders = {
            runtime: Embedder.bundled(
                stamp_dir=settings.models_dir, runtime=runtime, export_dir=settings.model_cache
            )
            for runtime in ("torch", "onnxruntime")
        }
        embedder = embedders["onnxruntime"]
        results["embedder"] = _bench_embedders(settings, embedders, args.passes)
        assistant = Assistant(settings, embedder=embedder)
        assistant.ingest([REPO / "seeds"])
        items = load_gold(REPO / "eval" / "gold" / "seeds.jsonl", REPO / "seeds")
        questions = []
        for item in (i for i in items if i.conversation is None):
            passages = assistant.retriever.retrieve(item.question, 5, RetrievalFilters())
            windows = rank_windows(item.question, passages, embedder)
            texts = [WindowText(w.text, w.passage.title, w.previous) for w in windows]
            questions.append((item.question, texts))
        readers = {
            runtime: load_reader(
                base_dir=embedder.model_dir,
                stamp_dir=settings.models_dir,
                export_dir=settings.model_cache,
                runtime=runtime,
            )
            for runtime in ("torch", "onnxruntime")
        }

        for cap in (int(c) for c in args.windows.split(",")):
            times: dict[str, list[float]] = {"torch": [], "onnxruntime": []}
            worst = 0.0
            for _ in range(args.passes):
                for question, texts in questions:
                    chosen = texts[:cap]
                    logits = {}
                    for name, reader in readers.items():
                        started = time.perf_counter()
                        logits[name] = np.array([r.logit for r in reader.read(question, chosen)])
                        times[name].append((time.perf_counter() - started) * 1000)
                    worst = max(worst, float(np.abs(logits["torch"] - logits["onnxruntime"]).max()))
            results.setdefault("reader", {})[f"{cap} windows"] = {
                **{
                    name: {
                        "p50_ms": round(statistics.median(t), 1),
                        "p95_ms": round(_percentile(t, 95), 1),
                    }
                    for name, t in times.items()
                },
                "max_logit_difference": worst,
                "questions": len(questions),
                "mean_windows": statistics.fmean(min(cap, len(t)) for _, t in questions),
            }
    e = results["embedder"]
    print(f"{'embedder':>10s} {'torch':>10s} {'ort':>10s}")
    for key in ("query_p50_ms", "query_p95_ms", "chunks_per_s"):
        print(f"{key:>14s} {e['torch'][key]:10.1f} {e['onnxruntime'][key]:10.1f}")
    print(f"cosine torch/ort: min {e['min_cosine']:.4f}, mean {e['mean_cosine']:.4f}")
    print(f"{'recall@5':>14s} " + " ".join(f"{k:>30s}" for k in e["recall_at_5"]["seeds"]))
    for corpus, recall in e["recall_at_5"].items():
        print(f"{corpus:>14s} " + " ".join(f"{v:30.4f}" for v in recall.values()))
    print(
        f"{'windows':>10s} {'torch p50':>10s} {'ort p50':>10s} {'torch p95':>10s} "
        f"{'ort p95':>10s} {'max diff':>10s}"
    )
    for cap, r in results["reader"].items():
        print(
            f"{cap:>10s} {r['torch']['p50_ms']:10.1f} {r['onnxruntime']['p50_ms']:10.1f} "
            f"{r['torch']['p95_ms']:10.1f} {r['onnxruntime']['p95_ms']:10.1f} "
            f"{r['max_logit_difference']:10.2e}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
