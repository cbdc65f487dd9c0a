from pathlib import Path

import pytest

from index import ArticleReadError, SourceNotFoundError, discover_files, load_article
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
    [(b"\xff\xfe\x00garbage", "not UTF-8"), (b"  \n\n ", "empty")],
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
