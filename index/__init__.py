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
from index.lexical import LexicalIndex
from index.loaders import SUPPORTED_SUFFIXES, discover_files, load_article, load_articles
from index.store import ArticleStore
from index.types import (
    Article,
    Chunk,
    ChunkHit,
    DuplicateArticle,
    FailedFile,
    IngestReport,
    LoadedFile,
    StoredArticle,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleReadError",
    "ArticleStore",
    "Chunk",
    "ChunkHit",
    "Chunker",
    "DuplicateArticle",
    "Embedder",
    "FailedFile",
    "IndexingError",
    "IngestReport",
    "LexicalIndex",
    "LoadedFile",
    "ModelFileError",
    "ProgressCallback",
    "SourceNotFoundError",
    "StoreError",
    "StoredArticle",
    "discover_files",
    "ingest_paths",
    "load_article",
    "load_articles",
    "verify_sha256",
]
