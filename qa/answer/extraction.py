"""Stage "extract": the answer cut from the chosen window, citing the window's sentence.

The answer is always the article's own words. By default (``answer_extraction =
"span"``) it is the reader's answer span, widened to the whole answer (``spans``: the
month before a year, the unit after a number, like items listed together). With
``"llm"`` the LLM is asked for a short answer, kept only if the window says it: a small
model is fluent but not faithful, so its phrase is only used to find the answer in the
sentence (the words must appear there in order). Either way the answer must add
something the question did not already say and may not be cut from inside a quotation;
otherwise, and with ``"sentence"``, the answer is the window's sentence itself. A
question that wants a name ("who said ...?") is answered by the sentence's speaker
(``referents``) when the span names nobody, and the citation then reaches back to the
sentence that names the speaker.
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.answer.citations import Draft, citation_of, with_markers
from qa.answer.prompts import short_answer_prompt
from qa.answer.referents import sentence_speaker, wants_a_name
from qa.answer.spans import asks_what_was_said, complete_answer, locate, reported_clause
from qa.answer.windows import Window
from qa.llm import LLMBackend
from qa.settings import ExtractionName
from qa.text import content_terms, known_or_found_sentences, stop_words, words
from qa.types import Passage

_NOT_ANSWERS = {"unknown", "none", "not stated", "n a", "not mentioned"}
# A span this close to the whole sentence is no shorter answer: show the sentence.
_MAX_SHARE_OF_SENTENCE = 0.8
_PARAGRAPH_GAP = 4


def extract(
    question: str,
    window: Window,
    llm: LLMBackend | None,
    *,
    how: ExtractionName = "llm",
    span: tuple[int, int] | None = None,
    passages: Sequence[Passage] = (),
) -> Draft:
    """The answer text with its marker, and the citation (the window's span) it stands for.

    ``span`` is the reader's answer in ``window.text``, used when ``how`` is "span";
    ``passages`` (all those shown) are where a pronoun's speaker may be named.
    """
    short = None
    if how == "span" and span is not None and span[1] > span[0]:
        short = answer_span(question, window.text, *span)
    elif how == "llm" and llm is not None:
        short = phrase_answer(question, window.text, llm)
    if wants_a_name(question) and how != "sentence" and not _names_someone(short):
        named = _named_speaker(window, passages)
        if named is not None:
            return named
    text = with_markers((short or window.text).strip(), [window.passage.n])
    return Draft(text, (citation_of(window.passage, window.start, window.end, window.score),))


def _named_speaker(window: Window, passages: Sequence[Passage]) -> Draft | None:
    """The window's speaker as the answer, citing where the name stands and the window.

    The article text before the window is pieced together from the shown passages of
    the same article that reach up to it: a chunk may begin at the very sentence that
    says "she said", and the chunk before it name her.
    """
    begin, before = text_before(window, passages)
    speaker = sentence_speaker(window.text, before)
    if speaker is None:
        return None
    window_citation = citation_of(window.passage, window.start, window.end, window.score)
    if not speaker.before:
        return Draft(with_markers(speaker.name, [window.passage.n]), (window_citation,))
    name_at = begin + speaker.start
    if window.passage.start <= name_at:
        citation = citation_of(window.passage, name_at, window.end, window.score)
        return Draft(with_markers(speaker.name, [window.passage.n]), (citation,))
    naming = next(
        p
        for p in passages
        if p.article_id == window.passage.article_id and p.start <= name_at < p.end
    )
    citations = (
        citation_of(naming, name_at, _sentence_end(naming, name_at), window.score),
        window_citation,
    )
    return Draft(with_markers(speaker.name, [naming.n, window.passage.n]), citations)


def text_before(window: Window, passages: Sequence[Passage]) -> tuple[int, str]:
    """The article text the passages hold, without a gap, up to the window; and where
    it begins in the article."""
    same = sorted(
        (p for p in passages if p.article_id == window.passage.article_id),
        key=lambda p: p.start,
        reverse=True,
    )
    begin = window.start
    pieces: list[str] = []
    for passage in same:
        # Chunks skip the blank line between paragraphs: a gap that short is whitespace.
        if passage.start < begin <= passage.end + _PARAGRAPH_GAP:
            gap = max(0, begin - passage.end)
            pieces.insert(0, passage.text[: begin - passage.start] + "\n" * gap)
            begin = passage.start
    return begin, "".join(pieces)


def _sentence_end(passage: Passage, at: int) -> int:
    """The end of the sentence of ``passage`` holding article offset ``at``."""
    offset = at - passage.start
    for start, end in known_or_found_sentences(passage.text, passage.sentences):
        if start <= offset < end:
            return passage.start + end
    return passage.end


def _names_someone(answer: str | None) -> bool:
    """A capitalised word that is no stop word: "Ri Ryong Nam", not "She" or "the summit"."""
    return answer is not None and any(
        w[:1].isupper() and w.lower() not in stop_words() for w in answer.split()
    )


def answer_span(question: str, sentence: str, start: int, end: int) -> str | None:
    """``sentence[start:end]`` widened to the whole answer, if it answers anything new.

    Asked what someone said, the whole reported clause is the answer, when it is one.
    """
    start, end = complete_answer(sentence, start, end)
    if asks_what_was_said(question):
        clause = _new_answer(question, sentence, *reported_clause(sentence, start, end))
        if clause is not None:
            return clause
    return _new_answer(question, sentence, start, end)


def _new_answer(question: str, sentence: str, start: int, end: int) -> str | None:
    """``sentence[start:end]`` if it is a short answer that says something new."""
    span = sentence[start:end].strip(" ,;:")
    if span.count('"') % 2 or span.count("“") != span.count("”"):
        return None  # cut from inside a quotation
    if len(words(span)) >= _MAX_SHARE_OF_SENTENCE * len(words(sentence)):
        return None
    new_terms = set(content_terms(span)) - set(content_terms(question))
    return span if new_terms or not content_terms(span) else None


def supported_span(phrase: str, question: str, sentence: str) -> str | None:
    """The part of ``sentence`` that ``phrase`` picks out, if it answers anything new."""
    if " ".join(words(phrase)) in _NOT_ANSWERS:
        return None
    located = locate(phrase, sentence)
    return answer_span(question, sentence, *located) if located is not None else None


def phrase_answer(question: str, sentence: str, llm: LLMBackend) -> str | None:
    """A short answer cut from ``sentence`` where the LLM's phrase finds one, else None."""
    raw = llm.complete(short_answer_prompt(question, [sentence]))
    return supported_span(raw, question, sentence)
