"""The Chroma collection that holds chunks, their embeddings and their provenance.

Chroma is the single source of truth for what is ingested: every chunk carries its
article id, content hash and the article's chunk count, so the ingest state can be
read back from the store itself and can never disagree with it. An article counts
as stored only when exactly one version of it is present in full; anything else
(an interrupted write) is redone by the next ingest.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.errors import StoreError
from index.types import Chunk, StoredArticle

_COLLECTION_NAME = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9._-]{1,510})[a-zA-Z0-9]$")
_CHROMA_SETTINGS = ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def validate_collection_name(name: str) -> str:
    if not _COLLECTION_NAME.match(name):
        raise StoreError(
            f"invalid collection name {name!r}: use 3-512 characters of letters, digits, "
            "'.', '_' or '-', starting and ending with a letter or digit"
        )
    return name


def _node_from_chunk(chunk: Chunk, embedding: Sequence[float]) -> TextNode:
    metadata = {
        "article_id": chunk.article_id,
        "title": chunk.title,
        "file_name": chunk.file_name,
        "start": chunk.start,
        "end": chunk.end,
        "ordinal": chunk.ordinal,
        "chunk_count": chunk.chunk_count,
        "content_hash": chunk.content_hash,
    }
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
    """Chunks of articles in one Chroma collection, readable by llama-index retrievers."""

    def __init__(self, client: chromadb.api.ClientAPI, collection_name: str) -> None:
        try:
            # embedding_function=None: Chroma's default would download a model; we always
            # supply embeddings ourselves.
            self._collection = client.get_or_create_collection(
                validate_collection_name(collection_name),
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
            )
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot open Chroma collection {collection_name!r}: {exc}") from exc
        self.name = collection_name
        self.vector_store = ChromaVectorStore(chroma_collection=self._collection)

    @classmethod
    def persistent(cls, path: Path, collection_name: str) -> ArticleStore:
        """Open (or create) an on-disk store under ``path``."""
        try:
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=_CHROMA_SETTINGS)
        except Exception as exc:
            raise StoreError(f"cannot open the Chroma store at {path}: {exc}") from exc
        return cls(client, collection_name)

    def chunk_total(self) -> int:
        return self._collection.count()

    def stored_articles(self) -> dict[str, StoredArticle]:
        metadatas = self._collection.get(include=["metadatas"])["metadatas"] or []
        versions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        first_seen: dict[str, dict] = {}
        for meta in metadatas:
            article_id = str(meta["article_id"])
            versions[article_id][str(meta["content_hash"])] += 1
            first_seen.setdefault(article_id, meta)
        stored = {}
        for article_id, counts in versions.items():
            meta = first_seen[article_id]
            (content_hash, count), *others = counts.items()
            stored[article_id] = StoredArticle(
                article_id=article_id,
                title=str(meta["title"]),
                file_name=str(meta["file_name"]),
                content_hash=content_hash,
                chunk_count=count,
                complete=not others and count == int(meta["chunk_count"]),
            )
        return stored

    def write_article(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        """Store one article's chunks, replacing any other version of it.

        New chunks go in before old ones are removed, so an interruption leaves the old
        version readable and the article marked incomplete for the next run.
        """
        if not chunks:
            return
        article_id, content_hash = chunks[0].article_id, chunks[0].content_hash
        try:
            self._collection.delete(ids=[c.chunk_id for c in chunks])
            nodes = [_node_from_chunk(c, e) for c, e in zip(chunks, embeddings, strict=True)]
            self.vector_store.add(nodes)
            self._collection.delete(
                where={
                    "$and": [
                        {"article_id": article_id},
                        {"content_hash": {"$ne": content_hash}},
                    ]
                }
            )
        except Exception as exc:
            raise StoreError(f"cannot write chunks of {article_id} to Chroma: {exc}") from exc

    def delete_article(self, article_id: str) -> None:
        try:
            self._collection.delete(where={"article_id": article_id})
        except Exception as exc:
            raise StoreError(f"cannot delete {article_id} from Chroma: {exc}") from exc
