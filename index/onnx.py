"""Models run in onnxruntime from an export checked once against torch, then trusted.

ragqa's models (the MiniLM embedder, the reader) are torch networks built from bundled
weights. Run through torch, a cold ``ragqa ask`` spends seconds importing torch and
transformers before it reads a word; onnxruntime runs the same network faster and
imports in a tenth of a second. sentence-transformers has an ONNX backend, but it
imports torch and transformers itself, which is the cost this module exists to avoid.

So each model is exported once (``torch.onnx.export``, imported only then) into a cache
folder, named after the SHA-256 of the weights it came from, written atomically, and
checked against torch on a probe input. A passing check leaves a stamp holding the
export's own SHA-256; later starts check the file against that (cheaply, through
``verify_sha256``'s fingerprint stamp) and load it without importing torch. An export
that is missing, damaged or disagrees is made again; ``ExportError`` says when that
fails, and callers fall back to torch.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import onnxruntime

from index.integrity import sha256_of, verify_sha256


class ExportError(RuntimeError):
    """An ONNX export could not be made or does not agree with the torch network."""


class OnnxSession:
    """One exported network: named numpy inputs in, numpy outputs out."""

    def __init__(self, path: Path, *, threads: int | None = None) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.log_severity_level = 3
        self.path = path
        self.session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )

    def run(self, outputs: Sequence[str], feed: Mapping[str, np.ndarray]) -> list[np.ndarray]:
        return self.session.run(list(outputs), dict(feed))


Export = Callable[[Path], None]
"""Writes the network as ONNX to the path given (importing torch as it needs)."""
Agrees = Callable[[OnnxSession], bool]
"""Whether a loaded export gives the torch network's outputs on a probe input."""


def write_atomically(path: Path, write: Export) -> None:
    """Run ``write`` into a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _stamp(path: Path) -> Path:
    return path.with_name(f"{path.name}.checked.json")


def _trusted(path: Path, stamp_dir: Path) -> OnnxSession | None:
    """The export at ``path`` if an earlier check passed and the file is unchanged since."""
    try:
        checked = json.loads(_stamp(path).read_text())["sha256"]
        verify_sha256(path, checked, stamp_dir=stamp_dir)
        return OnnxSession(path)
    except Exception:  # no stamp, a changed file, or onnxruntime's untyped load errors
        return None


def checked_export(path: Path, export: Export, agrees: Agrees, *, stamp_dir: Path) -> OnnxSession:
    """The export at ``path``: trusted as checked before, else (re)made and checked now."""
    trusted = _trusted(path, stamp_dir)
    if trusted is not None:
        return trusted
    for attempt in ("reuse", "export"):
        if attempt == "export" or not path.exists():
            try:
                write_atomically(path, export)
            except Exception as exc:  # torch.onnx raises many kinds; all mean "no export"
                raise ExportError(f"cannot export {path.name} to {path.parent}: {exc}") from exc
        try:
            session = OnnxSession(path)
        except Exception:  # a damaged or partial file: export it again
            continue
        if agrees(session):
            stamp = _stamp(path)
            write_atomically(stamp, lambda p: p.write_text(json.dumps({"sha256": sha256_of(path)})))
            return session
    raise ExportError(f"the model exported to {path} does not agree with torch")
