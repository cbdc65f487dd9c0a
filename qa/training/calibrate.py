"""Calibrate the reader on articles it never saw: blend, confidence, threshold, window cap.

    python -m qa.training.calibrate            # writes qa/answer/model/calibration.json

The shipped reader was trained without the articles of dev fold a. Their ``train.jsonl``
questions (not the gold ones) go through the real answer path up to the decision:
retrieval over all 15 dev articles, window ranking, the reader on every window. From
those readings this fits, and measures by leaving one article out at a time:

- the ranking blend: windows are ordered by ``reader logit + weight * evidence score``,
  the weight chosen for the share of answerable questions whose top window holds a gold
  answer;
- how many windows (best by evidence score) the reader must read to keep that share;
- the confidence: a logistic regression of "the question is answerable" on the top
  window's reader logit, its evidence score (retrieval-side signal) and its best span's
  score, so the probability is calibrated and blends all three;
- the refusal threshold: the highest confidence that keeps false refusals at or under
  ``TARGET_FALSE_REFUSALS`` on answerable questions.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from qa.answer.confidence import CALIBRATION_FILE, SPAN_SCORE_FLOOR, Calibration
from qa.answer.reader import READER_FILE, READER_SHA256, WindowText
from qa.answer.runtime import onnx_reader
from qa.answer.spans import complete_answer
from qa.answer.windows import rank_windows
from qa.assistant import Assistant
from qa.settings import Settings
from qa.training.card import write_card
from qa.training.examples import read_questions
from qa.training.folds import DEFAULT_DEVSETS, REPOSITORY, SHIPPED_HOLD_OUT, fold_articles
from qa.types import RetrievalFilters

TARGET_FALSE_REFUSALS = 0.1
RECORDS = REPOSITORY / "build" / "reader" / "calibration-records.json"


@dataclass(frozen=True)
class WindowRecord:
    logit: float
    evidence: float
    span_score: float
    holds_gold: bool
    span: str
    widened: str


@dataclass(frozen=True)
class QuestionRecord:
    question: str
    article: str
    answerable: bool
    answers: list[str]
    windows: list[WindowRecord]  # in evidence-score order


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _holds(text: str, answers: Sequence[str]) -> bool:
    return any(_normal(a) in _normal(text) for a in answers)


def collect(
    devsets: Path, questions: int, seed: int, home: Path, reader_file: Path | None = None
) -> list[QuestionRecord]:
    """Read every window of every sampled held-out question with the shipped reader.

    ``reader_file``: a reader just trained (not yet pinned) instead of the shipped one.
    """
    held_out = fold_articles(devsets, SHIPPED_HOLD_OUT)
    rows = [
        r
        for r in read_questions(devsets / "squad_dev15" / "train.jsonl")
        if r["article"] in held_out
    ]
    random.Random(seed).shuffle(rows)
    settings = Settings(home=home, collection="calibration-dev15", llm="none")
    assistant = Assistant(settings)  # retrieval and window ranking only
    assistant.ingest([devsets / "squad_dev15" / "articles"])
    # onnxruntime reads every window in half torch's time, with the same logits.
    reader = onnx_reader(
        reader_file or READER_FILE,
        base_dir=assistant.embedder.model_dir,
        sha256=None if reader_file else READER_SHA256,
        export=home / "reader.onnx",
        stamp_dir=home,
    )
    records = []
    for n, row in enumerate(rows[:questions], 1):
        passages = assistant.retriever.retrieve(row["question"], 5, RetrievalFilters())
        windows = rank_windows(row["question"], passages, assistant.embedder)
        readings = reader.read(
            row["question"], [WindowText(w.text, w.passage.title, w.previous) for w in windows]
        )
        records.append(
            QuestionRecord(
                question=row["question"],
                article=row["article"],
                answerable=not row.get("unanswerable"),
                answers=row["answers"],
                windows=[
                    WindowRecord(
                        logit=r.logit,
                        evidence=w.score,
                        span_score=r.span_score,
                        holds_gold=_holds(w.text, row["answers"]) if row["answers"] else False,
                        span=w.text[r.span[0] : r.span[1]],
                        widened=w.text[slice(*complete_answer(w.text, *r.span))]
                        if r.span[1] > r.span[0]
                        else "",
                    )
                    for w, r in zip(windows, readings, strict=True)
                ],
            )
        )
        if n % 100 == 0:
            print(f"read {n} questions")
    return records


def _best_f1(text: str, answers: Sequence[str]) -> float:
    """SQuAD-style token F1 against the closest gold answer (lower-cased words)."""
    got = _normal(text).split()
    best = 0.0
    for answer in answers:
        gold = _normal(answer).split()
        common = sum(min(got.count(w), gold.count(w)) for w in set(got))
        if common:
            precision, recall = common / len(got), common / len(gold)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def _top(record: QuestionRecord, weight: float, cap: int) -> WindowRecord | None:
    read = record.windows[:cap]
    return max(read, key=lambda w: w.logit + weight * w.evidence) if read else None


def top_hit_rate(records: Sequence[QuestionRecord], weight: float, cap: int) -> float:
    answerable = [r for r in records if r.answerable and r.windows]
    hits = [(top := _top(r, weight, cap)) is not None and top.holds_gold for r in answerable]
    return float(np.mean(hits))


def _features(records: Sequence[QuestionRecord], weight: float, cap: int) -> np.ndarray:
    rows = []
    for r in records:
        top = _top(r, weight, cap)
        rows.append(
            [top.logit, top.evidence, max(top.span_score, SPAN_SCORE_FLOOR)]
            if top
            else [-10.0, 0.0, SPAN_SCORE_FLOOR]
        )
    return np.array(rows)


def _threshold(confidence: np.ndarray, answerable: np.ndarray) -> float:
    """Highest threshold refusing at most TARGET_FALSE_REFUSALS of answerable questions."""
    ordered = np.sort(confidence[answerable])
    allowed = int(np.floor(TARGET_FALSE_REFUSALS * len(ordered)))
    return float(ordered[allowed]) if allowed < len(ordered) else float(ordered[-1])


def fit(records: Sequence[QuestionRecord]) -> tuple[Calibration, dict]:
    """Choose blend, cap, confidence and threshold; measure them by leaving articles out."""
    weights = [0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 1000.0]
    full = max(len(r.windows) for r in records)
    by_weight = {w: top_hit_rate(records, w, full) for w in weights}
    weight = max(weights[:-1], key=lambda w: by_weight[w])
    caps = [4, 6, 8, 10, 12, 16, full]
    by_cap = {c: top_hit_rate(records, weight, c) for c in caps}
    cap = next(c for c in caps if by_cap[c] >= by_cap[full] - 0.005)

    x = _features(records, weight, cap)
    y = np.array([r.answerable for r in records])
    articles = np.array([r.article for r in records])
    oof = np.zeros(len(records))
    refused = np.zeros(len(records), dtype=bool)
    for article in sorted(set(articles)):
        test = articles == article
        model = LogisticRegression().fit(x[~test], y[~test])
        train_conf = model.predict_proba(x[~test])[:, 1]
        oof[test] = model.predict_proba(x[test])[:, 1]
        refused[test] = oof[test] < _threshold(train_conf, y[~test])
    model = LogisticRegression().fit(x, y)
    confidence = model.predict_proba(x)[:, 1]
    threshold = _threshold(confidence, y)

    answerable = [r for r in records if r.answerable and r.windows]
    tops = [_top(r, weight, cap) for r in answerable]
    span_f1 = np.mean([_best_f1(t.span, r.answers) for t, r in zip(tops, answerable, strict=True)])
    widened_f1 = np.mean(
        [_best_f1(t.widened, r.answers) for t, r in zip(tops, answerable, strict=True)]
    )
    report = {
        "questions": len(records),
        "answerable": int(y.sum()),
        "articles": sorted(set(articles)),
        "top_window_holds_gold": {
            "evidence score alone": by_weight[1000.0],
            "reader alone": by_weight[0.0],
            f"blend (weight {weight})": by_weight[weight],
        },
        "top_window_holds_gold_by_windows_read": by_cap,
        "leave_one_article_out": {
            "auroc": float(roc_auc_score(y, oof)),
            "auroc_reader_logit_alone": float(roc_auc_score(y, x[:, 0])),
            "auroc_evidence_score_alone": float(roc_auc_score(y, x[:, 1])),
            "auroc_span_score_alone": float(roc_auc_score(y, x[:, 2])),
            "refusal_accuracy": float(refused[~y].mean()),
            "false_refusal_rate": float(refused[y].mean()),
        },
        "answer_f1_of_top_window": {"reader span": float(span_f1), "widened": float(widened_f1)},
    }
    logit_weight, evidence_weight, span_weight = (float(c) for c in model.coef_[0])
    calibration = Calibration(
        ranking_weight=weight,
        windows_read=cap,
        coefficients=(logit_weight, evidence_weight, span_weight),
        intercept=float(model.intercept_[0]),
        threshold=round(threshold, 4),
    )
    return calibration, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa.training.calibrate")
    parser.add_argument("--devsets", type=Path, default=DEFAULT_DEVSETS)
    parser.add_argument("--questions", type=int, default=800)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help=f"refit from {RECORDS}")
    parser.add_argument(
        "--reader", type=Path, help="calibrate this reader file (default: the shipped one)"
    )
    parser.add_argument(
        "--out", type=Path, default=CALIBRATION_FILE, help="default: the shipped calibration"
    )
    parser.add_argument("--records", type=Path, default=RECORDS)
    args = parser.parse_args(argv)
    if args.reuse:
        raw = json.loads(args.records.read_text())
        records = [
            QuestionRecord(**{**r, "windows": [WindowRecord(**w) for w in r["windows"]]})
            for r in raw
        ]
    else:
        with tempfile.TemporaryDirectory() as home:
            records = collect(args.devsets, args.questions, args.seed, Path(home), args.reader)
        args.records.parent.mkdir(parents=True, exist_ok=True)
        args.records.write_text(json.dumps([asdict(r) for r in records]))
    calibration, report = fit(records)
    args.out.write_text(
        json.dumps({"calibration": asdict(calibration), "measured": report}, indent=2) + "\n"
    )
    if args.out == CALIBRATION_FILE:
        write_card(CALIBRATION_FILE.parent)
    print(json.dumps(report, indent=2))
    print(f"wrote {args.out}: {asdict(calibration)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
