"""A bounded queue in front of a local model: one reply at a time, a few callers waiting.

    queue = LLMQueue(max_waiting=4)
    with queue.turn():          # BackendError at once when 4 callers already wait
        reply = model(prompt)

One llama.cpp context is not thread-safe, and a second context would double the
model's memory, so the chat's concurrent answers take turns for it. The queue is
bounded so that a burst of questions is told the model is busy instead of piling up
requests that time out in the browser; answers that need no LLM never enter it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from qa.errors import BackendError


class LLMQueue:
    def __init__(self, max_waiting: int, *, model: str = "the local model") -> None:
        self.max_waiting = max_waiting
        self.model = model
        self._running = threading.Lock()
        self._counting = threading.Lock()
        self._callers = 0

    @property
    def callers(self) -> int:
        """The caller running and those waiting for their turn."""
        return self._callers

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for the model, alone with it until the block ends; refused when full."""
        with self._counting:
            if self._callers > self.max_waiting:
                raise BackendError(
                    f"{self.model} is busy: {self.max_waiting} questions are already waiting "
                    "for it; ask again in a moment, or raise RAGQA_CONCURRENT_ANSWERS"
                )
            self._callers += 1
        try:
            with self._running:
                yield
        finally:
            with self._counting:
                self._callers -= 1
