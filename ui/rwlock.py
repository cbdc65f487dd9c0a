"""A readers–writer lock: many answers at once over a collection, a write alone.

    access = ReadWriteLock()
    with access.reading():   # answer, search: any number together
        ...
    with access.writing():   # ingest, delete: alone, once the readers in progress finish
        ...

Hand-written because the standard library has none and the few lines below are all a
collection needs; a waiting writer goes first (readers arriving after it wait), so a
steady stream of questions cannot keep an upload waiting for ever. Not reentrant: a
thread holding it must not take it again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ReadWriteLock:
    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @property
    def readers(self) -> int:
        """How many threads read now."""
        return self._readers

    def idle(self) -> bool:
        """Nobody reads, writes or waits to write."""
        with self._changed:
            return not (self._readers or self._writing or self._writers_waiting)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Shared with other readers; waits while a writer holds or waits for the lock."""
        with self._changed:
            self._changed.wait_for(lambda: not (self._writing or self._writers_waiting))
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                if not self._readers:
                    self._changed.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Alone: no reader and no other writer holds the lock meanwhile."""
        with self._changed:
            self._writers_waiting += 1
            try:
                self._changed.wait_for(lambda: not (self._writing or self._readers))
            finally:
                self._writers_waiting -= 1
                self._changed.notify_all()  # readers held back by this writer, if it gave up
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()
