"""Why a call to the store failed, in words that say what to do about it.

Chroma reports the cause of a failed write poorly: a full disk surfaces as "Error in
compaction: Failed to apply logs to the metadata segment", with the operating system's
error lost inside its Rust core. So the hint comes from what can still be seen: the
errors in the exception's chain (SQLite's codes, ``OSError.errno``, httpx's transport
errors), and, for an embedded store, the free space left on its disk.

Each hint ends by saying what a retry finds: ingest writes article by article and
deletes last (``index.ingest``), so a failed run loses nothing and the next one finishes.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx

LOW_DISK_BYTES = 100_000_000
"""Below this much free space a failed write is put down to a full disk: persisting a
large collection's vector index needs tens of megabytes at once."""
_RETRY = "what was stored before stays stored, and the next ingest finishes the rest"

_FULL = ("database or disk is full", "no space left", "(code: 13)")
_READ_ONLY = (
    "readonly database",
    "read-only file system",
    "permission denied",
    "(code: 8)",
)
_DAMAGED = (
    "database disk image is malformed",
    "file is not a database",
    "(code: 11)",
    "(code: 26)",
)
_LOCKED = ("database is locked", "(code: 5)")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _free_bytes(folder: Path) -> int | None:
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def is_damaged(exc: BaseException) -> bool:
    """Whether SQLite said the store's database file is not one, or is damaged."""
    text = " ".join(str(e) for e in _chain(exc)).lower()
    return any(words in text for words in _DAMAGED)


def store_hint(exc: BaseException, *, folder: Path | None = None, server: str = "") -> str:
    """What probably made a store call fail and how to fix it; ``""`` when nothing fits.

    ``folder`` is the embedded store's folder (or where the manifest and BM25 index are
    kept beside a server), ``server`` the Chroma server's URL.
    """
    chain = list(_chain(exc))
    text = " ".join(str(e) for e in chain).lower()
    codes = {e.errno for e in chain if isinstance(e, OSError)}
    where = str(folder) if folder is not None else "the data directory"
    if server and any(isinstance(e, httpx.TransportError) for e in chain):
        return (
            f"the Chroma server at {server} stopped answering: check that it is running "
            f"and reachable, then run the command again; {_RETRY}"
        )
    free = _free_bytes(folder) if folder is not None else None
    if (
        errno.ENOSPC in codes
        or any(words in text for words in _FULL)
        or (free is not None and free < LOW_DISK_BYTES)
    ):
        left = f" ({_size(free)} free)" if free is not None else ""
        return f"the disk holding {where} is full{left}: free some space and try again; {_RETRY}"
    if codes & {errno.EROFS, errno.EACCES, errno.EPERM} or any(w in text for w in _READ_ONLY):
        return (
            f"{where} cannot be written (read-only, or owned by another user): make it "
            "writable, or copy the data directory somewhere writable and point --home "
            "(RAGQA_HOME) at the copy; Chroma writes to its folder even to answer questions"
        )
    if is_damaged(exc):
        return (
            f"the Chroma database in {where} is damaged: 'ragqa check --repair' moves it "
            "aside and ingests the articles again from their files (or restore the folder "
            "from a backup)"
        )
    if any(words in text for words in _LOCKED):
        return "another process is writing to the store: wait for it to finish and try again"
    return ""


def with_hint(
    message: str, exc: BaseException, *, folder: Path | None = None, server: str = ""
) -> str:
    """``message``, then ``store_hint``'s advice when there is some."""
    hint = store_hint(exc, folder=folder, server=server)
    return f"{message}; {hint}" if hint else message
