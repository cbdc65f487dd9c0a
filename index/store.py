"""The Chroma collection that holds chunks, their embeddings and their provenance.

Chroma is the single source of truth for what is ingested: every chunk carries its
article id, source file, content hash and the article's chunk count, so the ingest
state can always be read back from the store itself. The manifest (``index.manifest``)
is a summary of that state, checked against the collection's chunk ids when the store
opens and before each ingest, and rebuilt from the chunks' metadata when they differ or
when the manifest file is in an older format. Writes go to Chroma first and to the
manifest after, so a crash in between leaves a manifest that the next check finds stale.

The revision (``ArticleStore.revision``) is a random token in the collection's own Chroma
metadata, replaced before and after every write or delete: reading it is one small
request whatever the collection holds, so caches derived from the chunks (the BM25 index)
can check they are current on every question. A fresh token rather than a counter, so
two processes changing the collection at once can never leave the value a reader saw
before either change. Writing it before a change too means a process killed mid-write
still leaves a revision no earlier snapshot carries.

The store is embedded (``ArticleStore.persistent``, Chroma on disk) or on a Chroma server
(``ArticleStore.server``); the manifest is a local file either way. Opened ``read_only``
(what ``ragqa check`` does), the collection must exist and opening changes nothing: no
revision is given, no manifest rebuilt. A failed call says what probably went wrong and
how to fix it (``index.diagnosis``).
"""

from __future__ import annotations

import itertools
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeVar

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from index.diagnosis import is_damaged, with_hint
from index.errors import ServerUnreachableError, StoreDamagedError, StoreError
from index.manifest import Copy, Manifest, ManifestEntry, read_manifest, write_manifest
from index.sentences import encode_spans
from index.servers import ChromaServer
from index.types import Chunk, ChunkFilter, ChunkHit, StoredArticle, StoredChunk

if TYPE_CHECKING:  # llama-index is imported on the write path only: a question never needs it
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

DATABASE_FILE = "chroma.sqlite3"
"""The file an embedded Chroma store keeps everything but its vector indexes in."""
_COLLECTION_NAME = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9._-]{1,510})[a-zA-Z0-9]$")
_REVISION_KEY = "ragqa_revision"
_WRITE_BATCH = 1000  # chunks per Chroma call, well under its maximum batch size
_READ_PAGE = 5000
"""Chunks per ``get`` when reading the whole collection: Chroma's embedded store reads a
page's metadata with one SQL statement holding every id, and SQLite refuses more than
32,766 variables, so a single ``get`` fails past about 32k chunks."""
_DELETE_ARTICLES = 100
"""Articles per delete: the delete's ``$in`` filter has the same SQLite limit."""
_T = TypeVar("_T")


def validate_collection_name(name: str) -> str:
    if not _COLLECTION_NAME.match(name):
        raise StoreError(
            f"invalid collection name {name!r}: use 3-512 characters of letters, digits, "
            "'.', '_' or '-', starting and ending with a letter or digit"
        )
    return name


def chunk_metadata(chunk: Chunk) -> dict[str, str | int]:
    """What Chroma stores with a chunk: flat values only (it cannot hold None or lists)."""
    return {
        "article_id": chunk.article_id,
        "title": chunk.title,
        "file_name": chunk.file_name,
        "file_path": chunk.file_path,
        "source": chunk.source,
        "url": chunk.url,
        "published": chunk.published,
        # Ordinal days let Chroma filter dates numerically ($gte/$lte); 0 is unknown.
        "published_day": chunk.published_day,
        "authors": ", ".join(chunk.authors),
        "start": chunk.start,
        "end": chunk.end,
        "ordinal": chunk.ordinal,
        "chunk_count": chunk.chunk_count,
        "content_hash": chunk.content_hash,
        "sentences": encode_spans(chunk.sentences),
    }


SERVER_ANSWER_TIMEOUT_S = 10.0


