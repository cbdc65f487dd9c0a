"""``ragqa chat`` served for real and called through its documented API endpoint."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client

from tests.conftest import REPO


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chat_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("chat-home")
    ingest = subprocess.run(
        [sys.executable, "-m", "qa", "ingest", "seeds", "--home", str(home)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert ingest.returncode == 0, ingest.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "qa", "chat", "--port", str(port), "--home", str(home)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("chat server did not start within 120 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_chat_answers_with_a_cited_source(chat_url: str) -> None:
    client = Client(chat_url, verbose=False)
    reply = client.predict("Who is North Korea's foreign minister?", api_name="/respond")
    assert "Choe Son Hui" in reply
    assert "[" in reply and "**Sources**" in reply
    assert "north-korea-rules-out-dialogue-with-japan-at-any-level.txt" in reply


def test_chat_listens_on_loopback_only(chat_url: str) -> None:
    assert chat_url.startswith("http://127.0.0.1:")
    page = httpx.get(chat_url, timeout=10)
    assert page.status_code == 200 and "ragqa" in page.text
