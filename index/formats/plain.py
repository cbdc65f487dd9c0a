"""Plain text and Markdown: the whole file is the article, its first line the title.

The date comes from the opening only (``index.formats.dates``): a ``Published:`` or
``Date:`` line above the title (then not the title itself) or among the short lines below
it, else a dateline opening the body. The text itself is kept as written.
"""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

from index.errors import ArticleReadError
from index.formats.dates import dateline_date, header_date, header_value
from index.formats.encoding import decode_text
from index.formats.fields import (
    looks_like_headline,
    make_article,
    normalise_newlines,
    title_from_stem,
)
from index.types import Article

# How far the opening reaches: header lines before the title, the title, and the short
# lines after it (a byline, the date, a subtitle) until the body's first line.
_OPENING_LINES = 8
_NONBLANK_LINE = re.compile(r"\S[^\n]*")


def load_plain(path: Path, raw: bytes, *, markdown: bool) -> list[Article]:
    # The text is kept as written (not stripped), so spans match the file line for line.
    text = normalise_newlines(decode_text(path, raw))
    if not text.strip():
        raise ArticleReadError(str(path), "file is empty")
    heading, published = _opening(text, markdown=markdown)
    from_content = looks_like_headline(heading)
    title = heading if from_content else title_from_stem(path)
    return [
        make_article(
            path, text=text, title=title, title_from_content=from_content, published=published
        )
    ]


def _opening(text: str, *, markdown: bool) -> tuple[str, str]:
    """The heading (the first line that is not a header line) and the publication date.

    Only the opening is read, never the body's free text: a header line's date, else a
    dateline on the body's first line (the first line that reads as text, not as a
    byline or subtitle; the heading itself when it is not a headline).
    """
    lines = [m.group().strip() for m in islice(_NONBLANK_LINE.finditer(text), _OPENING_LINES)]
    values: list[str] = []
    position = 0
    while position < len(lines) and (value := header_value(lines[position])) is not None:
        values.append(value)
        position += 1
    heading = lines[position] if position < len(lines) else ""
    if markdown:
        heading = heading.lstrip("#").strip()
    if looks_like_headline(heading):
        position += 1
    dateline = ""
    for line in lines[position:]:
        value = header_value(line)
        if value is not None:
            values.append(value)
            continue
        dateline = dateline_date(line)
        if dateline or not looks_like_headline(line):
            break  # the body's first line
    dates = (header_date(value) for value in values)
    return heading, next((found for found in dates if found), dateline)


def load_text(path: Path, raw: bytes) -> list[Article]:
    return load_plain(path, raw, markdown=False)


def load_markdown(path: Path, raw: bytes) -> list[Article]:
    return load_plain(path, raw, markdown=True)
