"""Errors raised by the qa package, the only ones its clients need to catch.

    QAError
     ├── SettingsError          a setting has a value ragqa cannot use
     ├── CorpusError            ingesting or reading the article store failed
     ├── ModelError             a model file is missing, altered, or cannot be loaded
     └── BackendError           the configured LLM backend failed to answer
"""

from __future__ import annotations


class QAError(Exception):
    """Base of every error the qa package raises; messages say how to fix the problem."""


class SettingsError(QAError):
    pass


class CorpusError(QAError):
    pass


class ModelError(QAError):
    pass


class BackendError(QAError):
    pass
