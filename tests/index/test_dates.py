"""Dates of plain-text and Markdown articles: a header line or a dateline, never free text."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Article, load_article, load_articles
from tests.conftest import REPO

TITLE = "Dockworkers end three-week strike at Port Halvard"
BODY = "Dockworkers at Port Halvard returned to work on Tuesday after a pay deal was agreed."


def _load(path: Path, content: str) -> Article:
    """``content`` written to ``path`` and read back through the real loaders."""
    path.write_text(content, encoding="utf-8")
    loaded = load_articles(path)
    assert loaded.failed == ()
    (article,) = loaded.articles
    assert article == load_article(path)
    assert article.text == content  # kept as written: spans match the file
    return article


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T23:30:00-05:00", "2024-03-05"),  # as written, not converted to UTC
        ("Tue, 05 Mar 2024 23:30:00 -0500", "2024-03-05"),
        ("March 5, 2024", "2024-03-05"),
        ("Mar. 5, 2024", "2024-03-05"),
        ("Sept. 5, 2024", "2024-09-05"),
        ("5 March 2024", "2024-03-05"),
        ("5 Mar 2024", "2024-03-05"),
        ("Tuesday, March 5, 2024", "2024-03-05"),
        ("Tue, 5 Mar 2024", "2024-03-05"),
        ("March 5th, 2024", "2024-03-05"),
        ("MARCH 5, 2024", "2024-03-05"),
        ("March 5, 2024 09:30", "2024-03-05"),
        ("March 5, 2024, 9:30 a.m. EST", "2024-03-05"),
        ("5 March 2024 at 14:00 GMT", "2024-03-05"),
        ("March 5", ""),  # no year: never guessed
        ("5 March", ""),
        ("March 2024", ""),  # no day: never invented
        ("last Tuesday", ""),
        ("February 30, 2024", ""),
        ("2024-13-45", ""),
        ("March 5, 2024 (updated March 6)", ""),  # the whole value must be the date
        ("", ""),
    ],
)
def test_a_published_line_after_the_title_dates_a_text_file(
    tmp_path: Path, value: str, expected: str
) -> None:
    article = _load(tmp_path / "strike.txt", f"{TITLE}\nPublished: {value}\n\n{BODY}\n")
    assert (article.title, article.published) == (TITLE, expected)


@pytest.mark.parametrize(
    "line",
    [
        "Date: March 5, 2024",
        "DATE: March 5, 2024",
        "published:2024-03-05",
        "**Published:** March 5, 2024",
        "**Published**: 5 March 2024",
        "*Date: Tuesday, March 5, 2024*",
        "_Published:_ 2024-03-05T09:30:00+01:00",
        "- Published: Mar. 5, 2024",
        "* **Date:** 2024-03-05",
    ],
)
def test_header_lines_in_markdown_with_or_without_emphasis(tmp_path: Path, line: str) -> None:
    article = _load(tmp_path / "strike.md", f"# {TITLE}\n\n{line}\n\n{BODY}\n")
    assert (article.title, article.published) == (TITLE, "2024-03-05")


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_a_header_line_before_the_title_dates_it_and_is_not_the_title(
    tmp_path: Path, suffix: str
) -> None:
    heading = f"# {TITLE}" if suffix == ".md" else TITLE
    article = _load(tmp_path / f"strike{suffix}", f"Date: 2024-03-05\n{heading}\n\n{BODY}\n")
    assert (article.title, article.published) == (TITLE, "2024-03-05")


def test_an_unreadable_header_before_the_title_is_still_not_the_title(tmp_path: Path) -> None:
    article = _load(tmp_path / "strike.md", f"Published: sometime in spring\n\n# {TITLE}\n")
    assert (article.title, article.published) == (TITLE, "")


def test_a_header_line_below_a_byline_is_read(tmp_path: Path) -> None:
    content = f"{TITLE}\nBy Mirela Vasquez\nPublished: March 5, 2024\n\n{BODY}\n"
    assert _load(tmp_path / "strike.txt", content).published == "2024-03-05"


def test_a_header_line_in_the_body_is_not_read(tmp_path: Path) -> None:
    content = f"{TITLE}\n\n{BODY}\n\nPublished: March 5, 2024\n"
    assert _load(tmp_path / "strike.txt", content).published == ""


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("GENEVA, March 5, 2024 —", "2024-03-05"),
        ("GENEVA, Mar. 5, 2024 --", "2024-03-05"),
        ("WELLINGTON, 5 March 2024 (Ragqa Wire) -", "2024-03-05"),
        ("LONDON, Tuesday, March 5, 2024 –", "2024-03-05"),
        ("SAN JOSE, Calif., March 5, 2024 (AP) —", "2024-03-05"),
        ("ST. JOHN'S, Newfoundland, 5 March 2024 -", "2024-03-05"),
        ("SÃO PAULO, March 5, 2024 —", "2024-03-05"),
        ("**GENEVA, March 5, 2024** —", "2024-03-05"),
        ("MANCHESTER, November 3 (Ragqa Wire) -", ""),  # no year: never guessed
        ("GENEVA, March 2024 —", ""),  # no day
        ("Geneva, March 5, 2024 —", ""),  # not a dateline: the place is not in capitals
        ("GENEVA, February 30, 2024 —", ""),
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_dateline_opening_the_body_dates_the_article(
    tmp_path: Path, suffix: str, dateline: str, expected: str
) -> None:
    heading = f"# {TITLE}" if suffix == ".md" else TITLE
    content = f"{heading}\n\n{dateline} {BODY}\n\nThe deal runs for three years.\n"
    article = _load(tmp_path / f"strike{suffix}", content)
    assert (article.title, article.published) == (TITLE, expected)


def test_a_dateline_below_a_byline_is_read(tmp_path: Path) -> None:
    content = f"# {TITLE}\n\n*By Mirela Vasquez*\n\nGENEVA, 5 March 2024 (Ragqa Wire) - {BODY}\n"
    assert _load(tmp_path / "strike.md", content).published == "2024-03-05"


def test_a_file_without_a_headline_can_open_with_its_dateline(tmp_path: Path) -> None:
    article = _load(tmp_path / "port_halvard.txt", f"GENEVA, March 5, 2024 — {BODY}\n")
    assert (article.title, article.published) == ("Port halvard", "2024-03-05")


@pytest.mark.parametrize(
    "body",
    [
        "The union said on March 5, 2024 that the strike would end. GENEVA, March 5, 2024 — no.",
        f"{BODY}\n\nGENEVA, March 5, 2024 — Only the first paragraph can carry a dateline.",
        f"{BODY} The deal, signed Tuesday, March 5, 2024, runs for three years.",
    ],
)
def test_a_date_in_free_text_is_never_used(tmp_path: Path, body: str) -> None:
    assert _load(tmp_path / "strike.txt", f"{TITLE}\n\n{body}\n").published == ""


def test_the_header_line_wins_over_the_dateline(tmp_path: Path) -> None:
    content = f"{TITLE}\nPublished: 2024-03-06\n\nGENEVA, March 5, 2024 — {BODY}\n"
    assert _load(tmp_path / "strike.txt", content).published == "2024-03-06"


def test_a_header_line_without_a_date_leaves_the_dateline_to_date_it(tmp_path: Path) -> None:
    content = f"{TITLE}\nDate: Tuesday\n\nGENEVA, March 5, 2024 — {BODY}\n"
    assert _load(tmp_path / "strike.txt", content).published == "2024-03-05"


def test_the_text_keeps_every_byte_in_place(tmp_path: Path) -> None:
    content = f"Date: 2024-03-05\n\n# {TITLE}\n\nGENEVA, March 5, 2024 — {BODY}\n"
    path = tmp_path / "strike.md"
    article = _load(path, content)
    raw = path.read_bytes()
    start = article.text.index("GENEVA")
    assert raw.decode("utf-8")[start:] == article.text[start:]
    assert raw.startswith(article.text[:start].encode("utf-8"))  # header and title kept


def test_the_eval_corpus_datelines_have_no_year_so_no_date() -> None:
    paths = sorted((REPO / "eval" / "news" / "articles").glob("*.txt"))
    assert paths and {load_article(p).published for p in paths} == {""}
