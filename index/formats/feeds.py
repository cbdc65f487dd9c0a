"""RSS and Atom feeds (.rss, .atom, and .xml files that parse as a feed), via feedparser.

One article per entry: its full content when the feed carries it, else its summary,
with the HTML turned into text by trafilatura. The feed's title is the source unless
the entry names its own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import trafilatura
from lxml.etree import ParserError

from index.errors import ArticleReadError
from index.formats.fields import (
    author_names,
    iso_date,
    make_article,
    normalise_newlines,
)
from index.types import Article, FailedFile, LoadedFile


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment, one paragraph per line where it can tell.

    trafilatura's extractor keeps paragraphs but declines fragments too short to hold a
    main text (a one-line summary); those get its plain block-aware text instead.
    """
    extracted = trafilatura.extract(markup, favor_recall=True, include_comments=False)
    if extracted:
        return extracted
    try:
        fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    except ParserError:
        return ""
    return trafilatura.html2txt(fragment)


def _entry_text(entry: Any) -> str:
    parts = [*entry.get("content", ()), entry.get("summary_detail")]
    for part in parts:
        if not part or not str(part.get("value", "")).strip():
            continue
        value = str(part["value"])
        if "html" in str(part.get("type", "text/html")):
            value = html_to_text(value)
        text = normalise_newlines(value).strip()
        if text:
            return text
    return ""


def _web_link(entry: Any) -> str:
    # feedparser fills ``link`` from an entry's id when it has no link, and ids are often
    # "urn:uuid:..." or "tag:..." names rather than addresses.
    link = str(entry.get("link") or "").strip()
    return link if link.startswith(("http://", "https://")) else ""


def _entry_date(entry: Any) -> str:
    """The date as the feed wrote it; feedparser's own parse (in UTC) for other forms."""
    for key in ("published", "updated"):
        day = iso_date(entry.get(key))
        if day:
            return day
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return date(*parsed[:3]).isoformat()
    return ""


def _entry_article(path: Path, entry: Any, number: int, feed_title: str) -> Article:
    text = _entry_text(entry)
    if not text:
        raise ArticleReadError(str(path), "no content or summary")
    title = " ".join(str(entry.get("title") or "").split())
    source = entry.get("source") or {}
    return make_article(
        path,
        text=text,
        title=title or " ".join(text.split()[:12]),
        title_from_content=True,
        record=number,
        source=" ".join(str(source.get("title") or feed_title).split()),
        url=_web_link(entry),
        published=_entry_date(entry),
        authors=author_names(entry.get("authors") or entry.get("author") or ()),
    )


def load_feed(path: Path, raw: bytes) -> LoadedFile:
    # Parsing bytes (never the path) keeps feedparser from treating anything as a URL.
    parsed = feedparser.parse(raw)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise ArticleReadError(str(path), f"not an RSS or Atom feed{detail}")
    if not parsed.entries:
        raise ArticleReadError(str(path), "the feed has no entries")
    feed_title = str(parsed.feed.get("title") or "")
    articles, failed = [], []
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            articles.append(_entry_article(path, entry, number, feed_title))
        except ArticleReadError as exc:
            failed.append(FailedFile(path=str(path), reason=f"entry {number}: {exc.reason}"))
    return LoadedFile(path=str(path), articles=tuple(articles), failed=tuple(failed))
