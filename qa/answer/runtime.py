"""How the bundled reader runs: onnxruntime by default, the same weights in half the time.

Measured by ``bench/reader_runtime.py`` on the seeds (4 windows a question, 2 cores):
59 ms p50 against torch's 141 ms, answer logits equal to 7e-6. The ONNX file is not
committed (the whole network in fp32 is over 80 MB); it is exported from the loaded
torch network on first use into the models folder, named after the reader file's
SHA-256 so a retrained reader never meets a stale export, written atomically, and
checked against torch on a probe batch before it is trusted. A file that cannot be
loaded or disagrees is exported again; if no export works, the reader stays on torch
(same answers, slower) and says so in the log.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnxruntime
import torch
from tokenizers import Tokenizer

from qa.answer.reader import (
    READER_SHA256,
    Batch,
    Logits,
    Reader,
    ReaderNet,
    WindowText,
    encode,
    torch_forward,
)
from qa.settings import ReaderRuntimeName

INPUTS = ("input_ids", "attention_mask", "token_type_ids", "sentence_mask")
OUTPUTS = ("answer", "start", "end")
AGREEMENT = 1e-3
"""Largest difference in logits between torch and the export before it is refused."""

_log = logging.getLogger(__name__)
_PROBE = (
    "Who won the cup in 1998?",
    [
        WindowText("France won the cup in 1998, beating Brazil.", "The final", "It was hot."),
        WindowText("The match was played in Paris.", "The final"),
    ],
)


class ExportError(RuntimeError):
    """The ONNX export could not be made or does not agree with the torch network."""


class OnnxForward:
    """Runs an exported reader: ``Batch`` in, numpy answer/start/end logits out."""

    def __init__(self, path: Path, *, threads: int | None = None) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, batch: Batch) -> Logits:
        feed = {name: getattr(batch, name).numpy() for name in INPUTS}
        answer, start, end = self.session.run(list(OUTPUTS), feed)
        return answer, start, end


def _export(net: ReaderNet, tokenizer: Tokenizer, path: Path) -> None:
    # Traced on one window; the probe (two windows, more tokens) then checks that the
    # batch and token axes really are dynamic.
    question, windows = _PROBE
    sample = encode(tokenizer, question, windows[:1])
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        with warnings.catch_warnings():
            # The tracer warns about shape checks in transformers' attention code that
            # are constant for an encoder (no causal mask, no key/value padding).
            warnings.simplefilter("ignore")
            torch.onnx.export(
                net,
                tuple(getattr(sample, name) for name in INPUTS),
                temporary,
                input_names=list(INPUTS),
                output_names=list(OUTPUTS),
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in INPUTS},
                dynamo=False,
            )
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _agrees(forward: OnnxForward, net: ReaderNet, tokenizer: Tokenizer) -> bool:
    probe = encode(tokenizer, *_PROBE)
    expected = torch_forward(net, probe)
    got = forward(probe)
    return all(np.allclose(a, b, atol=AGREEMENT) for a, b in zip(expected, got, strict=True))


def onnx_forward(net: ReaderNet, tokenizer: Tokenizer, path: Path) -> OnnxForward:
    """The export at ``path`` (made now if missing, unreadable or wrong), checked on a probe."""
    for attempt in ("reuse", "export"):
        if attempt == "export" or not path.exists():
            try:
                _export(net, tokenizer, path)
            except Exception as exc:  # torch.onnx raises many kinds; all mean "no export"
                raise ExportError(f"cannot export the reader to {path}: {exc}") from exc
        try:
            forward = OnnxForward(path)
        except Exception:  # onnxruntime raises its own untyped errors for a bad file
            continue
        if _agrees(forward, net, tokenizer):
            return forward
    raise ExportError(f"the reader exported to {path} does not agree with torch")


def load_reader(*, base_dir: Path, models_dir: Path, runtime: ReaderRuntimeName) -> Reader:
    """The committed reader (checked by SHA-256), run by ``runtime``."""
    reader = Reader.bundled(base_dir=base_dir, stamp_dir=models_dir)
    if runtime == "torch":
        return reader
    path = models_dir / f"reader-{READER_SHA256[:16]}.onnx"
    try:
        forward = onnx_forward(reader.net, reader.tokenizer, path)
    except ExportError as exc:
        _log.warning("%s; reading with torch instead", exc)
        return reader
    return Reader(reader.net, reader.tokenizer, batch_size=reader.batch_size, forward=forward)
