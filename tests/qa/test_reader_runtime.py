"""The reader run by onnxruntime: exported once, the same readings as torch, no torch after."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import RuntimeName
from index.embedding import bundled_model_dir
from qa.answer import load_reader
from qa.answer.reader import Reader, WindowText
from qa.answer.runtime import OnnxForward, export_path

QUESTION = "Who did the port authority appoint as chief executive?"
WINDOWS = [
    WindowText(
        "The port authority appointed Maria Keller as its chief executive on Monday.",
        "Harbour authority names new chief",
    ),
    WindowText(
        "Maria Keller, who joined the port authority in 2015, thanked the board.",
        "Harbour authority names new chief",
        "The board met in Hamburg.",
    ),
    WindowText("Shares rose.", "Markets"),
]


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def onnx_reader(models_dir: Path) -> Reader:
    return _load(models_dir)


def _load(models_dir: Path, runtime: RuntimeName = "onnxruntime") -> Reader:
    return load_reader(
        base_dir=bundled_model_dir(),
        stamp_dir=models_dir,
        export_dir=models_dir / "exports",
        runtime=runtime,
    )


def _export_path(models_dir: Path) -> Path:
    return export_path(models_dir / "exports")


def test_onnxruntime_reads_as_torch_does(onnx_reader: Reader, models_dir: Path) -> None:
    torch_reader = _load(models_dir, "torch")
    assert isinstance(onnx_reader.forward, OnnxForward)
    assert not isinstance(torch_reader.forward, OnnxForward)
    got = onnx_reader.read(QUESTION, WINDOWS)
    expected = torch_reader.read(QUESTION, WINDOWS)
    for a, b in zip(got, expected, strict=True):
        assert a.span == b.span
        assert a.logit == pytest.approx(b.logit, abs=1e-3)
    assert WINDOWS[0].sentence[slice(*got[0].span)] == "Maria Keller"


def test_the_export_is_kept_for_the_next_start(onnx_reader: Reader, models_dir: Path) -> None:
    path = _export_path(models_dir)
    made = path.stat().st_mtime_ns
    again = _load(models_dir)
    assert isinstance(again.forward, OnnxForward)
    assert path.stat().st_mtime_ns == made
    assert not list(path.parent.glob("*.tmp"))


def test_a_damaged_export_is_made_again(onnx_reader: Reader, models_dir: Path) -> None:
    path = _export_path(models_dir)
    path.write_bytes(b"not an onnx model")
    mended = _load(models_dir)
    assert isinstance(mended.forward, OnnxForward)
    assert path.stat().st_size > 1_000_000
    (fresh,) = mended.read(QUESTION, WINDOWS[:1])
    (first,) = onnx_reader.read(QUESTION, WINDOWS[:1])
    assert fresh.logit == pytest.approx(first.logit, abs=1e-4)
