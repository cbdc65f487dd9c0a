"""Deterministic scoring: one gold item plus one ``Answer`` in, one ``QuestionRecord`` out.

No LLM judge anywhere, so a score changes only when the answers change. ``score_question``
scores one answer; ``aggregate`` turns records into the metrics table, whose keys and
directions are listed once in ``METRICS``. Functions here only read the Answer's fields, so
unit tests build Answers by hand.

Faithfulness is a lexical proxy, not entailment: an answer sentence counts as supported
when at least ``FAITHFUL_COVERAGE`` of its content words (``normalize.content_words``)
occur in the union of the passages its ``[n]`` markers cite; a sentence with no marker, or
whose markers point at no passage, is unsupported. It is computed here from the answer text
and passages alone, never with the answer path's own citation check, so it can catch that
check going wrong.

A conversation's turns are scored one by one like questions, so every metric above covers
them too; ``first_turn_accuracy`` and ``followup_accuracy`` then compare the outcome (an
answerable turn answered correctly, an unanswerable one declined) on first turns against
later ones, which is where rewriting a follow-up into a standalone question can go wrong.

How well ``Answer.confidence`` separates answerable from unanswerable questions, and what
each confidence threshold would answer, is ``eval.confidence``'s part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from eval.confidence import answerability_auroc
from eval.gold import GoldItem
from eval.normalize import (
    contains_answer,
    content_words,
    count_words,
    exact_match,
    markers_in,
    split_sentences,
    strip_markers,
    token_f1,
)

if TYPE_CHECKING:
    from qa import Answer, Passage

FAITHFUL_COVERAGE = 0.8

MetricValue = float | int | None


@dataclass(frozen=True)
class MetricSpec:
    """How to show, compare and gate one metric."""

    key: str
    label: str
    kind: Literal["rate", "seconds", "words", "count"]
    lower_is_better: bool = False

    @property
    def gated(self) -> bool:
        return self.kind != "count"


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("hit_at_k", "Hit@k (article)", "rate"),
    MetricSpec("mrr", "MRR (article)", "rate"),
    MetricSpec("context_recall", "Context recall", "rate"),
    MetricSpec("accuracy", "Accuracy (contains gold)", "rate"),
    MetricSpec("exact_match", "Exact match", "rate"),
    MetricSpec("f1", "Token F1", "rate"),
    MetricSpec("citation_precision", "Citation precision", "rate"),
    MetricSpec("answer_supported", "Answer supported", "rate"),
    MetricSpec("faithfulness", "Faithfulness (lexical)", "rate"),
    MetricSpec("refusal_accuracy", "Refusal accuracy", "rate"),
    MetricSpec("false_refusal_rate", "False refusal rate", "rate", lower_is_better=True),
    MetricSpec("answerability_auroc", "Answerability AUROC (confidence)", "rate"),
    MetricSpec("first_turn_accuracy", "First-turn accuracy (conversations)", "rate"),
    MetricSpec("followup_accuracy", "Follow-up accuracy (conversations)", "rate"),
    MetricSpec("answer_words_mean", "Answer words (mean)", "words", lower_is_better=True),
    MetricSpec("latency_p50_s", "Latency p50 (s)", "seconds", lower_is_better=True),
    MetricSpec("latency_p95_s", "Latency p95 (s)", "seconds", lower_is_better=True),
    MetricSpec("n_answerable", "Answerable questions", "count"),
    MetricSpec("n_unanswerable", "Unanswerable questions", "count"),
    MetricSpec("n_followups", "Follow-up turns", "count"),
)
METRIC_SPECS: Mapping[str, MetricSpec] = {spec.key: spec for spec in METRICS}


@dataclass(frozen=True)
class SentenceCheck:
    """One answer sentence, the passages it cites and the share of its words they hold."""

    text: str
    markers: tuple[int, ...]
    coverage: float
    supported: bool


@dataclass(frozen=True)
class QuestionRecord:
    """Everything measured for one gold question; ``None`` means "does not apply"."""

    item: GoldItem
    answer: Answer
    latency_s: float
    k: int | None
    refused: bool
    hit_rank: int | None
    context_hit: bool | None
    correct: bool | None
    exact_match: float | None
    f1: float | None
    citations_in_gold: int | None
    supported: bool | None
    sentences: tuple[SentenceCheck, ...]
    answer_words: int | None
    withheld_correct: bool | None
    """Whether the answer withheld for low confidence holds a gold answer; None when none was
    withheld or the question is unanswerable."""
    standalone: str | None = None
    """For a conversation's turn, the question the system actually asked after rewriting the
    follow-up; None for a single question or when the conversation does not say."""

    @property
    def hit(self) -> bool | None:
        if self.item.unanswerable:
            return None
        return self.hit_rank is not None and (self.k is None or self.hit_rank <= self.k)

    @property
    def refusal_correct(self) -> bool | None:
        return self.refused if self.item.unanswerable else None

    @property
    def failed(self) -> bool:
        """The outcome is wrong: an answerable question not answered correctly, or an
        unanswerable one answered."""
        return not self.refused if self.item.unanswerable else not self.correct

    @property
    def problems(self) -> tuple[str, ...]:
        """Every check this question failed, worded for the report."""
        if self.item.unanswerable:
            return () if self.refused else ("answered an unanswerable question",)
        found: list[str] = []
        if self.refused:
            found.append("refused an answerable question")
        elif not self.correct:
            found.append("no gold answer in the answer text")
        if not self.hit:
            found.append(f"gold article not in the top {self.k or 'k'} passages")
        if not self.context_hit:
            found.append("no passage given to the answerer contains a gold answer")
        if self.correct and not self.supported:
            found.append("no cited passage contains a gold answer")
        n_citations = len(self.answer.citations)
        if self.citations_in_gold is not None and self.citations_in_gold < n_citations:
            outside = n_citations - self.citations_in_gold
            found.append(f"{outside} of {n_citations} citations not from the gold article")
        unsupported = sum(not s.supported for s in self.sentences)
        if unsupported:
            found.append(
                f"{unsupported} of {len(self.sentences)} sentences not supported by the "
                f"passages they cite"
            )
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        answer = self.answer
        return {
            "id": self.item.id,
            "question": self.item.question,
            "gold_answers": list(self.item.answers),
            "article": self.item.article,
            "unanswerable": self.item.unanswerable,
            "gold_extra": dict(self.item.extra),
            "conversation": self.item.conversation,
            "turn": self.item.turn,
            "standalone": self.standalone,
            "answer": answer.text,
            "answerable": answer.answerable,
            "confidence": answer.confidence,
            "withheld": answer.withheld,
            "withheld_correct": self.withheld_correct,
            "backend": answer.backend,
            "citations": [asdict(c) for c in answer.citations],
            "passages": [asdict(p) for p in answer.passages],
            "hit_rank": self.hit_rank,
            "hit": self.hit,
            "context_hit": self.context_hit,
            "correct": self.correct,
            "exact_match": self.exact_match,
            "f1": self.f1,
            "citations_in_gold": self.citations_in_gold,
            "supported": self.supported,
            "sentences": [asdict(s) for s in self.sentences],
            "refused": self.refused,
            "refusal_correct": self.refusal_correct,
            "answer_words": self.answer_words,
            "latency_s": self.latency_s,
            "timings": asdict(answer.timings),
            "failed": self.failed,
            "problems": list(self.problems),
        }


def score_question(
    item: GoldItem,
    answer: Answer,
    *,
    k: int | None = None,
    latency_s: float = 0.0,
    standalone: str | None = None,
) -> QuestionRecord:
    """Score one answer against its gold item; ``k`` caps the ranks that count as hits.

    ``standalone`` (the rewritten question a conversation asked) is only recorded.
    """
    refused = not answer.answerable
    words = None if refused else count_words(answer.text)
    if item.unanswerable:
        return QuestionRecord(
            item=item,
            answer=answer,
            latency_s=latency_s,
            k=k,
            refused=refused,
            hit_rank=None,
            context_hit=None,
            correct=None,
            exact_match=None,
            f1=None,
            citations_in_gold=None,
            supported=None,
            sentences=(),
            answer_words=words,
            withheld_correct=None,
            standalone=standalone,
        )

    text = "" if refused else strip_markers(answer.text)
    cited = _cited_passages(answer)
    correct = not refused and any(contains_answer(text, g) for g in item.answers)
    withheld = strip_markers(answer.withheld) if refused else ""
    return QuestionRecord(
        item=item,
        answer=answer,
        latency_s=latency_s,
        k=k,
        refused=refused,
        hit_rank=next(
            (rank for rank, p in enumerate(answer.passages, 1) if p.file_name == item.article),
            None,
        ),
        context_hit=_any_contains(answer.passages, item.answers),
        correct=correct,
        exact_match=0.0 if refused else max(exact_match(text, g) for g in item.answers),
        f1=0.0 if refused else max(token_f1(text, g) for g in item.answers),
        citations_in_gold=sum(c.file_name == item.article for c in answer.citations),
        supported=_any_contains(cited, item.answers) if correct else None,
        sentences=() if refused else check_sentences(answer.text, answer.passages),
        answer_words=words,
        withheld_correct=(
            any(contains_answer(withheld, g) for g in item.answers) if withheld else None
        ),
        standalone=standalone,
    )


def check_sentences(text: str, passages: Sequence[Passage]) -> tuple[SentenceCheck, ...]:
    """The lexical faithfulness check (see the module docstring) for every sentence."""
    by_n = {p.n: p for p in passages}
    checks = []
    for sentence in split_sentences(text):
        markers = tuple(sorted(markers_in(sentence)))
        sources = [by_n[n] for n in markers if n in by_n]
        words = content_words(sentence)
        if not sources:
            coverage = 0.0
        elif not words:
            coverage = 1.0  # e.g. "No [1]."; nothing to check beyond a valid citation
        else:
            evidence = frozenset().union(*(content_words(p.text) for p in sources))
            coverage = len(words & evidence) / len(words)
        checks.append(SentenceCheck(sentence, markers, coverage, coverage >= FAITHFUL_COVERAGE))
    return tuple(checks)


def aggregate(records: Sequence[QuestionRecord]) -> dict[str, MetricValue]:
    """The metrics table, keyed as in ``METRICS``; a rate with nothing to measure is None."""
    answerable = [r for r in records if not r.item.unanswerable]
    unanswerable = [r for r in records if r.item.unanswerable]
    answered = [r for r in answerable if not r.refused]
    correct = [r for r in answerable if r.correct]
    sentences = [s for r in answered for s in r.sentences]
    n_citations = sum(len(r.answer.citations) for r in answerable)
    latencies = [r.latency_s for r in records]
    first_turns = [r for r in records if r.item.conversation is not None and r.item.turn == 1]
    followups = [r for r in records if r.item.conversation is not None and r.item.turn > 1]
    metrics: dict[str, MetricValue] = {
        "hit_at_k": _mean(bool(r.hit) for r in answerable),
        "mrr": _mean(1 / r.hit_rank if r.hit and r.hit_rank else 0.0 for r in answerable),
        "context_recall": _mean(bool(r.context_hit) for r in answerable),
        "accuracy": _mean(bool(r.correct) for r in answerable),
        "exact_match": _mean(r.exact_match or 0.0 for r in answerable),
        "f1": _mean(r.f1 or 0.0 for r in answerable),
        "citation_precision": (
            sum(r.citations_in_gold or 0 for r in answerable) / n_citations if n_citations else None
        ),
        "answer_supported": _mean(bool(r.supported) for r in correct),
        "faithfulness": _mean(s.supported for s in sentences),
        "refusal_accuracy": _mean(r.refused for r in unanswerable),
        "false_refusal_rate": _mean(r.refused for r in answerable),
        "answerability_auroc": answerability_auroc(records),
        "first_turn_accuracy": _mean(not r.failed for r in first_turns),
        "followup_accuracy": _mean(not r.failed for r in followups),
        "answer_words_mean": _mean(r.answer_words for r in records if r.answer_words is not None),
        "latency_p50_s": percentile(latencies, 50),
        "latency_p95_s": percentile(latencies, 95),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "n_followups": len(followups),
    }
    return {key: round(v, 6) if isinstance(v, float) else v for key, v in metrics.items()}


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _cited_passages(answer: Answer) -> tuple[Passage, ...]:
    cited = {c.n for c in answer.citations}
    return tuple(p for p in answer.passages if p.n in cited)


def _any_contains(passages: Iterable[Passage], answers: Iterable[str]) -> bool:
    gold = tuple(answers)
    return any(contains_answer(p.text, g) for p in passages for g in gold)


def _mean(values: Iterable[float | bool]) -> float | None:
    items = [float(v) for v in values]
    return sum(items) / len(items) if items else None
