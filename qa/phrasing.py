"""Ask the LLM for a short answer and keep it only if the evidence says it.

A small model is fluent but not faithful, so its phrase must appear word for word in
the evidence sentences and must add something the question did not already say;
otherwise the caller answers with the evidence sentence itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.llm import LLMBackend
from qa.prompts import short_answer_prompt
from qa.text import content_terms, words

_NOT_ANSWERS = {"unknown", "none", "not stated", "n a", "not mentioned"}


def _contains_sequence(haystack: list[str], needle: list[str]) -> bool:
    width = len(needle)
    return any(haystack[i : i + width] == needle for i in range(len(haystack) - width + 1))


def is_supported_phrase(phrase: str, question: str, evidence: Sequence[str]) -> bool:
    """True when ``phrase`` is a span of the evidence that adds to the question."""
    phrase_words = words(phrase)
    if not phrase_words or " ".join(phrase_words) in _NOT_ANSWERS:
        return False
    if not any(_contains_sequence(words(sentence), phrase_words) for sentence in evidence):
        return False
    new_terms = set(content_terms(phrase)) - set(content_terms(question))
    return bool(new_terms) or not content_terms(phrase)


def phrase_answer(question: str, evidence: Sequence[str], backend: LLMBackend) -> str | None:
    """The LLM's short answer if the evidence supports it, else None."""
    raw = backend.complete(short_answer_prompt(question, evidence))
    phrase = raw.strip().strip("\"'“”").strip()
    phrase = phrase.rstrip(".").strip()
    return phrase if is_supported_phrase(phrase, question, evidence) else None
