"""Question answering with cited passages over an article collection: the public API.

    from qa import Assistant
    answer = Assistant.open().ask("Who is North Korea's foreign minister?")

``Assistant``, ``Conversation`` and the other names in ``_LAZY`` load the models'
libraries, so they are imported on first use: ``import qa`` (and ``ragqa --help``) costs
only the settings, types and errors.
"""

import importlib

from index import (
    DuplicateArticle,
    FailedFile,
    IngestReport,
    StoreCheck,
    StoredArticle,
    StoreProblem,
    offline,  # noqa: F401  (before any hub-aware import)
)
from qa.errors import BackendError, CorpusError, ModelError, QAError, SettingsError
from qa.settings import Settings
from qa.types import Answer, Citation, Passage, RetrievalFilters, Timings

_LAZY = {
    "Assistant": "qa.assistant",
    "CollectionStats": "qa.assistant",
    "Conversation": "qa.conversation",
    "LLMBackend": "qa.llm",
    "SUPPORTED_SUFFIXES": "index",
    "Turn": "qa.conversation",
    "check_collection": "qa.check",
    "resolve_follow_up": "qa.conversation",
}

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Answer",
    "Assistant",
    "BackendError",
    "Citation",
    "CollectionStats",
    "Conversation",
    "CorpusError",
    "DuplicateArticle",
    "FailedFile",
    "IngestReport",
    "LLMBackend",
    "ModelError",
    "Passage",
    "QAError",
    "RetrievalFilters",
    "Settings",
    "SettingsError",
    "StoreCheck",
    "StoreProblem",
    "StoredArticle",
    "Timings",
    "Turn",
    "check_collection",
    "resolve_follow_up",
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
