"""Stage "verify citations": check an answer's ``[n]`` markers against the passages shown.

Generation is not trusted to cite: an LLM asked to cite inline may point at the wrong
passage, at a passage it was never shown, or cite nothing at all, and it may add a
sentence no passage supports. ``verify_citations`` runs after generation, sentence by
sentence: it keeps a marker whose passage supports its sentence, moves a wrong one to
the shown passage that supports the sentence best, gives an uncited but supported
sentence a marker, and drops a sentence nothing supports. It is deterministic and cheap
(word sets, plus one embedding batch when an embedder is given).

    verified = verify_citations("Paris is the capital [1].", passages)
    if not verified.text:
        ...  # nothing survived: the caller refuses

``CitationChecker`` checks many sentences against the same passages, preparing them once.
Every ``Citation`` an answer carries is built by ``citation_of``, and a ``Draft`` (text
whose markers stand for its citations) is what each answer style hands the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index import Embedder
from qa.text import content_terms, known_or_found_sentences, words
from qa.types import Citation, Passage

MIN_SUPPORT = 0.55
"""Default bar for the support score: more than half of a sentence's content words must
occur in the passage (both of 2, 2 of 3, 3 of 5), since at 0.5 one shared topic word
would carry a two-word claim. With an embedder the score averages that share with MiniLM
cosine. On eight hand-made sentence/passage pairs, two paraphrases scored 0.60 and 0.61
and unrelated same-topic claims 0.10 to 0.43. Two misses remain: a looser paraphrase
(0.43) is dropped, and a claim that contradicts its source while reusing its words
(0.56) passes. Word overlap and cosine cannot see a contradiction."""

LEXICAL_WEIGHT = 0.5
"""Weight of word overlap when an embedder is given; cosine has the rest."""

_MARKER = re.compile(r"\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]")
# A sentence ends at terminal punctuation, closing quotes and any markers written after
# the full stop ("capital. [1]"), when whitespace and a non-lowercase character follow.
_END = re.compile(r"[.!?…]+[\"'”’)]*(?:\s*\[\s*\d+(?:\s*,\s*\d+)*\s*\])*(?=\s+[^\s\[a-z]|\s*$)")
_WORD_BEFORE = re.compile(r"(\w+)\.$")
# Words whose full stop does not end a sentence ("Dr. Smith"); single letters ("U.S.") too.
_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt",
        "col", "capt", "sgt", "no", "vs", "etc", "inc", "co", "corp", "ltd", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATIONS = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot"}
)
_CLOSERS = ("!", "?", '"', "”", "'", "’")


@dataclass(frozen=True)
class Draft:
    """Answer text whose ``[n]`` markers stand for ``citations``, before it becomes an Answer.

    Every answer style makes one: the extracted evidence answer, each verified sentence
    of a cited answer, the whole cited answer. ``text`` is empty when nothing is left to
    say; ``dropped`` holds the sentences the citation check removed.
    """

    text: str
    citations: tuple[Citation, ...]
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Support:
    """How well one passage supports one answer sentence, and the sentence that does it."""

    score: float
    start: int  # offset of the best-matching passage sentence in ``passage.text``
    end: int


def split_sentences(text: str) -> list[str]:
    """Answer sentences, each with the markers that follow it.

    Punkt splits "The U.S. team" and "Dr. Smith", and puts a marker written after the full
    stop ("capital. [1] It") on the next sentence, so answers get this simpler splitter.
    """
    sentences = []
    for line in text.splitlines():
        begin = 0
        for end in _END.finditer(line):
            word = _WORD_BEFORE.search(line, 0, end.start() + 1)
            stop = line[end.start()]
            if stop == "." and word and (len(word[1]) == 1 or word[1].lower() in _ABBREVIATIONS):
                continue
            sentences.append(line[begin : end.end()].strip())
            begin = end.end()
        sentences.append(line[begin:].strip())
    return [s for s in sentences if strip_markers(s)]


def _markers(sentence: str) -> list[int]:
    return [int(n) for group in _MARKER.findall(sentence) for n in group.split(",")]


def strip_markers(sentence: str) -> str:
    text = _MARKER.sub("", sentence)
    text = re.sub(r"\s+([.,;:!?…])", r"\1", text)
    return " ".join(text.split())


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def is_negated(text: str) -> bool:
    """True when ``text`` says no, not, never... ("didn't" too)."""
    return any(w in _NEGATIONS or w.endswith("n't") for w in words(text))


def _share(terms: set[str], found_in: set[str]) -> float:
    return len(terms & found_in) / len(terms) if terms else 0.0


def with_markers(sentence: str, ns: Sequence[int]) -> str:
    """Close ``sentence`` with its markers: ``capital [1][3].``, ``really? [2]``."""
    markers = "".join(f"[{n}]" for n in ns)
    if sentence.endswith(".") and not sentence.endswith(".."):
        return f"{sentence[:-1]} {markers}."
    if sentence.endswith(_CLOSERS):
        return f"{sentence} {markers}"
    return f"{sentence} {markers}."


def citation_of(passage: Passage, start: int, end: int, score: float) -> Citation:
    """The citation of the article's text ``[start:end]``, which ``passage`` holds.

    ``start``/``end`` are article coordinates, as a ``Citation`` keeps them. Every
    citation an answer carries is made here.
    """
    return Citation(
        n=passage.n,
        article_id=passage.article_id,
        title=passage.title,
        file_name=passage.file_name,
        start=start,
        end=end,
        quote=passage.text[start - passage.start : end - passage.start],
        score=score,
    )


class CitationChecker:
    """``verify_citations`` for any number of answers over one set of shown passages.

    The passages are split into sentences, reduced to word sets and numbers, and
    embedded, once: a cited answer is checked sentence by sentence as it is written, and
    re-embedding the passages for each sentence cost 0.15-0.3 s on these CPUs.
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        embedder: Embedder | None = None,
        *,
        min_support: float = MIN_SUPPORT,
    ) -> None:
        self.passages = tuple(passages)
        self.embedder = embedder
        self.min_support = min_support
        self._by_n = {p.n: p for p in self.passages}
        self._spans = {
            p.n: [
                s
                for s in known_or_found_sentences(p.text, p.sentences)
                if p.text[s[0] : s[1]].strip()
            ]
            for p in self.passages
        }
        self._terms = {p.n: set(content_terms(p.text)) for p in self.passages}
        self._numbers = {p.n: _numbers(p.text) for p in self.passages}
        self._sentence_terms = {
            p.n: [set(content_terms(p.text[a:b])) for a, b in self._spans[p.n]]
            for p in self.passages
        }
        self._sentence_negated = {
            p.n: [is_negated(p.text[a:b]) for a, b in self._spans[p.n]] for p in self.passages
        }
        flat = [(p.n, p.text[a:b]) for p in self.passages for a, b in self._spans[p.n]]
        self._owners = np.array([n for n, _ in flat])
        self._vectors: np.ndarray | None = None
        if embedder is not None and flat:
            self._vectors = np.asarray(embedder.embed_texts([t for _, t in flat]))

    def verify(self, text: str) -> Draft:
        """Keep, move, add or remove each sentence's markers so every one is supported.

        A marker survives only if it names a shown passage whose support for its sentence
        reaches ``min_support``; a sentence left without one is cited to the
        best-supporting passage, or dropped when none reaches the bar. A citation quotes
        the passage sentence that best supports the first answer sentence citing it,
        with its span in the article.
        """
        sentences = split_sentences(text)
        cleaned = [strip_markers(s) for s in sentences]
        table = self._support_table(cleaned)
        kept: list[str] = []
        dropped: list[str] = []
        citations: dict[int, Citation] = {}
        for sentence, clean, row in zip(sentences, cleaned, table, strict=True):
            ns = [
                n
                for n in dict.fromkeys(_markers(sentence))
                if n in row and row[n].score >= self.min_support
            ]
            if not ns and row:
                best = max(row, key=lambda n: row[n].score)  # passages arrive best first
                if row[best].score >= self.min_support:
                    ns = [best]
            if not ns:
                dropped.append(clean)
                continue
            kept.append(with_markers(clean, ns))
            for n in ns:
                if n not in citations:
                    passage, support = self._by_n[n], row[n]
                    start, end = passage.start + support.start, passage.start + support.end
                    citations[n] = citation_of(passage, start, end, support.score)
        return Draft(" ".join(kept), tuple(citations.values()), tuple(dropped))

    def _support_table(self, sentences: Sequence[str]) -> list[dict[int, _Support]]:
        """``table[i][n]``: the support of answer sentence ``i`` by passage ``n``.

        The score is the share of the sentence's content words found anywhere in the
        passage (a sentence may join two facts of one passage). With an embedder it is
        averaged with the cosine to the passage's best-matching sentence, which lets a
        paraphrase through. A number in the sentence that the passage lacks makes the
        score 0: an invented figure is the commonest unsupported claim and shares every
        other word with its source. So does a negation the best-matching passage
        sentence lacks ("were not kidnapped" against "were kidnapped"), which word
        overlap and cosine both miss. The reverse, a claim that drops its source's
        "not", is not caught: that source sentence often negates something else ("the
        minister said there was no interest").
        """
        cosines: dict[int, np.ndarray] = {}
        if self._vectors is not None and self.embedder is not None and sentences:
            asked = np.asarray(self.embedder.embed_texts(list(sentences)))
            similarity = np.clip(asked @ self._vectors.T, 0, 1)
            cosines = {p.n: similarity[:, self._owners == p.n] for p in self.passages}

        table: list[dict[int, _Support]] = []
        for i, sentence in enumerate(sentences):
            terms = set(content_terms(sentence))
            numbers = _numbers(sentence)
            negated = is_negated(sentence)
            row: dict[int, _Support] = {}
            for passage in self.passages:
                spans = self._spans[passage.n]
                if not spans:
                    continue
                lexical = _share(terms, self._terms[passage.n])
                local = [_share(terms, found) for found in self._sentence_terms[passage.n]]
                if passage.n in cosines:
                    cos = cosines[passage.n][i]
                    score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * float(cos.max())
                    local = [
                        LEXICAL_WEIGHT * x + (1 - LEXICAL_WEIGHT) * c
                        for x, c in zip(local, cos, strict=True)
                    ]
                else:
                    score = lexical
                # Best-matching sentence; among equals, one that agrees on negation, then
                # the first. Agreement only breaks ties: a "no" elsewhere vouches for nothing.
                source_negated = self._sentence_negated[passage.n]
                agrees = [n == negated for n in source_negated]
                best = max(range(len(local)), key=list(zip(local, agrees, strict=True)).__getitem__)
                start, end = spans[best]
                if not numbers <= self._numbers[passage.n] or (
                    negated and not source_negated[best]
                ):
                    score = 0.0
                row[passage.n] = _Support(float(score), start, end)
            table.append(row)
        return table


def verify_citations(
    text: str,
    passages: Sequence[Passage],
    embedder: Embedder | None = None,
    *,
    min_support: float = MIN_SUPPORT,
) -> Draft:
    """Check one answer's markers against ``passages`` (see ``CitationChecker.verify``)."""
    return CitationChecker(passages, embedder, min_support=min_support).verify(text)
