"""Question → passages: dense, BM25 or both fused by reciprocal rank fusion (hybrid).

Dense retrieval is the store's own search (``ArticleStore.search``, a Chroma query); BM25
is ``index.LexicalIndex``. Every call to Chroma is the store's: this module works in
``index`` types only, so an embedded store and one on a Chroma server serve it alike.
Hybrid takes ``depth`` candidates from each and fuses their ranks (RRF): a chunk scores
``Σ 1 / (rrf_k + rank)`` over the rankings it appears in.

Rerank (on by default, any mode): the first ``rerank_depth`` candidates are reordered by
``cosine + RERANK_COVERAGE_WEIGHT × coverage``, where coverage is the IDF-weighted share
of the question's content words in the chunk's best sentence (the lexical half of the
window score in ``qa.answer.windows``). No cross-encoder weights exist offline; scoring every
candidate sentence by MiniLM cosine instead was measured too: 1-2 s a question on 2
cores, and it ranked no better than the word coverage.

Passages are numbered 1..k in the final order. ``Passage.score`` is the chunk's cosine
similarity to the question in ``dense`` and ``hybrid`` modes (for BM25-only hits it is
computed from the chunk's stored embedding) and the BM25 score in ``bm25`` mode. The
answer path ranks the passages' sentences by its own scores and reads passages in order;
nothing thresholds ``Passage.score``.

Filters are applied inside each retriever (one ``index.ChunkFilter``: a Chroma ``where``
for dense, a mask for BM25), so a filtered query still gets its full ``top_k``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from index import ArticleStore, ChunkFilter, ChunkHit, Embedder, IndexingError, LexicalIndex
from qa.errors import CorpusError, QAError
from qa.settings import RetrievalModeName, Settings
from qa.text import content_terms, idf_weights, question_coverage
from qa.types import Passage, RetrievalFilters

# Chosen on the seeds and squad_dev15 gold sets (see the README's ablation).
RERANK_COVERAGE_WEIGHT = 0.25


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60) -> list[str]:
    """Ids ordered by ``Σ 1 / (k + rank)`` over the rankings (rank starts at 1).

    Ties keep the order in which ids were first seen, so the first ranking wins them.
    Hand-written rather than llama-index's ``QueryFusionRetriever``: that class resolves
    an LLM (OpenAI by default) even when it generates no queries, fixes ``k`` at 60, and
    replaces each node's own score with the fused one.
    """
    fused: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] += 1.0 / (k + rank)
    return sorted(fused, key=lambda key: fused[key], reverse=True)


def merge_filters(defaults: RetrievalFilters, given: RetrievalFilters) -> RetrievalFilters:
    """``given`` on top of ``defaults``, field by field (an empty field does not override)."""
    return RetrievalFilters(
        article_ids=given.article_ids or defaults.article_ids,
        sources=given.sources or defaults.sources,
        since=given.since or defaults.since,
        until=given.until or defaults.until,
    )


def _check(filters: RetrievalFilters) -> None:
    if filters.since and filters.until and filters.since > filters.until:
        raise QAError(
            f"the date filter since {filters.since} is after until {filters.until}; "
            "swap them or drop one"
        )


def _first_day(filters: RetrievalFilters) -> int | None:
    """Lowest ``published_day`` allowed; 1 when only ``until`` is set, so unknown (0) is out."""
    if filters.since:
        return filters.since.toordinal()
    return 1 if filters.until else None


def chunk_filter(filters: RetrievalFilters) -> ChunkFilter:
    """The filters as the store and the BM25 index apply them, dates as ordinal days.

    Chunks written before a key existed lack it: they count as ``""`` / day 0, which a
    source or date filter excludes.
    """
    return ChunkFilter(
        article_ids=filters.article_ids,
        sources=filters.sources,
        first_day=_first_day(filters),
        last_day=filters.until.toordinal() if filters.until else None,
    )


def rerank(question: str, hits: Sequence[ChunkHit], cosines: Sequence[float]) -> list[ChunkHit]:
    """``hits`` by cosine similarity plus their best sentence's question-word coverage."""
    question_terms = set(content_terms(question))
    sentences = [
        [set(content_terms(hit.text[start:end])) for start, end in hit.chunk.sentence_spans]
        for hit in hits
    ]
    idf = idf_weights([terms for per_hit in sentences for terms in per_hit])
    best = [
        max((question_coverage(question_terms, t, idf) for t in per_hit), default=0.0)
        for per_hit in sentences
    ]
    order = sorted(
        range(len(hits)),
        key=lambda i: cosines[i] + RERANK_COVERAGE_WEIGHT * best[i],
        reverse=True,
    )
    return [hits[i] for i in order]


def _passage(n: int, hit: ChunkHit) -> Passage:
    chunk = hit.chunk
    return Passage(
        n=n,
        chunk_id=chunk.chunk_id,
        article_id=chunk.article_id,
        title=chunk.title,
        file_name=chunk.file_name,
        text=chunk.text,
        start=chunk.start,
        end=chunk.end,
        score=hit.score,
        source=chunk.source,
        url=chunk.url,
        published=chunk.published,
        sentences=chunk.sentence_spans,
    )


