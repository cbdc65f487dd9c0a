"""Backends offered in the page: which are available, and one shared-store Assistant each."""

from __future__ import annotations

from index import Embedder
from qa import Assistant, Settings
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
