"""Run a ``ragqa`` command that kills itself (SIGKILL) at a chosen point of an ingest.

    python -m tests.crash POINT [ragqa arguments...]

The process dies as a power cut or an out-of-memory kill would end it: no ``finally``
block, no exit handler, no flushed buffer. Points, each at the first time it is reached:

- ``after-upsert``: an article's new chunks are in Chroma, its old ones not yet removed;
- ``mid-article``: only the first 2 of an article's new chunks are in (writes of 2);
- ``mid-prune``: the first of the articles a ``--prune`` deletes is gone, not the others;
- ``manifest``: every Chroma write is done; the manifest's temporary file is written,
  not yet renamed over the manifest;
- ``bm25``: the manifest is written; the new BM25 build is saved, ``CURRENT`` not yet
  switched to it;
- ``article-N``: the Nth article of the run is written (an early or a middle point of a
  long ingest), the rest not yet.

The command exits normally if it never reaches the point: a test must check that it
was killed.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

import index.store
from index.store import ArticleStore


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _after(owner: Any, name: str, when: Callable[..., bool] = lambda *a, **k: True) -> None:
    """Die right after ``owner.name`` returns from a call for which ``when`` holds."""
    original = getattr(owner, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if when(*args, **kwargs):
            _die()
        return result

    setattr(owner, name, wrapped)


def _before_replace(suffix: str) -> None:
    """Die when ``os.replace`` is about to put a file named ``...suffix`` in place."""
    original = os.replace

    def replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if str(target).endswith(suffix):
            _die()
        original(source, target, *args, **kwargs)

    os.replace = replace  # type: ignore[assignment]


def arm(point: str) -> None:
    if point == "after-upsert":
        _after(ArticleStore, "_upsert")
    elif point == "mid-article":
        index.store._WRITE_BATCH = 2
        _after(ArticleStore, "_upsert")
    elif point == "mid-prune":
        from chromadb.api.models.Collection import Collection

        index.store._DELETE_ARTICLES = 1
        # Deletes by a list of article ids are the prune's (write_article deletes by id
        # or by one article's other versions).
        _after(Collection, "delete", lambda *a, where=None, **k: "$in" in str(where))
    elif point == "manifest":
        _before_replace(".manifest.json")
    elif point == "bm25":
        _before_replace("CURRENT")
    elif point.startswith("article-"):
        last = int(point.removeprefix("article-"))
        written = itertools.count(1)
        _after(ArticleStore, "write_article", lambda *a, **k: next(written) == last)
    else:
        raise SystemExit(f"unknown point {point!r}")


if __name__ == "__main__":
    arm(sys.argv[1])
    from ragqa.cli import main

    sys.argv = ["ragqa", *sys.argv[2:]]
    main()
