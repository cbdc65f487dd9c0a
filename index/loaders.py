"""Read article files from disk into ``Article`` objects, choosing the loader by suffix.

One module per format family in ``index.formats``: plain text and Markdown (in any text
encoding, ``index.formats.encoding``), saved web pages (trafilatura), PDF (pypdf), JSON
/ JSON Lines news records, RSS / Atom feeds (feedparser). A file may hold several
articles (records, feed entries).

A file is read once, here, and only when it is a regular file within the size limit:
a device, a pipe or a socket named as an article would otherwise block or never end,
and one huge file would hold the whole run's memory while every other file waits.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from index.errors import ArticleReadError, SourceNotFoundError
from index.formats.feeds import load_feed
from index.formats.pdf import load_pdf
from index.formats.plain import load_markdown, load_text
from index.formats.records import load_json, load_json_lines
from index.formats.webpage import load_webpage
from index.types import DEFAULT_MAX_FILE_BYTES, Article, LoadedFile

Loader = Callable[[Path, bytes], LoadedFile]


def _whole_file(load: Callable[[Path, bytes], list[Article]]) -> Loader:
    return lambda path, raw: LoadedFile(path=str(path), articles=tuple(load(path, raw)))


LOADERS: dict[str, Loader] = {
    ".txt": _whole_file(load_text),
    ".md": _whole_file(load_markdown),
    ".html": _whole_file(load_webpage),
    ".htm": _whole_file(load_webpage),
    ".pdf": _whole_file(load_pdf),
    ".json": load_json,
    ".jsonl": load_json_lines,
    ".rss": load_feed,
    ".atom": load_feed,
    ".xml": load_feed,
}
SUPPORTED_SUFFIXES = frozenset(LOADERS)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them.

    Raises ``ArticleReadError`` for anything else: a folder, a device or pipe, a file
    that cannot be opened, or one larger than ``max_bytes`` (also one that grows past it
    while being read).
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ArticleReadError(str(path), "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ArticleReadError(
                str(path), "not a regular file (a device, pipe or socket); copy it to a file"
            )
        if info.st_size > max_bytes:
            raise _too_large(path, info.st_size, max_bytes)
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ArticleReadError(str(path), f"cannot read file ({exc.strerror or exc})") from exc
    if len(raw) > max_bytes:
        raise _too_large(path, len(raw), max_bytes)
    return raw


def _too_large(path: Path, size: int, max_bytes: int) -> ArticleReadError:
    return ArticleReadError(
        str(path),
        f"file is {_megabytes(size)}, over the limit of {_megabytes(max_bytes)} per file; "
        "split it into smaller files or raise the max_file_mb setting (RAGQA_MAX_FILE_MB)",
    )


def discover_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the supported files below them, in a stable order.

    Every path must exist; a file named explicitly is kept even with an unsupported
    suffix so that loading can report it by name.
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


def load_articles(path: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> LoadedFile:
    """Every article in the file at ``path``, and the records of it that could not be read.

    Raises ``ArticleReadError`` when the file as a whole cannot be read, or holds more
    than ``max_bytes``.
    """
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ArticleReadError(
            str(path), f"unsupported file type '{path.suffix}' (supported: {supported})"
        )
    raw = read_file(path, max_bytes)
    try:
        return loader(path, raw)
    except ArticleReadError:
        raise
    except RecursionError as exc:
        raise ArticleReadError(
            str(path), "nested too deeply to parse (a damaged or hostile file?)"
        ) from exc
    except Exception as exc:
        # The parsers read arbitrary files from users; whatever one of them raises on a
        # malformed file fails that file only, never the rest of the folder.
        raise ArticleReadError(
            str(path), f"cannot parse the file ({type(exc).__name__}: {exc})"
        ) from exc


def load_article(path: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Article:
    """The one article in a file that holds exactly one (text, Markdown, web page, PDF)."""
    loaded = load_articles(path, max_bytes=max_bytes)
    if loaded.failed:
        raise ArticleReadError(loaded.failed[0].path, loaded.failed[0].reason)
    if len(loaded.articles) != 1:
        raise ArticleReadError(
            str(path), f"holds {len(loaded.articles)} articles; read it with load_articles"
        )
    return loaded.articles[0]
