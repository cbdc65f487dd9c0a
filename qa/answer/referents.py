"""Who a sentence's speaker is, when the sentence says only "she said" or "the minister said".

News attributes a quote to a pronoun or a description once the person has been named:
`Japan "knocked at the door first," she said Tuesday.` is the answer to "who said Japan
knocked at the door first?" only once "she" is read as the Kim Yo Jong two sentences
earlier. The speaker of a sentence is the name that says it (``Kishida told reporters``);
for a pronoun or a description (``the sister``, ``the minister``), the nearest name
before it in the same passage that speaks or is described (``Kim Yo Jong said``,
``Kim Yo Jong, sister of ...``). Only names in the passage are used, so the citation
can cover the words the answer rests on.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Speaker", "sentence_speaker", "wants_a_name"]

_SPEECH = (
    r"(?:said|says|told|tells|added|adds|stated|claimed|claims|criticized|criticised|"
    r"revealed|announced|insisted|wrote|warned|noted|explained|argued|urged|denied|"
    r"confirmed|declared|asked|called|described|accused|replied|responded)"
)
# The look-behind starts a name only at a word's start: without it a long run of
# capitals is tried from every letter, quadratic in its length.
_NAME = r"(?<![\w'’.-])[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|von|van|bin|al)\s+)?[A-Z][\w'’.-]*){0,4}"
# "Kishida told", "Kim Yo Jong said in February", "Hayashi on Monday called".
_NAMED_SPEAKER = re.compile(
    rf"(?P<name>{_NAME})(?:,[^,]{{1,80}},)?\s+(?:also\s+|on\s+\w+\s+)?{_SPEECH}\b"
)
# "Kim Yo Jong, sister of the North Korean leader," / "Choe Son Hui, the foreign minister,".
_DESCRIBED = re.compile(rf"(?P<name>{_NAME}),\s+(?:the\s+|a\s+)?[a-z][\w'’ -]{{2,80}},")
_POINTING_SPEAKER = re.compile(
    rf"(?:\b(?:she|he|they)|\b[Tt]he\s+(?:[a-z][\w-]*\s+){{0,2}}[a-z][\w-]*"
    rf"(?:,[^,]{{1,120}},)?)\s+(?:also\s+)?{_SPEECH}\b"
)
_SUBJECT_PRONOUN = re.compile(r"^\W*(?:She|He|They)\b")
# "Who is Kim Yo Jong?": a name alone after "who is" asks what the person is.
_DEFINITION = re.compile(
    r"^\s*(?i:who\s+(?:is|was|are|were))\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*\s*\?*\s*$"
)
_WHO = re.compile(r"^\s*who(?:m)?\b", re.I)
_STARTS = frozenset({"The", "A", "An", "In", "On", "At", "But", "And", "As", "After", "When"})


class Speaker(NamedTuple):
    """A name, where it starts, and whether that is in the text before the sentence."""

    name: str
    start: int
    before: bool


def wants_a_name(question: str) -> bool:
    """ "Who said ...?" and "who is the minister?" want a name; "who is Kim Yo Jong?" does not."""
    return bool(_WHO.match(question)) and not _DEFINITION.match(question)


def _clean(name: str) -> str | None:
    words = name.split()
    while words and words[0] in _STARTS:
        words.pop(0)
    name = " ".join(words).removesuffix("'s").removesuffix("’s")
    return name or None


def _named(sentence: str) -> Speaker | None:
    match = _NAMED_SPEAKER.search(sentence)
    if match is None:
        return None
    name = _clean(match.group("name"))
    return Speaker(name, match.start("name"), before=False) if name else None


def _last_named_before(text: str) -> Speaker | None:
    """The last name in ``text`` that speaks or is described there."""
    found = [
        (m.start("name"), m.group("name"))
        for pattern in (_NAMED_SPEAKER, _DESCRIBED)
        for m in pattern.finditer(text)
    ]
    for start, raw in sorted(found, reverse=True):
        name = _clean(raw)
        if name:
            return Speaker(name, start, before=True)
    return None


def sentence_speaker(sentence: str, before: str) -> Speaker | None:
    """Who says ``sentence``: a name in it, or the one its pronoun points back to.

    ``before`` is the passage text before the sentence; the speaker's ``start`` is an
    offset in ``before`` when ``Speaker.before``, else in ``sentence``.
    """
    named = _named(sentence)
    pointing = _POINTING_SPEAKER.search(sentence) or _SUBJECT_PRONOUN.match(sentence)
    # "Kishida said he asked for talks": the name speaks first, "he" is Kishida again.
    if pointing and (named is None or pointing.start() < named.start):
        return _last_named_before(before)
    return named
