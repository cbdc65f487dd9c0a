"""The manifest file: round trip, atomic replacement, damage, and rebuilding from chunks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import StoreError
from index.manifest import Copy, Manifest, ManifestEntry, read_manifest, write_manifest


def _entry(article_id: str, **changes: object) -> ManifestEntry:
    fields: dict[str, object] = {
        "article_id": article_id,
        "title": "Title",
        "source_path": f"/corpus/{article_id}.txt",
        "content_hash": "h1",
        "chunk_ids": (f"{article_id}-0", f"{article_id}-1"),
        "complete": True,
    }
    return ManifestEntry(**{**fields, **changes})  # type: ignore[arg-type]


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    manifest = Manifest(
        [
            _entry(
                "a",
                copies=(Copy("b", "/corpus/b.txt"),),
                source="River Desk",
                published="2024-03-12",
            ),
            _entry("ü", complete=False),
        ]
    )
    path = tmp_path / "news.manifest.json"
    write_manifest(manifest, path)
    again = read_manifest(path)
    assert again is not None and not again.outdated
    assert list(again) == list(manifest)
    assert again.get("a") == manifest.get("a")
    assert (again.get("a").source, again.get("a").published) == ("River Desk", "2024-03-12")
    assert [p.name for p in tmp_path.iterdir()] == ["news.manifest.json"]  # no temp file left


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{not json",
        "[]",
        '{"format": "2", "articles": {}}',
        '{"format": 1, "articles": {"a": {}}}',
        # The current format must name every field: one without its date is damaged.
        '{"format": 2, "articles": {"a": {"title": "T", "source_path": "/a", '
        '"content_hash": "h", "chunk_ids": [], "complete": true, "copies": [], '
        '"source": ""}}}',
    ],
)
def test_a_damaged_manifest_reads_as_none(tmp_path: Path, content: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(content)
    assert read_manifest(path) is None
    assert read_manifest(tmp_path / "missing.json") is None


def test_a_manifest_a_newer_version_wrote_is_an_error_not_a_missing_one(tmp_path: Path) -> None:
    """Read as missing, it would be rebuilt in this version's format over the newer one."""
    path = tmp_path / "m.json"
    path.write_text('{"format": 99, "articles": {}}')
    with pytest.raises(StoreError, match=r"written by a newer version of ragqa .*format 99"):
        read_manifest(path)
    assert path.read_text() == '{"format": 99, "articles": {}}'


def test_rebuilt_from_chunks_marks_interrupted_articles_incomplete() -> None:
    def meta(article_id: str, content_hash: str, count: int) -> dict[str, object]:
        return {
            "article_id": article_id,
            "content_hash": content_hash,
            "chunk_count": count,
            "title": article_id.upper(),
            "file_path": f"/corpus/{article_id}.txt",
        }

    dated = {"source": "River Desk", "published": "2024-03-12"}
    ids = ["a-0", "a-1", "b-0", "b-new-0", "c-0"]
    metadatas = [
        {**meta("a", "h", 2), **dated},
        {**meta("a", "h", 2), **dated},
        meta("b", "old", 1),
        meta("b", "new", 2),  # a replacement stopped halfway
        {"article_id": "/legacy/c.txt", "content_hash": "x", "chunk_count": 1, "title": "C"},
    ]
    manifest = Manifest.from_chunks(ids, metadatas)
    a, b, c = manifest.get("a"), manifest.get("b"), manifest.get("/legacy/c.txt")
    assert a is not None and a.complete and a.chunk_ids == ("a-0", "a-1")
    assert a.source_path == "/corpus/a.txt" and a.title == "A"
    assert (a.source, a.published) == ("River Desk", "2024-03-12")
    assert b is not None and not b.complete and set(b.chunk_ids) == {"b-0", "b-new-0"}
    # Chunks written before file_path existed: the id was the resolved path.
    assert c is not None and c.source_path == "/legacy/c.txt"
    assert (c.source, c.published) == ("", "")  # nor did they have a source or date
    assert manifest.chunk_ids() == set(ids)


def test_a_format_1_manifest_loads_with_its_copies_and_is_marked_outdated(
    tmp_path: Path,
) -> None:
    """A manifest written before articles carried their source and date."""
    path = tmp_path / "news.manifest.json"
    article = {
        "title": "Title",
        "source_path": "/corpus/a.txt",
        "content_hash": "h1",
        "chunk_ids": ["a-0"],
        "complete": True,
        "copies": [["/copies/a.txt", "/copies/a.txt"]],
    }
    path.write_text(json.dumps({"format": 1, "articles": {"/corpus/a.txt": article}}))

    manifest = read_manifest(path)

    assert manifest is not None and manifest.outdated
    entry = manifest.get("/corpus/a.txt")
    assert entry is not None and entry.copies == (Copy("/copies/a.txt", "/copies/a.txt"),)
    assert (entry.source, entry.published, entry.chunk_ids) == ("", "", ("a-0",))
    write_manifest(manifest, path)  # what the store does once it has refilled the fields
    assert json.loads(path.read_text())["format"] == 2


def test_a_rebuild_keeps_the_copies_of_articles_whose_content_is_unchanged() -> None:
    copy = Copy("/copies/x.txt", "/copies/x.txt")
    earlier = Manifest([_entry("a", copies=(copy,)), _entry("b", copies=(copy,))], outdated=True)
    rebuilt = Manifest([_entry("a", source="Wire"), _entry("b", content_hash="h2")])

    merged = rebuilt.with_copies_of(earlier)

    a, b = merged.get("a"), merged.get("b")
    assert a is not None and a.copies == (copy,) and a.source == "Wire"
    assert b is not None and b.copies == ()  # b's content changed: the copy no longer applies
    assert not merged.outdated