def _chroma_settings() -> ChromaSettings:
    # A new object per client: chromadb.HttpClient writes the server's address into it.
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _where(chunk_filter: ChunkFilter) -> dict[str, Any] | None:
    """``chunk_filter`` as a Chroma ``where``: one condition alone, several under ``$and``."""
    conditions: list[dict[str, Any]] = []
    if chunk_filter.article_ids:
        conditions.append({"article_id": {"$in": list(chunk_filter.article_ids)}})
    if chunk_filter.sources:
        conditions.append({"source": {"$in": list(chunk_filter.sources)}})
    if chunk_filter.first_day is not None:
        conditions.append({"published_day": {"$gte": chunk_filter.first_day}})
    if chunk_filter.last_day is not None:
        conditions.append({"published_day": {"$lte": chunk_filter.last_day}})
    if len(conditions) > 1:
        return {"$and": conditions}
    return conditions[0] if conditions else None


def _stored_chunk(
    chunk_id: str, text: str | None, metadata: Mapping[str, Any] | None
) -> StoredChunk:
    """A chunk read back from Chroma; keys that older versions did not write read as unknown."""
    meta = metadata or {}
    return StoredChunk(
        chunk_id=chunk_id,
        text=text or "",
        article_id=str(meta.get("article_id", "")),
        title=str(meta.get("title", "")),
        file_name=str(meta.get("file_name", "")),
        start=int(meta.get("start") or 0),
        end=int(meta.get("end") or 0),
        source=str(meta.get("source") or ""),
        url=str(meta.get("url") or ""),
        published=str(meta.get("published") or ""),
        published_day=int(meta.get("published_day") or 0),
        stored_sentences=str(meta.get("sentences") or ""),
    )


def _node_from_chunk(chunk: Chunk, embedding: Sequence[float]) -> TextNode:
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    metadata = chunk_metadata(chunk)
    return TextNode(
        id_=chunk.chunk_id,
        text=chunk.text,
        metadata=metadata,
        embedding=list(embedding),
        start_char_idx=chunk.start,
        end_char_idx=chunk.end,
        excluded_embed_metadata_keys=list(metadata),
        excluded_llm_metadata_keys=list(metadata),
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.article_id)},
    )


