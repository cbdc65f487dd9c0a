"""The reader's cost per question: torch against onnxruntime, on the same windows.

    .venv/bin/python bench/reader_runtime.py [--windows 4,8,16] [--passes 3]
        [--out bench/results/reader_runtime.json]

Each seed gold question's windows (ranked as the answer path ranks them) are read,
capped at each window count, by the shipped reader in torch and in onnxruntime (the
``reader_runtime`` setting; ``qa/answer/runtime.py`` exports it), both on two threads.
Reported per question: median and p95 milliseconds, and the largest difference in
answer logits between the two runtimes (they must agree for the swap to be safe).
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

from eval import load_gold
from index import Embedder
from qa import Assistant, RetrievalFilters, Settings
from qa.answer import load_reader
from qa.answer.reader import WindowText
from qa.answer.windows import rank_windows

REPO = Path(__file__).resolve().parent.parent


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--windows", default="4,8,16")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "reader_runtime.json"
    )
    args = parser.parse_args()
    torch.set_num_threads(2)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), llm="none")
        embedder = Embedder.bundled(stamp_dir=settings.models_dir)
        assistant = Assistant(settings, embedder=embedder)
        assistant.ingest([REPO / "seeds"])
        items = load_gold(REPO / "eval" / "gold" / "seeds.jsonl", REPO / "seeds")
        questions = []
        for item in items:
            passages = assistant.retriever.retrieve(item.question, 5, RetrievalFilters())
            windows = rank_windows(item.question, passages, embedder)
            texts = [WindowText(w.text, w.passage.title, w.previous) for w in windows]
            questions.append((item.question, texts))
        readers = {
            runtime: load_reader(
                base_dir=embedder.model_dir, models_dir=settings.models_dir, runtime=runtime
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
            results[f"{cap} windows"] = {
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
    print(f"{'windows':>10s} {'torch p50':>10s} {'ort p50':>10s} {'torch p95':>10s} "
          f"{'ort p95':>10s} {'max diff':>10s}")
    for cap, r in results.items():
        print(f"{cap:>10s} {r['torch']['p50_ms']:10.1f} {r['onnxruntime']['p50_ms']:10.1f} "
              f"{r['torch']['p95_ms']:10.1f} {r['onnxruntime']['p95_ms']:10.1f} "
              f"{r['max_logit_difference']:10.2e}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