class Retriever:
    """Question → the ``top_k`` best chunks as passages numbered 1..k for citation.

    Retriever(store, embedder, mode="hybrid", lexical=LexicalIndex.beside(store, path))
    """

    def __init__(
        self,
        store: ArticleStore,
        embedder: Embedder,
        *,
        mode: RetrievalModeName = "hybrid",
        lexical: LexicalIndex | None = None,
        rrf_k: int = 60,
        depth: int = 20,
        rerank_depth: int | None = None,
        defaults: RetrievalFilters | None = None,
    ) -> None:
        if mode != "dense" and lexical is None:
            raise ValueError(f"retrieval mode {mode!r} needs a lexical index")
        self.mode = mode
        self._store = store
        self._embedder = embedder
        self._lexical = lexical
        self._rrf_k = rrf_k
        self._depth = depth
        self._rerank_depth = rerank_depth
        self._defaults = defaults or RetrievalFilters()

    @classmethod
    def from_settings(
        cls, settings: Settings, store: ArticleStore, embedder: Embedder
    ) -> Retriever:
        """The retriever ``settings`` describe; BM25 lives in ``<store_dir>/<collection>.bm25``."""
        lexical = None
        if settings.retrieval != "dense":
            lexical = LexicalIndex.beside(store, settings.store_dir)
        return cls(
            store,
            embedder,
            mode=settings.retrieval,
            lexical=lexical,
            rrf_k=settings.rrf_k,
            depth=settings.retrieval_depth,
            rerank_depth=settings.rerank_depth if settings.rerank else None,
            defaults=settings.default_filters,
        )

    def refresh(self) -> None:
        """Bring the lexical index in step with the store (searches also check it)."""
        if self._lexical is not None:
            self._lexical.refresh()

    def retrieve(self, question: str, top_k: int, filters: RetrievalFilters) -> list[Passage]:
        filters = merge_filters(self._defaults, filters)
        _check(filters)
        wanted = max(top_k, self._rerank_depth or 0)
        try:
            where = chunk_filter(filters)
            if self.mode == "bm25":
                hits = self._bm25(question, wanted, where)
            elif self.mode == "dense":
                hits = self._store.search(self._embedder.embed_query(question), wanted, where)
            else:
                hits = self._hybrid(question, wanted, where)
        except IndexingError as exc:
            raise CorpusError(str(exc)) from exc
        if self._rerank_depth:
            hits = rerank(question, hits, self._similarities(question, hits))
        return [_passage(n, hit) for n, hit in enumerate(hits[:top_k], start=1)]

    def passage_before(self, article_id: str, start: int, n: int) -> Passage | None:
        """The article's stored chunk that starts last before ``start``, as passage ``n``.

        For a sentence whose speaker was named before the chunks retrieved.
        """
        try:
            chunk = self._store.chunk_before(article_id, start)
        except IndexingError as exc:
            raise CorpusError(str(exc)) from exc
        return None if chunk is None else _passage(n, ChunkHit(chunk, 0.0))

    def _bm25(self, question: str, top_k: int, where: ChunkFilter) -> list[ChunkHit]:
        assert self._lexical is not None
        return self._lexical.search(question, top_k, where)

    def _hybrid(self, question: str, top_k: int, where: ChunkFilter) -> list[ChunkHit]:
        embedding = self._embedder.embed_query(question)
        depth = max(self._depth, top_k)
        dense = self._store.search(embedding, depth, where)
        lexical = self._bm25(question, depth, where)
        by_id = {h.chunk_id: h for h in lexical} | {h.chunk_id: h for h in dense}
        order = reciprocal_rank_fusion(
            [[h.chunk_id for h in dense], [h.chunk_id for h in lexical]], self._rrf_k
        )[:top_k]
        dense_ids = {h.chunk_id for h in dense}
        cosines = self._cosines([i for i in order if i not in dense_ids], embedding)
        return [replace(by_id[i], score=cosines[i]) if i in cosines else by_id[i] for i in order]

    def _similarities(self, question: str, hits: list[ChunkHit]) -> list[float]:
        """Cosine similarity of each hit; in ``bm25`` mode its score is BM25's, so compute it."""
        if self.mode != "bm25":
            return [hit.score for hit in hits]
        cosines = self._cosines([h.chunk_id for h in hits], self._embedder.embed_query(question))
        return [cosines[hit.chunk_id] for hit in hits]

    def _cosines(self, chunk_ids: list[str], embedding: list[float]) -> dict[str, float]:
        """Cosine similarity to the question of chunks BM25 found, from their stored vectors."""
        stored = self._store.vectors(chunk_ids)
        if not stored:
            return {}
        # Stored embeddings are unit length (the embedder normalises), as is the query's.
        similarities = np.asarray(list(stored.values())) @ np.asarray(embedding)
        return {i: float(s) for i, s in zip(stored, similarities, strict=True)}
