"""Errors raised by the index package.

IndexingError
 ├── SourceNotFoundError     a path given to ingest does not exist
 ├── ArticleReadError        one file could not be read as an article
 ├── ModelFileError          the bundled embedding model is missing or altered
 └── StoreError              the Chroma store cannot be opened or written
      ├── StoreDamagedError        the embedded store's database file is damaged
      └── ServerUnreachableError   no Chroma server answers at the URL given
"""

from __future__ import annotations

from pathlib import Path


class IndexingError(Exception):
    """Base of every error the index package raises."""


class SourceNotFoundError(IndexingError):
    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: no such file or directory; check the path and try again")


class ArticleReadError(IndexingError):
    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ModelFileError(IndexingError):
    """A model file is missing or its SHA-256 differs from the pinned one."""


class StoreError(IndexingError):
    """The vector store could not be opened, read or written."""


class StoreDamagedError(StoreError):
    """SQLite says the embedded store's database is damaged.

    ``folder`` is the store's folder, ``cause`` what SQLite said.
    """

    def __init__(self, message: str, folder: Path, cause: str) -> None:
        self.folder = folder
        self.cause = cause
        super().__init__(message)


class ServerUnreachableError(StoreError):
    """No Chroma server answered; callers name the setting that gave its URL."""
