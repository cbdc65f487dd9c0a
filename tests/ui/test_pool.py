"""``AssistantPool``: the collections ``ragqa serve`` answers from, opened once."""

from __future__ import annotations

from qa import Settings
from ui.pool import AssistantPool


def test_each_collection_is_opened_once_and_shares_the_models(settings: Settings) -> None:
    first_name, other_name = settings.collection, f"{settings.collection}-other"
    pool = AssistantPool.open(
        settings.model_copy(update={"llm": "none"}), [first_name, other_name, first_name]
    )
    assert pool.names == (first_name, other_name)
    assert pool.default == first_name
    first, other = pool.get(first_name), pool.get(other_name)
    assert first is not None and other is not None
    assert other.base.settings.collection == other_name
    assert other.base.store is not first.base.store
    assert other.base.embedder is first.base.embedder
    assert other.base.reader is first.base.reader
    assert first.access is not other.access  # collections do not wait for each other
    assert pool.get("not-served") is None


def test_without_names_the_configured_collection_is_served(settings: Settings) -> None:
    pool = AssistantPool.open(settings.model_copy(update={"llm": "none"}), [])
    assert pool.names == (settings.collection,)
