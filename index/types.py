"""Plain data passed between the index stages: files become articles, articles become chunks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import PurePath
from typing import Literal


def ordinal_day(published: str) -> int:
    """``date.toordinal()`` of an ISO date, 0 when unknown: lets stores filter dates as numbers."""
    return date.fromisoformat(published).toordinal() if published else 0


DEFAULT_MAX_FILE_BYTES = 50_000_000
"""The largest article file read unless the caller says otherwise (``max_file_mb``): ten
thousand times a long news article, and a PDF of a whole newspaper issue fits."""

RuntimeName = Literal["onnxruntime", "torch"]
"""What runs ragqa's models (the embedder and the reader): onnxruntime or torch."""


@dataclass(frozen=True)
class Article:
    """One news article as read from disk (a file, or one record or entry of a file).

    ``article_id`` is stable across runs so re-ingesting finds the earlier chunks: the
    resolved file path for one-article files; for records and feed entries their URL, or
    ``<resolved path>#<record number>`` without one. ``content_hash`` covers the text and
    the metadata read from the content (never the file's name), so a byte-identical copy
    under another name hashes the same. ``published`` is an ISO date or ``""``.
    """

    article_id: str
    title: str
    text: str
    source_path: str
    content_hash: str
    source: str = ""
    url: str = ""
    published: str = ""
    authors: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return PurePath(self.source_path).name

    @property
    def published_day(self) -> int:
        return ordinal_day(self.published)


@dataclass(frozen=True)
class Chunk:
    """A sentence-aligned piece of an article; ``text == article.text[start:end]`` always."""

    chunk_id: str
    article_id: str
    title: str
    file_name: str
    text: str
    start: int
    end: int
    ordinal: int
    chunk_count: int
    content_hash: str
    file_path: str = ""
    source: str = ""
    url: str = ""
    published: str = ""
    authors: tuple[str, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    """Sentence spans in ``text`` (offsets into it), as ``index.sentences`` finds them."""

    @property
    def published_day(self) -> int:
        return ordinal_day(self.published)


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as the store gives it back: its text and what a citation needs of its article.

    ``source``, ``url`` and ``published`` are ``""`` and ``published_day`` 0 when unknown,
    as for chunks stored by versions that did not record them.
    """

    chunk_id: str
    text: str
    article_id: str
    title: str
    file_name: str
    start: int
    end: int
    source: str = ""
    url: str = ""
    published: str = ""
    published_day: int = 0
    stored_sentences: str = ""
    """The sentence spans stored with the chunk, encoded; ``""`` if stored without them."""

    @cached_property
    def sentence_spans(self) -> tuple[tuple[int, int], ...]:
        """Sentence spans in ``text``: the stored ones, else found now (older stores)."""
        from index.sentences import decode_spans, sentence_spans

        if self.stored_sentences:
            try:
                return decode_spans(self.stored_sentences)
            except ValueError:
                pass  # not ours to trust: find them again
        return sentence_spans(self.text)


@dataclass(frozen=True)
class ChunkHit:
    """A chunk a search found, with the search's score (cosine for dense, BM25's for words)."""

    chunk: StoredChunk
    score: float

    @property
    def chunk_id(self) -> str:
        return self.chunk.chunk_id

    @property
    def text(self) -> str:
        return self.chunk.text


@dataclass(frozen=True)
class ChunkFilter:
    """Which chunks a search may return; an empty field does not restrict.

    Days are ``date.toordinal()`` values compared with ``StoredChunk.published_day``, so a
    chunk of unknown date (day 0) is left out by any ``first_day`` of 1 or more.
    """

    article_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    first_day: int | None = None
    last_day: int | None = None

    def is_empty(self) -> bool:
        return not (
            self.article_ids
            or self.sources
            or self.first_day is not None
            or self.last_day is not None
        )

    @cached_property
    def _article_ids(self) -> frozenset[str]:
        return frozenset(self.article_ids)

    @cached_property
    def _sources(self) -> frozenset[str]:
        return frozenset(self.sources)

    def accepts(self, chunk: StoredChunk) -> bool:
        """Whether ``chunk`` passes; BM25 asks this of every chunk, so sets, not tuples."""
        return (
            (not self.article_ids or chunk.article_id in self._article_ids)
            and (not self.sources or chunk.source in self._sources)
            and (self.first_day is None or chunk.published_day >= self.first_day)
            and (self.last_day is None or chunk.published_day <= self.last_day)
        )


@dataclass(frozen=True)
class StoredArticle:
    """What the store holds for one article; ``complete`` is false after an interrupted write.

    ``source`` (the publisher) and ``published`` (an ISO date) are ``""`` when unknown, as
    for articles stored by versions that did not record them.
    """

    article_id: str
    title: str
    file_name: str
    content_hash: str
    chunk_count: int
    complete: bool
    source_path: str = ""
    source: str = ""
    published: str = ""


@dataclass(frozen=True)
class FailedFile:
    """A file, or one record of it (``path:line`` for JSON Lines), that could not be read."""

    path: str
    reason: str


@dataclass(frozen=True)
class LoadedFile:
    """The articles read from one file, and its records that could not be read."""

    path: str
    articles: tuple[Article, ...]
    failed: tuple[FailedFile, ...] = ()


@dataclass(frozen=True)
class DuplicateArticle:
    """An article skipped because the store already holds it under ``same_as``."""

    article_id: str
    path: str
    same_as: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did, article ids per outcome.

    ``skipped`` holds unchanged articles and copies; ``duplicates`` says, for each copy,
    which stored article it duplicates.
    """

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    failed: tuple[FailedFile, ...] = ()
    duplicates: tuple[DuplicateArticle, ...] = ()
    chunks_written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.replaced)} replaced, "
            f"{len(self.skipped)} skipped, {len(self.deleted)} deleted, "
            f"{len(self.failed)} failed "
            f"({self.chunks_written} chunks written in {self.seconds:.1f} s)"
        )


ProblemKind = Literal["damaged", "manifest", "incomplete", "orphans", "search", "bm25", "leftover"]


@dataclass(frozen=True)
class StoreProblem:
    """Something ``ragqa check`` found: what it concerns, what is wrong, and what fixes it.

    ``kind``: ``damaged`` (the store's database cannot be read), ``manifest`` (it
    disagrees with Chroma), ``incomplete`` (an article's chunks are not one whole
    version), ``orphans`` (chunks of no article), ``search`` (Chroma cannot find a chunk
    by its own vector), ``bm25`` (the BM25 index is behind the collection) or
    ``leftover`` (a temporary file). ``fix`` says what ``ragqa check --repair`` does
    about it, or when ``repairable`` is false, what the user can do.
    """

    kind: ProblemKind
    subject: str
    message: str
    fix: str = ""
    repairable: bool = True

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}" + (f"; {self.fix}" if self.fix else "")


@dataclass(frozen=True)
class StoreCheck:
    """What ``ragqa check`` found in one collection, and with ``--repair`` what it fixed.

    ``problems`` make the collection inconsistent; ``notes`` are harmless (a BM25 index
    rebuilt before the next question anyway, a temporary file) and ``--repair`` tidies
    them too. ``repaired`` lists what was found before the repair and is gone after it.
    """

    collection: str
    location: str
    articles: int = 0
    chunks: int = 0
    problems: tuple[StoreProblem, ...] = ()
    notes: tuple[StoreProblem, ...] = ()
    repaired: tuple[StoreProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems
