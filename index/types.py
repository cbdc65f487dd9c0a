"""Plain data passed between the index stages: files become articles, articles become chunks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class Article:
    """One news article as read from disk.

    ``article_id`` is stable across runs (the resolved source path), so re-ingesting the
    same file finds its earlier chunks; ``content_hash`` tells whether the text changed.
    """

    article_id: str
    title: str
    text: str
    source_path: str
    content_hash: str

    @property
    def file_name(self) -> str:
        return PurePath(self.source_path).name


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


@dataclass(frozen=True)
class StoredArticle:
    """What the store holds for one article; ``complete`` is false after an interrupted write."""

    article_id: str
    title: str
    file_name: str
    content_hash: str
    chunk_count: int
    complete: bool


@dataclass(frozen=True)
class FailedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did, article ids per outcome."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    failed: tuple[FailedFile, ...] = ()
    chunks_written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.replaced)} replaced, "
            f"{len(self.skipped)} skipped, {len(self.failed)} failed "
            f"({self.chunks_written} chunks written in {self.seconds:.1f} s)"
        )
