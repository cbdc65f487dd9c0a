"""Plain text and Markdown: the whole file is the article, its first line the title."""

from __future__ import annotations

from pathlib import Path

from index.errors import ArticleReadError
from index.formats.encoding import decode_text
from index.formats.fields import (
    first_line,
    looks_like_headline,
    make_article,
    normalise_newlines,
    title_from_stem,
)
from index.types import Article


def load_plain(path: Path, raw: bytes, *, markdown: bool) -> list[Article]:
    # The text is kept as written (not stripped), so spans match the file line for line.
    text = normalise_newlines(decode_text(path, raw))
    if not text.strip():
        raise ArticleReadError(str(path), "file is empty")
    heading = first_line(text)
    if markdown:
        heading = heading.lstrip("#").strip()
    from_content = looks_like_headline(heading)
    title = heading if from_content else title_from_stem(path)
    return [make_article(path, text=text, title=title, title_from_content=from_content)]


def load_text(path: Path, raw: bytes) -> list[Article]:
    return load_plain(path, raw, markdown=False)


def load_markdown(path: Path, raw: bytes) -> list[Article]:
    return load_plain(path, raw, markdown=True)
