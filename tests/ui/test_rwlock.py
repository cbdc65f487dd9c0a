"""The collection's readers–writer lock: readers together, a writer alone and first."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.polling import eventually
from ui.rwlock import ReadWriteLock


def test_readers_share_and_a_writer_waits_for_them() -> None:
    access = ReadWriteLock()
    wrote = threading.Event()

    def write() -> None:
        with access.writing():
            wrote.set()

    with access.reading(), reading_elsewhere(access):
        assert access.readers == 2
        writer = threading.Thread(target=write)
        writer.start()
        assert not wrote.wait(0.2)  # both readers still hold it
    writer.join(10)
    assert wrote.is_set() and access.idle()


def test_a_waiting_writer_goes_before_readers_that_arrive_after_it() -> None:
    access = ReadWriteLock()
    order: list[str] = []

    def write() -> None:
        with access.writing():
            order.append("write")

    def read() -> None:
        with access.reading():
            order.append("late read")

    with access.reading():
        writer = threading.Thread(target=write)
        writer.start()
        assert eventually(lambda: access._writers_waiting == 1, 10)
        late = threading.Thread(target=read)
        late.start()
        assert not eventually(lambda: order, 0.2)  # the late reader waits behind the writer
    writer.join(10)
    late.join(10)
    assert order == ["write", "late read"]


@contextmanager
def reading_elsewhere(access: ReadWriteLock) -> Iterator[None]:
    """A read lock held by another thread for the duration of the ``with`` block."""
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with access.reading():
            holding.set()
            done.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    try:
        yield
    finally:
        done.set()
        thread.join(10)
