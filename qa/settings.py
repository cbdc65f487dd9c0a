"""The one settings object, built at the edge and passed down.

Precedence, lowest to highest: defaults < ``ragqa.toml`` in the working directory <
``RAGQA_*`` environment variables < keyword arguments (what CLI flags become).

    Settings.from_env(top_k=3)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from qa.errors import SettingsError

LLMBackendName = Literal["llama-cpp", "none"]


def default_home() -> Path:
    return Path.home() / ".local" / "share" / "ragqa"


class Settings(BaseSettings):
    """Everything a user can tune; every field can come from ``RAGQA_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="RAGQA_", toml_file="ragqa.toml", extra="forbid", frozen=True
    )

    home: Path = Field(default_factory=default_home, description="Data directory.")
    collection: str = Field("articles", description="Chroma collection (one per corpus).")
    top_k: int = Field(5, ge=1, le=50, description="Passages retrieved per question.")
    chunk_size: int = Field(160, ge=32, le=512, description="Chunk size in model tokens.")
    chunk_overlap: int = Field(32, ge=0, le=256, description="Overlap between chunks.")
    llm: LLMBackendName = Field("llama-cpp", description="Answer phrasing backend.")
    llm_model_path: Path | None = Field(
        None, description="A GGUF file for llama-cpp; default: the bundled Gemma 3 270M."
    )
    llm_threads: int = Field(2, ge=1, description="CPU threads for llama-cpp.")
    llm_context: int = Field(2048, ge=512, description="llama-cpp context window in tokens.")
    max_answer_tokens: int = Field(40, ge=4, le=512, description="Longest phrased answer.")
    min_evidence_score: float = Field(
        0.35,
        description="Below this evidence score the assistant says the articles do not say.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)

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
    def store_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"
