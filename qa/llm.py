"""LLM backends: they cut a short answer from evidence, or write a cited answer.

Either answer style sends one prompt and needs one line back (a short phrase, or one or
two cited sentences on a line), so a backend offers two calls and the answer path never
depends on which backend it is:

    backend = make_backend(settings)      # None for llm = "none" (extractive answers)
    backend.complete(prompt)              # "Choe Son Hui"
    "".join(backend.stream(prompt))       # the same text, delivered as it is generated

``llama-cpp`` runs a local GGUF file (the bundled Gemma 3 270M by default), ``openai``
any OpenAI-compatible server (llama.cpp server, vLLM, LM Studio, OpenAI) and
``ollama`` an Ollama server. A base model continues the prompt; a chat model gets it
as a single user message, formatted by its own chat template.

The reply is the first line of text the model writes: leading whitespace is dropped
(chat models often open with a line break) and the reply ends at the next newline.
Loading failures raise ``ModelError``; a failed call raises ``BackendError`` whose
message says which setting or server to fix.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from qa.errors import BackendError, ModelError, QAError, SettingsError
from qa.llm_queue import LLMQueue
from qa.models import llm_model_path
from qa.settings import DEFAULT_OLLAMA_URL, Settings

# Sent to servers that need no key: the OpenAI client refuses to run without one, and
# leaving it empty would make llama-index read OPENAI_API_KEY behind Settings' back.
_NO_KEY = "ragqa-no-key"


class LLMBackend(Protocol):
    name: str

    def complete(self, prompt: str) -> str:
        """Return the model's continuation of ``prompt`` up to the first newline."""
        ...

    def stream(self, prompt: str) -> Iterator[str]:
        """Yield the text ``complete`` returns, in pieces, as it is generated.

        ``close_stream`` on a stream read only in part stops the model generating.
        """
        ...


def first_line(deltas: Iterable[str]) -> Iterator[str]:
    """The pieces of the first line of text in ``deltas``, leading whitespace dropped.

    Stops reading ``deltas`` at the first newline after the text starts, so a model
    that runs on is not waited for.
    """
    started = False
    for delta in deltas:
        if not started:
            delta = delta.lstrip()
            if not delta:
                continue
            started = True
        line, newline, _ = delta.partition("\n")
        if line:
            yield line
        if newline:
            return


class _Backend:
    """Shared control flow: cut the reply to one line, turn failures into BackendError.

    A backend provides ``_deltas`` (streamed text) and, when ``plain`` (a base-model
    completion the server already stops at a newline), ``_text`` (the whole reply).
    """

    name = ""
    plain = True

    def _text(self, prompt: str) -> str:
        raise NotImplementedError

    def _deltas(self, prompt: str) -> Iterator[str]:
        raise NotImplementedError

    def _failure(self, exc: Exception) -> BackendError:
        raise NotImplementedError

    def complete(self, prompt: str) -> str:
        if not self.plain:
            # Without a newline stop a chat model may run on to max tokens; streaming
            # lets us stop reading (and the server stop generating) after one line.
            return "".join(self.stream(prompt))
        try:
            return "".join(first_line([self._text(prompt)]))
        except QAError:
            raise
        except Exception as exc:
            raise self._failure(exc) from exc

    def stream(self, prompt: str) -> Iterator[str]:
        deltas: Iterator[str] | None = None
        try:
            deltas = self._deltas(prompt)
            yield from first_line(deltas)
        except QAError:
            raise
        except Exception as exc:
            raise self._failure(exc) from exc
        finally:
            close_stream(deltas)


