"""Word-level helpers shared by retrieval's rerank, window ranking and citation checking.

Stop words are NLTK's English list, read from the copy of NLTK's data that llama-index-core
ships, so nothing is downloaded; words are stemmed by PyStemmer's Porter stemmer (a C
extension, as BM25 uses). Neither NLTK nor llama-index is imported: together they cost a
cold ``ragqa ask`` about three seconds. Sentence boundaries are ``index.sentence_spans``,
stored with each chunk.
"""

from __future__ import annotations

import importlib.util
import math
import re
import threading
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

from index import sentence_spans

WORD_PATTERN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_per_thread = threading.local()  # PyStemmer's stemmers are not thread-safe
_NLTK_STOPWORDS = ("_static", "nltk_cache", "corpora", "stopwords", "english")
"""Where NLTK's English stop words lie inside the llama-index-core package."""


@cache
def stop_words() -> frozenset[str]:
    # Located without importing llama_index.core, whose import alone takes over a second.
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or spec.origin is None:
        raise RuntimeError("llama-index-core is not installed; it ships NLTK's stop words")
    listed = Path(spec.origin).parent.joinpath(*_NLTK_STOPWORDS).read_text(encoding="utf-8")
    return frozenset(listed.split()) | {"said", "says", "also", "would", "could"}


def normalise_word(word: str) -> str:
    return word.lower().replace("’", "'")


def words(text: str) -> list[str]:
    return [normalise_word(w) for w in WORD_PATTERN.findall(text)]


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    stemmer = getattr(_per_thread, "stemmer", None)
    if stemmer is None:
        stemmer = _per_thread.stemmer = Stemmer.Stemmer("porter")
    return stemmer.stemWord(word)


@lru_cache(maxsize=1 << 17)
def _content_term(word: str) -> str | None:
    """``word`` as a content term (normalised, possessive dropped, stemmed), or None."""
    word = normalise_word(word).removesuffix("'s")
    return None if word in stop_words() else stem(word)


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry meaning: no stop words, no possessive endings."""
    # This runs on every sentence of every candidate chunk, for each question: each
    # distinct word is worked out once (``_content_term``), then only looked up.
    return [t for w in WORD_PATTERN.findall(text) if (t := _content_term(w)) is not None]


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
