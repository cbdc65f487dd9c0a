"""Waiting for work that runs off the caller's thread (the BM25 catch-up)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")


def eventually(probe: Callable[[], _T], timeout_s: float = 60) -> _T:
    """The first truthy result of ``probe``, or its last result once ``timeout_s`` has passed."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = probe()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)
