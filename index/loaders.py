"""Read article files from disk into ``Article`` objects.

Plain text and Markdown for now; each format is one function in ``LOADERS``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from index.errors import ArticleReadError, SourceNotFoundError
from index.types import Article

_MAX_TITLE_CHARS = 150
_MAX_TITLE_WORDS = 25


def _looks_like_headline(line: str) -> bool:
    """A first line is a headline when it is short and does not read as a sentence."""
    words = line.split()
    return (
        0 < len(line) <= _MAX_TITLE_CHARS
        and len(words) <= _MAX_TITLE_WORDS
        and not line.endswith((".", ",", ";", ":"))
    )


def _title_from_stem(path: Path) -> str:
    return re.sub(r"[_\-]+", " ", path.stem).strip().capitalize() or path.name


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleReadError(str(path), f"cannot read file ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleReadError(
            str(path), f"not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8"
        ) from exc
    # Offsets are kept in this normalised text, so spans agree whatever the file's newlines.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleReadError(str(path), "file is empty")
    return text


def _load_plain(path: Path, *, markdown: bool) -> Article:
    text = _read_text(path)
    first_line = text.strip().split("\n", 1)[0].strip()
    if markdown:
        first_line = first_line.lstrip("#").strip()
    title = first_line if _looks_like_headline(first_line) else _title_from_stem(path)
    resolved = path.resolve()
    return Article(
        article_id=resolved.as_posix(),
        title=title,
        text=text,
        source_path=resolved.as_posix(),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


LOADERS: dict[str, Callable[[Path], Article]] = {
    ".txt": lambda path: _load_plain(path, markdown=False),
    ".md": lambda path: _load_plain(path, markdown=True),
}
SUPPORTED_SUFFIXES = frozenset(LOADERS)


def discover_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the supported files below them, in a stable order.

    Every path must exist; a file named explicitly is kept even with an unsupported
    suffix so that ``load_article`` can report it by name.
    """
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceNotFoundError(str(path))
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def load_article(path: Path) -> Article:
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ArticleReadError(
            str(path), f"unsupported file type '{path.suffix}' (supported: {supported})"
        )
    return loader(path)
