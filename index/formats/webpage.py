"""Saved web pages (.html, .htm): the article body and metadata, found by trafilatura.

trafilatura is made for news pages: it drops navigation, ads, related links and
footers, and reads title, date, site name, canonical URL and authors from the page's
metadata (Open Graph, JSON-LD, ``<time>``...).
"""

from __future__ import annotations

from pathlib import Path

import trafilatura
from trafilatura.settings import set_date_params

from index.errors import ArticleReadError
from index.formats.fields import (
    author_names,
    iso_date,
    make_article,
    normalise_newlines,
    title_from_stem,
)
from index.types import Article

_MIN_ARTICLE_WORDS = 10
"""Fewer words than this is page furniture, not an article: when a page has no article,
trafilatura's fallback returns what text the body has, such as a menu's "Home"."""

# Dates only from the page's markup: the extensive search guesses from free text and
# turns a footer's "© 2024" into 2024-01-01.
_DATE_PARAMS = set_date_params(extensive=False)


def load_webpage(path: Path, raw: bytes) -> list[Article]:
    if not raw.strip():
        raise ArticleReadError(str(path), "file is empty")
    document = trafilatura.bare_extraction(
        raw,  # bytes: trafilatura detects the page's encoding itself
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = normalise_newlines(document.text or "").strip() if document else ""
    if len(text.split()) < _MIN_ARTICLE_WORDS:
        raise ArticleReadError(
            str(path),
            "no article text found in the page"
            + (f" (only {len(text.split())} words of text outside markup)" if text else ""),
        )
    title = (document.title or "").strip()
    authors = author_names((document.author or "").split(";"))
    return [
        make_article(
            path,
            text=text,
            title=title or title_from_stem(path),
            title_from_content=bool(title),
            source=(document.sitename or document.hostname or "").strip(),
            url=(document.url or "").strip(),
            published=iso_date(document.date),
            authors=authors,
        )
    ]
