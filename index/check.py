"""``ragqa check``: a collection, its manifest, its BM25 index and the temporary files
beside them, compared without changing anything; and the repairs that need no embedder.

What an interrupted ingest can leave (``index.ingest`` orders its writes so that nothing
worse is possible): a manifest that disagrees with Chroma (the process died between the
two writes), an article with part of its chunks or with chunks of two versions (it died
within a write), temporary files (within a manifest or BM25 save), and a BM25 index
older than the collection. Opening the store for use rebuilds the manifest and the next
ingest rewrites what is incomplete; check says what is there without waiting for that,
and ``repair_store`` with the qa layer's ingest (``qa.check``) does it now. Check also
finds what no crash of ragqa makes: chunks of no article (another program wrote to the
collection) and a vector index that cannot find a chunk by its own vector.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Mapping, Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import StoreError
from index.lexical import LexicalIndex
from index.manifest import Manifest, ManifestEntry, read_manifest, whole_number
from index.store import ArticleStore
from index.types import StoreCheck, StoreProblem

_SEARCH_SAMPLES = 3
"""Chunks looked up by their own vector: the first, the middle and the last one read."""
_SAME_VECTOR = 0.999
"""A chunk searched with its own vector must come back (or a twin) with this cosine."""


@dataclass(frozen=True)
class Inspection:
    """A ``StoreCheck`` and what ``repair_store`` needs to act on it."""

    check: StoreCheck
    rebuild_manifest: bool = False
    orphans: tuple[str, ...] = ()
    reingest: tuple[Path, ...] = ()
    """Files of incomplete articles, to be ingested again (by the caller, who has an
    embedder)."""
    keep: tuple[tuple[str, str], ...] = ()
    """(article id, content hash): incomplete articles whose file is gone but which hold
    one complete version, to keep alone."""
    leftovers: tuple[Path, ...] = ()
    refresh_bm25: bool = False


@dataclass(frozen=True)
class _Article:
    article_id: str
    file_path: str
    versions: dict[str, tuple[int, int, bool]]
    """content hash → (chunks held, chunks the version has, whether all are held)."""

    @property
    def complete_versions(self) -> list[str]:
        return [h for h, (_, _, whole) in self.versions.items() if whole]

    @property
    def ok(self) -> bool:
        return len(self.versions) == 1 and bool(self.complete_versions)


def _articles(records: Sequence[tuple[str, Mapping[str, Any]]]) -> list[_Article]:
    chunks: dict[str, dict[str, list[Mapping[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for _, meta in records:
        article_id = str(meta.get("article_id") or "")
        if article_id:
            chunks[article_id][str(meta.get("content_hash", ""))].append(meta)
    articles = []
    for article_id, versions in chunks.items():
        summary = {}
        for content_hash, metas in versions.items():
            expected = whole_number(metas[0].get("chunk_count"))
            ordinals = {whole_number(m.get("ordinal")) for m in metas}
            summary[content_hash] = (len(metas), expected, ordinals == set(range(expected)))
        some = next(iter(versions.values()))[0]
        file_path = str(some.get("file_path") or article_id)
        articles.append(_Article(article_id, file_path, summary))
    return sorted(articles, key=lambda a: a.article_id)


def _summary(manifest: Manifest) -> dict[str, tuple[object, ...]]:
    def fields(entry: ManifestEntry) -> tuple[object, ...]:
        return (
            entry.content_hash,
            frozenset(entry.chunk_ids),
            entry.source_path,
            entry.complete,
            entry.title,
            entry.source,
            entry.published,
        )

    return {entry.article_id: fields(entry) for entry in manifest}


def _manifest_problem(store: ArticleStore, truth: Manifest) -> StoreProblem | None:
    path = store.manifest_path
    if path is None:
        return None
    rebuilt = "--repair writes it again from Chroma's chunks"
    if not path.exists():
        return StoreProblem("manifest", str(path), "missing", rebuilt)
    on_disk = read_manifest(path)
    if on_disk is None:
        return StoreProblem(
            "manifest",
            str(path),
            "cannot be read (damaged)",
            f"{rebuilt}, losing only its list of files skipped as copies of stored articles",
        )
    if on_disk.outdated:
        return StoreProblem("manifest", str(path), "written by an older ragqa", rebuilt)
    if _summary(on_disk) == _summary(truth):
        return None
    named, held = on_disk.chunk_ids(), truth.chunk_ids()
    differences = []
    if named - held:
        differences.append(f"names {_count(named - held, 'chunk')} Chroma does not hold")
    if held - named:
        differences.append(f"lacks {_count(held - named, 'chunk')} Chroma holds")
    if not differences:
        differing = {a for a, f in _summary(on_disk).items() if _summary(truth).get(a) != f}
        differences.append(f"describes {_count(differing, 'article')} unlike their chunks")
    return StoreProblem(
        "manifest",
        str(path),
        f"disagrees with Chroma ({', '.join(differences)}): an ingest or delete was "
        "interrupted, or another process changed the collection",
        rebuilt,
    )


def _count(items: Sized, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _incomplete(article: _Article) -> tuple[StoreProblem, Path | None, str | None]:
    """The problem, the file to ingest again or the version to keep (one of them, or none)."""
    if len(article.versions) > 1:
        state = f"chunks of {len(article.versions)} versions"
    else:
        ((held, expected, _),) = article.versions.values()
        state = f"{held} of its {expected} chunks" if expected >= 0 else f"{held} chunks"
    what = f"incomplete: Chroma holds {state} (an ingest was interrupted)"
    file = Path(article.file_path)
    if file.is_file():
        fix = f"--repair ingests {file} again"
        return StoreProblem("incomplete", article.article_id, what, fix), file, None
    what += f", and its file {file} is gone"
    complete = article.complete_versions
    if len(complete) == 1:
        fix = "--repair keeps the complete version"
        return StoreProblem("incomplete", article.article_id, what, fix), None, complete[0]
    fix = (
        "restore the file and run 'ragqa check --repair' again, or delete the article "
        "('ragqa ingest --prune PATH' deletes every article whose file is gone)"
    )
    return StoreProblem("incomplete", article.article_id, what, fix, False), None, None


def _search_problem(store: ArticleStore, ids: Sequence[str]) -> StoreProblem | None:
    """Whether Chroma finds a few chunks by their own vectors (a damaged vector index not)."""
    if not ids:
        return None
    step = max(1, (len(ids) - 1) // (_SEARCH_SAMPLES - 1))
    sample = list(dict.fromkeys([*ids[::step][: _SEARCH_SAMPLES - 1], ids[-1]]))
    advice = (
        "Chroma's vector index is damaged: move the store's folder aside and ingest the "
        "articles again, or restore it from a backup"
    )
    try:
        vectors = store.vectors(sample)
        for chunk_id in sample:
            if chunk_id not in vectors:
                return StoreProblem(
                    "search", chunk_id, "Chroma holds no vector for it", advice, False
                )
            hits = store.search(vectors[chunk_id], top_k=1)
            if not hits or hits[0].score < _SAME_VECTOR:
                what = "a search with its own vector does not find it"
                return StoreProblem("search", chunk_id, what, advice, False)
    except StoreError as exc:
        return StoreProblem("search", store.name, f"searching fails: {exc}", repairable=False)
    return None


def _bm25_note(lexical: LexicalIndex | None) -> StoreProblem | None:
    if lexical is None:
        return None
    status = lexical.status()
    if status == "current":
        return None
    state = {
        "missing": "not built yet",
        "stale": "older than the collection",
        "unreadable": "cannot be read",
    }[status]
    return StoreProblem(
        "bm25",
        str(lexical.folder),
        f"the BM25 index is {state}",
        "it is built before the next question is answered, or now by --repair",
    )


def _leftovers(store: ArticleStore, lexical: LexicalIndex | None) -> list[Path]:
    found: list[Path] = []
    if store.manifest_path is not None and store.manifest_path.parent.is_dir():
        # write_manifest's temporary files: ".<name>.<random>", beside it.
        found += sorted(store.manifest_path.parent.glob(f".{store.manifest_path.name}.*"))
    if lexical is not None:
        found += lexical.leftovers()
    return found


def inspect_store(store: ArticleStore, lexical: LexicalIndex | None = None) -> Inspection:
    """What is wrong with ``store`` (and ``lexical``, its BM25 index); changes nothing.

    Open the store ``read_only`` to see its manifest file as the last run left it.
    """
    records = list(store.chunk_records())
    ids = [chunk_id for chunk_id, _ in records]
    truth = Manifest.from_chunks(ids, [meta for _, meta in records])
    problems: list[StoreProblem] = []
    notes: list[StoreProblem] = []
    manifest = _manifest_problem(store, truth)
    if manifest is not None:
        problems.append(manifest)
    orphans = tuple(i for i, meta in records if not meta.get("article_id"))
    if orphans:
        problems.append(
            StoreProblem(
                "orphans",
                store.name,
                f"{_count(orphans, 'chunk')} of no article (another program wrote to the "
                "collection)",
                "--repair deletes them",
            )
        )
    articles = _articles(records)
    reingest: list[Path] = []
    keep: list[tuple[str, str]] = []
    for article in articles:
        if article.ok:
            continue
        problem, file, version = _incomplete(article)
        problems.append(problem)
        if file is not None:
            reingest.append(file)
        if version is not None:
            keep.append((article.article_id, version))
    search = _search_problem(store, ids)
    if search is not None:
        problems.append(search)
    bm25 = _bm25_note(lexical)
    if bm25 is not None:
        notes.append(bm25)
    leftovers = _leftovers(store, lexical)
    notes += [
        StoreProblem(
            "leftover",
            str(path),
            "a temporary file an interrupted write left (or one being written now)",
            "--repair removes it",
        )
        for path in leftovers
    ]
    check = StoreCheck(
        collection=store.name,
        location=store.location,
        articles=len(articles),
        chunks=len(ids),
        problems=tuple(problems),
        notes=tuple(notes),
    )
    return Inspection(
        check=check,
        rebuild_manifest=manifest is not None,
        orphans=orphans,
        reingest=tuple(dict.fromkeys(reingest)),
        keep=tuple(keep),
        leftovers=tuple(leftovers),
        refresh_bm25=bm25 is not None,
    )


def recorded_files(manifest_path: Path) -> set[str]:
    """Every file the manifest at ``manifest_path`` names, articles' and copies'; none
    when it cannot be read. What a store rebuilt from scratch must ingest again."""
    manifest = read_manifest(manifest_path) or Manifest()
    return {
        path
        for entry in manifest
        for path in (entry.source_path, *(copy.source_path for copy in entry.copies))
        if path
    }


def repair_store(store: ArticleStore, lexical: LexicalIndex | None, inspection: Inspection) -> None:
    """Do what ``inspection`` found to do, except ingesting files again (``reingest``).

    ``store`` must be open for writing. Run it while no other process writes to the
    collection: an article another ingest is writing looks incomplete.
    """
    for path in inspection.leftovers:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if inspection.orphans:
        store.delete_chunks(inspection.orphans)
    for article_id, content_hash in inspection.keep:
        store.keep_version(article_id, content_hash)
    if inspection.rebuild_manifest:
        store.sync(force=True)
