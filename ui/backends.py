"""The LLM backends a user may pick in the page, one ``Assistant`` each, built on first use.

Every ``Assistant`` shares the first one's embedder, store and retriever (with its BM25
index), so switching backends costs only the new model's load, and articles added
through one are seen by all. ``Backends.access`` lets any number of answers and searches
run over the collection at once and a write (ingest, delete) alone, whoever asks: the
chat's sessions and the HTTP API share it. A local LLM takes its callers one at a time
itself (``qa``'s backends queue them), so answers that need no LLM never wait for one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from qa import Assistant, Settings
from ui.rwlock import ReadWriteLock

_T = TypeVar("_T")
_HANDOFF_POLL_S = 0.05
"""How often a produced item waiting for its reader checks whether the reader has gone."""

# Backends that need nothing beyond the installed packages.
_ALWAYS_AVAILABLE = ("llama-cpp", "none")


def available_backends(settings: Settings) -> tuple[str, ...]:
    """The configured backend first, then every other one whose settings are complete.

    Mirrors the requirements ``Settings`` enforces: openai needs a server URL and a
    model name, ollama a model name (its URL has a default).
    """
    names = list(_ALWAYS_AVAILABLE)
    if settings.llm_base_url and settings.llm_model:
        names.append("openai")
    if settings.llm_model:
        names.append("ollama")
    return (settings.llm, *(name for name in names if name != settings.llm))


class Backends:
    """One ``Assistant`` per available backend, created lazily and shared by all sessions."""

    def __init__(self, base: Assistant) -> None:
        self.base = base
        self.names = available_backends(base.settings)
        self._assistants: dict[str, Assistant] = {base.settings.llm: base}
        self._creating = threading.Lock()
        self.access = ReadWriteLock()
        """Read while answering or searching, written while ingesting or deleting: an answer
        never sees an ingest half done, and two writes never interleave."""

    @property
    def default(self) -> str:
        return self.base.settings.llm

    def get(self, name: str) -> Assistant:
        """The assistant answering with backend ``name``; unknown names get the default."""
        if name not in self.names:
            name = self.default
        with self._creating:
            if name not in self._assistants:
                # A cited answer style is chosen for the configured model; the others a
                # user may switch to (the bundled 270M model among them) answer from evidence.
                self._assistants[name] = Assistant(
                    self.base.settings.model_copy(update={"llm": name, "answer_style": "evidence"}),
                    embedder=self.base.embedder,
                    store=self.base.store,
                    retriever=self.base.retriever,
                )
            return self._assistants[name]

    def in_turn(self, work: Callable[[], Iterator[_T]]) -> Iterator[_T]:
        """The items of ``work()``, produced while reading the collection by a thread of
        their own.

        The read lock is held by that thread, never by the reader, so a chat whose browser goes
        away or an HTTP client that hangs up cannot leave it held. Items are handed over
        one at a time: when the reader stops reading, the work is closed after at most
        two more items instead of running to its end for nobody. Errors reach the reader
        as raised.
        """
        handoff: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)
        reader_gone = threading.Event()

        def hand_over(entry: tuple[bool, object]) -> bool:
            """Wait for the reader to take ``entry``; False once the reader has gone."""
            while not reader_gone.is_set():
                try:
                    handoff.put(entry, timeout=_HANDOFF_POLL_S)
                    return True
                except queue.Full:
                    continue
            return False

        def produce() -> None:
            try:
                with self.access.reading():
                    items = work()
                    try:
                        for item in items:
                            if not hand_over((True, item)):
                                return
                    finally:
                        close = getattr(items, "close", None)
                        if close is not None:
                            close()
            except BaseException as exc:  # handed to the reader, who raises it
                hand_over((False, exc))
            else:
                hand_over((False, None))

        threading.Thread(target=produce, name="ragqa-answer", daemon=True).start()
        try:
            while True:
                is_item, value = handoff.get()
                if is_item:
                    yield value  # type: ignore[misc]
                elif value is None:
                    return
                else:
                    raise value  # type: ignore[misc]
        finally:
            reader_gone.set()
