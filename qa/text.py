"""Word-level helpers shared by evidence ranking and answer checking.

Stop words and the Punkt sentence model come from the NLTK data that llama-index-core
ships, so nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import cache

from llama_index.core.utils import globals_helper
from nltk.stem import PorterStemmer

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
    terms = []
    for word in words(text):
        word = word.removesuffix("'s")
        if word not in stop_words():
            terms.append(stem(word))
    return terms


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans in ``text``; line breaks always end a sentence (headlines, captions)."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        for start, end in globals_helper.punkt_tokenizer.span_tokenize(line.group()):
            spans.append((line.start() + start, line.start() + end))
    return spans
