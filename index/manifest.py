"""The ingest manifest: per article its content hash, chunk ids, source file, publisher,
date and known copies.

It lives beside the store as ``<store_dir>/<collection>.manifest.json`` and is replaced
atomically (a temporary file, then ``os.replace``), so a reader never sees half of one.

Chroma stays the source of truth. The manifest summarises its chunk metadata, so ingest
can decide what to skip, replace or prune without reading every chunk's metadata, and
adds the one thing Chroma cannot hold: the files skipped as copies of a stored article
(see ``index.ingest``). ``ArticleStore`` trusts it only while it is in the current format
and names exactly the chunk ids Chroma holds, and rebuilds it from the chunks' metadata
otherwise: after a crash between the Chroma write and the manifest write, when the file
is missing or damaged, when another process changed the collection, or when an older
version wrote it. A rebuild keeps the copies of every article whose content it finds
unchanged; only a missing or damaged file loses them.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.diagnosis import with_hint
from index.errors import StoreError

_FORMAT = 2
# Format 1 had no ``source`` or ``published``: it is still read, so its copies are kept, and
# marked outdated so that ``ArticleStore`` fills those two from the chunks.
_OUTDATED_FORMATS = frozenset({1})


@dataclass(frozen=True)
class Copy:
    """An article skipped because its content is stored under another id."""

    article_id: str
    source_path: str


@dataclass(frozen=True)
class ManifestEntry:
    article_id: str
    title: str
    source_path: str
    content_hash: str
    chunk_ids: tuple[str, ...]
    complete: bool
    copies: tuple[Copy, ...] = ()
    source: str = ""
    published: str = ""


class Manifest:
    """Article id → ``ManifestEntry``.

    ``outdated`` marks one read from an older format: its entries lack fields that only
    the chunks' metadata can supply, so it must be rebuilt even when its chunk ids agree.
    """

    def __init__(self, entries: Iterable[ManifestEntry] = (), *, outdated: bool = False) -> None:
        self._entries = {entry.article_id: entry for entry in entries}
        self.outdated = outdated

    def __iter__(self) -> Iterator[ManifestEntry]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, article_id: str) -> ManifestEntry | None:
        return self._entries.get(article_id)

    def put(self, entry: ManifestEntry) -> None:
        self._entries[entry.article_id] = entry

    def remove(self, article_id: str) -> None:
        self._entries.pop(article_id, None)

    def chunk_ids(self) -> set[str]:
        return {chunk_id for entry in self._entries.values() for chunk_id in entry.chunk_ids}

    def with_copies_of(self, earlier: Manifest) -> Manifest:
        """This manifest plus ``earlier``'s copies of each article held with the same content.

        Chroma cannot hold the copies, so a rebuild from the chunks takes them from the
        manifest it replaces; a copy of content since replaced no longer applies.
        """
        entries = []
        for entry in self:
            before = earlier.get(entry.article_id)
            if before is not None and before.content_hash == entry.content_hash:
                entry = replace(entry, copies=before.copies)
            entries.append(entry)
        return Manifest(entries)

    def to_json(self) -> str:
        articles = {
            entry.article_id: {
                "title": entry.title,
                "source_path": entry.source_path,
                "content_hash": entry.content_hash,
                "chunk_ids": list(entry.chunk_ids),
                "complete": entry.complete,
                "copies": [[c.article_id, c.source_path] for c in entry.copies],
                "source": entry.source,
                "published": entry.published,
            }
            for entry in self._entries.values()
        }
        return json.dumps({"format": _FORMAT, "articles": articles}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Raises ``ValueError`` (or ``KeyError``/``TypeError``) on anything malformed."""
        document = json.loads(text)
        version = document.get("format")
        if isinstance(version, int) and not isinstance(version, bool) and version > _FORMAT:
            raise NewerManifestError(version)
        if version != _FORMAT and version not in _OUTDATED_FORMATS:
            raise ValueError(f"unknown manifest format {version!r}")
        outdated = version in _OUTDATED_FORMATS
        return cls(
            (
                ManifestEntry(
                    article_id=article_id,
                    title=str(item["title"]),
                    source_path=str(item["source_path"]),
                    content_hash=str(item["content_hash"]),
                    chunk_ids=tuple(str(c) for c in item["chunk_ids"]),
                    complete=bool(item["complete"]),
                    copies=tuple(Copy(str(a), str(p)) for a, p in item["copies"]),
                    source="" if outdated else str(item["source"]),
                    published="" if outdated else str(item["published"]),
                )
                for article_id, item in document["articles"].items()
            ),
            outdated=outdated,
        )

    @classmethod
    def from_chunks(
        cls, chunk_ids: Sequence[str], metadatas: Sequence[Mapping[str, Any] | None]
    ) -> Manifest:
        """The manifest that the chunks' own metadata implies.

        An article counts as complete when exactly one version of it is present in full;
        anything else (an interrupted write) is redone by the next ingest.
        """
        by_article: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
        for chunk_id, meta in zip(chunk_ids, metadatas, strict=True):
            meta = meta or {}
            by_article[str(meta.get("article_id", ""))].append((chunk_id, meta))
        entries = []
        for article_id, chunks in by_article.items():
            hashes = Counter(str(meta.get("content_hash", "")) for _, meta in chunks)
            content_hash, count = hashes.most_common(1)[0]
            meta = next(m for _, m in chunks if str(m.get("content_hash", "")) == content_hash)
            entries.append(
                ManifestEntry(
                    article_id=article_id,
                    title=str(meta.get("title", "")),
                    # Chunks written before ``file_path`` existed had the path as their id.
                    source_path=str(meta.get("file_path") or article_id),
                    content_hash=content_hash,
                    chunk_ids=tuple(sorted(chunk_id for chunk_id, _ in chunks)),
                    complete=(
                        bool(article_id)
                        and len(hashes) == 1
                        and count == whole_number(meta.get("chunk_count"))
                    ),
                    # Chunks written before these keys existed lack them: unknown.
                    source=str(meta.get("source", "")),
                    published=str(meta.get("published", "")),
                )
            )
        return cls(entries)


