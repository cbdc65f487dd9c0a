"""Backends offered in the page: which are available, and one shared-store Assistant each."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from index import Embedder
from qa import Assistant, QAError, Settings
from tests.polling import eventually
from ui.backends import Backends, available_backends


def test_local_backends_are_always_available_and_the_configured_one_comes_first() -> None:
    assert available_backends(Settings()) == ("llama-cpp", "none")
    assert available_backends(Settings(llm="none")) == ("none", "llama-cpp")


def test_server_backends_appear_once_configured() -> None:
    assert available_backends(Settings(llm_model="qwen")) == ("llama-cpp", "none", "ollama")
    both = Settings(llm="openai", llm_base_url="http://127.0.0.1:8000/v1", llm_model="m")
    assert available_backends(both) == ("openai", "llama-cpp", "none", "ollama")


def test_each_backend_gets_one_assistant_sharing_store_and_retriever(
    settings: Settings, embedder: Embedder
) -> None:
    base = Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder)
    backends = Backends(base)

    local = backends.get("llama-cpp")

    assert backends.get("none") is base
    assert backends.get("llama-cpp") is local
    assert local.settings.llm == "llama-cpp" and local.store is base.store
    assert local.embedder is base.embedder and local.retriever is base.retriever
    assert backends.get("openai") is base  # not configured: the default answers


def test_a_cited_style_stays_with_the_configured_backend(
    settings: Settings, embedder: Embedder
) -> None:
    base = Assistant(settings.model_copy(update={"answer_style": "cited"}), embedder=embedder)
    backends = Backends(base)
    assert backends.get("llama-cpp").settings.answer_style == "cited"
    assert backends.get("none").settings.answer_style == "evidence"


def test_work_in_turn_reads_the_collection_and_stops_soon_after_its_reader_goes(
    settings: Settings, embedder: Embedder
) -> None:
    backends = Backends(Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder))
    held: list[bool] = []
    closed: list[bool] = []

    def work() -> Iterator[int]:
        try:
            for n in range(100):
                held.append(backends.access.readers == 1)
                yield n
        finally:
            closed.append(True)

    reader = backends.in_turn(work)
    assert next(reader) == 0
    reader.close()  # the reader goes away after the first item
    assert eventually(backends.access.idle, 10), "the lock must come free once the work stops"
    assert closed == [True]  # the work was closed, not left suspended
    assert 1 <= len(held) <= 3 and all(held)  # not read to its end for nobody
    assert list(backends.in_turn(work)) == list(range(100))


def test_an_error_in_the_work_reaches_the_reader(settings: Settings, embedder: Embedder) -> None:
    backends = Backends(Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder))

    def failing() -> Iterator[str]:
        yield "first"
        raise QAError("the question is empty")

    reader = backends.in_turn(failing)
    assert next(reader) == "first"
    with pytest.raises(QAError, match="empty"):
        next(reader)
    assert backends.access.idle()


def test_answers_read_together_while_a_write_waits_for_them(
    settings: Settings, embedder: Embedder
) -> None:
    """Two answers run at once; an ingest started meanwhile begins only after both."""
    backends = Backends(Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder))
    both_reading = threading.Barrier(3, timeout=10)
    release = threading.Event()
    order: list[str] = []

    def answer() -> Iterator[str]:
        both_reading.wait()  # fails unless the other answer reads at the same time
        release.wait(10)
        order.append("answer")
        yield "done"

    readers = [threading.Thread(target=lambda: list(backends.in_turn(answer))) for _ in range(2)]
    for thread in readers:
        thread.start()
    both_reading.wait()

    def write() -> None:
        with backends.access.writing():
            order.append("write")

    writer = threading.Thread(target=write)
    writer.start()
    assert eventually(lambda: not backends.access.idle() and backends.access.readers == 2, 10)
    release.set()
    for thread in (*readers, writer):
        thread.join(10)
    assert order == ["answer", "answer", "write"]
