"""Read article files from disk into ``Article`` objects, choosing the loader by suffix.

One module per format family in ``index.formats``: plain text and Markdown, saved web
pages (trafilatura), PDF (pypdf), JSON / JSON Lines news records, RSS / Atom feeds
(feedparser). A file may hold several articles (records, feed entries).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from index.errors import ArticleReadError, SourceNotFoundError
from index.formats.feeds import load_feed
from index.formats.pdf import load_pdf
from index.formats.plain import load_markdown, load_text
from index.formats.records import load_json, load_json_lines
from index.formats.webpage import load_webpage
from index.types import Article, LoadedFile


def _whole_file(load: Callable[[Path], list[Article]]) -> Callable[[Path], LoadedFile]:
    return lambda path: LoadedFile(path=str(path), articles=tuple(load(path)))


LOADERS: dict[str, Callable[[Path], LoadedFile]] = {
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


def load_articles(path: Path) -> LoadedFile:
    """Every article in the file at ``path``, and the records of it that could not be read.

    Raises ``ArticleReadError`` when the file as a whole cannot be read.
    """
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ArticleReadError(
            str(path), f"unsupported file type '{path.suffix}' (supported: {supported})"
        )
    try:
        return loader(path)
    except ArticleReadError:
        raise
    except Exception as exc:
        # The parsers read arbitrary files from users; whatever one of them raises on a
        # malformed file fails that file only, never the rest of the folder.
        raise ArticleReadError(
            str(path), f"cannot parse the file ({type(exc).__name__}: {exc})"
        ) from exc


def load_article(path: Path) -> Article:
    """The one article in a file that holds exactly one (text, Markdown, web page, PDF)."""
    loaded = load_articles(path)
    if loaded.failed:
        raise ArticleReadError(loaded.failed[0].path, loaded.failed[0].reason)
    if len(loaded.articles) != 1:
        raise ArticleReadError(
            str(path), f"holds {len(loaded.articles)} articles; read it with load_articles"
        )
    return loaded.articles[0]
