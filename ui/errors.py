"""Every failure a page action can meet, turned into one sentence for the person using it.

The page never shows a traceback: errors from ``qa`` already say how to fix the
problem and are shown as they are; anything unexpected is logged in full on the
server and summarised in the page, and the server goes on serving.
"""

from __future__ import annotations

import logging

from qa import BackendError, CorpusError, ModelError, QAError, SettingsError

log = logging.getLogger("ui")


class InputError(Exception):
    """A value typed or picked in the page that cannot be used; the message names it."""


def friendly_message(exc: BaseException, *, backend: str = "") -> str:
    """What to tell the user about ``exc``; unexpected errors are logged with traceback."""
    named = f" “{backend}”" if backend else ""
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, BackendError):
        return (
            f"The answer backend{named} is unavailable: {exc}. "
            "Pick another backend under Settings, or start its server and ask again."
        )
    if isinstance(exc, ModelError):
        return f"The model for backend{named} could not be loaded: {exc}"
    if isinstance(exc, CorpusError):
        return f"The article collection could not be read: {exc}"
    if isinstance(exc, SettingsError):
        return f"These settings cannot be used: {exc}"
    if isinstance(exc, QAError):
        return str(exc)
    log.error("unexpected error in the chat", exc_info=exc)
    return (
        "Something went wrong on the server (the details are in its log). "
        "The chat still works: try again, or change the question or settings."
    )
