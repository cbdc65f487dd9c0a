"""``check_collection``: is a collection consistent, and with ``repair`` make it so.

    report = check_collection(Settings.from_env())             # changes nothing
    report = check_collection(settings, repair=True)           # fixes what it can

The collection is opened read-only for the check, so its manifest is seen as the last
run left it (opening it for use would quietly rebuild it). What is checked and what a
repair does is ``index.check``'s; a repair also ingests again the files of articles an
interrupted ingest left incomplete, which needs the embedder, so it opens an
``Assistant``. An embedded store whose database SQLite calls damaged cannot be opened
at all: a repair moves its folder aside (nothing is deleted) and ingests again, into a
new store, every file the moved folder's manifests name, for each collection it held.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from index import (
    ArticleStore,
    Embedder,
    IndexingError,
    LexicalIndex,
    ProgressCallback,
    ServerUnreachableError,
    StoreCheck,
    StoreDamagedError,
    StoreProblem,
    inspect_store,
    recorded_files,
    repair_store,
)
from qa.assistant import Assistant
from qa.errors import CorpusError
from qa.settings import Settings

_MANIFEST_SUFFIX = ".manifest.json"


def _open_read_only(settings: Settings) -> ArticleStore:
    server = settings.chroma_server
    if server is None:
        return ArticleStore.persistent(settings.store_dir, settings.collection, read_only=True)
    try:
        return ArticleStore.server(server, settings.collection, settings.store_dir, read_only=True)
    except ServerUnreachableError as exc:
        raise CorpusError(
            f"{exc}; check the chroma_url setting (RAGQA_CHROMA_URL or --chroma-url)"
        ) from exc


def _lexical(settings: Settings, store: ArticleStore) -> LexicalIndex | None:
    return None if settings.retrieval == "dense" else LexicalIndex.beside(store, settings.store_dir)


def _key(problem: StoreProblem) -> tuple[str, str]:
    return problem.kind, problem.subject


def check_collection(
    settings: Settings,
    *,
    repair: bool = False,
    embedder: Embedder | None = None,
    on_progress: ProgressCallback | None = None,
) -> StoreCheck:
    """Check the collection ``settings`` name; with ``repair``, fix what can be fixed.

    Repair only while no other process writes to the collection: an article another
    ingest is writing looks incomplete. ``on_progress`` follows the files a repair
    ingests again.
    """
    try:
        try:
            store = _open_read_only(settings)
        except StoreDamagedError as exc:
            damaged = StoreProblem(
                "damaged",
                str(exc.folder),
                f"Chroma's database cannot be read ({exc.cause})",
                "--repair moves the folder aside and ingests the articles again from their "
                "files (or restore the folder from a backup)",
            )
            if not repair:
                return StoreCheck(settings.collection, str(exc.folder), problems=(damaged,))
            return _rebuild(settings, damaged, embedder=embedder, on_progress=on_progress)
        found = inspect_store(store, _lexical(settings, store))
        if not repair or not (found.check.problems or found.check.notes):
            return found.check
        assistant = Assistant(settings, embedder=embedder)  # opening syncs the manifest
        repair_store(assistant.store, _lexical(settings, assistant.store), found)
        failed: list[StoreProblem] = []
        if found.reingest:
            report = assistant.ingest(found.reingest, on_progress=on_progress)
            failed = [
                StoreProblem(
                    "incomplete", f.path, f"ingesting it again failed: {f.reason}", "", False
                )
                for f in report.failed
            ]
        assistant.retriever.refresh()
        after = inspect_store(assistant.store, _lexical(settings, assistant.store)).check
    except IndexingError as exc:
        raise CorpusError(str(exc)) from exc
    remaining = {_key(p) for p in (*after.problems, *after.notes)}
    repaired = tuple(
        p for p in (*found.check.problems, *found.check.notes) if _key(p) not in remaining
    )
    return replace(after, problems=(*after.problems, *failed), repaired=repaired)


def _rebuild(
    settings: Settings,
    damaged: StoreProblem,
    *,
    embedder: Embedder | None,
    on_progress: ProgressCallback | None,
) -> StoreCheck:
    """Move the damaged store aside and ingest again the files its collections hold."""
    folder = Path(damaged.subject)
    aside = folder.with_name(f"{folder.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        folder.rename(aside)
    except OSError as exc:
        raise CorpusError(
            f"{damaged}; moving it aside to {aside} failed ({exc.strerror}): move or remove "
            "it yourself, then ingest the articles again"
        ) from exc
    manifests = aside.glob(f"*{_MANIFEST_SUFFIX}")
    names = sorted(path.name.removesuffix(_MANIFEST_SUFFIX) for path in manifests)
    # The collection asked about last, so the check it returns is of the finished store.
    names = [n for n in names if n != settings.collection] + [settings.collection]
    problems: list[StoreProblem] = []
    notes: list[StoreProblem] = []
    for name in names:
        files = recorded_files(aside / f"{name}{_MANIFEST_SUFFIX}")
        present = sorted(Path(p) for p in files if Path(p).is_file())
        assistant = Assistant(settings.model_copy(update={"collection": name}), embedder=embedder)
        embedder = assistant.embedder  # loaded once for every collection
        failed = assistant.ingest(present, on_progress=on_progress).failed if present else ()
        found = problems if name == settings.collection else notes
        where = "" if name == settings.collection else f" (collection {name})"
        found += [
            StoreProblem(
                "damaged",
                path,
                f"its file is gone, so it was not ingested again{where}",
                f"the old store is kept at {aside}",
                repairable=False,
            )
            for path in sorted(p for p in files if not Path(p).is_file())
        ]
        found += [
            StoreProblem(
                "damaged",
                f.path,
                f"ingesting it again failed{where}: {f.reason}",
                repairable=False,
            )
            for f in failed
        ]
    stats = assistant.stats()
    moved = replace(
        damaged, message=f"{damaged.message}; moved to {aside}, the articles ingested again"
    )
    return StoreCheck(
        collection=settings.collection,
        location=stats.location,
        articles=len(stats.articles),
        chunks=stats.chunks,
        problems=tuple(problems),
        notes=tuple(notes),
        repaired=(moved,),
    )