class ArticleStore:
    """Chunks of articles in one Chroma collection: written, searched and read back here.

    ``manifest_path`` is where the ingest manifest is kept; without one it lives in
    memory only and is rebuilt from Chroma whenever the store is opened. ``location``
    says where the collection is (a folder or a server URL), for people; ``folder`` is
    the local folder it keeps files in and ``server_url`` the server, if any, for the
    advice an error gives. ``read_only``: see the module's docstring.
    """

    def __init__(
        self,
        client: chromadb.api.ClientAPI,
        collection_name: str,
        *,
        manifest_path: Path | None = None,
        location: str = "",
        folder: Path | None = None,
        server_url: str = "",
        read_only: bool = False,
    ) -> None:
        self.name = validate_collection_name(collection_name)
        self.location = location
        self.manifest_path = manifest_path
        self._folder = folder
        self._server_url = server_url
        try:
            # embedding_function=None: Chroma's default would download a model; we always
            # supply embeddings ourselves.
            if read_only:
                self._collection = client.get_collection(self.name, embedding_function=None)
            else:
                self._collection = client.get_or_create_collection(
                    self.name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}},
                )
        except NotFoundError as exc:
            raise StoreError(
                f"no collection {self.name!r} at {location}; ingest articles into it first "
                "('ragqa ingest PATH')"
            ) from exc
        except Exception as exc:
            raise self._error(f"cannot open Chroma collection {self.name!r}", exc) from exc
        self._client = client
        self._batch_depth = 0
        # The chat and the HTTP API list articles (``sync``) while an ingest writes: the
        # manifest is read, rebuilt and changed under this lock, never two at once.
        self._manifest_lock = threading.RLock()
        self._manifest = (read_manifest(manifest_path) if manifest_path else None) or Manifest()
        if not read_only:
            self.revision()  # gives a new collection its first one
            self.sync()

    @classmethod
    def persistent(
        cls, path: Path, collection_name: str, *, read_only: bool = False
    ) -> ArticleStore:
        """Open (or create) an on-disk store under ``path``, its manifest beside it.

        Raises ``StoreDamagedError`` when Chroma's database there is damaged.
        """
        manifest_path = path / f"{validate_collection_name(collection_name)}.manifest.json"
        if read_only and not (path / DATABASE_FILE).is_file():
            raise StoreError(f"no Chroma store at {path}; ingest articles first ('ragqa ingest')")
        try:
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        except Exception as exc:
            _forget_failed_client(path)
            message = with_hint(f"cannot open the Chroma store at {path}: {exc}", exc, folder=path)
            if is_damaged(exc):
                raise StoreDamagedError(message, path, str(exc)) from exc
            raise StoreError(message) from exc
        return cls(
            client,
            collection_name,
            manifest_path=manifest_path,
            location=str(path),
            folder=path,
            read_only=read_only,
        )

    @classmethod
    def server(
        cls,
        server: ChromaServer,
        collection_name: str,
        local_dir: Path,
        *,
        answer_timeout_s: float = SERVER_ANSWER_TIMEOUT_S,
        read_only: bool = False,
    ) -> ArticleStore:
        """Open (or create) a collection on a Chroma server; its manifest goes in ``local_dir``.

        The manifest cannot live beside a store on another machine, so it is kept here,
        checked against the server's chunk ids like any manifest.

        chromadb's HTTP client waits without limit (its session has no timeout and no
        setting sets one), so a host that accepts connections and never answers would
        hang here; the heartbeat is asked first with ``answer_timeout_s``, through the
        same httpx the client uses.
        """
        manifest_path = local_dir / f"{validate_collection_name(collection_name)}.manifest.json"
        try:
            httpx.get(f"{server.url}/api/v2/heartbeat", timeout=answer_timeout_s).raise_for_status()
        except httpx.TimeoutException as exc:
            raise ServerUnreachableError(
                f"no Chroma server answers at {server.url}: no reply within {answer_timeout_s:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise ServerUnreachableError(
                f"no Chroma server answers at {server.url}: {exc}"
            ) from exc
        try:
            client = chromadb.HttpClient(
                host=server.host, port=server.port, ssl=server.ssl, settings=_chroma_settings()
            )
            client.heartbeat()
        except Exception as exc:
            raise ServerUnreachableError(
                f"no Chroma server answers at {server.url}: {exc}"
            ) from exc
        try:
            local_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                with_hint(f"cannot create {local_dir} for the manifest: {exc}", exc)
            ) from exc
        return cls(
            client,
            collection_name,
            manifest_path=manifest_path,
            location=server.url,
            folder=local_dir,
            server_url=server.url,
            read_only=read_only,
        )

    @cached_property
    def vector_store(self) -> ChromaVectorStore:
        """llama-index's view of the collection, for code outside ragqa built on llama-index.

        ragqa itself searches and reads only through this class's methods. An index built
        over it needs the embedder passed in (``VectorStoreIndex.from_vector_store(store.
        vector_store, embed_model=assistant.embedder.llama_embedding)``): ragqa sets no
        llama-index globals, whose defaults would reach for OpenAI.
        """
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self._collection)

    def revision(self, *, create: bool = True) -> str:
        """A token that changes whenever chunks are written or deleted.

        One request for the collection's metadata, whatever the number of chunks. A
        collection without one (new, or written by a version that kept none) gets one
        here, so no cache built before can match it; without ``create``, ``""``.
        """
        collection = self._read(
            lambda: self._client.get_collection(self.name, embedding_function=None)
        )
        revision = (collection.metadata or {}).get(_REVISION_KEY)
        if isinstance(revision, str) and revision:
            return revision
        return self._new_revision() if create else ""

    def search(
        self, embedding: Sequence[float], top_k: int, where: ChunkFilter | None = None
    ) -> list[ChunkHit]:
        """The ``top_k`` chunks nearest ``embedding`` among those ``where`` accepts, by cosine."""
        clause = _where(where) if where is not None else None
        found = self._read(
            lambda: self._collection.query(
                query_embeddings=[list(embedding)],
                n_results=top_k,
                where=clause,
                include=["documents", "metadatas", "distances"],
            )
        )
        documents = (found["documents"] or [[]])[0]
        metadatas = (found["metadatas"] or [[]])[0]
        distances = (found["distances"] or [[]])[0]
        return [
            # The collection's space is cosine: Chroma's distance is 1 - cosine similarity.
            ChunkHit(_stored_chunk(chunk_id, text, meta), 1.0 - float(distance))
            for chunk_id, text, meta, distance in zip(
                found["ids"][0], documents, metadatas, distances, strict=True
            )
        ]

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored embedding of each of ``chunk_ids`` that the collection holds."""
        if not chunk_ids:
            return {}
        got = self._read(lambda: self._collection.get(ids=list(chunk_ids), include=["embeddings"]))
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return {chunk_id: np.asarray(e) for chunk_id, e in zip(got["ids"], embeddings, strict=True)}

    def held(self, chunk_ids: Sequence[str]) -> set[str]:
        """Those of ``chunk_ids`` the collection holds: one request, however many it holds."""
        if not chunk_ids:
            return set()
        return set(self._read(lambda: self._collection.get(ids=list(chunk_ids), include=[]))["ids"])

    def chunks(self) -> list[StoredChunk]:
        """Every chunk the collection holds, in Chroma's order."""
        chunks = []
        for got in self._pages(["documents", "metadatas"]):
            documents = got["documents"] or [None] * len(got["ids"])
            metadatas = got["metadatas"] or [None] * len(got["ids"])
            chunks.extend(
                _stored_chunk(chunk_id, text, meta)
                for chunk_id, text, meta in zip(got["ids"], documents, metadatas, strict=True)
            )
        return chunks

    def chunk_before(self, article_id: str, start: int) -> StoredChunk | None:
        """The article's chunk that starts last before ``start``: the text before a passage."""
        where = {"$and": [{"article_id": article_id}, {"start": {"$lt": start}}]}
        # The starts first, then the text of the one chunk wanted, not of every earlier one.
        found = self._read(lambda: self._collection.get(where=where, include=["metadatas"]))
        starts = [int((m or {}).get("start") or 0) for m in found["metadatas"] or []]
        if not starts:
            return None
        chunk_id = found["ids"][starts.index(max(starts))]
        got = self._read(
            lambda: self._collection.get(ids=[chunk_id], include=["documents", "metadatas"])
        )
        if not got["ids"]:
            return None
        documents = got["documents"] or [None]
        metadatas = got["metadatas"] or [None]
        return _stored_chunk(got["ids"][0], documents[0], metadatas[0])

    def _pages(self, include: list[str]) -> Iterator[Mapping[str, Any]]:
        """The whole collection, ``_READ_PAGE`` chunks per request.

        A write between two pages can shift the offsets; callers read the revision first,
        so what they build from a moving collection is rebuilt at the next check.
        """
        for offset in itertools.count(0, _READ_PAGE):
            got = self._read(
                lambda offset=offset: self._collection.get(
                    include=include, limit=_READ_PAGE, offset=offset
                )
            )
            yield got
            if len(got["ids"]) < _READ_PAGE:
                return

    @property
    def manifest(self) -> Manifest:
        """The manifest as of the last ``sync``; change the store only through its methods."""
        return self._manifest

    def sync(self, *, force: bool = False) -> bool:
        """Make the manifest match Chroma; True when it had to be rebuilt from the chunks.

        A manifest in an older format is rebuilt too, to fill the fields it lacks, and
        any manifest with ``force`` (its chunk ids agree, but ``ragqa check`` found an
        entry that does not).
        """
        with self._manifest_lock:
            ids = [chunk_id for got in self._pages([]) for chunk_id in got["ids"]]
            if (
                not force
                and set(ids) == self._manifest.chunk_ids()
                and not self._manifest.outdated
            ):
                return False
            ids, metadatas = [], []
            for got in self._pages(["metadatas"]):
                ids.extend(got["ids"])
                metadatas.extend(got["metadatas"] or [{}] * len(got["ids"]))
            rebuilt = Manifest.from_chunks(ids, metadatas)
            self._manifest = rebuilt.with_copies_of(self._manifest)
            self._changed()
            return True

    def chunk_records(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """(chunk id, metadata) of every chunk, in Chroma's order; no texts or vectors."""
        for got in self._pages(["metadatas"]):
            metadatas = got["metadatas"] or [{}] * len(got["ids"])
            for chunk_id, metadata in zip(got["ids"], metadatas, strict=True):
                yield chunk_id, metadata or {}

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Write the manifest once when the block ends (also after a failure), not per change.

        After a failure, failing to write the manifest too is not reported: the first
        error says what went wrong (a full disk fails both), and the next open rebuilds
        the manifest from Chroma anyway.
        """
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            with self._manifest_lock, suppress(StoreError):
                self._changed()
            raise
        self._batch_depth -= 1
        with self._manifest_lock:
            self._changed()

    def chunk_total(self) -> int:
        return self._read(self._collection.count)

    def stored_articles(self) -> dict[str, StoredArticle]:
        with self._manifest_lock:
            self.sync()
            return self._stored_articles()

    def _stored_articles(self) -> dict[str, StoredArticle]:
        return {
            entry.article_id: StoredArticle(
                article_id=entry.article_id,
                title=entry.title,
                file_name=PurePath(entry.source_path).name,
                content_hash=entry.content_hash,
                chunk_count=len(entry.chunk_ids),
                complete=entry.complete,
                source_path=entry.source_path,
                source=entry.source,
                published=entry.published,
            )
            for entry in self._manifest
        }

    def write_article(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        """Store one article's chunks, replacing any other version of it.

        New chunks go in (upserted) before old ones are removed, so an interruption leaves
        the old version readable and the article marked incomplete for the next run.
        """
        if not chunks:
            return
        first = chunks[0]
        article_id, content_hash = first.article_id, first.content_hash
        new_ids = [c.chunk_id for c in chunks]
        previous = self._manifest.get(article_id)
        leftovers = sorted(set(previous.chunk_ids) - set(new_ids)) if previous else []
        with self._changing(), self._errors(f"cannot write chunks of {article_id} to Chroma"):
            nodes = [_node_from_chunk(c, e) for c, e in zip(chunks, embeddings, strict=True)]
            for start in range(0, len(nodes), _WRITE_BATCH):
                self._upsert(nodes[start : start + _WRITE_BATCH])
            if leftovers:
                self._collection.delete(ids=leftovers)
            # Also any version the manifest does not know of (another process wrote it).
            self._collection.delete(
                where={
                    "$and": [
                        {"article_id": article_id},
                        {"content_hash": {"$ne": content_hash}},
                    ]
                }
            )
        entry = ManifestEntry(
            article_id=article_id,
            title=first.title,
            source_path=first.file_path,
            content_hash=content_hash,
            chunk_ids=tuple(new_ids),
            complete=True,
            source=first.source,
            published=first.published,
        )
        with self._manifest_lock:
            self._manifest.put(entry)
            self._changed()

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        """Remove articles and all their chunks; ids not stored are ignored."""
        ids = sorted(set(article_ids))
        if not ids:
            return
        with self._changing(), self._errors(f"cannot delete {', '.join(ids)} from Chroma"):
            for first in range(0, len(ids), _DELETE_ARTICLES):
                batch = ids[first : first + _DELETE_ARTICLES]
                self._collection.delete(where={"article_id": {"$in": batch}})
                with self._manifest_lock:  # each batch, so a failure later loses none
                    for article_id in batch:
                        self._manifest.remove(article_id)
        with self._manifest_lock:
            self._changed()

    def delete_article(self, article_id: str) -> None:
        self.delete_articles([article_id])

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks by id (``ragqa check --repair``: chunks of no article), then sync."""
        with self._changing(), self._errors(f"cannot delete chunks from Chroma {self.name!r}"):
            for first in range(0, len(chunk_ids), _WRITE_BATCH):
                self._collection.delete(ids=list(chunk_ids[first : first + _WRITE_BATCH]))
        self.sync()

    def keep_version(self, article_id: str, content_hash: str) -> None:
        """Remove the chunks of ``article_id`` whose content hash is not ``content_hash``.

        For ``ragqa check --repair``: an interrupted replacement whose file is gone leaves
        one complete version and part of another; the complete one is kept.
        """
        where = {"$and": [{"article_id": article_id}, {"content_hash": {"$ne": content_hash}}]}
        with self._changing(), self._errors(f"cannot delete chunks of {article_id} from Chroma"):
            self._collection.delete(where=where)
        self.sync()

    def record_copy(self, article_id: str, copy: Copy) -> None:
        """Remember that ``copy`` was skipped because ``article_id`` holds the same text."""
        with self._manifest_lock:
            entry = self._manifest.get(article_id)
            if entry is None or copy in entry.copies:
                return
            self._manifest.put(replace(entry, copies=(*entry.copies, copy)))
            self._changed()

    def _upsert(self, nodes: Sequence[TextNode]) -> None:
        # Upsert, not llama-index's add: Chroma's add silently keeps the old record for an
        # id it already holds, and rewriting an article in place must replace it.
        self._collection.upsert(
            ids=[node.node_id for node in nodes],
            embeddings=[node.get_embedding() for node in nodes],
            metadatas=[_flat_node_metadata(node) for node in nodes],
            documents=[node.get_content() for node in nodes],
        )

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """A new revision before the block changes Chroma and another after, even if it fails."""
        self._new_revision()
        try:
            yield
        finally:
            self._new_revision()

    def _new_revision(self) -> str:
        revision = uuid.uuid4().hex
        with self._errors(f"cannot record a change of Chroma collection {self.name!r}"):
            self._collection.modify(metadata={_REVISION_KEY: revision})
        return revision

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:
            raise self._error(doing, exc) from exc

    def _error(self, doing: str, exc: Exception) -> StoreError:
        message = with_hint(f"{doing}: {exc}", exc, folder=self._folder, server=self._server_url)
        if is_damaged(exc) and self._folder is not None and not self._server_url:
            return StoreDamagedError(message, self._folder, str(exc))
        return StoreError(message)

    def _changed(self) -> None:
        if self._batch_depth == 0 and self.manifest_path is not None:
            write_manifest(self._manifest, self.manifest_path)

    def _read(self, call: Callable[[], _T]) -> _T:
        with self._errors(f"cannot read Chroma collection {self.name!r}"):
            return call()


def _forget_failed_client(path: Path) -> None:
    """Drop chromadb's cached client for ``path`` after it failed to open.

    chromadb keeps one client per folder for the process and caches it before opening the
    database, so a folder that once failed (a damaged database) would fail ever after in
    this process, even once a new store is made there (``ragqa check --repair``).
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)


def _flat_node_metadata(node: TextNode) -> Mapping[str, Any]:
    """The metadata llama-index's Chroma store would write, so its retrievers read it back."""
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    metadata = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
    return {key: "" if value is None else value for key, value in metadata.items()}
