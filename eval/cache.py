"""Which collection eval keeps a corpus in, so a second run does not embed it again.

The collection is named after a fingerprint of everything that decides what it holds: the
corpus files' names and bytes, the chunking settings, and the corpus folder's resolved
path. The path is in because the index names articles by their resolved path. The same
files checked out elsewhere would not be stored twice (ingest skips byte-identical
content as a copy of the stored article), but the collection would go on naming the
first checkout's files, perhaps since deleted: passages, and the results file, would
carry article ids outside the corpus being evaluated, and ingest would read that other
checkout's files when it finishes an interrupted write. Change any of these and eval
fills a fresh collection.

It is a collection in the usual data directory rather than a data directory of its own,
because models are prepared per data directory: a directory per corpus version would
assemble another copy of the bundled LLM each time a corpus file changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

COLLECTION_PREFIX = "eval-"


def corpus_fingerprint(corpus: Path, *, chunk_size: int, chunk_overlap: int) -> str:
    """SHA-256 (hex) of the corpus location, its files' names and bytes, and the chunking."""
    chunking = f"chunk_size={chunk_size};chunk_overlap={chunk_overlap}"
    digest = hashlib.sha256(f"{corpus.resolve().as_posix()}\0{chunking}".encode())
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        content = path.read_bytes()
        name = path.relative_to(corpus).as_posix().encode()
        # Lengths delimit the fields, so no two different corpora hash the same bytes.
        digest.update(len(name).to_bytes(8, "big") + name)
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def eval_collection(corpus: Path, *, chunk_size: int, chunk_overlap: int) -> str:
    """``eval-<first 32 hex digits of the fingerprint>``, a valid Chroma collection name."""
    key = corpus_fingerprint(corpus, chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    return COLLECTION_PREFIX + key[:32]
