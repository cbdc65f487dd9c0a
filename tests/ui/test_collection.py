"""The collection table, pickers and upload summary; and where uploads are kept."""

from __future__ import annotations

from pathlib import Path

from index import Embedder
from qa import Assistant, DuplicateArticle, FailedFile, IngestReport, Settings, StoredArticle
from tests.conftest import REPO
from ui.collection import article_choices, ingest_summary_html, table_rows
from ui.handlers import CollectionView
from ui.uploads import stage_uploads

FORMATS = REPO / "tests" / "fixtures" / "formats"


def stored(article_id: str, title: str, *, complete: bool = True) -> StoredArticle:
    return StoredArticle(
        article_id=article_id,
        title=title,
        file_name=Path(article_id).name,
        content_hash="h",
        chunk_count=3,
        complete=complete,
    )


def test_rows_and_choices_read_by_title() -> None:
    articles = [stored("/u/b.txt", "beta"), stored("/u/a.txt", "Alpha", complete=False)]
    assert table_rows(articles) == [
        ["Alpha (incomplete: upload it again)", "", 3, "a.txt"],
        ["beta", "", 3, "b.txt"],
    ]
    assert article_choices(articles) == [
        ("Alpha (a.txt)", "/u/a.txt"),
        ("beta (b.txt)", "/u/b.txt"),
    ]


def test_summary_names_titles_and_failure_reasons_escaped() -> None:
    report = IngestReport(
        added=("/u/a.txt",),
        skipped=("/u/b.txt",),
        failed=(FailedFile("/u/<bad>.pdf", "no text layer; export it as text"),),
        chunks_written=4,
    )
    html = ingest_summary_html(report, {"/u/a.txt": "Alpha & Co"})
    assert "1 added, 0 replaced, 1 skipped (unchanged), 1 failed (4 chunks written" in html
    assert "<strong>Added:</strong> Alpha &amp; Co" in html
    assert "<strong>Skipped:</strong> b.txt" in html  # no title known: its file name
    assert "&lt;bad&gt;.pdf: no text layer; export it as text" in html
    assert "ragqa-summary-failed" in html


def test_uploads_are_copied_under_their_own_names(tmp_path: Path) -> None:
    upload = tmp_path / "gradio-tmp" / "3f2a" / "story.txt"
    upload.parent.mkdir(parents=True)
    upload.write_text("A story\n\nText.", encoding="utf-8")

    (copy,), refused = stage_uploads([str(upload)], tmp_path / "home" / "uploads")

    assert copy == tmp_path / "home" / "uploads" / "story.txt"
    assert copy.read_text(encoding="utf-8") == "A story\n\nText."
    assert refused == []


def test_a_skipped_copy_names_the_article_it_copies() -> None:
    copy = DuplicateArticle("/u/copy.txt", "/u/copy.txt", "/u/a.txt", "same text")
    report = IngestReport(skipped=("/u/copy.txt",), duplicates=(copy,))
    html = ingest_summary_html(report, {"/u/a.txt": "Alpha"})
    assert "<strong>Skipped:</strong> copy.txt (same text as “Alpha”)" in html


def test_the_table_shows_stored_dates_and_the_source_filter_offers_publishers(
    settings: Settings, embedder: Embedder
) -> None:
    """Dates and publishers come from the store itself, newest first, undated last."""
    assistant = Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder)
    report = assistant.ingest([FORMATS / "briefs.json", FORMATS / "tram-line.txt"])
    assert report.ok and len(report.added) == 3

    view = CollectionView.of(assistant.stats().articles)

    assert [row[:2] for row in view.rows] == [
        ["Regional airline adds flights to Tromsø", "2024-05-12"],
        ["Valley orchards expect record cherry harvest", "2024-05-10"],
        ["City opens the Eastgate tram line two months early", ""],
    ]
    assert view.sources == ["Arctic Wire", "Valley Times"]
