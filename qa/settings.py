"""The one settings object, built at the edge and passed down.

Precedence, lowest to highest: defaults < ``ragqa.toml`` in the working directory <
``RAGQA_*`` environment variables < keyword arguments (what CLI flags become).

    Settings.from_env(top_k=3)
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from index import DEFAULT_MAX_FILE_BYTES, ChromaServer, RuntimeName, parse_chroma_url
from qa.errors import SettingsError
from qa.types import RetrievalFilters

LLMBackendName = Literal["llama-cpp", "openai", "ollama", "none"]
RetrievalModeName = Literal["hybrid", "dense", "bm25"]
AnswerStyleName = Literal["evidence", "cited"]
ExtractionName = Literal["span", "llm", "sentence"]
DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"


def default_home() -> Path:
    return Path.home() / ".local" / "share" / "ragqa"


def default_model_cache() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "ragqa" / "models"


class Settings(BaseSettings):
    """Everything a user can tune; every field can come from ``RAGQA_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="RAGQA_", toml_file="ragqa.toml", extra="forbid", frozen=True
    )

    home: Path = Field(default_factory=default_home, description="Data directory.")
    collection: str = Field("articles", description="Chroma collection (one per corpus).")
    chroma_url: str | None = Field(
        None,
        description="A Chroma server (e.g. http://127.0.0.1:8000) instead of the embedded "
        "store; the manifest and BM25 index stay in the data directory.",
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages retrieved per question.")
    chunk_size: int = Field(160, ge=32, le=512, description="Chunk size in model tokens.")
    chunk_overlap: int = Field(32, ge=0, le=256, description="Overlap between chunks.")
    max_file_mb: float = Field(
        DEFAULT_MAX_FILE_BYTES / 1_000_000,
        gt=0,
        description="Largest article file ingest reads, in megabytes (1,000,000 bytes); a "
        "larger one fails alone, unread.",
    )
    retrieval: RetrievalModeName = Field(
        "hybrid",
        description="hybrid (dense + BM25, rank-fused), dense (embeddings) or bm25 (words).",
    )
    rrf_k: int = Field(
        60, ge=1, description="Reciprocal rank fusion constant: higher flattens rank weight."
    )
    retrieval_depth: int = Field(
        20, ge=1, le=200, description="Candidates each retriever gives the fusion."
    )
    rerank: bool = Field(
        True,
        description="Reorder the first rerank_depth candidates by cosine plus the question-word "
        "coverage of their best sentence.",
    )
    rerank_depth: int = Field(15, ge=1, le=200, description="Candidates the rerank reorders.")
    filter_article_ids: tuple[str, ...] = Field(
        (), description="Default filter: only these article ids."
    )
    filter_sources: tuple[str, ...] = Field((), description="Default filter: only these sources.")
    filter_since: date | None = Field(
        None, description="Default filter: articles published on or after this date."
    )
    filter_until: date | None = Field(
        None, description="Default filter: articles published on or before this date."
    )
    llm: LLMBackendName = Field("llama-cpp", description="Answer phrasing backend.")
    answer_style: AnswerStyleName = Field(
        "evidence",
        description="evidence: the best evidence sentence, or a short answer the LLM cuts "
        "from it; cited: the LLM writes one or two sentences over the numbered passages "
        "and cites them (for capable instruct models). Both are verified.",
    )
    llm_model_path: Path | None = Field(
        None, description="A GGUF file for llama-cpp; default: the bundled Gemma 3 270M."
    )
    llm_base_url: str | None = Field(
        None,
        description="Server URL for openai (e.g. http://127.0.0.1:8000/v1) or ollama "
        f"(default {DEFAULT_OLLAMA_URL}).",
    )
    llm_model: str | None = Field(None, description="Model name for openai and ollama.")
    llm_api_key: SecretStr | None = Field(
        None, description="API key for openai; falls back to OPENAI_API_KEY."
    )
    api_key: SecretStr | None = Field(
        None,
        description="The key ragqa serve asks HTTP clients for (RAGQA_API_KEY or ragqa.toml; "
        "ragqa serve --api-key-file overrides it); never a command-line value.",
    )
    chat_auth: SecretStr | None = Field(
        None,
        description="USER:PASS that ragqa chat asks for (RAGQA_CHAT_AUTH or ragqa.toml; "
        "--auth-file or --auth override it).",
    )
    llm_chat: bool = Field(
        False,
        description="openai: use /v1/chat/completions (instruct models) instead of "
        "/v1/completions (base models).",
    )
    llm_timeout_s: float = Field(
        60.0, gt=0, description="Seconds to wait for an openai or ollama server to answer."
    )
    llm_threads: int = Field(2, ge=1, description="CPU threads for llama-cpp.")
    llm_context: int = Field(
        2048, ge=512, description="Context window in tokens for llama-cpp and ollama."
    )
    concurrent_answers: int = Field(
        4,
        ge=1,
        le=64,
        description="Questions the chat answers at once; a local llama-cpp model still "
        "writes one reply at a time, with at most this many callers queued for it.",
    )
    max_answer_tokens: int | None = Field(
        None,
        ge=4,
        le=1024,
        description="Longest LLM reply in tokens; default 40 (evidence) or 160 (cited).",
    )
    reader: bool = Field(
        True,
        description="Order windows, decide and cut answers with the trained reader; false: "
        "the evidence score alone decides (min_evidence_score).",
    )
    runtime: RuntimeName = Field(
        "onnxruntime",
        description="What runs the embedder and the reader: onnxruntime (about twice as "
        "fast, and starts without importing torch; exported once into model_cache) or "
        "torch. Answers are the same.",
    )
    model_cache: Path = Field(
        default_factory=default_model_cache,
        description="Where the models' ONNX exports are kept, shared by data directories.",
    )
    min_answer_confidence: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Decline when the reader's confidence is under this; default: the "
        "calibrated threshold (at most 10% false refusals on held-out articles).",
    )
    answer_extraction: ExtractionName = Field(
        "span",
        description="evidence style: span (the reader's answer span), llm (the LLM's phrase "
        "cut from the sentence) or sentence (the whole evidence sentence).",
    )
    min_evidence_score: float = Field(
        0.35,
        description="Without the reader: below this evidence score the assistant says the "
        "articles do not say.",
    )
    require_answer_type: bool = Field(
        True,
        description="Decline when the question asks for a number, date, day, age or "
        "percentage and the evidence sentence holds none beyond what the question states.",
    )
    follow_ups: Literal["rules", "llm"] = Field(
        "rules",
        description="How a follow-up is made standalone: rules fill in what its pronouns, "
        "'then', 'there' and ellipses point at; llm asks the configured LLM (for capable "
        "models), keeping its question only if every word of it was said before.",
    )
    recency: Literal["auto", "off"] = Field(
        "auto",
        description="auto: a question naming a year or month is answered from articles "
        "published then; one about the present, from the latest of dated articles that "
        "disagree, saying 'as of' its date. off: publication dates do not matter.",
    )

    @field_validator("llm_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http:// or https:// URL")
        return value

    @field_validator("chroma_url")
    @classmethod
    def _chroma_server_url(cls, value: str | None) -> str | None:
        return None if value is None else parse_chroma_url(value).url

    @model_validator(mode="after")
    def _date_filter_is_a_range(self) -> Settings:
        if self.filter_since and self.filter_until and self.filter_since > self.filter_until:
            raise SettingsError(
                f"filter_since ({self.filter_since}) is after filter_until "
                f"({self.filter_until}); swap them or drop one"
            )
        return self

    @model_validator(mode="after")
    def _cited_answers_need_an_llm(self) -> Settings:
        if self.answer_style == "cited" and self.llm == "none":
            raise SettingsError(
                "answer_style = 'cited' needs an LLM to write the answer, but llm = 'none'; "
                "choose an llm or answer_style = 'evidence'"
            )
        return self

    @model_validator(mode="after")
    def _server_backend_is_complete(self) -> Settings:
        # Raised as SettingsError (not ValueError) so that Settings(...) built in code
        # fails with the same error family as Settings.from_env().
        needed = {"openai": ("llm_base_url", "llm_model"), "ollama": ("llm_model",)}
        missing = [name for name in needed.get(self.llm, ()) if getattr(self, name) is None]
        if missing:
            names = " and ".join(f"{name} (RAGQA_{name.upper()})" for name in missing)
            example = {
                "llm_base_url": 'llm_base_url = "http://127.0.0.1:8000/v1"',
                "llm_model": 'llm_model = "<model name the server knows>"',
            }
            raise SettingsError(
                f"llm = {self.llm!r} needs {names}; set {'them' if len(missing) > 1 else 'it'}"
                f" in ragqa.toml ({'; '.join(example[name] for name in missing)}), the "
                "environment or flags, or choose another llm"
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls),
            _OpenAIKeyFallback(settings_cls),
        )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from file and environment, with explicit overrides on top.

        ``None`` overrides are ignored so CLI flags that were not given fall through.
        """
        given = {key: value for key, value in overrides.items() if value is not None}
        try:
            return cls(**given)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
                for err in exc.errors()
            )
            raise SettingsError(
                f"invalid settings ({problems}); check ragqa.toml, RAGQA_* variables and flags"
            ) from exc

    @property
    def default_filters(self) -> RetrievalFilters:
        """The ``filter_*`` settings; a question's own filters override them field by field."""
        return RetrievalFilters(
            article_ids=self.filter_article_ids,
            sources=self.filter_sources,
            since=self.filter_since,
            until=self.filter_until,
        )

    @property
    def answer_token_limit(self) -> int:
        """``max_answer_tokens``, or room for the answer ``answer_style`` asks for."""
        if self.max_answer_tokens is not None:
            return self.max_answer_tokens
        return 160 if self.answer_style == "cited" else 40

    @property
    def max_file_bytes(self) -> int:
        return round(self.max_file_mb * 1_000_000)

    @property
    def chroma_server(self) -> ChromaServer | None:
        return None if self.chroma_url is None else parse_chroma_url(self.chroma_url)

    @property
    def store_dir(self) -> Path:
        """The embedded store; with a server, the local folder of its manifests and BM25.

        Kept per server (``chroma-servers/http-host-port``), so collections of the same
        name on two servers, or on a server and embedded, never share local files.
        """
        server = self.chroma_server
        if server is None:
            return self.home / "chroma"
        return self.home / "chroma-servers" / server.key

    @property
    def models_dir(self) -> Path:
        return self.home / "models"


class _OpenAIKeyFallback(PydanticBaseSettingsSource):
    """``OPENAI_API_KEY`` as the last resort for ``llm_api_key``, below ``ragqa.toml``.

    Only this key has a non-RAGQA_ fallback: it is where OpenAI's own tools keep it.
    """

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        key = os.environ.get("OPENAI_API_KEY")
        return {"llm_api_key": key} if key else {}
