"""Word-level helpers shared by retrieval's rerank, window ranking and citation checking.

Stop words come from the NLTK data that llama-index-core ships, so nothing is downloaded;
sentence boundaries are ``index.sentence_spans``, stored with each chunk.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache

from llama_index.core.utils import globals_helper
from nltk.stem import PorterStemmer

from index import sentence_spans

WORD_PATTERN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_stemmer = PorterStemmer()


@cache
def stop_words() -> frozenset[str]:
    return frozenset(globals_helper.stopwords) | {"said", "says", "also", "would", "could"}


def normalise_word(word: str) -> str:
    return word.lower().replace("’", "'")


def words(text: str) -> list[str]:
    return [normalise_word(w) for w in WORD_PATTERN.findall(text)]


@cache
def stem(word: str) -> str:
    return _stemmer.stem(word)


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry meaning: no stop words, no possessive endings."""
    # ``words`` and ``normalise_word`` inlined: this runs on every sentence of every
    # candidate chunk, for each question.
    stops = stop_words()
    terms = []
    for word in WORD_PATTERN.findall(text):
        word = word.lower().replace("’", "'").removesuffix("'s")
        if word not in stops:
            terms.append(stem(word))
    return terms


def known_or_found_sentences(
    text: str, known: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int], ...]:
    """``known`` spans of ``text`` (stored with its chunk), else its sentences found now."""
    return known or sentence_spans(text)


def idf_weights(sentences: Sequence[set[str]]) -> dict[str, float]:
    """Inverse document frequency of each term over the candidate sentences."""
    total = len(sentences)
    document_frequency: dict[str, int] = {}
    for terms in sentences:
        for term in terms:
            document_frequency[term] = document_frequency.get(term, 0) + 1
    return {term: math.log(1 + total / df) for term, df in document_frequency.items()}


def question_coverage(
    question_terms: set[str], sentence_terms: set[str], idf: dict[str, float]
) -> float:
    """IDF-weighted share of the question's terms found in a sentence (0..1)."""
    if not question_terms:
        return 0.0
    unseen = math.log(2)  # weight of a term absent from every candidate sentence
    weight = {term: idf.get(term, unseen) for term in question_terms}
    found = sum(w for term, w in weight.items() if term in sentence_terms)
    return found / sum(weight.values())
