"""The cited answer style: an LLM writes over the numbered passages, verified per sentence.

With ``answer_style = "cited"`` a capable model sees the retrieved passages numbered as
the sources will show them and writes one or two sentences citing them inline ``[n]``.
Nothing it writes reaches the user unchecked: each sentence goes through the citation
check (``citations``) as soon as the model has finished it, so a stream releases
verified sentences only. A reply that declines (``prompts.MODEL_DECLINES``), or one
without a supported sentence, leaves nothing to say: the pipeline refuses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from index import Embedder
from qa.answer.citations import CitationChecker, Draft, split_sentences, strip_markers
from qa.answer.prompts import MODEL_DECLINES, cited_answer_prompt
from qa.llm import LLMBackend, close_stream
from qa.text import words
from qa.types import Citation, Passage

_DECLINE_WORDS = words(MODEL_DECLINES)
MAX_SENTENCES = 2
"""Answers are one or two sentences: once two are verified the model is stopped."""


def declines(sentence: str) -> bool:
    """True for the model's "the passages do not answer" reply ("NOT FOUND.", "Not found")."""
    return words(sentence)[: len(_DECLINE_WORDS)] == _DECLINE_WORDS


class _Release:
    """Verifies finished sentences and keeps those that pass, at most ``MAX_SENTENCES``."""

    def __init__(self, passages: Sequence[Passage], embedder: Embedder | None) -> None:
        self.checker = CitationChecker(passages, embedder)
        self.kept: list[str] = []
        self.said: set[tuple[str, ...]] = set()  # the words of kept sentences
        self.citations: dict[int, Citation] = {}

    @property
    def full(self) -> bool:
        return len(self.kept) >= MAX_SENTENCES

    def piece(self, sentence: str) -> str | None:
        """The text to show for ``sentence`` once verified; None if it is not shown."""
        said = tuple(words(strip_markers(sentence)))
        if said in self.said:
            return None  # a repeat (small models loop): not worth checking again
        verified = self.checker.verify(sentence)
        if not verified.text:
            return None
        self.said.add(said)
        for citation in verified.citations:
            self.citations.setdefault(citation.n, citation)
        self.kept.append(verified.text)
        return verified.text if len(self.kept) == 1 else f" {verified.text}"

    def result(self) -> Draft:
        return Draft(" ".join(self.kept), tuple(self.citations.values()))


def stream_cited_answer(
    question: str,
    passages: Sequence[Passage],
    backend: LLMBackend,
    embedder: Embedder | None = None,
) -> Iterator[str | Draft]:
    """Yield each verified sentence once the model has finished it, then the result.

    Joined, the yielded strings are the result's ``text``. A sentence counts as finished
    when the next one has begun, because a marker may still follow its full stop
    ("... capital. [2]"); the last is finished when the model stops. Reading stops (and
    so does the model) at a reply that declines or once ``MAX_SENTENCES`` are kept.
    """
    release = _Release(passages, embedder)
    written, finished, declined = "", 0, False
    deltas = backend.stream(cited_answer_prompt(question, passages))
    try:
        for delta in deltas:
            written += delta
            for sentence in split_sentences(written)[finished:-1]:
                finished += 1
                declined = finished == 1 and declines(sentence)
                if declined:
                    break
                if piece := release.piece(sentence):
                    yield piece
                if release.full:
                    break
            if declined or release.full:
                break
        else:
            rest = split_sentences(written)[finished:]
            declined = finished == 0 and bool(rest) and declines(rest[0])
            for sentence in [] if declined else rest:
                if not release.full and (piece := release.piece(sentence)):
                    yield piece
    finally:
        close_stream(deltas)  # a model stopped early (or a reader gone) stops writing
    yield release.result()
