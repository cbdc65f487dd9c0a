"""A real Chroma server (``chroma run``) on a free loopback port, for the server deployment.

The tests' fixture and ``bench/scale.py --server`` both start their server here.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.processes import stop

CHROMA = Path(sys.executable).parent / "chroma"
STARTUP_TIMEOUT_S = 60.0


class ChromaServerFailed(RuntimeError):
    """``chroma run`` exited or never answered; the message carries its output."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def chroma_server(data_dir: Path, log: Path) -> Iterator[str]:
    """Serve ``data_dir`` and yield the server's URL once its heartbeat answers 200.

    Raises ``ChromaServerFailed`` with the server's output when it exits or does not
    answer within ``STARTUP_TIMEOUT_S``; the server is stopped when the block ends.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(CHROMA), "run", "--path", str(data_dir), "--host", "127.0.0.1"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "--port", str(port)], stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _answers(url):
            if server.poll() is not None or time.monotonic() > deadline:
                state = (
                    f"exited with {server.returncode}"
                    if server.poll() is not None
                    else f"did not answer within {STARTUP_TIMEOUT_S:.0f} s"
                )
                raise ChromaServerFailed(
                    f"chroma run on port {port} {state}:\n{log.read_text(errors='replace')}"
                )
            time.sleep(0.2)
        yield url
    finally:
        stop(server)
