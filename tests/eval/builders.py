"""Hand-made answers and gold items, so every metric is checked on cases with known values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eval import GoldItem
from qa import Answer, Citation, Passage, Timings

ARTICLE_A = "a.txt"
ARTICLE_B = "b.txt"


def passage(n: int, file_name: str, text: str, score: float = 0.5) -> Passage:
    return Passage(
        n=n,
        chunk_id=f"{file_name}#{n}",
        article_id=f"/corpus/{file_name}",
        title=f"Title of {file_name}",
        file_name=file_name,
        text=text,
        start=0,
        end=len(text),
        score=score,
    )


def answer(
    text: str,
    passages: Sequence[Passage] = (),
    *,
    cited: Sequence[int] = (),
    answerable: bool = True,
    question: str = "q?",
    confidence: float | None = None,
    withheld: str = "",
) -> Answer:
    """An Answer citing the passages numbered ``cited`` (quote = the whole passage);
    ``withheld`` is the answer a refusal declined for low ``confidence``."""
    by_n = {p.n: p for p in passages}
    citations = tuple(
        Citation(
            n=n,
            article_id=by_n[n].article_id,
            title=by_n[n].title,
            file_name=by_n[n].file_name,
            start=by_n[n].start,
            end=by_n[n].end,
            quote=by_n[n].text,
            score=by_n[n].score,
        )
        for n in cited
    )
    return Answer(
        question=question,
        text=text,
        citations=citations,
        passages=tuple(passages),
        answerable=answerable,
        timings=Timings(retrieval_s=0.01, generation_s=0.02, total_s=0.03),
        backend="fake",
        confidence=confidence,
        withheld=withheld,
    )


def gold(
    answers: Sequence[str] = (),
    article: str | None = ARTICLE_A,
    *,
    item_id: str = "q1",
    question: str = "q?",
    conversation: str | None = None,
    turn: int = 0,
) -> GoldItem:
    """A gold item; no answers makes it unanswerable; ``conversation`` makes it a turn."""
    return GoldItem(
        id=item_id if conversation is None else f"{conversation}#{turn}",
        question=question,
        answers=tuple(answers),
        article=article if answers else None,
        unanswerable=not answers,
        line=1,
        conversation=conversation,
        turn=turn,
    )


class CannedAssistant:
    """Answers from a dict keyed by question and records the top_k it was asked with."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, int | None]] = []

    def ask(self, question: str, *, top_k: int | None = None) -> Answer:
        self.asked.append((question, top_k))
        return self.answers[question]


@dataclass(frozen=True)
class FakeTurn:
    question: str
    standalone: str


class RecallingConversation:
    """A conversation like ``qa.Conversation``: a follow-up is asked joined to the turns
    before it in this object, and answered from a dict keyed by that joined question (a
    refusal when the dict has no entry), so an answer shows which history it was asked in."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.turns: list[FakeTurn] = []

    def ask(self, question: str, *, top_k: int | None = None) -> Answer:
        standalone = f"{self.turns[-1].standalone} {question}" if self.turns else question
        self.turns.append(FakeTurn(question, standalone))
        refusal = answer("The articles do not say.", answerable=False, question=standalone)
        return self.answers.get(standalone, refusal)
