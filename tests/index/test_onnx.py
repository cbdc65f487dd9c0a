"""Models in onnxruntime: MiniLM's float export gives torch's vectors, its int8 model points
the same way; the model is made once and mended when damaged.

The export and the check run the real network in both runtimes; ``checked_export``'s
control flow is also tested with small callables standing in for the export and check.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from index import Embedder
from index.embedding import (
    MODEL_SHA256,
    QUANTISED_AGREEMENT,
    _export_float,
    _OnnxEncoder,
    _TorchEncoder,
    bundled_model_dir,
)
from index.onnx import ExportError, OnnxSession, checked_export

TEXTS = [
    "Who is North Korea's ambassador to China?",
    "Ri Ryong Nam said the country would reject any talks with Japan at any level. " * 12,
    "Shares rose.",
    "Kim Yo Jong, the sister of the leader, said Japan knocked at the door first.",
]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(scope="module")
def onnx_embedder(exports: Path) -> Embedder:
    return Embedder.bundled(stamp_dir=exports, export_dir=exports)


def _export(exports: Path) -> Path:
    return exports / f"minilm-{MODEL_SHA256[:16]}-int8.onnx"


def test_the_float_export_embeds_as_sentence_transformers_does(tmp_path: Path) -> None:
    model_dir = bundled_model_dir()
    _export_float(model_dir, tmp_path / "float.onnx")
    got = _OnnxEncoder(model_dir, OnnxSession(tmp_path / "float.onnx"))(TEXTS)
    expected = _TorchEncoder(model_dir)(TEXTS)
    assert got.shape == (4, 384)
    assert np.abs(got - expected).max() < 1e-5  # the long text is cut at 256 tokens by both


def test_the_int8_model_points_where_torch_does_and_ranks_alike(
    onnx_embedder: Embedder, exports: Path
) -> None:
    on_torch = Embedder.bundled(stamp_dir=exports, runtime="torch")
    assert (onnx_embedder.runtime, on_torch.runtime) == ("onnxruntime", "torch")
    got, expected = (
        np.array(onnx_embedder.embed_texts(TEXTS)),
        np.array(on_torch.embed_texts(TEXTS)),
    )
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * expected).sum(axis=1).min() >= QUANTISED_AGREEMENT
    assert np.abs(got - expected).max() > 0  # quantised: close, not equal
    question = "What did Kim Yo Jong say?"

    def rank(embedder: Embedder) -> list[int]:
        texts, query = np.array(embedder.embed_texts(TEXTS)), embedder.embed_query(question)
        return list(np.argsort(-(texts @ np.array(query))))

    assert rank(onnx_embedder) == rank(on_torch)
    llama = onnx_embedder.llama_embedding.get_query_embedding(question)
    assert np.allclose(llama, onnx_embedder.embed_query(question), atol=1e-6)


def test_the_export_is_kept_and_trusted_on_the_next_start(
    onnx_embedder: Embedder, exports: Path
) -> None:
    made = _export(exports).stat().st_mtime_ns
    again = Embedder.bundled(stamp_dir=exports, export_dir=exports)
    assert again.runtime == "onnxruntime"
    assert _export(exports).stat().st_mtime_ns == made
    assert not list(exports.glob("*.tmp"))


def test_a_damaged_export_is_made_again(onnx_embedder: Embedder, exports: Path) -> None:
    path = _export(exports)
    path.write_bytes(b"not an onnx model")
    mended = Embedder.bundled(stamp_dir=exports, export_dir=exports)
    assert mended.runtime == "onnxruntime"
    assert path.stat().st_size > 10_000_000
    assert np.allclose(mended.embed_texts(TEXTS), onnx_embedder.embed_texts(TEXTS), atol=1e-6)


def test_without_a_place_to_export_it_embeds_with_torch_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the export folder should be")
    with caplog.at_level(logging.WARNING, logger="index.embedding"):
        embedder = Embedder.bundled(stamp_dir=tmp_path / "stamps", export_dir=blocked)
    assert embedder.runtime == "torch"
    assert "embedding with torch instead" in caplog.text
    assert len(embedder.embed_query("Who is Kim Yo Jong?")) == 384


# ---------------------------------------------------------------- checked_export, unit level


def _copy_of(source: Path):
    return lambda target: target.write_bytes(source.read_bytes())


def test_a_disagreeing_export_is_refused_and_not_stamped(
    onnx_embedder: Embedder, exports: Path, tmp_path: Path
) -> None:
    path = tmp_path / "model.onnx"
    with pytest.raises(ExportError, match="does not agree"):
        checked_export(path, _copy_of(_export(exports)), lambda s: False, stamp_dir=tmp_path)
    assert not (tmp_path / "model.onnx.checked.json").exists()


def test_a_checked_export_is_not_checked_again_until_it_changes(
    onnx_embedder: Embedder, exports: Path, tmp_path: Path
) -> None:
    path = tmp_path / "model.onnx"
    checks: list[Path] = []
    exported: list[Path] = []

    def export(target: Path) -> None:
        exported.append(target)
        _copy_of(_export(exports))(target)

    def agrees(session) -> bool:
        checks.append(session.path)
        return True

    checked_export(path, export, agrees, stamp_dir=tmp_path)
    checked_export(path, export, agrees, stamp_dir=tmp_path)
    assert (len(exported), len(checks)) == (1, 1)
    with path.open("r+b") as handle:  # damaged in place: same size, new mtime
        handle.seek(-64, 2)
        handle.write(b"\0" * 64)
    checked_export(path, export, agrees, stamp_dir=tmp_path)
    assert len(checks) == 2
