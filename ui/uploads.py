"""Keep uploaded files under the data directory before ingesting them.

Gradio stores an upload under a temporary folder named after its content, and an
article's id is its path; ingesting from there would give a changed file a new id
(a second article) instead of replacing the old one. Copied to
``<home>/uploads/<collection>/<name>`` a file keeps one id however often it is uploaded
again, stays next to the store that was built from it, and never replaces the file of
another collection's article. Callers copy and ingest holding the collection's write
lock, so two uploads of one name cannot swap contents.

A name is the client's to choose, so it is checked before anything is written: only
the last part of a path is kept (``../`` and absolute paths cannot leave the upload
folder), and names that are hidden, hold control characters (NUL) or have a suffix no
loader reads are refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from qa import SUPPORTED_SUFFIXES, FailedFile

SUPPORTED_UPLOADS = tuple(sorted(SUPPORTED_SUFFIXES))
"""What the file picker offers and the upload folder accepts: what the index reads."""


class UploadRejected(ValueError):
    """An uploaded file's name cannot be kept; the message names the file."""


def uploads_dir(home: Path, collection: str) -> Path:
    return home / "uploads" / collection


def upload_name(given: str | None) -> str:
    """The name to keep an upload under in its collection's folder, or ``UploadRejected``."""
    name = PurePosixPath((given or "").replace("\\", "/")).name
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UploadRejected(f"{given!r}: a file name may not hold control characters")
    if name in ("", ".", "..") or name.startswith("."):
        raise UploadRejected(f"{given!r}: every file needs a name that does not start with '.'")
    return name


def unsupported(name: str) -> FailedFile | None:
    """Why a file of this name is not kept, when no loader reads its type."""
    if PurePosixPath(name).suffix.lower() in SUPPORTED_SUFFIXES:
        return None
    return FailedFile(name, f"not an article file; upload {' '.join(SUPPORTED_UPLOADS)} files")


def stage_uploads(
    files: Sequence[str | Path], target: Path
) -> tuple[list[Path], list[FailedFile]]:
    """Copy uploaded files into ``target`` under their own names: the copies, and the
    files refused (by name or type), none of them written."""
    staged, refused = [], []
    for file in files:
        source = Path(file)
        try:
            name = upload_name(source.name)
        except UploadRejected as exc:
            refused.append(FailedFile(source.name, str(exc)))
            continue
        if (failure := unsupported(name)) is not None:
            refused.append(failure)
            continue
        target.mkdir(parents=True, exist_ok=True)
        copy = target / name
        shutil.copyfile(source, copy)
        staged.append(copy)
    return staged, refused
