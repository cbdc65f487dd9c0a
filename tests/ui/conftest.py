"""A real chat server over the seed articles, and a real browser, shared by the ui tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

from tests.ui.browser import CHROMIUM, MISSING, REQUIRE_BROWSER, launch_chromium
from tests.ui.chat_server import SEEDS, ChatServer, ingest, start_chat


@pytest.fixture(scope="session")
def chat_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    """``ragqa chat`` with the seeds ingested, in a data directory of its own."""
    home = tmp_path_factory.mktemp("chat-home")
    ingest(home, SEEDS)
    server = start_chat(home)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if REQUIRE_BROWSER:
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, chat_server: ChatServer) -> Iterator[Page]:
    """A fresh browser session on the chat page; fails if the page reaches off the machine."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    outside: list[str] = []

    def note_outside(request: Request) -> None:
        if not request.url.startswith((chat_server.url, "data:", "blob:")):
            outside.append(request.url)

    page.on("request", note_outside)
    page.goto(chat_server.url)
    yield page
    context.close()
    assert not outside, f"the page made requests off the machine: {outside}"
