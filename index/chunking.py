"""Split articles into sentence-aware chunks that remember where they came from.

llama-index's ``SentenceSplitter`` decides the boundaries; this module then pins each
chunk to its exact character span in the article, because citations quote and
highlight the original text and a chunk must never drift from it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from index.sentences import sentence_spans
from index.types import Article, Chunk


def indexed_text(title: str, chunk_text: str) -> str:
    """The text a chunk is indexed under, for embeddings and BM25 alike.

    The title gives short chunks the topic they would otherwise lack.
    """
    return f"{title}\n{chunk_text}"


def _locate(text: str, piece: str, search_from: int) -> tuple[int, int]:
    """Find ``piece`` in ``text`` at or after ``search_from``, tolerating whitespace changes."""
    start = text.find(piece, search_from)
    if start >= 0:
        return start, start + len(piece)
    pattern = r"\s+".join(re.escape(word) for word in piece.split())
    match = re.compile(pattern).search(text, search_from)
    if match is None:
        raise ValueError(f"chunk not found in article text: {piece[:60]!r}")
    return match.start(), match.end()


def chunk_key(article_id: str) -> str:
    """A short, stable prefix for chunk ids derived from the article id."""
    return hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:16]


class Chunker:
    """Sentence-aware chunking measured in the embedding model's own tokens."""

    def __init__(
        self, *, chunk_size: int, chunk_overlap: int, tokenizer: Callable[[str], list[int]]
    ) -> None:
        # Imported here, not with the module: answering a question never chunks.
        from llama_index.core.node_parser import SentenceSplitter

        self._splitter = SentenceSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_overlap, tokenizer=tokenizer
        )

    def chunk(self, article: Article) -> list[Chunk]:
        pieces = [p for p in self._splitter.split_text(article.text) if p.strip()]
        spans: list[tuple[int, int]] = []
        cursor = 0
        for piece in pieces:
            start, end = _locate(article.text, piece.strip(), cursor)
            spans.append((start, end))
            # Overlapping chunks start before the previous end, never before its start.
            cursor = start + 1
        key = chunk_key(article.article_id)
        return [
            Chunk(
                chunk_id=f"{key}-{article.content_hash[:12]}-{ordinal}",
                article_id=article.article_id,
                title=article.title,
                file_name=article.file_name,
                text=article.text[start:end],
                start=start,
                end=end,
                ordinal=ordinal,
                chunk_count=len(spans),
                content_hash=article.content_hash,
                file_path=article.source_path,
                source=article.source,
                url=article.url,
                published=article.published,
                authors=article.authors,
                sentences=sentence_spans(article.text[start:end]),
            )
            for ordinal, (start, end) in enumerate(spans)
        ]
