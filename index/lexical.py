"""BM25 over the chunks of one Chroma collection, derived from it and persisted beside it.

Chroma stays the one source of truth (see ``index.store``). The BM25 index (bm25s, with
PyStemmer English stemming and English stopwords) is a cache built from a snapshot of
the collection, and it records a fingerprint of that snapshot: the SHA-256 of the
collection's sorted chunk ids. Chunk ids carry the article's content hash, so adding,
replacing or deleting an article always changes the fingerprint.

When it is checked: before every search. Reading the ids is the cheap part of a Chroma
read (measured on 2 cores, chromadb 1.5: 2 ms at 1,000 chunks, 19 ms at 10,000; the
metadata would cost 27 ms / 260 ms), so a search always sees what Chroma holds now: after
an interrupted ingest, after another process (``ragqa ingest`` while the chat server is
running) changed the collection, or after the index folder was deleted or damaged. The
price grows with the collection (2-3 µs a chunk); well past 10,000 chunks a revision
counter written by the ingest path would be the cheaper signal. BM25 weights depend on
the whole corpus, so a change rebuilds the index rather than patching it (0.14 s at 717
chunks).

On disk: ``<folder>/<fingerprint>/`` holds one complete build (bm25s's files plus
``chunks.json``), and ``<folder>/CURRENT`` names the build in use. A build is written to
a temporary folder and renamed into place before ``CURRENT`` is switched, so a reader never
loads half a build; a folder that cannot be read is rebuilt from Chroma.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import Stemmer

from index.chunking import indexed_text
from index.errors import StoreError
from index.store import ArticleStore
from index.types import ChunkHit

# bm25s's default pattern drops one-character tokens; single digits are kept because
# questions ask about them ("7 people").
_TOKEN_PATTERN = r"(?u)\b(?:\w\w+|\d)\b"
_STOPWORDS = "en"
_CURRENT = "CURRENT"
_CHUNKS = "chunks.json"
_TEMPORARY_MAX_AGE_S = 3600
# Written by llama-index into every chunk's Chroma metadata; not provenance.
_INTERNAL_KEYS = ("_node_content", "_node_type", "doc_id", "document_id", "ref_doc_id")

MetadataFilter = Callable[[Mapping[str, Any]], bool]


def fingerprint(chunk_ids: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for chunk_id in sorted(chunk_ids):
        digest.update(chunk_id.encode("utf-8") + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class _Build:
    fingerprint: str
    model: bm25s.BM25 | None  # None for an empty collection
    chunk_ids: tuple[str, ...]
    texts: tuple[str, ...]
    metadatas: tuple[Mapping[str, Any], ...]


class LexicalIndex:
    """BM25 search over a collection's chunks, always in step with the collection.

    lexical = LexicalIndex.beside(store, settings.store_dir)
    lexical.search("Choe Son Hui", top_k=5)
    """

    def __init__(self, store: ArticleStore, folder: Path) -> None:
        self._collection = store.vector_store.client
        self.folder = folder
        self._stemmer = Stemmer.Stemmer("english")
        # Chat handlers run in threads: one rebuild at a time, and the stemmer is shared.
        self._lock = threading.Lock()
        self._build: _Build | None = None

    @classmethod
    def beside(cls, store: ArticleStore, store_dir: Path) -> LexicalIndex:
        """The index for ``store``, kept in ``<store_dir>/<collection>.bm25/``."""
        return cls(store, store_dir / f"{store.name}.bm25")

    def refresh(self) -> bool:
        """Make the index match the collection; True when it had to be loaded or rebuilt."""
        current = fingerprint(self._read(include=[])["ids"])
        with self._lock:
            if self._build is not None and self._build.fingerprint == current:
                return False
            self._build = self._load(current) or self._rebuild()
            return True

    def search(
        self, query: str, top_k: int, keep: MetadataFilter | None = None
    ) -> list[ChunkHit]:
        """The ``top_k`` best BM25 matches among chunks whose metadata ``keep`` accepts.

        Chunks sharing no term with the query are never returned.
        """
        self.refresh()
        with self._lock:
            build = self._build
            assert build is not None  # refresh() always leaves a build
            if build.model is None:
                return []
            query_ids = build.model.get_tokens_ids(self._tokenize([query])[0])
            if not query_ids:
                return []
            scores = build.model.get_scores_from_ids(query_ids)
        if keep is not None:
            scores = scores * np.fromiter(
                (keep(meta) for meta in build.metadatas), dtype=scores.dtype, count=len(scores)
            )
        top_k = min(top_k, len(scores))
        best = np.argpartition(-scores, top_k - 1)[:top_k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            ChunkHit(
                chunk_id=build.chunk_ids[i],
                text=build.texts[i],
                metadata=build.metadatas[i],
                score=float(scores[i]),
            )
            for i in best
            if scores[i] > 0
        ]

    def _read(self, **query: Any) -> Any:
        try:
            return self._collection.get(**query)
        except Exception as exc:
            raise StoreError(
                f"cannot read collection {self._collection.name!r} for the BM25 index: {exc}"
            ) from exc

    def _tokenize(self, texts: list[str]) -> list[list[str]]:
        return bm25s.tokenize(
            texts,
            stopwords=_STOPWORDS,
            stemmer=self._stemmer,
            token_pattern=_TOKEN_PATTERN,
            return_ids=False,
            show_progress=False,
        )

    def _rebuild(self) -> _Build:
        snapshot = self._read(include=["documents", "metadatas"])
        ids = tuple(snapshot["ids"])
        texts = tuple(snapshot["documents"] or ())
        metadatas = tuple(
            {k: v for k, v in (meta or {}).items() if k not in _INTERNAL_KEYS}
            for meta in snapshot["metadatas"] or ()
        )
        model = None
        if ids:
            model = bm25s.BM25()
            corpus = [
                indexed_text(str(m.get("title", "")), t)
                for m, t in zip(metadatas, texts, strict=True)
            ]
            model.index(self._tokenize(corpus), show_progress=False)
        # The fingerprint of the snapshot itself: if Chroma changed meanwhile, the next
        # refresh sees a different one and builds again.
        build = _Build(fingerprint(ids), model, ids, texts, metadatas)
        self._save(build)
        return build

    def _save(self, build: _Build) -> None:
        """Persist ``build``; failing to is not an error, since Chroma can rebuild it."""
        target = self.folder / build.fingerprint
        temporary = self.folder / f".tmp-{uuid.uuid4().hex}"
        try:
            temporary.mkdir(parents=True)
            if build.model is not None:
                build.model.save(str(temporary), show_progress=False)
            chunks = {"ids": build.chunk_ids, "texts": build.texts, "metadatas": build.metadatas}
            (temporary / _CHUNKS).write_text(json.dumps(chunks), "utf-8")
            aside = self.folder / f".old-{uuid.uuid4().hex}"
            if target.exists():
                # A damaged copy we could not load (or another process's equal build):
                # moved aside first, because a rename cannot replace a folder.
                target.rename(aside)
            temporary.rename(target)
            shutil.rmtree(aside, ignore_errors=True)
            pointer = self.folder / f".{_CURRENT}-{uuid.uuid4().hex}"
            pointer.write_text(build.fingerprint, "utf-8")
            os.replace(pointer, self.folder / _CURRENT)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            return
        self._remove_old_builds(keep=build.fingerprint)

    def _remove_old_builds(self, keep: str) -> None:
        """Earlier builds, and temporaries a killed process left (old enough not to be live)."""
        for entry in self.folder.iterdir():
            try:
                if entry.name.startswith("."):
                    if time.time() - entry.stat().st_mtime < _TEMPORARY_MAX_AGE_S:
                        continue
                elif entry.name in (keep, _CURRENT):
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            except OSError:
                continue  # another process removed it first, or it is in use: next time

    def _load(self, expected: str) -> _Build | None:
        """The saved build when it matches ``expected``; None when absent, stale or unreadable."""
        try:
            if (self.folder / _CURRENT).read_text("utf-8").strip() != expected:
                return None
            path = self.folder / expected
            chunks = json.loads((path / _CHUNKS).read_text("utf-8"))
            ids = tuple(chunks["ids"])
            if fingerprint(ids) != expected:
                return None
            model = bm25s.BM25.load(str(path), show_progress=False) if ids else None
            return _Build(expected, model, ids, tuple(chunks["texts"]), tuple(chunks["metadatas"]))
        except (OSError, ValueError, KeyError, TypeError):
            # json.JSONDecodeError is a ValueError; a damaged .npy raises ValueError too.
            return None
