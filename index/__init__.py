"""Files, chunks, embeddings and the Chroma store. Knows nothing of LLMs."""

from index import offline  # noqa: F401  (must run before any hub-aware library is imported)
from index.chunking import Chunker
from index.embedding import Embedder
from index.errors import (
    ArticleReadError,
    IndexingError,
    ModelFileError,
    SourceNotFoundError,
    StoreError,
)
from index.ingest import ProgressCallback, ingest_paths
from index.integrity import verify_sha256
from index.loaders import SUPPORTED_SUFFIXES, discover_files, load_article
from index.store import ArticleStore
from index.types import Article, Chunk, FailedFile, IngestReport, StoredArticle

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleReadError",
    "ArticleStore",
    "Chunk",
    "Chunker",
    "Embedder",
    "FailedFile",
    "IndexingError",
    "IngestReport",
    "ModelFileError",
    "ProgressCallback",
    "SourceNotFoundError",
    "StoreError",
    "StoredArticle",
    "discover_files",
    "ingest_paths",
    "load_article",
    "verify_sha256",
]
