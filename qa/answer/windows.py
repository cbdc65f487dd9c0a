"""Stage "rank windows": the sentences of the retrieved passages that could answer, best first.

A window is one sentence of a retrieved passage, seen with its article's title and the
sentence before it in the passage, and kept in article coordinates. Each is scored by
MiniLM cosine similarity to the question, taken both for the bare sentence and for the
sentence under its article's title (which restores the topic a sentence leaves
implicit), plus the IDF-weighted share of the question's content words it contains.
The best window is the evidence an answer may rest on; its span in the article is what
a citation points at. The previous sentence is not scored here: it is context for a
reader model (a name an answer needs often sits in the sentence before it). A news
dateline opening a sentence ("GENEVA, March 5, 2024 (Wire) - ") is not part of it, nor
is a "Published:" line (and the headline above it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from index import Embedder
from qa.text import content_terms, idf_weights, known_or_found_sentences, question_coverage
from qa.types import Passage

# Weights chosen on the seeds and squad_dev15 dev sets (top-1 sentence holds the gold
# answer: 0.78 / 0.73, against 0.71 / 0.73 for bare similarity + 0.5 coverage).
SENTENCE_WEIGHT = 0.5
TITLED_SENTENCE_WEIGHT = 1.0
OVERLAP_WEIGHT = 0.5


@dataclass(frozen=True)
class Window:
    """One candidate sentence, in article coordinates, with the signals that ranked it.

    ``text`` is ``article[start:end]``; ``previous`` is the passage's sentence before it
    (empty for a passage's first sentence); the article's title is ``passage.title``.
    """

    passage: Passage
    start: int
    end: int
    text: str
    previous: str
    similarity: float
    titled_similarity: float
    coverage: float

    @property
    def score(self) -> float:
        return (
            SENTENCE_WEIGHT * self.similarity
            + TITLED_SENTENCE_WEIGHT * self.titled_similarity
            + OVERLAP_WEIGHT * self.coverage
        )


class _Sentence(NamedTuple):
    passage: Passage
    start: int  # in the article
    end: int
    text: str
    previous: str


# "MANCHESTER, November 3 (Ragqa Wire) - ": where and when, never the answer's words. A
# month and a day are required, a year is not; ingest's dateline (index/formats/dates.py)
# needs the year, since it becomes the article's date, and so cannot serve here.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’&-]{2,}(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)*,\s*"
    rf"(?:[A-Z][a-z]+day,?\s+)?(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?"
    r"(?:\s*\([^()\n]{1,60}\))?\s*(?:--?|–|—)\s+"
)
# "Published: 2024-03-05" under a headline: the article's date, not its text.
_HEADER_LINE = re.compile(
    r"^[ \t*_+-]*(?:published|date)[*_]*\s*:[^\n]{0,60}\d[^\n]{0,20}$", re.I | re.M
)


def _without_dateline(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence ``text[start:end]`` without the dateline opening it or a date line.

    A sentence split from the top of an article may hold the headline and a
    "Published:" line; the date line and what comes before it are dropped.
    """
    header = next(reversed(list(_HEADER_LINE.finditer(text, start, end))), None)
    if header is not None:
        start = header.end()
        while start < end and text[start].isspace():
            start += 1
    dateline = _DATELINE.match(text[start:end])
    return (start + dateline.end() if dateline else start), end


def _sentences(passages: Sequence[Passage]) -> list[_Sentence]:
    """Every sentence of ``passages`` once (overlapping chunks repeat some), in order.

    Fragments under three characters are no sentence, neither a candidate nor a previous.
    """
    seen: set[tuple[str, int]] = set()
    found = []
    for passage in passages:
        previous = ""
        for start, end in known_or_found_sentences(passage.text, passage.sentences):
            start, end = _without_dateline(passage.text, start, end)
            sentence = passage.text[start:end]
            if len(sentence.strip()) < 3:
                continue
            key = (passage.article_id, passage.start + start)
            if key not in seen:
                seen.add(key)
                found.append(
                    _Sentence(
                        passage, passage.start + start, passage.start + end, sentence, previous
                    )
                )
            previous = sentence
    return found


def _can_answer(sentence: str, terms: set[str], question_terms: set[str]) -> bool:
    """A question, or a sentence that only repeats the question's words, answers nothing.

    Without this, a passage that restates the question (or plants a fake Q&A in an
    article) outranks the sentence that holds the answer.
    """
    return not sentence.rstrip().endswith("?") and bool(terms - question_terms)


def rank_windows(question: str, passages: Sequence[Passage], embedder: Embedder) -> list[Window]:
    """The windows of ``passages`` that could answer ``question``, best first."""
    question_terms = set(content_terms(question))
    candidates: list[_Sentence] = []
    sentence_terms = []
    for candidate in _sentences(passages):
        terms = set(content_terms(candidate.text))
        if _can_answer(candidate.text, terms, question_terms):
            candidates.append(candidate)
            sentence_terms.append(terms)
    if not candidates:
        return []
    sentences = [c.text for c in candidates]
    titled = [f"{c.passage.title}. {c.text}" for c in candidates]
    vectors = np.asarray(embedder.embed_texts(sentences + titled))
    query = np.asarray(embedder.embed_query(question))
    similarities = vectors @ query
    bare, in_context = similarities[: len(candidates)], similarities[len(candidates) :]
    idf = idf_weights(sentence_terms)
    ranked = [
        Window(
            passage=c.passage,
            start=c.start,
            end=c.end,
            text=c.text,
            previous=c.previous,
            similarity=float(similarity),
            titled_similarity=float(titled_similarity),
            coverage=question_coverage(question_terms, terms, idf),
        )
        for c, similarity, titled_similarity, terms in zip(
            candidates, bare, in_context, sentence_terms, strict=True
        )
    ]
    return sorted(ranked, key=lambda w: w.score, reverse=True)
