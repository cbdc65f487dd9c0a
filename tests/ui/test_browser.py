"""The chat driven in a real browser (Debian's chromium) against a real ``ragqa chat``.

The first question of the session loads the LLM, hence the long first wait.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.slow

ANSWER_TIMEOUT_MS = 120_000
INGEST_TIMEOUT_MS = 60_000
BOT = "#ragqa-chat [data-testid=bot]"
# A finished reply: an answer (no longer streaming), a refusal, or a notice. Text checks
# on replies use inner text: a marker's hidden passage tooltip is part of textContent.
FINISHED = ".ragqa-answer:not(.ragqa-streaming), .ragqa-refusal, .ragqa-notice"


def ask(page: Page, question: str) -> Locator:
    """Ask through the page and return the finished reply."""
    before = page.locator(BOT).count()
    page.get_by_placeholder("Ask about the articles…").fill(question)
    page.locator("#ragqa-ask").click()
    expect(page.locator(BOT)).to_have_count(before + 1, timeout=ANSWER_TIMEOUT_MS)
    reply = page.locator(BOT).nth(before)
    expect(reply.locator(FINISHED)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    return reply


def upload(page: Page, *files: Path) -> Locator:
    """Upload through the file box (once per page) and return the summary once shown."""
    page.locator("#ragqa-upload input[type=file]").set_input_files([str(f) for f in files])
    summary = page.locator("#ragqa-upload-summary .ragqa-summary")
    expect(summary).to_be_visible(timeout=INGEST_TIMEOUT_MS)
    return summary


def write_article(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def test_seed_answer_has_live_markers_and_a_highlighted_source(page: Page) -> None:
    reply = ask(page, "Who is North Korea's foreign minister?")

    expect(reply).to_contain_text("Choe Son Hui", use_inner_text=True)
    marker = reply.locator("a.ragqa-cite").first
    expect(marker).to_have_text(re.compile(r"^\[\d+\]"))
    n = int(re.search(r"\d+", marker.inner_text()).group())  # type: ignore[union-attr]
    tip = marker.locator(".ragqa-tip")
    expect(tip).to_be_hidden()
    marker.hover()
    expect(tip).to_be_visible()
    box, viewport = tip.bounding_box(), page.viewport_size
    assert box and viewport and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    expect(tip.locator("mark")).to_contain_text("foreign minister Choe Son Hui")

    card = page.locator(f"#ragqa-source-{n}")
    expect(card).to_contain_text("North Korea says it has no interest in dialogue with Japan")
    expect(card.locator("mark")).to_contain_text(
        "Quoting North Korea’s foreign minister Choe Son Hui"
    )
    marker.click()
    expect(page).to_have_url(re.compile(f"#ragqa-source-{n}$"))


def test_uploaded_article_is_answered_and_cited(page: Page, tmp_path: Path) -> None:
    article = write_article(
        tmp_path,
        "lumivaara-festival.txt",
        "Harbour town celebrates with lanterns",
        "The Lumivaara harbour festival opened on Friday evening. "
        "Organisers said the festival mascot is a purple heron named Quillon. "
        "About 4,000 visitors came on the first night.",
    )
    summary = upload(page, article)
    expect(summary).to_contain_text("1 added")
    expect(summary).to_contain_text("Harbour town celebrates with lanterns")

    reply = ask(page, "What is the name of the Lumivaara festival mascot?")

    expect(reply).to_contain_text("Quillon", use_inner_text=True)
    expect(reply.locator("a.ragqa-cite")).not_to_have_count(0)
    sources = page.locator("#ragqa-sources")
    expect(sources).to_contain_text("Harbour town celebrates with lanterns")
    expect(sources.locator("mark")).to_contain_text("purple heron named Quillon")


def test_bad_upload_is_explained_and_the_server_keeps_serving(page: Page, tmp_path: Path) -> None:
    broken = tmp_path / "broken-encoding.txt"
    broken.write_bytes(b"\xff\xfe\x00 not text")

    summary = upload(page, broken)

    expect(summary.locator(".ragqa-failed")).to_contain_text("broken-encoding.txt")
    expect(summary).to_contain_text("0 added")
    expect(summary).not_to_contain_text("Traceback")
    reply = ask(page, "How many Japanese nationals does Tokyo list as abductees?")
    expect(reply).to_contain_text("17", use_inner_text=True)


def test_a_bad_setting_is_explained_in_the_chat(page: Page) -> None:
    page.locator("#ragqa-settings").click()
    for field, value in (("#ragqa-since", "2024-03-02"), ("#ragqa-until", "2024-03-01")):
        page.locator(f"{field} input").fill(value)
        page.locator(f"{field} input").press("Enter")

    reply = ask(page, "Who is North Korea's foreign minister?")

    expect(reply.locator(".ragqa-notice")).to_contain_text("“From date” (2024-03-02) is after")
    expect(page.locator("#ragqa-sources")).to_contain_text("Sources appear here")


def test_deleted_article_leaves_the_collection_and_the_answers(page: Page, tmp_path: Path) -> None:
    title = "Kestrel bridge in Orvanto closes for repairs"
    article = write_article(
        tmp_path,
        "orvanto-bridge.txt",
        title,
        "The Kestrel bridge in Orvanto closed on Monday. "
        "The city engineer Maret Talvik said repairs will cost 12 million euros.",
    )
    upload(page, article)
    page.get_by_role("tab", name="Collection").click()
    table = page.locator("#ragqa-articles")
    expect(table).to_contain_text(title)

    page.locator("#ragqa-delete-pick input").click()
    page.get_by_role("option", name=re.compile("Kestrel bridge")).click()
    page.locator("#ragqa-delete").click()

    expect(page.locator("#ragqa-collection-status")).to_contain_text(f"Deleted “{title}”")
    expect(table).not_to_contain_text(title)
    expect(table).to_contain_text("North Korea says it has no interest in dialogue")
    page.get_by_role("tab", name="Chat").click()
    reply = ask(page, "Who is the city engineer of Orvanto?")
    expect(reply.locator(".ragqa-refusal")).to_contain_text("Not in the articles")
    expect(page.locator("#ragqa-sources")).not_to_contain_text(title)


def test_follow_up_then_new_conversation_with_an_example(page: Page) -> None:
    first = ask(page, "Who is North Korea's ambassador to China?")
    expect(first).to_contain_text("Ri Ryong Nam", use_inner_text=True)

    follow_up = ask(page, "What did he say about talks with Japan?")

    # Asked alone the follow-up names nobody; the conversation supplies the ambassador.
    expect(follow_up.locator("a.ragqa-cite")).not_to_have_count(0)
    expect(page.locator("#ragqa-sources mark")).to_contain_text("Ri Ryong Nam")
    asked = follow_up.locator(".ragqa-asked")
    expect(asked).to_be_visible()
    expect(asked).to_have_text("Asked as: What did Ri Ryong Nam say about talks with Japan?")
    expect(first.locator(".ragqa-asked")).to_have_count(0)

    page.locator("#ragqa-new").click()
    expect(page.locator(BOT)).to_have_count(0)
    expect(page.locator("#ragqa-sources")).to_contain_text("Sources appear here")
    page.get_by_text("How many Japanese nationals does Tokyo list as abductees?").click()
    expect(page.locator(BOT)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    reply = page.locator(BOT).first
    expect(reply.locator(FINISHED)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(reply).to_contain_text("17", use_inner_text=True)


def test_source_filter_limits_the_passages_and_sources_show_date_and_source(
    page: Page, tmp_path: Path
) -> None:
    records = tmp_path / "velmora-wire.jsonl"
    records.write_text(
        '{"title": "Velmora dam opens after six years", "source": "North Wire", '
        '"published": "2024-05-02", "text": "The Velmora dam opened on Thursday. '
        'Its chief engineer is Ilse Varga."}\n'
        '{"title": "Inspectors walk the Velmora site", "source": "South Post", '
        '"published": "2023-01-10", "text": "Inspectors visited the Velmora dam site. '
        'The inspection was led by Tomas Reyes."}\n',
        encoding="utf-8",
    )
    expect(upload(page, records)).to_contain_text("2 added")

    reply = ask(page, "Who is the chief engineer of the Velmora dam?")
    expect(reply).to_contain_text("Ilse Varga", use_inner_text=True)
    expect(page.locator("#ragqa-sources .ragqa-meta").first).to_contain_text(
        "2024-05-02 · North Wire"
    )

    page.locator("#ragqa-settings").click()
    sources_filter = page.locator("#ragqa-filter-sources input")
    sources_filter.fill("South Post")
    sources_filter.press("Enter")
    ask(page, "Who is the chief engineer of the Velmora dam?")

    panel = page.locator("#ragqa-sources")
    expect(panel).to_contain_text("South Post")
    expect(panel).not_to_contain_text("North Wire")
    expect(panel).not_to_contain_text("Ilse Varga")


def test_clicking_an_earlier_answer_shows_its_sources_again(page: Page) -> None:
    first = ask(page, "Who is North Korea's foreign minister?")
    ask(page, "How many Japanese nationals does Tokyo list as abductees?")
    panel = page.locator("#ragqa-sources")
    expect(panel.locator("mark")).to_contain_text("17 Japanese nationals")

    first.locator(".ragqa-answer").click(position={"x": 4, "y": 4})

    expect(panel.locator("mark")).to_contain_text("foreign minister Choe Son Hui")


SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src=x onerror="window.__pwned=1">'


def test_markup_in_an_article_is_shown_as_text_and_never_runs(page: Page, tmp_path: Path) -> None:
    """Title, body and metadata carry a script and an event handler that would set
    ``window.__pwned``; everywhere the page shows them, they are text."""
    record = {
        "title": f"Zephyr pier reopens {SCRIPT}",
        "source": f"Coast Post {IMAGE}",
        "url": "javascript:window.__pwned=1",
        "published": "2024-04-02",
        "text": "The Zephyr pier in Marlowe reopened on Sunday after two years of repairs. "
        f"The new harbour master of the Zephyr pier is Odile Brask. {SCRIPT} {IMAGE} "
        "Fishing boats returned the same day.",
    }
    records = tmp_path / "zephyr-pier.jsonl"
    records.write_text(json.dumps(record) + "\n", encoding="utf-8")
    summary = upload(page, records)
    expect(summary).to_contain_text(f"Zephyr pier reopens {SCRIPT}")

    reply = ask(page, "Who is the harbour master of the Zephyr pier?")

    expect(reply).to_contain_text("Odile Brask", use_inner_text=True)
    reply.locator("a.ragqa-cite").first.hover()
    panel = page.locator("#ragqa-sources")
    expect(panel).to_contain_text(f"Zephyr pier reopens {SCRIPT}")
    expect(panel.locator(".ragqa-meta")).to_contain_text(f"Coast Post {IMAGE}")
    expect(panel.locator("blockquote")).to_contain_text(SCRIPT)
    page.get_by_role("tab", name="Collection").click()
    expect(page.locator("#ragqa-articles")).to_contain_text("Zephyr pier reopens")
    for where in (page.locator("#ragqa-chat"), panel, page.locator("#ragqa-articles")):
        assert where.locator("script, img[onerror], a[href^='javascript:']").count() == 0
    assert page.evaluate("window.__pwned") is None