class LlamaCppBackend(_Backend):
    """A local GGUF model through llama-index's ``LlamaCPP`` (llama-cpp-python).

    A GGUF that carries a chat template (``tokenizer.chat_template``) is an instruct
    model: it gets the prompt as a user message through that template. Otherwise (the
    bundled Gemma base model) the prompt is continued as it is. Calls from several
    threads take turns through an ``LLMQueue`` (a llama.cpp context is not thread-safe).
    """

    name = "llama-cpp"

    def __init__(self, settings: Settings) -> None:
        from llama_index.llms.llama_cpp import LlamaCPP

        self.path = llm_model_path(settings)
        self.max_tokens = settings.answer_token_limit
        self.queue = LLMQueue(settings.concurrent_answers, model=f"llama-cpp ({self.path.name})")
        try:
            self.llm = LlamaCPP(
                model_path=str(self.path),
                temperature=0.0,
                max_new_tokens=settings.answer_token_limit,
                context_window=settings.llm_context,
                # Base models ramble past the answer; the one-shot prompt ends at a newline.
                generate_kwargs={"stop": ["\n"], "temperature": 0.0},
                model_kwargs={"n_threads": settings.llm_threads, "seed": 0},
                verbose=False,
            )
        except Exception as exc:
            raise ModelError(
                f"cannot load GGUF model {self.path}: {exc}; point RAGQA_LLM_MODEL_PATH at "
                "a llama.cpp GGUF file, or unset it to use the bundled Gemma 3 270M"
            ) from exc
        # LlamaCPP's own chat() formats with a generic template, not the model's, so chat
        # goes to the llama_cpp.Llama it wraps, which applies the GGUF's template.
        self._llama: Any = self.llm._model
        self.chat_template: str | None = self._llama.metadata.get("tokenizer.chat_template")
        self.plain = not self.chat_template

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """The model alone, its context emptied first.

        llama.cpp otherwise reuses the cached part of the previous prompt, and a reply
        would depend on whatever was asked before it, by anyone: the bundled Gemma
        answered "Hideki Tojo" instead of "Koizumi" after another question.
        """
        with self.queue.turn():
            self._llama.reset()
            yield

    def _text(self, prompt: str) -> str:
        with self._turn():
            return self.llm.complete(prompt, formatted=True).text

    def _deltas(self, prompt: str) -> Iterator[str]:
        # The turn lasts until the stream is read to its end or closed.
        with self._turn():
            if self.plain:
                for response in self.llm.stream_complete(prompt, formatted=True):
                    yield response.delta or ""
                return
            chunks = self._llama.create_chat_completion(
                messages=[{"role": "user", "content": prompt}],
                temperature=0.0,
                max_tokens=self.max_tokens,
                stream=True,
            )
            try:
                for chunk in chunks:
                    yield chunk["choices"][0]["delta"].get("content") or ""
            finally:
                close_stream(chunks)  # stops llama.cpp generating once the first line is read

    def _failure(self, exc: Exception) -> BackendError:
        hint = "check the model file"
        if "context window" in str(exc):
            hint = "raise RAGQA_LLM_CONTEXT or lower RAGQA_TOP_K"
        return BackendError(f"llama-cpp failed to answer with {self.path.name} ({exc}); {hint}")


class OpenAIBackend(_Backend):
    """Any OpenAI-compatible server through llama-index's ``OpenAILike``.

    ``/v1/completions`` by default (base models, such as Gemma behind llama.cpp's
    server); ``/v1/chat/completions`` with ``llm_chat`` (instruct models).
    """

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        from llama_index.llms.openai_like import OpenAILike

        if settings.llm_base_url is None or settings.llm_model is None:
            raise SettingsError("llm = 'openai' needs the llm_base_url and llm_model settings")
        self.base_url = settings.llm_base_url
        self.model = settings.llm_model
        self.timeout_s = settings.llm_timeout_s
        self.plain = not settings.llm_chat
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else _NO_KEY
        try:
            self.llm = OpenAILike(
                model=self.model,
                api_base=self.base_url,
                api_key=key,
                is_chat_model=settings.llm_chat,
                context_window=settings.llm_context,
                temperature=0.0,
                max_tokens=settings.answer_token_limit,
                timeout=settings.llm_timeout_s,
                # A refused connection or an HTTP error should reach the user at once, not
                # after up to a minute of exponential backoff.
                max_retries=0,
            )
        except Exception as exc:
            raise ModelError(
                f"cannot set up the OpenAI-compatible backend for model {self.model!r} at "
                f"{self.base_url}: {exc}; check RAGQA_LLM_MODEL and RAGQA_LLM_BASE_URL"
            ) from exc
        self._stop = {"stop": ["\n"]} if self.plain else {}

    def _text(self, prompt: str) -> str:
        return self.llm.complete(prompt, formatted=True, **self._stop).text

    def _deltas(self, prompt: str) -> Iterator[str]:
        for response in self.llm.stream_complete(prompt, formatted=True, **self._stop):
            yield response.delta or ""

    def _failure(self, exc: Exception) -> BackendError:
        import openai

        where = f"the OpenAI-compatible server at {self.base_url}"
        if isinstance(exc, openai.APITimeoutError):
            return BackendError(
                f"{where} did not answer within {self.timeout_s:g} s; raise "
                "RAGQA_LLM_TIMEOUT_S or check that the server is not overloaded"
            )
        if isinstance(exc, openai.APIConnectionError):
            return BackendError(
                f"cannot reach {where} ({_reason(exc)}); start it or fix RAGQA_LLM_BASE_URL"
            )
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return BackendError(
                f"{where} refused the API key (HTTP {exc.status_code}); set "
                "RAGQA_LLM_API_KEY (or OPENAI_API_KEY)"
            )
        if isinstance(exc, openai.NotFoundError):
            return BackendError(
                f"{where} answered HTTP 404 for model {self.model!r} ({_short(exc)}); check "
                "RAGQA_LLM_MODEL, and that RAGQA_LLM_BASE_URL includes the API prefix (/v1)"
            )
        if isinstance(exc, openai.APIStatusError):
            return BackendError(
                f"{where} answered HTTP {exc.status_code} ({_short(exc)}); check the "
                "server's log and the RAGQA_LLM_* settings"
            )
        return BackendError(f"{where} failed to answer ({_short(exc)}); check the server's log")


