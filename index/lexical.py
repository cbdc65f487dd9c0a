"""BM25 over the chunks of one Chroma collection, derived from it and persisted locally.

Chroma stays the one source of truth (see ``index.store``). The BM25 index (bm25s, with
PyStemmer English stemming and English stopwords) is a cache built from a snapshot of
the collection, and it records the store's revision read just before that snapshot
(``ArticleStore.revision``), which every write or delete replaces.

When it is checked: before every search, by reading the revision, one small request
whatever the collection holds. So a search always sees what Chroma holds now: after an
interrupted ingest, after another process or another machine sharing a Chroma server
(``ragqa ingest`` while the chat server is running) changed the collection, or after the
index folder was deleted or damaged. A change made between reading the revision and the
snapshot is in the build already and makes the next check build again, never less. BM25
weights depend on the whole corpus, so a change rebuilds the index rather than patching
it (0.14 s at 717 chunks).

On disk: ``<folder>/<revision>/`` holds one complete build (bm25s's files plus
``chunks.json``), and ``<folder>/CURRENT`` names the build in use. A build is written to
a temporary folder and renamed into place before ``CURRENT`` is switched, so a reader never
loads half a build; a folder that cannot be read is rebuilt from Chroma.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from index.chunking import indexed_text
from index.store import ArticleStore
from index.types import ChunkFilter, ChunkHit, StoredChunk

# bm25s's default pattern drops one-character tokens; single digits are kept because
# questions ask about them ("7 people").
_TOKEN_PATTERN = r"(?u)\b(?:\w\w+|\d)\b"
_STOPWORDS = "en"
_CURRENT = "CURRENT"
_CHUNKS = "chunks.json"
_TEMPORARY_MAX_AGE_S = 3600


@dataclass(frozen=True)
class _Build:
    revision: str
    model: bm25s.BM25 | None  # None for an empty collection
    chunks: tuple[StoredChunk, ...]


class LexicalIndex:
    """BM25 search over a collection's chunks, always in step with the collection.

    lexical = LexicalIndex.beside(store, settings.store_dir)
    lexical.search("Choe Son Hui", top_k=5)
    """

    def __init__(self, store: ArticleStore, folder: Path) -> None:
        self._store = store
        self.folder = folder
        self._stemmer = Stemmer.Stemmer("english")
        # Chat handlers run in threads: one rebuild at a time, and the stemmer is shared.
        self._lock = threading.Lock()
        self._build: _Build | None = None

    @classmethod
    def beside(cls, store: ArticleStore, store_dir: Path) -> LexicalIndex:
        """The index for ``store``, kept in ``<store_dir>/<collection>.bm25/``.

        ``store_dir`` is local even when the collection is on a Chroma server.
        """
        return cls(store, store_dir / f"{store.name}.bm25")

    def refresh(self) -> bool:
        """Make the index match the collection; True when it had to be loaded or rebuilt."""
        current = self._store.revision()
        with self._lock:
            if self._build is not None and self._build.revision == current:
                return False
            self._build = self._load(current) or self._rebuild(current)
            return True

    def search(self, query: str, top_k: int, where: ChunkFilter | None = None) -> list[ChunkHit]:
        """The ``top_k`` best BM25 matches among the chunks ``where`` accepts.

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
        if where is not None and not where.is_empty():
            scores = scores * np.fromiter(
                (where.accepts(chunk) for chunk in build.chunks),
                dtype=scores.dtype,
                count=len(scores),
            )
        top_k = min(top_k, len(scores))
        best = np.argpartition(-scores, top_k - 1)[:top_k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [ChunkHit(build.chunks[i], float(scores[i])) for i in best if scores[i] > 0]

    def _tokenize(self, texts: list[str]) -> list[list[str]]:
        return bm25s.tokenize(
            texts,
            stopwords=_STOPWORDS,
            stemmer=self._stemmer,
            token_pattern=_TOKEN_PATTERN,
            return_ids=False,
            show_progress=False,
        )

    def _rebuild(self, revision: str) -> _Build:
        """A build of the collection as it is now, labelled with ``revision`` read before."""
        chunks = tuple(self._store.chunks())
        model = None
        if chunks:
            model = bm25s.BM25()
            corpus = [indexed_text(chunk.title, chunk.text) for chunk in chunks]
            model.index(self._tokenize(corpus), show_progress=False)
        build = _Build(revision, model, chunks)
        self._save(build)
        return build

    def _save(self, build: _Build) -> None:
        """Persist ``build``; failing to is not an error, since Chroma can rebuild it."""
        target = self.folder / build.revision
        temporary = self.folder / f".tmp-{uuid.uuid4().hex}"
        try:
            temporary.mkdir(parents=True)
            if build.model is not None:
                build.model.save(str(temporary), show_progress=False)
            chunks = {"revision": build.revision, "chunks": [asdict(c) for c in build.chunks]}
            (temporary / _CHUNKS).write_text(json.dumps(chunks), "utf-8")
            aside = self.folder / f".old-{uuid.uuid4().hex}"
            if target.exists():
                # A damaged copy we could not load (or another process's equal build):
                # moved aside first, because a rename cannot replace a folder.
                target.rename(aside)
            temporary.rename(target)
            shutil.rmtree(aside, ignore_errors=True)
            pointer = self.folder / f".{_CURRENT}-{uuid.uuid4().hex}"
            pointer.write_text(build.revision, "utf-8")
            os.replace(pointer, self.folder / _CURRENT)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            return
        self._remove_old_builds(keep=build.revision)

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
            saved = json.loads((path / _CHUNKS).read_text("utf-8"))
            if saved["revision"] != expected:
                return None
            chunks = tuple(StoredChunk(**chunk) for chunk in saved["chunks"])
            model = bm25s.BM25.load(str(path), show_progress=False) if chunks else None
            return _Build(expected, model, chunks)
        except (OSError, ValueError, KeyError, TypeError):
            # json.JSONDecodeError is a ValueError; a damaged .npy raises ValueError too.
            return None
