"""Ingest against the real embedder and a real on-disk Chroma store.

After every step the manifest on disk must say exactly what Chroma's chunks say.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from index import (
    ArticleStore,
    Chunker,
    Embedder,
    IngestReport,
    SourceNotFoundError,
    ingest_paths,
    load_article,
    load_articles,
)
from index.manifest import Manifest, read_manifest
from index.store import _node_from_chunk

CHUNK_METADATA_KEYS = {
    "article_id",
    "title",
    "file_name",
    "file_path",
    "source",
    "url",
    "published",
    "published_day",
    "authors",
    "start",
    "end",
    "ordinal",
    "chunk_count",
    "content_hash",
}
FORMAT_ARTICLES = 12  # every article in the format corpus (tests/index/conftest.py)


@pytest.fixture(scope="module")
def chunker(embedder: Embedder) -> Chunker:
    return Chunker(chunk_size=160, chunk_overlap=32, tokenizer=embedder.token_counter)


@pytest.fixture
def ingest(embedder: Embedder, chunker: Chunker):
    def run(paths: list[Path], store: ArticleStore, *, prune: bool = False) -> IngestReport:
        report = ingest_paths(paths, store=store, embedder=embedder, chunker=chunker, prune=prune)
        assert_manifest_matches_chroma(store)
        return report

    return run


def _store(tmp_path: Path) -> ArticleStore:
    return ArticleStore.persistent(tmp_path / "chroma", "news")


def _chunks(store: ArticleStore) -> dict[str, Any]:
    return store.vector_store.client.get(include=["metadatas", "documents"])


def stored_files(store: ArticleStore) -> dict[str, str]:
    """Article id → the file its chunks say it came from, read from Chroma."""
    return {str(m["article_id"]): str(m["file_path"]) for m in _chunks(store)["metadatas"]}


def assert_manifest_matches_chroma(store: ArticleStore) -> None:
    """The manifest file agrees with Chroma, and Chroma holds one full version per article."""
    got = _chunks(store)
    from_chroma = Manifest.from_chunks(got["ids"], got["metadatas"])
    on_disk = read_manifest(store.manifest_path)
    assert on_disk is not None

    def summary(manifest: Manifest) -> dict[str, tuple[object, ...]]:
        return {
            e.article_id: (
                e.content_hash,
                frozenset(e.chunk_ids),
                e.source_path,
                e.complete,
                e.source,
                e.published,
            )
            for e in manifest
        }

    assert summary(on_disk) == summary(from_chroma)
    assert all(entry.complete for entry in from_chroma)
    ordinals = Counter((m["article_id"], m["ordinal"]) for m in got["metadatas"])
    assert max(ordinals.values(), default=1) == 1  # never a duplicated chunk


def test_ingest_is_idempotent_and_replaces_only_changed_articles(
    tmp_path: Path, seeds_copy: Path, ingest
) -> None:
    store = _store(tmp_path)
    named_twice = seeds_copy / "north-korea-rejects-contact-and-summit-with-japan.txt"
    first = ingest([seeds_copy, named_twice], store)
    assert len(first.added) == 2 and first.ok
    assert (first.skipped, first.duplicates) == ((), ())
    total = store.chunk_total()
    assert total == first.chunks_written > 0
    before = {e.article_id: set(e.chunk_ids) for e in store.manifest}

    again = ingest([seeds_copy], store)
    assert (again.added, again.replaced, again.deleted, again.chunks_written) == ((), (), (), 0)
    assert len(again.skipped) == 2
    assert store.chunk_total() == total

    edited = seeds_copy / "north-korea-rules-out-dialogue-with-japan-at-any-level.txt"
    edited.write_text(edited.read_text() + "\nTalks resumed in Ulaanbaatar in a later round.\n")
    third = ingest([seeds_copy], store)
    assert third.replaced == (load_article(edited).article_id,)
    assert len(third.skipped) == 1
    after = {e.article_id: set(e.chunk_ids) for e in store.manifest}
    untouched = next(a for a in before if a != third.replaced[0])
    assert after[untouched] == before[untouched]
    assert after[third.replaced[0]].isdisjoint(before[third.replaced[0]])
    stored = store.stored_articles()[third.replaced[0]]
    assert stored.complete and stored.content_hash == load_article(edited).content_hash

    reopened = _store(tmp_path)
    assert reopened.chunk_total() == store.chunk_total()
    assert not reopened.sync()  # the manifest on disk was already right


def test_every_format_is_stored_with_its_metadata_and_exact_spans(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    store = _store(tmp_path)
    report = ingest([formats_corpus], store)
    assert report.ok and len(report.added) == FORMAT_ARTICLES
    articles = {
        a.article_id: a for p in formats_corpus.iterdir() for a in load_articles(p).articles
    }
    got = _chunks(store)
    assert {m["article_id"] for m in got["metadatas"]} == set(articles)
    for text, meta in zip(got["documents"], got["metadatas"], strict=True):
        assert set(meta) >= CHUNK_METADATA_KEYS
        article = articles[meta["article_id"]]
        assert text == article.text[meta["start"] : meta["end"]]
        assert (meta["title"], meta["source"], meta["url"], meta["published"]) == (
            article.title,
            article.source,
            article.url,
            article.published,
        )
        assert meta["published_day"] == article.published_day
        assert meta["authors"] == ", ".join(article.authors)
        assert meta["file_path"] == article.source_path
        assert meta["file_name"] == Path(article.source_path).name

    # Dates are filterable in Chroma itself: on or after 10 March 2024, with a known date.
    since = store.vector_store.client.get(
        where={"published_day": {"$gte": date(2024, 3, 10).toordinal()}}, include=["metadatas"]
    )
    assert {m["title"] for m in since["metadatas"]} == {
        "Ferry service to Lindholm resumes after ice clears",
        "Town council approves new flood wall in Saltvik",
        "Skarv Observatory opens its dome to visitors",
        "Comet Ilvesnova brightens ahead of April pass",
        "Valley orchards expect record cherry harvest",
        "Regional airline adds flights to Tromsø",
    }


def test_modified_files_replace_only_their_own_articles(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    store = _store(tmp_path)
    ingest([formats_corpus], store)
    before = {e.article_id: e.chunk_ids for e in store.manifest}

    tram = formats_corpus / "tram-line.txt"
    tram.write_text(tram.read_text() + "Tickets cost 2.50 euros.\n")
    export = formats_corpus / "wire-export.jsonl"
    first, second = export.read_text().splitlines()
    record = json.loads(second)
    record["content"] += " Local officials welcomed the plan."
    export.write_text(first + "\n" + json.dumps(record) + "\n")

    report = ingest([formats_corpus], store)
    assert set(report.replaced) == {
        tram.resolve().as_posix(),
        "https://eastern-business.example/veltrona-dresden",
    }
    assert (len(report.added), len(report.skipped)) == (0, FORMAT_ARTICLES - 2)
    after = {e.article_id: e.chunk_ids for e in store.manifest}
    assert {k for k in before if before[k] != after[k]} == set(report.replaced)
    assert "Tickets cost 2.50 euros." in " ".join(_chunks(store)["documents"])


def test_deleted_files_stay_stored_until_prune(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    store = _store(tmp_path)
    ingest([formats_corpus], store)
    briefs = formats_corpus / "briefs.json"
    ids = [a.article_id for a in load_articles(briefs).articles]
    briefs.unlink()

    kept = ingest([formats_corpus], store)
    assert kept.deleted == () and set(ids) <= set(stored_files(store))

    pruned = ingest([formats_corpus], store, prune=True)
    assert sorted(pruned.deleted) == sorted(ids)
    assert len(pruned.skipped) == FORMAT_ARTICLES - 2
    assert set(stored_files(store)).isdisjoint(ids)
    assert len(stored_files(store)) == FORMAT_ARTICLES - 2


def test_a_renamed_file_ends_up_stored_once_under_its_new_path(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    store = _store(tmp_path)
    ingest([formats_corpus], store)
    old = formats_corpus / "harbour-strike.html"
    old_id = old.resolve().as_posix()
    new = formats_corpus / "archive" / "port-strike.html"
    new.parent.mkdir()
    old.rename(new)
    new_id = new.resolve().as_posix()

    without_prune = ingest([formats_corpus], store)
    assert without_prune.added == () and without_prune.deleted == ()
    (duplicate,) = without_prune.duplicates
    assert (duplicate.article_id, duplicate.same_as) == (new_id, old_id)
    assert "--prune" in duplicate.reason
    assert old_id in stored_files(store) and new_id not in stored_files(store)

    with_prune = ingest([formats_corpus], store, prune=True)
    assert (with_prune.added, with_prune.deleted) == ((new_id,), (old_id,))
    files = stored_files(store)
    assert new_id in files and old_id not in files
    assert files[new_id] == new_id
    assert len(files) == FORMAT_ARTICLES


def test_a_copy_is_stored_once_and_takes_over_when_the_original_goes(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    store = _store(tmp_path)
    ingest([formats_corpus], store)
    original = formats_corpus / "library-reopens.md"
    copy = formats_corpus / "copies" / "library-copy.md"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    chunks_before = store.chunk_total()

    report = ingest([formats_corpus], store)
    assert report.added == () and report.chunks_written == 0
    (duplicate,) = report.duplicates
    assert duplicate.path == copy.resolve().as_posix()
    assert duplicate.same_as == original.resolve().as_posix()
    assert store.chunk_total() == chunks_before

    # The original is deleted and prune runs over another folder only: the copy's file,
    # remembered in the manifest, is read so the article is not lost.
    original.unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "note.txt").write_text("Ferries to Lindholm\n\nThey run again.\n")
    promoted = ingest([elsewhere], store, prune=True)
    assert copy.resolve().as_posix() in promoted.added
    assert promoted.deleted == (original.resolve().as_posix(),)
    assert copy.resolve().as_posix() in stored_files(store)


def test_a_record_in_two_exports_outlives_either_file(tmp_path: Path, ingest) -> None:
    """A record's URL is its id: two exports holding it store it once, and deleting the
    export it was stored from moves it to the other one instead of losing it."""
    story = {
        "title": "Bridge reopens",
        "body": "The Nordby bridge reopened.",
        "url": "https://b.example/1",
    }
    other = {"title": "Ferry delayed", "body": "The ferry left late.", "url": "https://b.example/2"}
    corpus = tmp_path / "exports"
    corpus.mkdir()
    first, second = corpus / "monday.jsonl", corpus / "tuesday.jsonl"
    first.write_text(json.dumps(story) + "\n" + json.dumps(other) + "\n")
    second.write_text(json.dumps(story) + "\n")
    store = _store(tmp_path)

    report = ingest([corpus], store)
    assert report.added == (story["url"], other["url"]) and report.skipped == (story["url"],)
    assert stored_files(store)[story["url"]] == first.resolve().as_posix()

    first.unlink()
    pruned = ingest([corpus], store, prune=True)
    assert (pruned.replaced, pruned.deleted) == ((story["url"],), (other["url"],))
    assert stored_files(store) == {story["url"]: second.resolve().as_posix()}


def test_a_bad_jsonl_line_fails_alone_and_keeps_what_is_stored(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    store = _store(tmp_path)
    ingest([formats_corpus], store)
    export = formats_corpus / "wire-export.jsonl"
    export.write_text(export.read_text() + '{"title": "cut off in the mid\n')

    report = ingest([formats_corpus], store, prune=True)
    assert [f.path for f in report.failed] == [f"{export}:3"]
    assert "invalid JSON" in report.failed[0].reason
    assert report.deleted == () and len(report.skipped) == FORMAT_ARTICLES
    assert "https://northwire.example/markets/odessa-grain-high" in stored_files(store)


def test_a_deleted_or_damaged_manifest_is_rebuilt_from_chroma(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    store = _store(tmp_path)
    ingest([formats_corpus], store)
    expected = [(e.article_id, e.content_hash, set(e.chunk_ids)) for e in store.manifest]
    path = store.manifest_path
    assert path is not None

    for damage in (path.unlink, lambda: path.write_text('{"format": 1, "artic')):
        damage()
        reopened = _store(tmp_path)
        assert sorted(
            (e.article_id, e.content_hash, set(e.chunk_ids)) for e in reopened.manifest
        ) == sorted(expected)
        assert_manifest_matches_chroma(reopened)
        report = ingest([formats_corpus], reopened)
        assert len(report.skipped) == FORMAT_ARTICLES and report.chunks_written == 0


def test_source_and_date_survive_write_reopen_rebuild_and_an_older_manifest(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    """Stored articles carry their publisher and date, wherever the manifest came from."""
    store = _store(tmp_path)
    ingest([formats_corpus], store)
    original = formats_corpus / "harbour-strike.html"
    copy = formats_corpus / "copies" / "harbour-copy.html"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    ingest([formats_corpus], store)  # the copy is skipped and remembered
    expected = {
        a.article_id: (a.source, a.published)
        for p in formats_corpus.rglob("*")
        if p.is_file() and p != copy
        for a in load_articles(p).articles
    }
    assert expected[original.resolve().as_posix()] == ("The Coastal Ledger", "2024-03-05")

    def fields(store: ArticleStore) -> dict[str, tuple[str, str]]:
        return {i: (a.source, a.published) for i, a in store.stored_articles().items()}

    assert fields(store) == expected  # as written
    path = store.manifest_path
    assert path is not None
    document = json.loads(path.read_text())
    assert document["format"] == 2
    reopened = _store(tmp_path)
    assert not reopened.sync() and fields(reopened) == expected  # read back from the file

    path.unlink()
    assert fields(_store(tmp_path)) == expected  # rebuilt from the chunks' metadata

    # The file an older version wrote: format 1, no source or date, but a copy to keep.
    for entry in document["articles"].values():
        del entry["source"], entry["published"]
    document["format"] = 1
    path.write_text(json.dumps(document))
    upgraded = _store(tmp_path)
    assert fields(upgraded) == expected
    kept = upgraded.manifest.get(original.resolve().as_posix())
    assert kept is not None and [c.source_path for c in kept.copies] == [copy.resolve().as_posix()]
    assert json.loads(path.read_text())["format"] == 2
    assert_manifest_matches_chroma(upgraded)
    report = ingest([formats_corpus], upgraded)
    assert report.chunks_written == 0 and len(report.duplicates) == 1


def test_a_crash_between_the_chroma_and_manifest_writes_is_repaired(
    tmp_path: Path, seeds_copy: Path, ingest
) -> None:
    store = _store(tmp_path)
    ingest([seeds_copy], store)
    path = store.manifest_path
    assert path is not None
    stale = path.read_bytes()
    edited = seeds_copy / "north-korea-rejects-contact-and-summit-with-japan.txt"
    edited.write_text(edited.read_text() + "\nA closing paragraph added later.\n")
    ingest([seeds_copy], store)
    path.write_bytes(stale)  # as if the process died before writing the manifest

    reopened = _store(tmp_path)
    assert_manifest_matches_chroma(reopened)
    report = ingest([seeds_copy], reopened)
    assert len(report.skipped) == 2 and report.chunks_written == 0


def test_an_interrupted_replacement_is_finished_by_the_next_ingest(
    tmp_path: Path, seeds_copy: Path, embedder: Embedder, chunker: Chunker, ingest
) -> None:
    """Old and new chunks both present (a crash between write and cleanup) is repaired,
    even by a run given other paths."""
    store = _store(tmp_path)
    ingest([seeds_copy], store)
    path = seeds_copy / "north-korea-rules-out-dialogue-with-japan-at-any-level.txt"
    path.write_text(path.read_text() + "\nA new closing paragraph.\n")
    article = load_article(path)
    half = chunker.chunk(article)[:2]
    embeddings = embedder.embed_texts([c.text for c in half])
    store.vector_store.add([_node_from_chunk(c, e) for c, e in zip(half, embeddings, strict=True)])
    assert not store.stored_articles()[article.article_id].complete

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "other.md").write_text("# Another story\n\nWith its own text.\n")
    report = ingest([elsewhere], store)
    assert report.replaced == (article.article_id,)
    stored = store.stored_articles()[article.article_id]
    assert stored.complete and stored.content_hash == article.content_hash


def test_delete_article_removes_it_from_chroma_and_the_manifest(
    tmp_path: Path, formats_corpus: Path, ingest
) -> None:
    store = _store(tmp_path)
    ingest([formats_corpus], store)
    url = "https://riverdesk.example/news/saltvik-flood-wall"
    store.delete_article(url)
    assert url not in stored_files(store)
    assert_manifest_matches_chroma(store)
    again = ingest([formats_corpus], store)  # its file is still there: it comes back
    assert again.added == (url,)


def test_a_failed_file_is_reported_and_the_rest_ingested(
    tmp_path: Path, seeds_copy: Path, ingest
) -> None:
    (seeds_copy / "broken.txt").write_bytes(b"\xff\xfe\xfa")
    store = _store(tmp_path)
    report = ingest([seeds_copy], store)
    assert len(report.added) == 2
    assert [Path(f.path).name for f in report.failed] == ["broken.txt"]
    assert "UTF-8" in report.failed[0].reason


def test_missing_path_fails_before_the_store_is_touched(
    tmp_path: Path, seeds_copy: Path, embedder: Embedder, chunker: Chunker
) -> None:
    store = _store(tmp_path)
    with pytest.raises(SourceNotFoundError):
        ingest_paths(
            [seeds_copy, tmp_path / "nope"], store=store, embedder=embedder, chunker=chunker
        )
    assert store.chunk_total() == 0


def test_a_file_over_the_size_limit_fails_alone_and_keeps_what_is_stored(
    tmp_path: Path, seeds_copy: Path, embedder: Embedder, chunker: Chunker, ingest
) -> None:
    store = _store(tmp_path)
    ingest([seeds_copy], store)
    sizes = {p: p.stat().st_size for p in seeds_copy.iterdir()}
    big = max(sizes, key=sizes.__getitem__)
    report = ingest_paths(
        [seeds_copy],
        store=store,
        embedder=embedder,
        chunker=chunker,
        prune=True,
        max_file_bytes=min(sizes.values()),
    )
    assert [(f.path, "over the limit" in f.reason) for f in report.failed] == [(str(big), True)]
    assert report.deleted == () and len(report.skipped) == 1
    assert big.resolve().as_posix() in stored_files(store)
    assert_manifest_matches_chroma(store)
