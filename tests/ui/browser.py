"""Debian's chromium driven by Playwright; Playwright's own browser download is not used."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Read when the tests are collected: an autouse fixture removes RAGQA_* variables later.
REQUIRE_BROWSER = os.environ.get("RAGQA_REQUIRE_BROWSER") == "1"
MISSING = (
    f"no chromium at {CHROMIUM}: install it with `apt-get install -y chromium` "
    "to run the browser tests"
)


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
    )
