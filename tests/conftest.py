"""Shared fixtures: the real bundled models, loaded once per session, and isolated stores."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import Embedder
from qa import Assistant, Settings
from qa.llm import LlamaCppBackend, LLMBackend
from tests.chroma_server import ChromaServerFailed, chroma_server

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
_collections = itertools.count()


class RecordingLLM:
    """A real backend, with the prompts it was sent kept, to show a test reached it."""

    def __init__(self, backend: LLMBackend) -> None:
        self.backend = backend
        self.name = backend.name
        self.prompts: list[str] = []

    def complete(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.backend.complete(prompt)

    def stream(self, prompt: str) -> Iterator[str]:
        self.prompts.append(prompt)
        return self.backend.stream(prompt)


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's ONNX exports: made once, shared by every test and ``ragqa`` process."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def _scrub_ragqa_environment(monkeypatch: pytest.MonkeyPatch, model_cache: Path) -> None:
    """A developer's own RAGQA_* settings must not leak into tests."""
    for name in list(os.environ):
        if name.startswith("RAGQA_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RAGQA_MODEL_CACHE", str(model_cache))


@pytest.fixture(autouse=True)
def _scrub_openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's OPENAI_API_KEY must not reach Settings (its llm_api_key fallback)."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory per session, so the Gemma file is assembled only once."""
    return tmp_path_factory.mktemp("ragqa-home")


@pytest.fixture(scope="session")
def embedder(shared_home: Path, model_cache: Path) -> Embedder:
    return Embedder.bundled(stamp_dir=shared_home / "models", export_dir=model_cache)


@pytest.fixture(scope="session")
def gemma(shared_home: Path) -> LlamaCppBackend:
    return LlamaCppBackend(Settings(home=shared_home))


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real Chroma server (``chroma run`` on loopback) per session; stopped at the end.

    Tests keep apart by collection name, as with the embedded store.
    """
    folder = tmp_path_factory.mktemp("chroma-server")
    try:
        with chroma_server(folder / "data", folder / "server.log") as url:
            yield url
    except ChromaServerFailed as failure:
        pytest.fail(str(failure), pytrace=False)


@pytest.fixture
def settings(shared_home: Path) -> Settings:
    """Settings with a collection of its own, so tests never see each other's articles."""
    return Settings(home=shared_home, collection=f"test-{next(_collections)}")


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seed articles that a test may edit."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def seeded_assistant(
    shared_home: Path, embedder: Embedder, gemma: LlamaCppBackend
) -> Iterator[Assistant]:
    """The default configuration over the seed articles: real embedder, Chroma and Gemma."""
    assistant = Assistant(
        Settings(home=shared_home, collection="seeds-session"), embedder=embedder, llm=gemma
    )
    assistant.ingest([SEEDS])
    yield assistant
