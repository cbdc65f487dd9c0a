"""Run gold questions through an assistant, timing each one, and collect the scored records.

``run_eval`` takes any object with ``ask(question, top_k=...)`` returning a ``qa.Answer``, so
it runs in-process against a real ``qa.Assistant`` (the end-to-end gate tests) or a fake.
A conversation's turns are asked in order through one conversation object of their own
(``qa.Conversation`` over the assistant unless a factory is given), so each follow-up is
read in the context of the turns before it, as in the chat.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
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
    conversation_factory: Callable[[], SupportsAsk] | None = None,
) -> EvalResult:
    """Ask every gold question with ``top_k=k`` and score the answers.

    Single questions go to ``assistant``; each conversation's turns go, in order, to one
    fresh object from ``conversation_factory`` (default ``qa.Conversation(assistant)``).
    ``corpus``, ``gold``, ``llm`` and ``answer_settings`` only label the result. Errors
    from ``ask`` propagate: a question that cannot be asked is a broken run, not a wrong
    answer. A conversation's turns out of order are a ValueError.
    """
    timestamp = datetime.now(UTC).isoformat(timespec="seconds")
    start = time.perf_counter()
    chats = _Conversations(conversation_factory or _default_factory(assistant))
    records = []
    with _progress_bar(progress) as bar:
        task = bar.add_task("eval", total=len(items))
        for item in items:
            bar.update(task, description=f"eval {item.id}")
            asker = (
                assistant
                if item.conversation is None
                else chats.for_turn(item.conversation, item.turn)
            )
            asked = time.perf_counter()
            answer = asker.ask(item.question, top_k=k)
            latency = time.perf_counter() - asked
            standalone = None if item.conversation is None else _standalone(asker)
            records.append(
                score_question(item, answer, k=k, latency_s=latency, standalone=standalone)
            )
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


class _Conversations:
    """One conversation object per gold conversation, made on its first turn."""

    def __init__(self, factory: Callable[[], SupportsAsk]) -> None:
        self.factory = factory
        self.open: dict[str, tuple[SupportsAsk, int]] = {}

    def for_turn(self, conversation: str, turn: int) -> SupportsAsk:
        """The conversation to ask ``turn`` in; a turn after a later one is an error, since
        it would be read against the wrong history."""
        chat, last = self.open.get(conversation) or (self.factory(), 0)
        if turn <= last:
            raise ValueError(
                f"conversation {conversation!r}: turn {turn} comes after turn {last}; "
                f"pass a conversation's turns in order"
            )
        self.open[conversation] = (chat, turn)
        return chat


def _default_factory(assistant: SupportsAsk) -> Callable[[], SupportsAsk]:
    """``qa.Conversation`` over ``assistant``, which must then be a real ``qa.Assistant``
    (the conversation streams through it); imported only when the gold has conversations."""

    def conversation() -> SupportsAsk:
        from qa import Conversation

        return Conversation(assistant)  # type: ignore[arg-type]

    return conversation


def _standalone(conversation: SupportsAsk) -> str | None:
    """The question the conversation last asked after rewriting, if it keeps its turns."""
    turns = getattr(conversation, "turns", None)
    return getattr(turns[-1], "standalone", None) if turns else None


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
