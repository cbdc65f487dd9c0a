"""News records in JSON (.json: one object, a list of objects, or ``{"articles": [...]}``)
and JSON Lines (.jsonl: one object per line).

Field names are matched leniently: case, ``_`` and ``-`` are ignored
(``published_at``, ``publishedAt`` and ``PublishedAt`` are the same field), and the
first field present with a value wins, in this order:

- title: title, headline
- text (required): body, text, content, article_body, full_text, description, summary
- url: url, link, web_url, permalink, canonical_url
- published: published, published_at, pubDate, pub_date, date, date_published,
  publication_date, web_publication_date
- source: source, source_name, site_name, publisher, site (a string or
  ``{"name": ...}``)
- authors: authors, author, byline, creator (a string, ``{"name": ...}`` or a list of
  either)

A text given as a list of strings is joined as paragraphs. Dates are ISO 8601, RFC 2822
or epoch seconds (see ``iso_date``); any other date is kept as unknown, not an error.
Without a title, the text's first line is the title when it reads as a headline, else
its first words. A record without text is reported (``file:line`` for JSON Lines, the
record number for JSON) and the file's other records are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from index.errors import ArticleReadError
from index.formats.encoding import decode_text
from index.formats.fields import (
    author_names,
    first_line,
    iso_date,
    looks_like_headline,
    make_article,
    normalise_newlines,
)
from index.types import Article, FailedFile, LoadedFile

_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": (
        "body",
        "text",
        "content",
        "articlebody",
        "fulltext",
        "description",
        "summary",
    ),
    "url": ("url", "link", "weburl", "permalink", "canonicalurl"),
    "published": (
        "published",
        "publishedat",
        "pubdate",
        "date",
        "datepublished",
        "publicationdate",
        "webpublicationdate",
    ),
    "source": ("source", "sourcename", "sitename", "publisher", "site"),
    "authors": ("authors", "author", "byline", "creator"),
}
_UNTITLED_WORDS = 12


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def _field(record: Mapping[str, Any], name: str) -> Any:
    keys = {_key(k): v for k, v in record.items()}
    for alias in _ALIASES[name]:
        value = keys.get(alias)
        if value not in (None, "", [], {}):
            return value
    return None


def _string(value: Any) -> str:
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("title")
    return " ".join(value.split()) if isinstance(value, str) else ""


def _body(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(value)
    return normalise_newlines(value).strip() if isinstance(value, str) else ""


def _fallback_title(text: str) -> str:
    line = first_line(text)
    if looks_like_headline(line):
        return line
    words = line.split()
    return " ".join(words[:_UNTITLED_WORDS]) + (" …" if len(words) > _UNTITLED_WORDS else "")


def article_from_record(path: Path, record: Any, number: int) -> Article:
    """The article in one record; ``number`` is its line (JSON Lines) or position (JSON)."""
    if not isinstance(record, Mapping):
        raise ArticleReadError(str(path), f"not a JSON object but {type(record).__name__}")
    text = _body(_field(record, "text"))
    if not text:
        wanted = ", ".join(_ALIASES["text"])
        raise ArticleReadError(str(path), f"no article text (looked for: {wanted})")
    title = _string(_field(record, "title"))
    return make_article(
        path,
        text=text,
        title=title or _fallback_title(text),
        title_from_content=True,
        record=number,
        source=_string(_field(record, "source")),
        url=_string(_field(record, "url")),
        published=iso_date(_field(record, "published")),
        authors=author_names(_field(record, "authors") or ()),
    )


def _records(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping) and isinstance(document.get("articles"), list):
        return document["articles"]  # the envelope news APIs answer with
    return [document]


def load_json(path: Path, raw: bytes) -> LoadedFile:
    text = decode_text(path, raw)
    if not text.strip():
        raise ArticleReadError(str(path), "file is empty")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleReadError(
            str(path), f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    articles, failed = [], []
    for number, record in enumerate(_records(document), start=1):
        try:
            articles.append(article_from_record(path, record, number))
        except ArticleReadError as exc:
            failed.append(FailedFile(path=str(path), reason=f"record {number}: {exc.reason}"))
    return LoadedFile(path=str(path), articles=tuple(articles), failed=tuple(failed))


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line


def load_json_lines(path: Path, raw: bytes) -> LoadedFile:
    """One article per line; a bad line fails alone, reported as ``path:line``."""
    text = normalise_newlines(decode_text(path, raw))
    articles, failed = [], []
    for number, line in _lines(text):
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            failed.append(FailedFile(where, f"invalid JSON at column {exc.colno}: {exc.msg}"))
            continue
        try:
            articles.append(article_from_record(path, record, number))
        except ArticleReadError as exc:
            failed.append(FailedFile(where, exc.reason))
    if not articles and not failed:
        raise ArticleReadError(str(path), "file is empty")
    return LoadedFile(path=str(path), articles=tuple(articles), failed=tuple(failed))
