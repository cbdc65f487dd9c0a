"""PDF articles (pypdf): the text of every page; the title from the document's metadata.

A PDF carries no publication date worth trusting (its creation date is when the file
was made, often a print to PDF long after), so ``published`` stays unknown.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from index.errors import ArticleReadError
from index.formats.fields import (
    author_names,
    first_line,
    looks_like_headline,
    make_article,
    normalise_newlines,
    title_from_stem,
)
from index.types import Article

_HEADER_WITHIN = 1024
"""PDF readers accept the ``%PDF-`` header anywhere in the first kilobyte."""


def _read_pdf(path: Path, raw: bytes) -> tuple[str, str, str]:
    """(text, metadata title, metadata author) of the PDF ``raw``, read from ``path``."""
    if b"%PDF-" not in raw[:_HEADER_WITHIN]:
        # Checked first: pypdf would log its own warnings about the file before failing.
        raise ArticleReadError(str(path), "not a PDF (no %PDF- header in its first kilobyte)")
    try:
        reader = PdfReader(io.BytesIO(raw))
        # Many "encrypted" PDFs only restrict printing and open with an empty password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ArticleReadError(
                str(path), "the PDF is password-protected; save an unprotected copy"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
        title = (metadata.title or "") if metadata else ""
        author = (metadata.author or "") if metadata else ""
    except PyPdfError as exc:
        raise ArticleReadError(str(path), f"not a readable PDF ({exc})") from exc
    return "\n\n".join(pages), str(title).strip(), str(author)


def load_pdf(path: Path, raw: bytes) -> list[Article]:
    text, meta_title, author = _read_pdf(path, raw)
    text = normalise_newlines(text).strip()
    if not text:
        raise ArticleReadError(
            str(path), "the PDF has no extractable text (a scan? run OCR on it first)"
        )
    heading = first_line(text)
    if meta_title:
        title, from_content = meta_title, True
    elif looks_like_headline(heading):
        title, from_content = heading, True
    else:
        title, from_content = title_from_stem(path), False
    return [
        make_article(
            path,
            text=text,
            title=title,
            title_from_content=from_content,
            authors=author_names(author.split(";")),
        )
    ]
