"""BM25 over the chunks of one Chroma collection, derived from it and persisted locally.

Chroma stays the one source of truth (see ``index.store``). The BM25 index (bm25s, with
PyStemmer English stemming and English stopwords) is a cache built from a snapshot of
the collection, and it records the store's revision read just before that snapshot
(``ArticleStore.revision``), which every write or delete replaces.

When it is checked: before every search, by reading the revision, one small request
whatever the collection holds, so no per-question work grows with the collection. A
change (an interrupted ingest, another process or another machine sharing a Chroma
server, a deleted or damaged index folder) is caught up with off the question path:
``refresh`` loads the build the writer saved or rebuilds one, and ``search`` starts that
in a background thread and answers from the build it has meanwhile, dropping hits on
chunks Chroma no longer holds (one request for the few ids found). So deleted text is
never returned, and new text reaches BM25 once the catch-up ends (dense search sees it
at once). Only the very first search waits for a build. The process that writes calls
``refresh`` itself, so its own next question sees its change. A change made between
reading the revision and the snapshot is in the build already and makes the next check
build again, never less. bm25s has no incremental update, and BM25 weights depend on the
whole corpus, so a change rebuilds the index rather than patching it.

On disk: ``<folder>/<revision>/`` holds one complete build (bm25s's files plus
``chunks.json``), and ``<folder>/CURRENT`` names the build in use. A build is written to
a temporary folder and renamed into place before ``CURRENT`` is switched, so a reader never
loads half a build; a folder that cannot be read is rebuilt from Chroma.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from functools import cached_property
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

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Build:
    revision: str
    model: bm25s.BM25 | None  # None for an empty collection
    chunks: tuple[StoredChunk, ...]

    @cached_property
    def _days(self) -> np.ndarray:
        return np.fromiter((c.published_day for c in self.chunks), np.int64, len(self.chunks))

    @cached_property
    def _article_codes(self) -> tuple[dict[str, int], np.ndarray]:
        return _codes([c.article_id for c in self.chunks])

    @cached_property
    def _source_codes(self) -> tuple[dict[str, int], np.ndarray]:
        return _codes([c.source for c in self.chunks])

    def mask(self, where: ChunkFilter) -> np.ndarray:
        """Which chunks ``where`` accepts, as ``ChunkFilter.accepts`` decides it.

        Array operations over codes computed once per build: a Python call per chunk
        would cost tens of milliseconds per filtered question at 100k chunks.
        """
        accepted = np.ones(len(self.chunks), dtype=bool)
        if where.article_ids:
            accepted &= _isin(self._article_codes, where.article_ids)
        if where.sources:
            accepted &= _isin(self._source_codes, where.sources)
        if where.first_day is not None:
            accepted &= self._days >= where.first_day
        if where.last_day is not None:
            accepted &= self._days <= where.last_day
        return accepted


def _codes(values: list[str]) -> tuple[dict[str, int], np.ndarray]:
    vocabulary: dict[str, int] = {}
    codes = np.fromiter(
        (vocabulary.setdefault(v, len(vocabulary)) for v in values), np.int64, len(values)
    )
    return vocabulary, codes


def _isin(coded: tuple[dict[str, int], np.ndarray], wanted: tuple[str, ...]) -> np.ndarray:
    vocabulary, codes = coded
    return np.isin(codes, [vocabulary[v] for v in wanted if v in vocabulary])


class LexicalIndex:
    """BM25 search over a collection's chunks, always in step with the collection.

    lexical = LexicalIndex.beside(store, settings.store_dir)
    lexical.search("Choe Son Hui", top_k=5)
    """

    def __init__(self, store: ArticleStore, folder: Path) -> None:
        self._store = store
        self.folder = folder
        # Chat handlers run in threads: ``_lock`` guards the build in use and the
        # searching stemmer (PyStemmer's are not thread-safe), ``_building`` makes one
        # load or rebuild at a time, each with a stemmer of its own.
        self._stemmer = Stemmer.Stemmer("english")
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._build: _Build | None = None
        self._catching_up: threading.Thread | None = None

    @classmethod
    def beside(cls, store: ArticleStore, store_dir: Path) -> LexicalIndex:
        """The index for ``store``, kept in ``<store_dir>/<collection>.bm25/``.

        ``store_dir`` is local even when the collection is on a Chroma server.
        """
        return cls(store, store_dir / f"{store.name}.bm25")

    def refresh(self) -> bool:
        """Make the index match the collection now, waiting for a load or rebuild if needed.

        True when it had to load or rebuild. Writers call this after a change; searches
        only wait for it when there is no build at all.
        """
        with self._building:
            current = self._store.revision()
            if self._build is not None and self._build.revision == current:
                return False
            build = self._load(current) or self._rebuild(current)
            with self._lock:
                self._build = build
            return True

    def search(self, query: str, top_k: int, where: ChunkFilter | None = None) -> list[ChunkHit]:
        """The ``top_k`` best BM25 matches among the chunks ``where`` accepts.

        Chunks sharing no term with the query are never returned, nor chunks the
        collection no longer holds.
        """
        current = self._store.revision()
        if self._build is None:
            self.refresh()
        elif self._build.revision != current:
            self._catch_up_in_background()
        with self._lock:
            build = self._build
            assert build is not None  # refresh() always leaves a build
            if build.model is None:
                return []
            tokens = _tokenize([query], self._stemmer)[0]
            query_ids = build.model.get_tokens_ids(tokens)
            if not query_ids:
                return []
            scores = build.model.get_scores_from_ids(query_ids)
        if where is not None and not where.is_empty():
            scores = scores * build.mask(where)
        top_k = min(top_k, len(scores))
        best = np.argpartition(-scores, top_k - 1)[:top_k]
        best = best[np.argsort(-scores[best], kind="stable")]
        hits = [ChunkHit(build.chunks[i], float(scores[i])) for i in best if scores[i] > 0]
        if build.revision != current and hits:
            held = self._store.held([hit.chunk_id for hit in hits])
            hits = [hit for hit in hits if hit.chunk_id in held]
        return hits

    def status(self) -> str:
        """How the saved build compares with the collection, changing nothing: ``current``,
        ``missing`` (never built here), ``stale`` (built before the last change) or
        ``unreadable`` (``CURRENT`` names a build that cannot be loaded)."""
        revision = self._store.revision(create=False)
        try:
            saved = (self.folder / _CURRENT).read_text("utf-8").strip()
        except OSError:
            return "missing"
        if not revision or saved != revision:
            return "stale"
        return "current" if self._load(revision) is not None else "unreadable"

    def leftovers(self) -> list[Path]:
        """Temporary files and folders an interrupted save left behind (or one under way)."""
        try:
            return sorted(entry for entry in self.folder.iterdir() if entry.name.startswith("."))
        except OSError:
            return []

    def _catch_up_in_background(self) -> None:
        with self._lock:
            if self._catching_up is not None and self._catching_up.is_alive():
                return
            self._catching_up = threading.Thread(
                target=self._catch_up, name=f"bm25-{self._store.name}", daemon=True
            )
            self._catching_up.start()

    def _catch_up(self) -> None:
        try:
            self.refresh()
        except Exception:  # the next search tries again; until then the old build serves
            logger.exception("could not bring the BM25 index of %s up to date", self._store.name)

    def _rebuild(self, revision: str) -> _Build:
        """A build of the collection as it is now, labelled with ``revision`` read before."""
        chunks = tuple(self._store.chunks())
        model = None
        if chunks:
            model = bm25s.BM25()
            corpus = [indexed_text(chunk.title, chunk.text) for chunk in chunks]
            # Token ids, not strings: the same index, built faster and with less memory
            # at its peak, since no per-token string lists are held.
            corpus_ids = _tokenize(corpus, Stemmer.Stemmer("english"), return_ids=True)
            model.index(corpus_ids, show_progress=False)
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


def _tokenize(
    texts: list[str], stemmer: Stemmer.Stemmer, *, return_ids: bool = False
) -> list[list[str]] | bm25s.tokenization.Tokenized:
    """bm25s's tokens of ``texts`` as the index reads them: strings (a query's, looked up
    in the index's vocabulary), or ids with their vocabulary (a corpus to index)."""
    return bm25s.tokenize(
        texts,
        stopwords=_STOPWORDS,
        stemmer=stemmer,
        token_pattern=_TOKEN_PATTERN,
        return_ids=return_ids,
        show_progress=False,
    )
