"""Every supported format read from the fixture corpus: titles, dates, sources, bodies, ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import Article, ArticleReadError, load_article, load_articles
from tests.index.conftest import PDF_TITLE, write_pdf

# file → one expectation per article, in file order: title, published, source, url,
# authors, and words the body must hold.
EXPECTED = {
    "tram-line.txt": [
        ("City opens the Eastgate tram line two months early", "", "", "", (), "21,000 riders"),
    ],
    "library-reopens.md": [
        ("Harbourside library reopens after roof repairs", "", "", "", (), "312 seats"),
    ],
    "harbour-strike.html": [
        (
            "Dockworkers end three-week strike at Port Halvard",
            "2024-03-05",
            "The Coastal Ledger",
            "https://coastal-ledger.example/2024/03/05/port-halvard-strike-ends",
            ("Mirela Vasquez",),
            "about 85 million euros",
        ),
    ],
    "wire-export.jsonl": [
        (
            "Grain exports through Odessa hit a two-year high",
            "2024-03-04",
            "Northwire",
            "https://northwire.example/markets/odessa-grain-high",
            ("Petra Holm", "Luis Ortega"),
            "4.1 million tonnes",
        ),
        (
            "Chipmaker Veltrona to build plant in Dresden",
            "2024-03-06",
            "",
            "https://eastern-business.example/veltrona-dresden",
            ("Karl Wendt",),
            "employ 1,200 people",
        ),
    ],
    "briefs.json": [
        (
            "Valley orchards expect record cherry harvest",
            "2024-05-10",
            "Valley Times",
            "",
            ("Greta Lind",),
            "38,000 tonnes",
        ),
        (
            "Regional airline adds flights to Tromsø",
            "2024-05-12",  # 06:00 at +02:00: the date as written, not converted to UTC
            "Arctic Wire",
            "https://arctic-wire.example/nordlys-tromso",
            (),
            "three weekly flights",
        ),
    ],
    "river-desk.rss": [
        (
            "Ferry service to Lindholm resumes after ice clears",
            "2024-03-12",
            "River Desk",
            "https://riverdesk.example/news/lindholm-ferry-resumes",
            ("Jonas Berg",),
            "carried 63 passengers",
        ),
        (
            "Town council approves new flood wall in Saltvik",
            "2024-03-11",
            "River Desk",
            "https://riverdesk.example/news/saltvik-flood-wall",
            (),
            "Construction starts in June.",
        ),
    ],
    "observatory.atom": [
        (
            "Comet Ilvesnova brightens ahead of April pass",
            "2024-04-01",
            "Observatory Notes",
            "https://observatory.example/comet-ilvesnova",
            ("Hedda Lunde",),
            "magnitude 6.1",
        ),
        (
            "Skarv Observatory opens its dome to visitors",
            "2024-03-28",  # no published date: the updated one
            "Observatory Notes",
            "",  # its only link is a urn: id, not an address
            (),
            "every Friday evening",
        ),
    ],
    "glacier-report.pdf": [
        (PDF_TITLE, "", "", "", ("Ana Petrov", "Ivo Maric"), "lost 42 metres"),
    ],
}


def _articles(path: Path) -> list[Article]:
    loaded = load_articles(path)
    assert loaded.failed == ()
    return list(loaded.articles)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_format_gives_the_right_titles_dates_sources_and_bodies(
    formats_corpus: Path, name: str
) -> None:
    path = formats_corpus / name
    articles = _articles(path)
    got = [(a.title, a.published, a.source, a.url, a.authors) for a in articles]
    assert got == [expected[:5] for expected in EXPECTED[name]]
    for article, expected in zip(articles, EXPECTED[name], strict=True):
        assert expected[5] in " ".join(article.text.split())
        assert article.source_path == path.resolve().as_posix()
        assert article.text == article.text.strip() or path.suffix in {".txt", ".md"}
        assert "<" not in article.text  # no markup left in any body


def test_every_fixture_file_is_covered(formats_corpus: Path) -> None:
    assert sorted(p.name for p in formats_corpus.iterdir()) == sorted(EXPECTED)


def test_the_web_page_body_leaves_out_navigation_ads_and_footer(formats_corpus: Path) -> None:
    (article,) = _articles(formats_corpus / "harbour-strike.html")
    for boilerplate in (
        "World news section",
        "Subscribe to the Ledger",
        "ADVERTISEMENT",
        "Sunny Pines",
        "QuickLoanz",
        "All rights reserved",
        "Most read",
        "Celebrity chef",
    ):
        assert boilerplate not in article.text
    assert "Union leader Tomasz Orlikowski" in article.text


def test_a_page_dated_only_by_its_copyright_line_has_no_date(tmp_path: Path) -> None:
    """htmldate's extensive search would read "© 2024" in the footer as 2024-01-01."""
    paragraphs = "".join(f"<p>Paragraph {i} about the strike and its end.</p>" for i in range(8))
    page = tmp_path / "undated.html"
    page.write_text(
        f"<html><head><title>Undated story</title></head><body><article>{paragraphs}</article>"
        "<footer>© 2024 The Coastal Ledger</footer></body></html>"
    )
    assert load_article(page).published == ""


