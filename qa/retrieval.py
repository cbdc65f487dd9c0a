"""Dense top-k retrieval over the article store through a llama-index retriever."""

from __future__ import annotations

import math

from llama_index.core import VectorStoreIndex
from llama_index.core.schema import NodeWithScore

from index import ArticleStore, Embedder
from qa.types import Passage, RetrievalFilters


def _cosine_from_chroma(score: float | None) -> float:
    # llama-index's Chroma store reports exp(-distance); with cosine space the distance
    # is 1 - cos, so this recovers the cosine similarity users can reason about.
    return 1.0 + math.log(score) if score and score > 0 else -1.0


def _passage(n: int, hit: NodeWithScore) -> Passage:
    meta = hit.node.metadata
    return Passage(
        n=n,
        chunk_id=hit.node.node_id,
        article_id=str(meta["article_id"]),
        title=str(meta["title"]),
        file_name=str(meta["file_name"]),
        text=hit.node.get_content(),
        start=int(meta["start"]),
        end=int(meta["end"]),
        score=_cosine_from_chroma(hit.score),
    )


class DenseRetriever:
    """Question → the ``top_k`` most similar chunks, numbered 1..k for citation."""

    def __init__(self, store: ArticleStore, embedder: Embedder) -> None:
        self._index = VectorStoreIndex.from_vector_store(
            store.vector_store, embed_model=embedder.llama_embedding
        )

    def retrieve(self, question: str, top_k: int, filters: RetrievalFilters) -> list[Passage]:
        if not filters.is_empty():
            raise NotImplementedError("retrieval filters")
        hits = self._index.as_retriever(similarity_top_k=top_k).retrieve(question)
        return [_passage(n, hit) for n, hit in enumerate(hits, start=1)]
