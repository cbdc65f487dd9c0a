"""Run gold questions through an assistant, timing each one, and collect the scored records.

``run_eval`` takes any object with ``ask(question, top_k=...)`` returning a ``qa.Answer``, so
it runs in-process against a real ``qa.Assistant`` (the end-to-end gate tests) or a fake.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from eval.confidence import CoveragePoint, risk_coverage
from eval.gold import GoldItem
from eval.metrics import MetricValue, QuestionRecord, aggregate, score_question

if TYPE_CHECKING:
    from qa import Answer


class SupportsAsk(Protocol):
    def ask(self, question: str, *, top_k: int | None = None) -> Answer: ...


@dataclass(frozen=True)
class RunConfig:
    """What was run, recorded in the JSON so two results can be told apart."""

    corpus: str | None
    gold: str | None
    k: int | None
    llm: str | None
    backend: str | None
    n_questions: int
    total_s: float
    timestamp: str  # when the run started, ISO 8601 UTC
    # Settings that shape answers (retrieval, chunking, answer style, refusal rules).
    answer_settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvalResult:
    config: RunConfig
    records: tuple[QuestionRecord, ...]
    metrics: Mapping[str, MetricValue]

    @property
    def risk_coverage(self) -> tuple[CoveragePoint, ...]:
        """Accuracy against coverage as the confidence threshold moves (``eval.confidence``)."""
        return risk_coverage(self.records)

    def to_dict(self) -> dict[str, Any]:
        return {
            "config": asdict(self.config),
            "metrics": dict(self.metrics),
            "risk_coverage": [p.to_dict() for p in self.risk_coverage],
            "questions": [r.to_dict() for r in self.records],
        }


def run_eval(
    assistant: SupportsAsk,
    items: Sequence[GoldItem],
    *,
    k: int | None = None,
    progress: bool = False,
    corpus: str | None = None,
    gold: str | None = None,
    llm: str | None = None,
    answer_settings: Mapping[str, Any] | None = None,
) -> EvalResult:
    """Ask every gold question with ``top_k=k`` and score the answers.

    ``corpus``, ``gold``, ``llm`` and ``answer_settings`` only label the result. Errors
    from ``ask`` propagate: a question that cannot be asked is a broken run, not a wrong
    answer.
    """
    timestamp = datetime.now(UTC).isoformat(timespec="seconds")
    start = time.perf_counter()
    records = []
    with _progress_bar(progress) as bar:
        task = bar.add_task("eval", total=len(items))
        for item in items:
            bar.update(task, description=f"eval {item.id}")
            asked = time.perf_counter()
            answer = assistant.ask(item.question, top_k=k)
            latency = time.perf_counter() - asked
            records.append(score_question(item, answer, k=k, latency_s=latency))
            bar.advance(task)
    config = RunConfig(
        corpus=corpus,
        gold=gold,
        k=k,
        llm=llm,
        backend=records[0].answer.backend if records else None,
        n_questions=len(records),
        total_s=round(time.perf_counter() - start, 3),
        timestamp=timestamp,
        answer_settings=dict(answer_settings or {}),
    )
    return EvalResult(config, tuple(records), aggregate(records))


def write_json(result: EvalResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")


def _progress_bar(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not enabled,
    )
