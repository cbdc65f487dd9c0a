"""Pick the sentences that answer a question, before any text is generated.

Each sentence of the retrieved passages is scored by MiniLM cosine similarity to the
question plus the IDF-weighted share of the question's content words it contains.
The best sentence is the evidence an answer may rest on; its span in the article is
what a citation points at.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index import Embedder
from qa.text import content_terms, sentence_spans
from qa.types import Passage

OVERLAP_WEIGHT = 0.5
"""How much question-word coverage counts beside cosine similarity (both in [0, 1])."""


@dataclass(frozen=True)
class Evidence:
    """One candidate sentence, in article coordinates, with the signals that ranked it."""

    passage: Passage
    start: int
    end: int
    text: str
    similarity: float
    coverage: float

    @property
    def score(self) -> float:
        return self.similarity + OVERLAP_WEIGHT * self.coverage


def _candidates(passages: Sequence[Passage]) -> list[tuple[Passage, int, int, str]]:
    seen: set[tuple[str, int]] = set()
    found = []
    for passage in passages:
        for start, end in sentence_spans(passage.text):
            sentence = passage.text[start:end]
            key = (passage.article_id, passage.start + start)
            if len(sentence.strip()) < 3 or key in seen:
                continue
            seen.add(key)
            found.append((passage, passage.start + start, passage.start + end, sentence))
    return found


def _idf(sentences: Sequence[set[str]]) -> dict[str, float]:
    total = len(sentences)
    document_frequency: dict[str, int] = {}
    for terms in sentences:
        for term in terms:
            document_frequency[term] = document_frequency.get(term, 0) + 1
    return {term: math.log(1 + total / df) for term, df in document_frequency.items()}


def _coverage(question_terms: set[str], sentence_terms: set[str], idf: dict[str, float]) -> float:
    if not question_terms:
        return 0.0
    unseen = math.log(2)  # weight of a term absent from every candidate sentence
    weight = {term: idf.get(term, unseen) for term in question_terms}
    found = sum(w for term, w in weight.items() if term in sentence_terms)
    return found / sum(weight.values())


def rank_evidence(question: str, passages: Sequence[Passage], embedder: Embedder) -> list[Evidence]:
    """All candidate sentences of ``passages``, best first."""
    candidates = _candidates(passages)
    if not candidates:
        return []
    vectors = np.asarray(embedder.embed_texts([c[3] for c in candidates]))
    query = np.asarray(embedder.embed_query(question))
    similarities = vectors @ query
    question_terms = set(content_terms(question))
    sentence_terms = [set(content_terms(c[3])) for c in candidates]
    idf = _idf(sentence_terms)
    ranked = [
        Evidence(
            passage=passage,
            start=start,
            end=end,
            text=sentence,
            similarity=float(similarity),
            coverage=_coverage(question_terms, terms, idf),
        )
        for (passage, start, end, sentence), similarity, terms in zip(
            candidates, similarities, sentence_terms, strict=True
        )
    ]
    return sorted(ranked, key=lambda e: e.score, reverse=True)
