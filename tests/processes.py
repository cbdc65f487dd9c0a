"""Stopping the servers tests start: politely first, then for certain."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen, *, timeout: float = 10.0) -> None:
    """SIGTERM, and SIGKILL if ``process`` is still running ``timeout`` seconds later."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)