class OllamaBackend(_Backend):
    """An Ollama server through llama-index's ``Ollama`` class.

    Ollama applies the model's own template, so the prompt goes as one user message.
    """

    name = "ollama"
    plain = False

    def __init__(self, settings: Settings) -> None:
        from llama_index.llms.ollama import Ollama

        if settings.llm_model is None:
            raise SettingsError("llm = 'ollama' needs the llm_model setting")
        self.base_url = settings.llm_base_url or DEFAULT_OLLAMA_URL
        self.model = settings.llm_model
        self.timeout_s = settings.llm_timeout_s
        try:
            self.llm = Ollama(
                model=self.model,
                base_url=self.base_url,
                temperature=0.0,
                # Given, so llama-index does not ask the server for it on every call.
                context_window=settings.llm_context,
                request_timeout=settings.llm_timeout_s,
                additional_kwargs={"num_predict": settings.answer_token_limit, "seed": 0},
            )
        except Exception as exc:
            raise ModelError(
                f"cannot set up the Ollama backend for model {self.model!r} at "
                f"{self.base_url}: {exc}; check RAGQA_LLM_MODEL and RAGQA_LLM_BASE_URL"
            ) from exc

    def _deltas(self, prompt: str) -> Iterator[str]:
        for response in self.llm.stream_complete(prompt, formatted=True):
            yield response.delta or ""

    def _failure(self, exc: Exception) -> BackendError:
        import httpx
        import ollama

        where = f"the Ollama server at {self.base_url}"
        if isinstance(exc, httpx.TimeoutException):
            return BackendError(
                f"{where} did not answer within {self.timeout_s:g} s; raise "
                "RAGQA_LLM_TIMEOUT_S (the first question also loads the model)"
            )
        if isinstance(exc, ConnectionError | httpx.TransportError):
            return BackendError(
                f"cannot reach {where} ({_reason(exc)}); start it ('ollama serve') or fix "
                "RAGQA_LLM_BASE_URL"
            )
        if isinstance(exc, ollama.ResponseError) and exc.status_code == 404:
            return BackendError(
                f"{where} has no model {self.model!r} ({exc.error}); run "
                f"'ollama pull {self.model}' or fix RAGQA_LLM_MODEL"
            )
        if isinstance(exc, ollama.ResponseError):
            return BackendError(
                f"{where} answered HTTP {exc.status_code} ({exc.error}); check its log"
            )
        return BackendError(f"{where} failed to answer ({_short(exc)}); check its log")


def close_stream(iterator: object) -> None:
    """Stop a stream read only in part: generators and SDK streams stop generating."""
    close = getattr(iterator, "close", None)
    if close is not None:
        close()


def _reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words, from anywhere in the exception chain."""
    seen: BaseException | None = exc
    innermost = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "connection refused" in str(seen).lower():
            return "connection refused"
        if isinstance(seen, socket.gaierror) or "name or service not known" in str(seen):
            return "host not found"
        innermost = seen
        seen = seen.__cause__ or seen.__context__
    return _short(innermost)


def _short(exc: BaseException, limit: int = 200) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_backend(settings: Settings) -> LLMBackend | None:
    """The backend the settings ask for, or None for extractive answers."""
    if settings.llm == "none":
        return None
    if settings.llm == "openai":
        return OpenAIBackend(settings)
    if settings.llm == "ollama":
        return OllamaBackend(settings)
    return LlamaCppBackend(settings)
