"""SHA-256 checks of bundled model files, done once per data directory.

Hashing a few hundred MB on every start would cost a second, so a successful check
leaves a stamp (path, size, mtime) in the data directory and later runs trust it
until the file changes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from index.errors import ModelFileError

_BLOCK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(path: Path, expected: str, *, stamp_dir: Path) -> None:
    """Raise ModelFileError unless ``path`` hashes to ``expected``."""
    if not path.is_file():
        raise ModelFileError(f"model file {path} is missing; reinstall ragqa's model packages")
    stat = path.stat()
    fingerprint = {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    stamp = stamp_dir / f"{path.name}.sha256.json"
    try:
        if json.loads(stamp.read_text()) == {**fingerprint, "sha256": expected}:
            return
    except (OSError, ValueError):
        pass
    actual = sha256_of(path)
    if actual != expected:
        raise ModelFileError(
            f"model file {path} has SHA-256 {actual}, expected {expected}; "
            "the file is corrupt or was replaced: reinstall the package that ships it"
        )
    stamp_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({**fingerprint, "sha256": expected}))
