"""How well the reader's confidence tells answerable questions apart, and what a threshold buys.

``answerability_auroc`` asks whether a higher ``Answer.confidence`` means "the articles hold
the answer": the chance that a random gold-answerable question gets a higher confidence than
a random gold-unanswerable one (ties count half, as in the Mann–Whitney U statistic).

``risk_coverage`` replays the run under every ``min_answer_confidence`` that would change
it. At threshold t a question is answered when it has a confidence >= t and an answer to
give: the one it gave, or the one it ``withheld`` only for being under the threshold (scored
like any answer). A question declined for another reason, or read with no confidence, stays
declined at every t; an answered gold-unanswerable question is wrong. Each point says how
many questions would be answered, how many of those rightly, and the two refusal rates, so a
user can pick the threshold their archive needs.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eval.metrics import QuestionRecord


@dataclass(frozen=True)
class CoveragePoint:
    """The run's outcome had answers been given only at confidence >= ``threshold``.

    ``threshold`` is None for the run as it was (its operating point). ``accuracy`` is over
    the answered questions; each rate is None when it has nothing to measure.
    """

    threshold: float | None
    answered: int
    coverage: float | None
    accuracy: float | None
    refusal_accuracy: float | None
    false_refusal_rate: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def auroc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """P(a positive scores above a negative), ties half; None when either side is empty."""
    if not positives or not negatives:
        return None
    ordered = sorted(negatives)
    wins = 0.0
    for score in positives:
        below, up_to = bisect_left(ordered, score), bisect_right(ordered, score)
        wins += below + (up_to - below) / 2
    return wins / (len(positives) * len(ordered))


def answerability_auroc(records: Sequence[QuestionRecord]) -> float | None:
    """AUROC of the confidence for gold-answerable (positive) against unanswerable questions;
    questions read with no confidence are left out."""
    positives: list[float] = []
    negatives: list[float] = []
    for record in records:
        if record.answer.confidence is not None:
            side = negatives if record.item.unanswerable else positives
            side.append(record.answer.confidence)
    return auroc(positives, negatives)


def risk_coverage(records: Sequence[QuestionRecord]) -> tuple[CoveragePoint, ...]:
    """One point per threshold that changes the outcome, highest threshold first.

    The first threshold lies just above the highest confidence, so it answers nothing; each
    following one is the confidence of a question with an answer to give, so every point
    answers more than the one before. Empty when no question has both (for example with a
    backend that reports no confidence).
    """
    candidates = sorted(
        (
            (r.answer.confidence, r)
            for r in records
            if r.answer.confidence is not None and (not r.refused or r.answer.withheld)
        ),
        key=itemgetter(0),
        reverse=True,
    )
    if not candidates:
        return ()
    tally = _Tally.over(records)
    points = [tally.point(math.nextafter(candidates[0][0], math.inf))]
    for i, (confidence, record) in enumerate(candidates):
        tally.add(record)
        if i + 1 == len(candidates) or candidates[i + 1][0] != confidence:
            points.append(tally.point(confidence))
    return tuple(points)


def operating_point(records: Sequence[QuestionRecord]) -> CoveragePoint:
    """The run as it was, on the same axes as ``risk_coverage``."""
    tally = _Tally.over(records)
    for record in records:
        if not record.refused:
            tally.add(record)
    return tally.point(None)


def threshold_for_false_refusals(
    curve: Sequence[CoveragePoint], target: float = 0.1
) -> CoveragePoint | None:
    """The highest threshold refusing at most ``target`` of the answerable questions.

    Raising the threshold only adds refusals, so this is the point that declines the most
    unanswerable questions within that budget; None when no threshold stays within it.
    """
    within = [
        (p.threshold, p)
        for p in curve
        if p.threshold is not None
        and p.false_refusal_rate is not None
        and p.false_refusal_rate <= target
    ]
    return max(within, key=itemgetter(0), default=(None, None))[1]


@dataclass
class _Tally:
    """The counts behind a point, added to one answered question at a time."""

    n_answerable: int
    n_unanswerable: int
    answered_answerable: int = 0
    answered_unanswerable: int = 0
    correct: int = 0

    @classmethod
    def over(cls, records: Sequence[QuestionRecord]) -> _Tally:
        n_unanswerable = sum(r.item.unanswerable for r in records)
        return cls(len(records) - n_unanswerable, n_unanswerable)

    def add(self, record: QuestionRecord) -> None:
        if record.item.unanswerable:  # answering it is wrong
            self.answered_unanswerable += 1
            return
        self.answered_answerable += 1
        # The answer given, or else the one withheld, holds a gold answer.
        self.correct += bool(record.correct if not record.refused else record.withheld_correct)

    def point(self, threshold: float | None) -> CoveragePoint:
        answered = self.answered_answerable + self.answered_unanswerable
        return CoveragePoint(
            threshold=threshold,
            answered=answered,
            coverage=_ratio(answered, self.n_answerable + self.n_unanswerable),
            accuracy=_ratio(self.correct, answered),
            refusal_accuracy=_ratio(
                self.n_unanswerable - self.answered_unanswerable, self.n_unanswerable
            ),
            false_refusal_rate=_ratio(
                self.n_answerable - self.answered_answerable, self.n_answerable
            ),
        )


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None
