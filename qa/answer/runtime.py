"""How the bundled reader runs: onnxruntime by default, the same weights in half the time.

Measured by ``bench/reader_runtime.py`` on the seeds (4 windows a question, 2 cores):
59 ms p50 against torch's 141 ms, answer logits equal to 7e-6. The ONNX file is not
committed (the whole network in fp32 is over 80 MB); it is exported from the torch
network once (``index.onnx``: named after the reader file's SHA-256 so a retrained
reader never meets a stale export, written atomically, checked against torch on a
probe batch) and later starts load it without importing torch. If no export works,
the reader stays on torch (same answers, slower) and says so in the log.
"""

from __future__ import annotations

import logging
import warnings
from functools import cache
from pathlib import Path

import numpy as np

from index import RuntimeName, verify_sha256
from index.onnx import ExportError, OnnxSession, checked_export
from qa.answer.reader import (
    READER_FILE,
    READER_SHA256,
    Batch,
    Logits,
    Reader,
    WindowText,
    encode,
    load_tokenizer,
)

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


class OnnxForward:
    """Runs an exported reader: ``Batch`` in, numpy answer/start/end logits out."""

    def __init__(self, session: OnnxSession) -> None:
        self.session = session

    def __call__(self, batch: Batch) -> Logits:
        answer, start, end = self.session.run(
            OUTPUTS, {name: getattr(batch, name) for name in INPUTS}
        )
        return answer, start, end


def export_path(export_dir: Path, sha256: str = READER_SHA256) -> Path:
    return export_dir / f"reader-{sha256[:16]}.onnx"


def onnx_reader(
    reader_file: Path, *, base_dir: Path, sha256: str | None, export: Path, stamp_dir: Path
) -> Reader:
    """The reader in ``reader_file`` run by onnxruntime from the export at ``export``.

    The torch network is built only when the export has to be made and checked.
    """
    tokenizer = load_tokenizer(base_dir)

    @cache
    def net():
        from qa.answer.reader_net import load_net

        return load_net(reader_file, base_dir=base_dir, sha256=sha256, stamp_dir=stamp_dir)

    def write(path: Path) -> None:
        import torch

        from qa.answer.reader_net import tensors

        sample = encode(tokenizer, _PROBE[0], _PROBE[1][:1])
        with warnings.catch_warnings():
            # The tracer warns about shape checks in transformers' attention code that
            # are constant for an encoder (no causal mask, no key/value padding).
            warnings.simplefilter("ignore")
            torch.onnx.export(
                net(),
                tensors(sample),
                str(path),
                input_names=list(INPUTS),
                output_names=list(OUTPUTS),
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in INPUTS},
                dynamo=False,
            )

    def agrees(session: OnnxSession) -> bool:
        # Traced on one window; the probe (two windows, more tokens) checks that the
        # batch and token axes really are dynamic.
        from qa.answer.reader_net import torch_forward

        probe = encode(tokenizer, *_PROBE)
        expected = torch_forward(net())(probe)
        got = OnnxForward(session)(probe)
        return all(np.allclose(a, b, atol=AGREEMENT) for a, b in zip(expected, got, strict=True))

    session = checked_export(export, write, agrees, stamp_dir=stamp_dir)
    return Reader(tokenizer, OnnxForward(session))


def load_reader(
    *, base_dir: Path, stamp_dir: Path, export_dir: Path, runtime: RuntimeName
) -> Reader:
    """The committed reader (checked by SHA-256), run by ``runtime``.

    ``stamp_dir`` keeps the checksum stamps, ``export_dir`` the ONNX export.
    """
    verify_sha256(READER_FILE, READER_SHA256, stamp_dir=stamp_dir)
    if runtime == "onnxruntime":
        try:
            return onnx_reader(
                READER_FILE,
                base_dir=base_dir,
                sha256=READER_SHA256,
                export=export_path(export_dir),
                stamp_dir=stamp_dir,
            )
        except ExportError as exc:
            _log.warning("%s; reading with torch instead", exc)
    return Reader.bundled(base_dir=base_dir, stamp_dir=stamp_dir)
