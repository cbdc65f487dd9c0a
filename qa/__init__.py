"""Question answering with cited passages over an article collection: the public API.

    from qa import Assistant
    answer = Assistant.open().ask("Who is North Korea's foreign minister?")
"""

from index import (
    DuplicateArticle,
    FailedFile,
    IngestReport,
    StoredArticle,
    offline,  # noqa: F401  (before any hub-aware import)
)
from qa.assistant import Assistant, CollectionStats
from qa.conversation import Conversation, Turn
from qa.errors import BackendError, CorpusError, ModelError, QAError, SettingsError
from qa.llm import LLMBackend
from qa.settings import Settings
from qa.types import Answer, Citation, Passage, RetrievalFilters, Timings

__all__ = [
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
    "StoredArticle",
    "Timings",
    "Turn",
]
