"""The answer path with and without the trained reader, one step at a time, side by side.

    .venv/bin/python bench/reader_variants.py [--sets seeds,dev15,news] [--limit N]
        [--variant NAME ...] [--out bench/results/reader_variants.json]

Every variant answers the same gold questions over the same store, in one process, so the
latency ratios hold on a noisy machine. The sets:

- ``seeds``: the seed articles and ``eval/gold/seeds.jsonl``;
- ``dev15``: squad_dev15 gold questions on the dev articles the shipped reader never saw
  (fold a; the reader was trained on the other fold's articles), retrieval over all 15;
- ``news``: the fictional wire articles and questions of ``eval/news`` (report-only).

The variants, each adding one step to the one before:

- ``before the reader``: the evidence score decides, Gemma phrases the answer;
- ``before, no LLM``: the same decision, the evidence sentence as the answer (the cost of
  the path without any model beyond MiniLM, to isolate what the reader adds);
- ``reader: refusal only``: the reader's calibrated confidence declines, windows keep the
  evidence order, Gemma phrases the answer;
- ``+ window ranking``: windows ordered by the blend of reader and evidence score;
- ``+ span answers (Gemma dropped)``: the reader's span is the answer, no LLM at all,
  with the first calibration's confidence (the top window's reader logit and evidence
  score);
- ``+ span score in the confidence``: the same, with the shipped calibration, whose
  confidence also weighs the best span's score (the default).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval import load_gold, run_eval
from index import Embedder
from qa import Assistant, Settings
from qa.answer import Calibration
from qa.training import DEFAULT_DEVSETS, SHIPPED_HOLD_OUT, fold_articles

REPO = Path(__file__).resolve().parent.parent
DEV = DEFAULT_DEVSETS / "squad_dev15"
SETS: dict[str, tuple[Path, Path, Callable[[str], bool]]] = {
    "seeds": (REPO / "seeds", REPO / "eval" / "gold" / "seeds.jsonl", lambda _: True),
    "dev15": (
        DEV / "articles",
        DEV / "gold.jsonl",
        lambda article: article in fold_articles(DEFAULT_DEVSETS, SHIPPED_HOLD_OUT),
    ),
    "news": (
        REPO / "eval" / "news" / "articles",
        REPO / "eval" / "news" / "gold.jsonl",
        lambda _: True,
    ),
}
EVIDENCE_ORDER = {"ranking_weight": 1000.0}  # orders windows by evidence score alone
FIRST_CONFIDENCE = {
    # The confidence fitted before the span score joined it (same reader, same records).
    "coefficients": (0.21039436128939826, 2.136430517267251, 0.0),
    "intercept": -2.8846376899519237,
    "threshold": 0.3175,
}
SPAN_ANSWERS = {"answer_extraction": "span", "llm": "none"}
VARIANTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # name: (settings, calibration fields replaced)
    "before the reader": ({"reader": False, "answer_extraction": "llm"}, {}),
    "before, no LLM": ({"reader": False, "answer_extraction": "sentence", "llm": "none"}, {}),
    "reader: refusal only": ({"answer_extraction": "llm"}, EVIDENCE_ORDER | FIRST_CONFIDENCE),
    "+ window ranking": ({"answer_extraction": "llm"}, FIRST_CONFIDENCE),
    "+ span answers (Gemma dropped)": (SPAN_ANSWERS, FIRST_CONFIDENCE),
    "+ span score in the confidence": (SPAN_ANSWERS, {}),
}
COLUMNS = {
    "answerability_auroc": "AUROC",
    "refusal_accuracy": "refusal",
    "false_refusal_rate": "false ref.",
    "accuracy": "accuracy",
    "f1": "F1",
    "answer_words_mean": "words",
    "citation_precision": "cit. prec.",
    "latency_p50_s": "p50 s",
}


def run_set(
    name: str, home: Path, embedder: Embedder, limit: int | None, variants: list[str]
) -> dict[str, Any]:
    corpus, gold, keep = SETS[name]
    items = tuple(i for i in load_gold(gold, corpus) if keep(i.article))[:limit]
    base = Settings(home=home, collection=f"bench-{name}")
    Assistant(base, embedder=embedder).ingest([corpus])
    bundled = Calibration.bundled(stamp_dir=base.models_dir)
    reader = None
    results: dict[str, Any] = {"questions": len(items), "variants": {}}
    for variant in variants:
        update, calibrated = VARIANTS[variant]
        calibration = dataclasses.replace(bundled, **calibrated)
        assistant = Assistant(
            base.model_copy(update=update),
            embedder=embedder,
            reader=reader,
            calibration=calibration,
        )
        result = run_eval(assistant, items, k=base.top_k)
        if assistant.settings.reader:
            reader = assistant.reader  # loaded once, shared by the later variants
        metrics = {key: result.metrics.get(key) for key in COLUMNS}
        metrics["total_s_mean"] = statistics.fmean(r.answer.timings.total_s for r in result.records)
        metrics["read_questions"] = sum(r.answer.confidence is not None for r in result.records)
        results["variants"][variant] = metrics
        print(f"  {name} / {variant}: done", flush=True)
    return results


def _cell(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, help="only the first N questions of each set")
    parser.add_argument(
        "--variant",
        action="append",
        choices=list(VARIANTS),
        help="run only this variant (repeatable; default: all, in order)",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "reader_variants.json"
    )
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as home:
        embedder = Embedder.bundled(stamp_dir=Path(home) / "models")
        for name in args.sets.split(","):
            variants = args.variant or list(VARIANTS)
            results[name] = run_set(name, Path(home), embedder, args.limit, variants)
    header = f"{'set':6s} {'variant':32s} " + " ".join(f"{c:>10s}" for c in COLUMNS.values())
    print(header)
    for name, result in results.items():
        for variant, metrics in result["variants"].items():
            cells = " ".join(f"{_cell(metrics[key]):>10s}" for key in COLUMNS)
            print(f"{name:6s} {variant:32s} {cells}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
