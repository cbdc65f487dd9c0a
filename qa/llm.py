"""LLM backends that phrase a short answer from evidence sentences.

A backend implements one method, ``complete(prompt) -> str``; the answer path never
depends on which one it is. ``none`` means extractive answers only.
"""

from __future__ import annotations

from typing import Protocol

from qa.errors import BackendError, ModelError
from qa.models import llm_model_path
from qa.settings import Settings


class LLMBackend(Protocol):
    name: str

    def complete(self, prompt: str) -> str:
        """Return the model's continuation of ``prompt`` up to the first newline."""
        ...


class LlamaCppBackend:
    """A local GGUF model through llama-index's ``LlamaCPP`` (llama-cpp-python)."""

    name = "llama-cpp"

    def __init__(self, settings: Settings) -> None:
        from llama_index.llms.llama_cpp import LlamaCPP

        path = llm_model_path(settings)
        try:
            self.llm = LlamaCPP(
                model_path=str(path),
                temperature=0.0,
                max_new_tokens=settings.max_answer_tokens,
                context_window=settings.llm_context,
                # Base models ramble past the answer; the one-shot prompt ends at a newline.
                generate_kwargs={"stop": ["\n"], "temperature": 0.0},
                model_kwargs={"n_threads": settings.llm_threads, "seed": 0},
                verbose=False,
            )
        except Exception as exc:
            raise ModelError(f"cannot load GGUF model {path}: {exc}") from exc

    def complete(self, prompt: str) -> str:
        try:
            return self.llm.complete(prompt, formatted=True).text
        except Exception as exc:
            raise BackendError(f"llama-cpp failed to answer: {exc}") from exc


def make_backend(settings: Settings) -> LLMBackend | None:
    """The backend the settings ask for, or None for extractive answers."""
    if settings.llm == "none":
        return None
    return LlamaCppBackend(settings)