def whole_number(value: object) -> int:
    """A chunk's ``chunk_count`` or ``ordinal``; -1 when missing or not an integer (chunks
    another program wrote), which never matches a count."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


class NewerManifestError(ValueError):
    """A manifest in a format this version does not know yet: a newer ragqa wrote it."""

    def __init__(self, version: int) -> None:
        super().__init__(f"manifest format {version}, newer than {_FORMAT}")
        self.version = version


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path``; None when it is missing or cannot be parsed.

    One a newer ragqa wrote is an error, not a missing manifest: rebuilding it would
    write this version's format over the newer one's, and the newer version's store may
    hold what this one misreads.
    """
    try:
        return Manifest.from_json(path.read_text("utf-8"))
    except NewerManifestError as exc:
        raise StoreError(
            f"{path.parent} was written by a newer version of ragqa ({path.name} has "
            f"manifest format {exc.version}; this version reads up to {_FORMAT}): upgrade "
            "ragqa, or point --home (RAGQA_HOME) at another data directory; nothing in "
            "it was changed"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # json.JSONDecodeError is a ValueError; AttributeError: a top level that is no object.
        return None


def write_manifest(manifest: Manifest, path: Path) -> None:
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(manifest.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        _remove_old_temporaries(path)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        message = f"cannot write the ingest manifest {path}: {exc}"
        if exc.errno == errno.EISDIR:
            message += "; remove the folder in its way (the manifest is rebuilt from Chroma)"
        raise StoreError(with_hint(message, exc, folder=path.parent)) from exc


_TEMPORARY_MAX_AGE_S = 3600


def _remove_old_temporaries(path: Path) -> None:
    """The temporary files of writes killed before their rename, once surely not live."""
    for temporary in path.parent.glob(f".{path.name}.*"):
        try:
            if time.time() - temporary.stat().st_mtime > _TEMPORARY_MAX_AGE_S:
                temporary.unlink()
        except OSError:
            continue  # another process removed it first
