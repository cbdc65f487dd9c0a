"""Ask the LLM for a short answer and keep it only if the evidence says it.

A small model is fluent but not faithful, so its phrase is only used to find the answer
in the evidence sentence: the words must appear there in order, and the answer shown is
the sentence's own span, widened to the whole answer (``qa.spans``). It must also add
something the question did not already say. Otherwise the caller answers with the
evidence sentence itself.
"""

from __future__ import annotations

from qa.llm import LLMBackend
from qa.prompts import short_answer_prompt
from qa.spans import complete_answer, locate
from qa.text import content_terms, words

_NOT_ANSWERS = {"unknown", "none", "not stated", "n a", "not mentioned"}
# A span this close to the whole sentence is no shorter answer: show the sentence.
_MAX_SHARE_OF_SENTENCE = 0.8


def supported_span(phrase: str, question: str, sentence: str) -> str | None:
    """The part of ``sentence`` that ``phrase`` picks out, if it answers anything new."""
    if " ".join(words(phrase)) in _NOT_ANSWERS:
        return None
    located = locate(phrase, sentence)
    if located is None:
        return None
    start, end = complete_answer(sentence, *located)
    span = sentence[start:end]
    if span.count('"') % 2 or span.count("“") != span.count("”"):
        return None  # cut from inside a quotation
    if len(words(span)) >= _MAX_SHARE_OF_SENTENCE * len(words(sentence)):
        return None
    new_terms = set(content_terms(span)) - set(content_terms(question))
    return span if new_terms or not content_terms(span) else None


def phrase_answer(question: str, sentence: str, backend: LLMBackend) -> str | None:
    """A short answer cut from ``sentence`` where the LLM's phrase finds one, else None."""
    raw = backend.complete(short_answer_prompt(question, [sentence]))
    return supported_span(raw, question, sentence)
