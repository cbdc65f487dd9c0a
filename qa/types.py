"""The typed answer the public API returns: text, passages shown, and citations into them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class RetrievalFilters:
    """Restrict retrieval to some articles; empty fields do not filter.

    ``since``/``until`` are inclusive and compare with an article's published date;
    when either is set, articles without a known date are left out.
    """

    article_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def is_empty(self) -> bool:
        return not (self.article_ids or self.sources or self.since or self.until)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk as shown to the user; ``n`` is its 1-based marker number."""

    n: int
    chunk_id: str
    article_id: str
    title: str
    file_name: str
    text: str
    start: int
    end: int
    score: float
    source: str = ""
    url: str = ""
    published: str = ""
    """ISO date (``YYYY-MM-DD``) or empty when the article gives none."""
    sentences: tuple[tuple[int, int], ...] = ()
    """Sentence spans in ``text``, as stored with the chunk; empty when not known."""


@dataclass(frozen=True)
class Citation:
    """A marker ``[n]`` in the answer and the evidence it rests on.

    ``start``/``end`` are the exact character span of ``quote`` in the article text, so a
    reader can find and highlight the words the claim relies on.
    """

    n: int
    article_id: str
    title: str
    file_name: str
    start: int
    end: int
    quote: str
    score: float


@dataclass(frozen=True)
class Timings:
    """Seconds spent; a streamed cited answer's include the reader's time between pieces."""

    retrieval_s: float
    generation_s: float
    total_s: float


LOW_CONFIDENCE = 0.5
"""An answer this unlikely to be stated in the articles is shown with a warning: under one
half, "the articles do not say" is the likelier truth, though the calibrated refusal
threshold (tuned to refuse few answerable questions) lets it through."""


@dataclass(frozen=True)
class Answer:
    """What ``Assistant.ask`` returns.

    ``answerable`` is false when the articles do not hold the answer; then ``text`` says so,
    ``citations`` is empty and ``passages`` are the closest ones found. ``confidence`` is
    the reader's calibrated probability that the best passage window states the answer
    (None when nothing was read, e.g. an empty collection); answers are declined below
    the ``min_answer_confidence`` setting. ``withheld`` is the answer declined only for
    being under that threshold (empty otherwise); it is never shown as an answer, but
    lets ``eval`` trace accuracy against coverage as the threshold moves.
    ``low_confidence`` flags an answer given though its confidence is under
    ``LOW_CONFIDENCE``: the chat and the command line say so beside it. ``as_of`` is the
    publication date (``YYYY-MM-DD``) of the article the answer comes from when dated
    articles gave different answers and the latest was chosen (empty otherwise); the
    text then ends with "(as of ...)".
    """

    question: str
    text: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    answerable: bool
    timings: Timings
    backend: str
    confidence: float | None = None
    withheld: str = ""
    as_of: str = ""

    @property
    def low_confidence(self) -> bool:
        return (
            self.answerable and self.confidence is not None and self.confidence < LOW_CONFIDENCE
        )

    def cited_passages(self) -> tuple[Passage, ...]:
        cited = {c.n for c in self.citations}
        return tuple(p for p in self.passages if p.n in cited)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "low_confidence": self.low_confidence}
