"""Keep uploaded files under the data directory before ingesting them.

Gradio stores an upload under a temporary folder named after its content, and an
article's id is its path; ingesting from there would give a changed file a new id
(a second article) instead of replacing the old one. Copied to
``<home>/uploads/<collection>/<name>`` a file keeps one id however often it is uploaded
again, stays next to the store that was built from it, and never replaces the file of
another collection's article. Callers copy and ingest holding the collection's write
lock, so two uploads of one name cannot swap contents.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

SUPPORTED_UPLOADS = (".txt", ".md", ".html", ".json", ".jsonl", ".pdf")
"""What the file picker offers; the index reports any file it cannot read by name."""


def uploads_dir(home: Path, collection: str) -> Path:
    return home / "uploads" / collection


def stage_uploads(files: Sequence[str | Path], target: Path) -> list[Path]:
    """Copy uploaded files into ``target`` under their own names; return the copies."""
    target.mkdir(parents=True, exist_ok=True)
    staged = []
    for file in files:
        source = Path(file)
        copy = target / source.name
        shutil.copyfile(source, copy)
        staged.append(copy)
    return staged
