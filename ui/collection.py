"""What the page shows about the collection: the article table, the article and source
choices of the settings panel, and the summary of an upload."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath

from qa import IngestReport, StoredArticle

TABLE_HEADERS = ["Title", "Date", "Chunks", "File"]


def table_rows(articles: Sequence[StoredArticle]) -> list[list[str | int]]:
    """One row per article, newest first (unknown dates last), then by title."""
    ordered = sorted(articles, key=lambda a: a.title.casefold())
    ordered.sort(key=lambda a: a.published, reverse=True)
    return [
        [
            a.title if a.complete else f"{a.title} (incomplete: upload it again)",
            a.published,
            a.chunk_count,
            a.file_name,
        ]
        for a in ordered
    ]


def article_choices(articles: Sequence[StoredArticle]) -> list[tuple[str, str]]:
    """Dropdown choices: a readable label, the article id as value."""
    return sorted(
        ((f"{a.title} ({a.file_name})", a.article_id) for a in articles),
        key=lambda choice: choice[0].casefold(),
    )


def source_choices(articles: Sequence[StoredArticle]) -> list[str]:
    """The publishers named by the stored articles, for the source filter."""
    return sorted({a.source for a in articles if a.source}, key=str.casefold)


def _name(article_id: str, titles: Mapping[str, str]) -> str:
    """An article's title, else the last part of its id (a file name, URL or record)."""
    return titles.get(article_id) or PurePosixPath(article_id).name or article_id


def ingest_summary_html(report: IngestReport, titles: Mapping[str, str]) -> str:
    """Counts, the articles in each outcome by title, and each failure with its reason.

    ``titles`` maps article ids to titles, so people read titles rather than paths. A
    skipped copy of a stored article says which one it copies.
    """
    counts = (
        f"{len(report.added)} added, {len(report.replaced)} replaced, "
        f"{len(report.skipped)} skipped (unchanged), {len(report.failed)} failed "
        f"({report.chunks_written} chunks written in {report.seconds:.1f} s)"
    )
    copies = {d.article_id: d for d in report.duplicates}

    def name(article_id: str) -> str:
        copy = copies.get(article_id)
        if copy is None:
            return _name(article_id, titles)
        return f"{PurePosixPath(copy.path).name} (same text as “{_name(copy.same_as, titles)}”)"

    lines = []
    for label, ids in (
        ("Added", report.added),
        ("Replaced", report.replaced),
        ("Skipped", report.skipped),
    ):
        if ids:
            shown = ", ".join(html.escape(name(i)) for i in ids)
            lines.append(f"<li><strong>{label}:</strong> {shown}</li>")
    for failure in report.failed:
        lines.append(
            f'<li class="ragqa-failed"><strong>Failed:</strong> '
            f"{html.escape(PurePosixPath(failure.path).name)}: {html.escape(failure.reason)}</li>"
        )
    status = "ragqa-summary-failed" if report.failed else "ragqa-summary-ok"
    return (
        f'<div class="ragqa-summary {status}"><p>{counts}</p>'
        f"<ul>{''.join(lines)}</ul></div>"
    )


def done_summary_html(message: str) -> str:
    return f'<div class="ragqa-summary ragqa-summary-ok"><p>{html.escape(message)}</p></div>'


def notice_summary_html(message: str) -> str:
    """An upload that could not run at all, explained."""
    return (
        '<div class="ragqa-summary ragqa-summary-failed">'
        f"<p>{html.escape(message)}</p></div>"
    )
