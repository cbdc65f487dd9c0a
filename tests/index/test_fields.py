"""The helpers every format shares: dates, authors, and what the content hash covers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import load_article
from index.formats.fields import author_names, iso_date, make_article


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T23:30:00Z", "2024-03-05"),
        ("2024-03-05T23:30:00-05:00", "2024-03-05"),  # the date as written, not UTC
        ("Tue, 05 Mar 2024 23:30:00 -0500", "2024-03-05"),
        ("Wed, 06 Mar 2024 08:00:00 GMT", "2024-03-06"),
        (1709596800, "2024-03-05"),  # epoch seconds
        (1709596800000, "2024-03-05"),  # epoch milliseconds
        ("March 2024", ""),
        ("yesterday", ""),
        ("2024-13-45", ""),
        ("", ""),
        (None, ""),
        (True, ""),
        ({"when": "2024"}, ""),
    ],
)
def test_iso_date(value: object, expected: str) -> None:
    assert iso_date(value) == expected


def test_author_names_accepts_strings_objects_and_lists() -> None:
    assert author_names("  Jane   Doe ") == ("Jane Doe",)
    assert author_names([{"name": "A B"}, "C D", {"name": ""}, 7, "C D"]) == ("A B", "C D")
    assert author_names({"name": "Solo"}) == ("Solo",)
    assert author_names(None) == ()


def test_a_byte_identical_copy_hashes_the_same_under_any_name(tmp_path: Path) -> None:
    """The title made from a file's name must not enter the hash, or copies would differ."""
    original = tmp_path / "council_vote.txt"
    original.write_text("The council voted on Monday to raise the budget.\nMore text.\n")
    copy = tmp_path / "council_vote (copy).txt"
    shutil.copy(original, copy)
    first, second = load_article(original), load_article(copy)
    assert first.title != second.title  # both from the file names
    assert first.content_hash == second.content_hash
    assert first.article_id != second.article_id


def test_the_hash_covers_metadata_read_from_the_content(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    base = {"text": "Body.", "title": "T", "record": 1}
    hashes = {
        make_article(path, title_from_content=True, **base).content_hash,
        make_article(path, title_from_content=True, **{**base, "title": "T2"}).content_hash,
        make_article(path, title_from_content=True, published="2024-01-02", **base).content_hash,
        make_article(path, title_from_content=True, source="S", **base).content_hash,
        make_article(path, title_from_content=True, authors=["A"], **base).content_hash,
        make_article(path, title_from_content=True, url="https://u", **base).content_hash,
    }
    assert len(hashes) == 6
