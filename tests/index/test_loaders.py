import os
from pathlib import Path

import pytest

from index import (
    ArticleReadError,
    SourceNotFoundError,
    discover_files,
    load_article,
    load_articles,
)
from tests.conftest import SEEDS


def test_seed_titles_come_from_their_headline_lines() -> None:
    article = load_article(SEEDS / "north-korea-rules-out-dialogue-with-japan-at-any-level.txt")
    expected = "North Korea says it has no interest in dialogue with Japan at any level"
    assert article.title == expected
    assert article.article_id == article.source_path
    assert Path(article.article_id).is_absolute()
    assert article.text.startswith(article.title)


def test_a_first_line_that_reads_as_a_sentence_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "city_council_vote.txt"
    path.write_text("The council voted on Monday to raise the budget.\nMore text.\n")
    assert load_article(path).title == "City council vote"


def test_markdown_heading_becomes_the_title(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Floods close the Rhine to shipping\n\nBarges waited at Basel.\n")
    assert load_article(path).title == "Floods close the Rhine to shipping"


def test_windows_newlines_are_normalised_and_hash_is_stable(tmp_path: Path) -> None:
    unix, dos = tmp_path / "u.txt", tmp_path / "d.txt"
    unix.write_bytes(b"Headline here\n\nBody text.\n")
    dos.write_bytes(b"Headline here\r\n\r\nBody text.\r\n")
    assert load_article(unix).text == load_article(dos).text
    assert load_article(unix).content_hash == load_article(dos).content_hash


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00", "binary data"),
        (b"  \n\n ", "empty"),
    ],
)
def test_unreadable_files_name_the_file_and_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleReadError) as caught:
        load_article(path)
    assert str(path) in str(caught.value)
    assert reason in caught.value.reason


def test_unsupported_suffix_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"PK")
    with pytest.raises(ArticleReadError, match=r"unsupported file type '\.pptx'"):
        load_article(path)


def test_discover_expands_folders_skips_hidden_and_rejects_missing(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("B")
    (tmp_path / "a.md").write_text("A")
    (tmp_path / "notes.csv").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("C")
    assert [p.name for p in discover_files([tmp_path])] == ["a.md", "b.txt"]
    with pytest.raises(SourceNotFoundError, match=r"missing\.txt"):
        discover_files([tmp_path / "missing.txt"])


def test_a_file_over_the_size_limit_fails_unread_and_one_at_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Headline\n\n" + "x" * 990)  # 1,000 bytes
    assert load_article(path, max_bytes=1000).title == "Headline"
    with pytest.raises(ArticleReadError) as caught:
        load_article(path, max_bytes=999)
    assert caught.value.reason == (
        "file is 1,000 bytes, over the limit of 999 bytes per file; split it into smaller "
        "files or raise the max_file_mb setting (RAGQA_MAX_FILE_MB)"
    )


def test_a_pipe_named_as_an_article_fails_instead_of_blocking(tmp_path: Path) -> None:
    """Reading a FIFO with no writer would wait forever, holding up the whole ingest."""
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    with pytest.raises(ArticleReadError, match="not a regular file"):
        load_article(fifo)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ArticleReadError, match="is a folder"):
        load_articles(folder)
