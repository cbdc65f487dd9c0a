"""Files, chunks, embeddings and the Chroma store. Knows nothing of LLMs.

Names whose modules load llama-index, Chroma or the embedder are imported on first use
(``_LAZY``), so a process that only needs the types, such as ``ragqa --help``, starts
without them.
"""

import importlib

from index import offline  # noqa: F401  (must run before any hub-aware library is imported)
from index.errors import (
    ArticleReadError,
    IndexingError,
    ModelFileError,
    ServerUnreachableError,
    SourceNotFoundError,
    StoreDamagedError,
    StoreError,
)
from index.integrity import verify_sha256
from index.servers import ChromaServer, parse_chroma_url
from index.types import (
    DEFAULT_MAX_FILE_BYTES,
    Article,
    Chunk,
    ChunkFilter,
    ChunkHit,
    DuplicateArticle,
    FailedFile,
    IngestReport,
    LoadedFile,
    RuntimeName,
    StoreCheck,
    StoredArticle,
    StoredChunk,
    StoreProblem,
)

_LAZY = {
    "ArticleStore": "index.store",
    "Chunker": "index.chunking",
    "Embedder": "index.embedding",
    "Inspection": "index.check",
    "LexicalIndex": "index.lexical",
    "ProgressCallback": "index.ingest",
    "SUPPORTED_SUFFIXES": "index.loaders",
    "discover_files": "index.loaders",
    "ingest_paths": "index.ingest",
    "inspect_store": "index.check",
    "load_article": "index.loaders",
    "load_articles": "index.loaders",
    "recorded_files": "index.check",
    "repair_store": "index.check",
    "sentence_spans": "index.sentences",
}

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleReadError",
    "ArticleStore",
    "ChromaServer",
    "Chunk",
    "ChunkFilter",
    "ChunkHit",
    "Chunker",
    "DuplicateArticle",
    "Embedder",
    "FailedFile",
    "IndexingError",
    "IngestReport",
    "Inspection",
    "LexicalIndex",
    "LoadedFile",
    "ModelFileError",
    "ProgressCallback",
    "RuntimeName",
    "ServerUnreachableError",
    "SourceNotFoundError",
    "StoreCheck",
    "StoreDamagedError",
    "StoreError",
    "StoreProblem",
    "StoredArticle",
    "StoredChunk",
    "discover_files",
    "ingest_paths",
    "inspect_store",
    "load_article",
    "load_articles",
    "parse_chroma_url",
    "recorded_files",
    "repair_store",
    "sentence_spans",
    "verify_sha256",
]


def __getattr__(name: str) -> object:
    """Import a ``_LAZY`` name from its module on first use and keep it here."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
