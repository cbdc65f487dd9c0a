"""``ragqa chat`` served for real and called through its documented endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError

from tests.ui.chat_server import ChatServer, start_chat

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(chat_server: ChatServer) -> Client:
    return Client(chat_server.url, verbose=False)


def test_ask_returns_the_answer_with_its_sources(client: Client) -> None:
    reply = client.predict("Who is North Korea's foreign minister?", api_name="/ask")
    assert "Choe Son Hui" in reply
    assert "[1]" in reply and "**Sources**" in reply
    assert "north-korea-rules-out-dialogue-with-japan-at-any-level.txt" in reply


def test_ask_json_returns_the_full_answer(client: Client) -> None:
    answer = client.predict(
        "How many Japanese nationals does Tokyo list as abductees?",
        top_k=3,
        backend="none",
        api_name="/ask_json",
    )
    assert answer["answerable"] is True
    assert answer["backend"] == "none"
    assert len(answer["passages"]) == 3
    (citation,) = answer["citations"]
    assert "17 Japanese nationals" in citation["quote"]
    assert citation["file_name"] == "north-korea-rejects-contact-and-summit-with-japan.txt"


def test_articles_lists_the_collection(client: Client) -> None:
    articles = client.predict(api_name="/articles")
    # The server is shared: browser tests may have uploaded articles of their own.
    assert {a["file_name"] for a in articles} >= {
        "north-korea-rejects-contact-and-summit-with-japan.txt",
        "north-korea-rules-out-dialogue-with-japan-at-any-level.txt",
    }
    assert all(a["chunks"] > 0 and a["title"] for a in articles)


def test_errors_reach_scripts_as_messages(client: Client) -> None:
    with pytest.raises(AppError, match="the question is empty"):
        client.predict("   ", api_name="/ask")


def test_chat_listens_on_loopback_only(chat_server: ChatServer) -> None:
    assert chat_server.url.startswith("http://127.0.0.1:")
    page = httpx.get(chat_server.url, timeout=10)
    assert page.status_code == 200 and "ragqa" in page.text


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    server = start_chat(tmp_path_factory.mktemp("guarded-home"), "--auth", "alice:s3:cret")
    yield server
    server.stop()


def test_auth_keeps_strangers_out(guarded_server: ChatServer) -> None:
    assert httpx.get(guarded_server.url + "config", timeout=10).status_code == 401
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(guarded_server.url, verbose=False)
    with pytest.raises(ValueError, match="Could not login"):
        Client(guarded_server.url, auth=("alice", "wrong"), verbose=False)
    client = Client(guarded_server.url, auth=("alice", "s3:cret"), verbose=False)
    assert client.predict(api_name="/articles") == []


def test_server_log_shows_no_share_link(chat_server: ChatServer) -> None:
    log = chat_server.log_text()
    assert "127.0.0.1" in log
    assert "gradio.live" not in log
