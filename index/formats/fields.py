"""What every format shares: text normalisation, dates, authors, titles, ids and hashes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from index.types import Article

# Part of every content hash: bump it when what a hash covers changes, so stored
# articles are rewritten once (with the chunk metadata of the new version).
_HASH_VERSION = "ragqa-article-2"
_MAX_TITLE_CHARS = 150
_MAX_TITLE_WORDS = 25


def normalise_newlines(text: str) -> str:
    # Offsets are kept in this normalised text, so spans agree whatever the file's newlines.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def iso_date(value: object) -> str:
    """``YYYY-MM-DD`` from an ISO 8601 or RFC 2822 date, or from epoch seconds; else ``""``.

    The date is the one written in the source (no time-zone conversion), so an article
    dated "Tue, 05 Mar 2024 23:30 -0500" stays on 5 March. These are the two forms news
    APIs and feeds use; the standard library parses both exactly, where a guessing
    parser would invent a day for "March 2024".
    """
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds in some APIs
        try:
            return datetime.fromtimestamp(seconds, UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return ""
    text = str(value).strip()
    if not text:
        return ""
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


def author_names(value: object) -> tuple[str, ...]:
    """Names from a string, a ``{"name": ...}`` object or a list of either, in order."""
    items = value if isinstance(value, list | tuple) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(" ".join(name.split()))
    return tuple(dict.fromkeys(names))


def looks_like_headline(line: str) -> bool:
    """A first line is a headline when it is short and does not read as a sentence."""
    words = line.split()
    return (
        0 < len(line) <= _MAX_TITLE_CHARS
        and len(words) <= _MAX_TITLE_WORDS
        and not line.endswith((".", ",", ";", ":"))
    )


def first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


def title_from_stem(path: Path) -> str:
    return re.sub(r"[_\-]+", " ", path.stem).strip().capitalize() or path.name


def make_article(
    path: Path,
    *,
    text: str,
    title: str,
    title_from_content: bool,
    record: int | None = None,
    source: str = "",
    url: str = "",
    published: str = "",
    authors: Iterable[str] = (),
) -> Article:
    """An ``Article`` whose id follows the rule in ``index.types.Article``.

    ``record`` is the record or entry number in files that hold several articles. The
    hash covers the text and the metadata, except a title made from the file's name
    (``title_from_content=False``), so a byte-identical copy hashes the same.
    """
    resolved = path.resolve().as_posix()
    article_id = resolved if record is None else url or f"{resolved}#{record}"
    authors = tuple(authors)
    fields = [_HASH_VERSION, text, title if title_from_content else "", source, url, published]
    payload = json.dumps([*fields, list(authors)], ensure_ascii=False)
    return Article(
        article_id=article_id,
        title=title,
        text=text,
        source_path=resolved,
        content_hash=hashlib.sha256(payload.encode("utf-8")).hexdigest(),
        source=source,
        url=url,
        published=published,
        authors=authors,
    )
