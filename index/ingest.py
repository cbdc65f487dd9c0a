"""Bring files into the store: load, chunk, embed, write; skip what is unchanged.

llama-index's ``IngestionPipeline`` dedupes by document hash through its own docstore,
a second record that can drift from Chroma after a crash. Here the store's chunk
metadata is the record (see ``index.store``), which keeps the two from disagreeing,
so this small loop is written by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from index.chunking import Chunker
from index.embedding import Embedder
from index.errors import ArticleReadError
from index.loaders import discover_files, load_article
from index.store import ArticleStore
from index.types import Article, FailedFile, IngestReport

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``(files_done, files_total, current_path)`` while ingesting."""


def _embedding_text(article: Article, chunk_text: str) -> str:
    # The title gives short chunks the topic they would otherwise lack.
    return f"{article.title}\n{chunk_text}"


def ingest_paths(
    paths: Iterable[Path],
    *,
    store: ArticleStore,
    embedder: Embedder,
    chunker: Chunker,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest files and folders; a file that fails is reported and the rest go on.

    Raises ``SourceNotFoundError`` before touching the store if a path does not exist.
    """
    started = time.perf_counter()
    files = discover_files(paths)
    stored = store.stored_articles()
    added: list[str] = []
    replaced: list[str] = []
    skipped: list[str] = []
    failed: list[FailedFile] = []
    chunks_written = 0
    seen_ids: set[str] = set()
    for done, path in enumerate(files):
        if on_progress:
            on_progress(done, len(files), str(path))
        try:
            article = load_article(path)
        except ArticleReadError as exc:
            failed.append(FailedFile(path=exc.path, reason=exc.reason))
            continue
        if article.article_id in seen_ids:
            continue
        seen_ids.add(article.article_id)
        previous = stored.get(article.article_id)
        if previous and previous.complete and previous.content_hash == article.content_hash:
            skipped.append(article.article_id)
            continue
        chunks = chunker.chunk(article)
        embeddings = embedder.embed_texts([_embedding_text(article, c.text) for c in chunks])
        store.write_article(chunks, embeddings)
        chunks_written += len(chunks)
        (replaced if previous else added).append(article.article_id)
    if on_progress:
        on_progress(len(files), len(files), "")
    return IngestReport(
        added=tuple(added),
        replaced=tuple(replaced),
        skipped=tuple(skipped),
        failed=tuple(failed),
        chunks_written=chunks_written,
        seconds=time.perf_counter() - started,
    )
