"""The HTML the page shows for an answer: chat messages with live ``[n]`` markers, and
the sources panel with each cited passage and its supporting words highlighted.

Article text is data from files anyone may have written, so every piece of it is
escaped here; only the markup built in this module reaches the page. The chat renders
messages as HTML (not Markdown) so that article text can never turn into formatting.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlparse

from qa import Answer, Citation, Passage

_MARKER = re.compile(r"\[(\d+)\]")
_CLOSEST_SHOWN = 3

EMPTY_SOURCES = (
    '<div class="ragqa-sources ragqa-sources-empty">'
    "<p>Sources appear here: each passage an answer cites, with the words it rests on "
    "highlighted.</p></div>"
)


def _text(value: str) -> str:
    return html.escape(value, quote=True)


def source_anchor(n: int) -> str:
    """The element id of passage ``n`` in the sources panel; markers link to it."""
    return f"ragqa-source-{n}"


def _spans_in(passage: Passage, citations: Iterable[Citation]) -> list[tuple[int, int]]:
    """Citation spans (article offsets) as sorted, merged offsets inside ``passage.text``."""
    spans = []
    for citation in citations:
        if citation.n != passage.n:
            continue
        start = max(citation.start, passage.start) - passage.start
        end = min(citation.end, passage.end) - passage.start
        if start < end:
            spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted_passage(passage: Passage, citations: Iterable[Citation] = ()) -> str:
    """The passage text, escaped, with the cited spans inside ``<mark>``."""
    pieces, cursor = [], 0
    for start, end in _spans_in(passage, citations):
        pieces.append(_text(passage.text[cursor:start]))
        pieces.append(f"<mark>{_text(passage.text[start:end])}</mark>")
        cursor = end
    pieces.append(_text(passage.text[cursor:]))
    return "".join(pieces).strip()


def _safe_url(url: str) -> str | None:
    # Only web links: an article could carry a javascript: or data: URL.
    return url if urlparse(url).scheme in ("http", "https") else None


def _meta(passage: Passage, as_of: str) -> str:
    """Date, source and file of a passage, as one line; the date is labelled when it is
    the answer's ``as_of``, so the person sees which article the dated answer comes from."""
    parts = [_text(part) for part in (passage.published, passage.source) if part]
    if as_of and passage.published == as_of:
        parts[0] = f'<span class="ragqa-label">Answer as of</span>{parts[0]}'
    url = _safe_url(passage.url)
    name = _text(passage.file_name)
    if url:
        name = f'<a href="{_text(url)}" target="_blank" rel="noopener noreferrer">{name}</a>'
    parts.append(name)
    return " · ".join(parts)


def _tooltip(passage: Passage, answer: Answer) -> str:
    return (
        '<span class="ragqa-tip">'
        f'<span class="ragqa-tip-title">{_text(passage.title)}</span>'
        f'<span class="ragqa-tip-meta">{_meta(passage, answer.as_of)}</span>'
        f'<span class="ragqa-tip-text">{highlighted_passage(passage, answer.citations)}</span>'
        "</span>"
    )


def _with_live_markers(text: str, answer: Answer) -> str:
    """Escape ``text`` and turn each ``[n]`` naming a shown passage into a marker that
    shows the passage on hover or focus and links to it in the sources panel."""
    passages = {p.n: p for p in answer.passages}
    pieces, cursor = [], 0
    for match in _MARKER.finditer(text):
        passage = passages.get(int(match.group(1)))
        if passage is None:
            continue
        pieces.append(_text(text[cursor : match.start()]))
        pieces.append(
            f'<a class="ragqa-cite" href="#{source_anchor(passage.n)}" tabindex="0">'
            f"[{passage.n}]{_tooltip(passage, answer)}</a>"
        )
        cursor = match.end()
    pieces.append(_text(text[cursor:]))
    return "".join(pieces)


def _answer_body(answer: Answer) -> str:
    """The answer's text; a refusal or a low-confidence answer is marked as one."""
    if answer.low_confidence:
        return (
            '<div class="ragqa-answer ragqa-unsure"><span class="ragqa-label">Low confidence '
            f"({answer.confidence:.0%})</span> {_with_live_markers(answer.text, answer)}</div>"
        )
    if answer.answerable:
        return f'<div class="ragqa-answer">{_with_live_markers(answer.text, answer)}</div>'
    return (
        '<div class="ragqa-refusal"><span class="ragqa-label">Not in the articles</span> '
        f"{_text(answer.text)}</div>"
    )


def _asked_as(answer: Answer, typed: str) -> str:
    """The question answered, in small print, when it is not what the person typed (a
    follow-up made standalone): they see what "he" or "then" was taken to mean."""
    if not typed or " ".join(typed.split()) == " ".join(answer.question.split()):
        return ""
    return f'<div class="ragqa-asked">Asked as: {_text(answer.question)}</div>'


def answer_html(answer: Answer, typed: str = "") -> str:
    """The finished answer as a chat message, then the question it answers when that is
    not ``typed``, the question as the person typed it ("" when not known)."""
    return _answer_body(answer) + _asked_as(answer, typed)


def streaming_html(text: str) -> str:
    """Answer text while it is still arriving; markers become live once it is complete."""
    return f'<div class="ragqa-answer ragqa-streaming">{_text(text) or "…"}</div>'


def notice_html(message: str) -> str:
    """A problem explained in the chat, in place of an answer."""
    return f'<div class="ragqa-notice">{_text(message)}</div>'


def _source_card(passage: Passage, citations: Sequence[Citation], as_of: str = "") -> str:
    return (
        f'<article class="ragqa-source" id="{source_anchor(passage.n)}">'
        f'<h4><span class="ragqa-n">[{passage.n}]</span> {_text(passage.title)}</h4>'
        f'<p class="ragqa-meta">{_meta(passage, as_of)}</p>'
        f'<blockquote>{highlighted_passage(passage, citations)}</blockquote>'
        "</article>"
    )


def _closest(passages: Sequence[Passage]) -> list[Passage]:
    """The best passage of each of the closest few articles."""
    best: dict[str, Passage] = {}
    for passage in passages:
        best.setdefault(passage.article_id, passage)
    return list(best.values())[:_CLOSEST_SHOWN]


def sources_html(answer: Answer | None) -> str:
    """The sources panel: cited passages, or for a refusal the closest articles."""
    if answer is None or not answer.passages:
        return EMPTY_SOURCES
    if answer.answerable:
        heading, cards = "Sources", [
            _source_card(p, answer.citations, answer.as_of) for p in answer.cited_passages()
        ]
    else:
        heading = "Not in the articles · closest passages"
        cards = [_source_card(p, ()) for p in _closest(answer.passages)]
    return (
        f'<div class="ragqa-sources"><h3>{heading}</h3>{"".join(cards)}</div>'
    )