def test_ids_are_the_path_for_single_articles_and_url_or_record_number_for_records(
    formats_corpus: Path,
) -> None:
    html = formats_corpus / "harbour-strike.html"
    assert load_article(html).article_id == html.resolve().as_posix()
    briefs = _articles(formats_corpus / "briefs.json")
    assert [a.article_id for a in briefs] == [
        f"{(formats_corpus / 'briefs.json').resolve().as_posix()}#1",
        "https://arctic-wire.example/nordlys-tromso",
    ]
    atom = _articles(formats_corpus / "observatory.atom")
    assert atom[1].article_id == f"{(formats_corpus / 'observatory.atom').resolve().as_posix()}#2"


def test_published_day_is_the_ordinal_of_the_date_and_zero_when_unknown(
    formats_corpus: Path,
) -> None:
    (strike,) = _articles(formats_corpus / "harbour-strike.html")
    (tram,) = _articles(formats_corpus / "tram-line.txt")
    assert strike.published_day == 738950  # date(2024, 3, 5).toordinal()
    assert tram.published_day == 0


def test_a_json_news_api_envelope_and_single_object_are_read(tmp_path: Path) -> None:
    envelope = tmp_path / "newsapi.json"
    envelope.write_text(
        json.dumps(
            {
                "status": "ok",
                "articles": [
                    {
                        "source": {"id": None, "name": "Harbor Post"},
                        "author": "Ida Strand",
                        "title": "Pier 9 reopens",
                        "description": "A teaser.",
                        "content": "Pier 9 reopened on Friday after repairs costing 4 million.",
                        "publishedAt": "2024-06-01T09:00:00Z",
                        "url": "https://harbor-post.example/pier-9",
                    }
                ],
            }
        )
    )
    (article,) = _articles(envelope)
    assert (article.title, article.source, article.authors, article.published) == (
        "Pier 9 reopens",
        "Harbor Post",
        ("Ida Strand",),
        "2024-06-01",
    )
    assert article.text.startswith("Pier 9 reopened")  # content preferred to description

    single = tmp_path / "one.json"
    single.write_text(json.dumps({"BODY": ["First paragraph.", "Second paragraph."]}))
    (only,) = _articles(single)
    assert only.text == "First paragraph.\n\nSecond paragraph."
    assert only.title == "First paragraph."  # no title field: the text's first words


def test_an_unparsable_date_is_unknown_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"title": "T", "text": "Body.", "date": "last Tuesday"}) + "\n")
    (article,) = _articles(path)
    assert article.published == ""


def test_one_bad_jsonl_line_fails_alone_and_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(
        json.dumps({"title": "Good one", "body": "Fine text."})
        + "\n{not json\n\n"
        + json.dumps({"title": "No body here", "url": "https://x.example/a"})
        + "\n"
        + json.dumps({"title": "Good two", "text": "More text."})
        + "\n"
    )
    loaded = load_articles(path)
    assert [a.title for a in loaded.articles] == ["Good one", "Good two"]
    assert [a.article_id.rsplit("#", 1)[1] for a in loaded.articles] == ["1", "5"]
    assert [f.path for f in loaded.failed] == [f"{path}:2", f"{path}:4"]
    assert "invalid JSON" in loaded.failed[0].reason
    assert "no article text" in loaded.failed[1].reason and "body" in loaded.failed[1].reason


def test_bad_json_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"title": "A", "text": "B"},\n  {"title": }\n]\n')
    with pytest.raises(ArticleReadError) as caught:
        load_articles(path)
    assert caught.value.path == str(path)
    assert "invalid JSON at line 3, column 13" in caught.value.reason


def test_an_xml_file_is_read_as_a_feed_only_when_it_is_one(
    formats_corpus: Path, tmp_path: Path
) -> None:
    feed_as_xml = tmp_path / "feed.xml"
    feed_as_xml.write_bytes((formats_corpus / "river-desk.rss").read_bytes())
    assert len(_articles(feed_as_xml)) == 2
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>'
    )
    with pytest.raises(ArticleReadError, match="not an RSS or Atom feed"):
        load_articles(sitemap)


def test_a_feed_entry_without_content_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        "<item><title>Empty</title><link>https://f.example/1</link></item>"
        "<item><title>Full</title><link>https://f.example/2</link>"
        "<description>Some news text.</description></item></channel></rss>"
    )
    loaded = load_articles(path)
    assert [a.title for a in loaded.articles] == ["Full"]
    assert [(f.path, f.reason) for f in loaded.failed] == [
        (str(path), "entry 1: no content or summary")
    ]


def test_pdf_title_falls_back_to_its_first_line(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "scan_0001.pdf",
        title=None,
        lines=("Ice road to Orsk closes early", "Warm weather closed the road on Monday."),
    )
    article = load_article(path)
    assert article.title == "Ice road to Orsk closes early"
    assert "Warm weather closed the road" in article.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.pdf", None, "no extractable text"),
        ("broken.pdf", b"%PDF-1.4 this is not really a PDF", "not a readable PDF"),
        ("nav-only.html", b"", "file is empty"),
        ("nothing.json", b"   ", "file is empty"),
        ("nothing.jsonl", b"\n\n", "file is empty"),
        ("binary.json", b'{"text": "\x00\x01\x02\x03\x04"}', "binary data"),
    ],
)
def test_unreadable_files_are_reported_with_a_reason(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if content is None:
        write_pdf(path, title="Blank", lines=())
    else:
        path.write_bytes(content)
    with pytest.raises(ArticleReadError) as caught:
        load_articles(path)
    assert caught.value.path == str(path)
    assert reason in caught.value.reason


def test_load_article_refuses_a_file_of_several_articles(formats_corpus: Path) -> None:
    with pytest.raises(ArticleReadError, match="holds 2 articles"):
        load_article(formats_corpus / "wire-export.jsonl")
