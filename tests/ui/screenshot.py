"""Write the README's screenshot: a real answer over the seeds, with its sources panel.

    .venv/bin/python -m tests.ui.screenshot docs/screenshot.png

Starts ``ragqa chat`` over a temporary data directory with the seeds ingested, asks in
chromium, and saves the page while the first marker's passage is shown.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.ui.browser import launch_chromium
from tests.ui.chat_server import SEEDS, ingest, start_chat

QUESTIONS = (
    "Who is North Korea's ambassador to China?",
    "How many Japanese nationals does Tokyo list as abductees?",
)
ANSWER_TIMEOUT_MS = 120_000


def take(target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="ragqa-screenshot-") as home:
        ingest(Path(home), SEEDS)
        server = start_chat(Path(home))
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.goto(server.url)
                replies = page.locator("#ragqa-chat [data-testid=bot]")
                for number, question in enumerate(QUESTIONS):
                    page.get_by_placeholder("Ask about the articles…").fill(question)
                    page.locator("#ragqa-ask").click()
                    marker = replies.nth(number).locator("a.ragqa-cite").first
                    expect(marker).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
                marker.hover()
                target.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(target))
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png"))
