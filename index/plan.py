"""Decide what one ingest run does, from the articles read and the manifest; no I/O.

Per article, in reading order (the first reading of an id decides it):

- its id is stored, complete, with the same hash, and not pruned: **skipped** (read
  from another file, that file is remembered as a copy);
- its content is held by another article that stays stored (complete, not replaced or
  pruned by this run) or that this run writes: **skipped as a copy** of it, and
  remembered as one; a stored version under its own id is out of date and deleted;
- otherwise **written**: added when new, replaced when its id is stored (changed,
  interrupted, or re-read from another file after its own file went away).

With prune, stored articles whose file is gone are **deleted**, unless this run wrote
them again. A renamed file is thus a copy of the article stored under its old path:
without prune it is skipped and the report says so; with prune the old path is gone,
the article is written under the new path, and the old one is deleted afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

from index.manifest import Copy, Manifest
from index.types import Article, DuplicateArticle


@dataclass(frozen=True)
class Write:
    article: Article
    replaces: bool


@dataclass(frozen=True)
class IngestPlan:
    writes: tuple[Write, ...]
    skipped: tuple[str, ...]
    duplicates: tuple[DuplicateArticle, ...]
    copies: tuple[tuple[str, Copy], ...]
    """(stored article id, a copy of it) pairs to remember."""
    deletes: tuple[str, ...]
    changing: frozenset[str]
    """Stored ids this run replaces or deletes."""


def plan_ingest(
    articles: Sequence[Article],
    manifest: Manifest,
    *,
    missing: Set[str] = frozenset(),
    prune: bool = False,
) -> IngestPlan:
    """The plan for ``articles`` (in reading order) against what ``manifest`` holds.

    ``missing`` are the stored ids whose source file no longer exists; with ``prune``
    they are deleted unless written again.
    """
    gone = set(missing) if prune else set()
    first_hash: dict[str, str] = {}
    for article in articles:
        first_hash.setdefault(article.article_id, article.content_hash)
    changing = {
        entry.article_id
        for entry in manifest
        if entry.article_id in gone
        or (
            entry.article_id in first_hash
            and (not entry.complete or first_hash[entry.article_id] != entry.content_hash)
        )
    }
    holders: dict[str, str] = {}
    for entry in manifest:
        if entry.complete and entry.article_id not in changing:
            holders.setdefault(entry.content_hash, entry.article_id)

    decided: dict[str, str] = {}
    writes: list[Write] = []
    skipped: list[str] = []
    duplicates: list[DuplicateArticle] = []
    copies: list[tuple[str, Copy]] = []
    deletes: list[str] = []
    for article in articles:
        article_id, path = article.article_id, article.source_path
        previous = manifest.get(article_id)
        if article_id in decided:
            skipped.append(article_id)
            reason = f"the same article was read from {decided[article_id]}"
            duplicates.append(DuplicateArticle(article_id, path, article_id, reason))
            if path != decided[article_id]:
                copies.append((article_id, Copy(article_id, path)))
            continue
        decided[article_id] = path
        if previous is not None and article_id not in changing:
            skipped.append(article_id)
            if path != previous.source_path:
                copies.append((article_id, Copy(article_id, path)))
            continue
        holder = holders.get(article.content_hash)
        if holder is not None:
            skipped.append(article_id)
            duplicates.append(
                DuplicateArticle(article_id, path, holder, _copy_reason(holder, missing))
            )
            copies.append((holder, Copy(article_id, path)))
            if previous is not None:
                deletes.append(article_id)
            continue
        writes.append(Write(article, replaces=previous is not None))
        holders[article.content_hash] = article_id
        if previous is not None and previous.source_path != path and article_id not in missing:
            # The same id (a record's URL) from another file that still holds its own
            # version: remembered, so that version is read again if this file goes.
            copies.append((article_id, Copy(article_id, previous.source_path)))
    written = {w.article.article_id for w in writes}
    deletes.extend(sorted(gone - written - set(deletes)))
    return IngestPlan(
        writes=tuple(writes),
        skipped=tuple(skipped),
        duplicates=tuple(duplicates),
        copies=tuple(copies),
        deletes=tuple(deletes),
        changing=frozenset(changing),
    )


def _copy_reason(holder: str, missing: Set[str]) -> str:
    if holder in missing:
        return (
            f"same content as {holder}, whose file is gone; "
            "run ingest with --prune to store it under this path instead"
        )
    return f"same content as {holder}, stored once"
