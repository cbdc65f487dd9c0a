"""Text normalisation shared by the metrics: SQuAD answer normalisation, markers, sentences.

Everything here is deliberately independent of ``qa``: eval checks the answer path, so it
must not borrow the answer path's own tokenisers or citation checks.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter

_MARKER_GROUP = r"\[\s*\d+(?:\s*,\s*\d+)*\s*\]"
_MARKER = re.compile(_MARKER_GROUP)
_TRAILING_MARKERS = re.compile(rf"(?:\s*{_MARKER_GROUP})+$")
_CLOSERS = "\"')]”’»"
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_ALNUM = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_ASCII_PUNCT = frozenset(string.punctuation)

# Words a period may follow without ending a sentence; single capitals (initials) count too.
_ABBREVIATIONS_TEXT = """mr mrs ms dr prof st jr sr gen gov sen rep lt col capt sgt no vs etc
    inc corp co ltd jan feb mar apr jun jul aug sep sept oct nov dec approx est dept univ"""
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())

# A common English stop-word list plus contraction fragments ("korea's" -> "korea", "s").
_STOP_WORDS_TEXT = """a about above after again against all also am an and any are as at be
    because been before being below between both but by can could did do does doing down
    during each few for from further had has have having he her here hers herself him himself
    his how i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own said same says she should so some such
    than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t d ll m re ve"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def strip_markers(text: str) -> str:
    """Remove ``[n]`` / ``[1, 2]`` citation markers so they never count as answer words."""
    return " ".join(re.sub(rf"\s*{_MARKER_GROUP}", "", text).split())


def markers_in(text: str) -> frozenset[int]:
    """The passage numbers cited anywhere in ``text``."""
    return frozenset(int(n) for group in _MARKER.findall(text) for n in re.findall(r"\d+", group))


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lowercase, drop punctuation, drop a/an/the, collapse whitespace.

    Punctuation is ASCII punctuation plus every Unicode punctuation character, so the curly
    quotes and dashes common in news text normalise like their ASCII forms.
    """
    lowered = text.lower()
    no_punct = "".join(
        ch for ch in lowered if ch not in _ASCII_PUNCT and unicodedata.category(ch)[0] != "P"
    )
    return " ".join(_ARTICLES.sub(" ", no_punct).split())


def answer_tokens(text: str) -> list[str]:
    return normalize_answer(text).split()


def contains_answer(text: str, answer: str) -> bool:
    """True when the normalised ``answer`` occurs in the normalised ``text`` on word boundaries.

    Word boundaries keep "10" from matching inside "100".
    """
    needle = normalize_answer(answer)
    return bool(needle) and f" {needle} " in f" {normalize_answer(text)} "


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token F1 between two strings (1.0 when both normalise to nothing)."""
    pred, ref = answer_tokens(prediction), answer_tokens(gold)
    if not pred or not ref:
        return float(pred == ref)
    same = sum((Counter(pred) & Counter(ref)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def content_words(text: str) -> frozenset[str]:
    """Lowercase alphanumeric tokens that are not stop words, markers removed."""
    return frozenset(w for w in _ALNUM.findall(strip_markers(text).lower()) if w not in STOP_WORDS)


def count_words(text: str) -> int:
    """Words in an answer as a reader counts them (markers and lone punctuation excluded)."""
    return len(_WORD.findall(strip_markers(text)))


def split_sentences(text: str) -> list[str]:
    """Split an answer into sentences, keeping each sentence's trailing ``[n]`` markers.

    A boundary is whitespace after terminal punctuation or a marker group, before anything
    but a lowercase letter; a period after an abbreviation or an initial is not a boundary;
    a newline always is. A piece holding only markers ("Paris. [1]") joins the sentence
    before it, so markers placed after the full stop still cite that sentence.
    """
    pieces: list[str] = []
    start = 0
    for gap in re.finditer(r"\s+", text):
        before = text[start : gap.start()]
        following = text[gap.end() : gap.end() + 1]
        if "\n" in gap.group() or (not following.islower() and _ends_sentence(before)):
            pieces.append(before)
            start = gap.end()
    pieces.append(text[start:])

    sentences: list[str] = []
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if sentences and not any(ch.isalnum() for ch in _MARKER.sub("", piece)):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _ends_sentence(before: str) -> bool:
    if _TRAILING_MARKERS.search(before):
        return True
    trimmed = before.rstrip(_CLOSERS)
    if trimmed.endswith(("!", "?")):
        return True
    if not trimmed.endswith("."):
        return False
    last_word = trimmed.rsplit(None, 1)[-1].strip(_CLOSERS + "(\"'“‘").rstrip(".")
    is_initial = len(last_word) == 1 and last_word.isalpha()
    is_acronym = "." in last_word  # "U.S." and the like
    return not (is_initial or is_acronym or last_word.lower() in _ABBREVIATIONS)
