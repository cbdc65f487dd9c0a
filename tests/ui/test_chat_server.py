"""``ragqa chat`` served for real and called through its documented endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError

from tests.ui.chat_server import ChatServer, listening_addresses, start_chat, start_server

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
    assert listening_addresses(int(chat_server.url.rsplit(":", 1)[1].strip("/"))) == {
        "127.0.0.1"
    }


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


@pytest.fixture(scope="module")
def env_guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    """The password from the environment, where ``ps`` cannot see it."""
    home = tmp_path_factory.mktemp("env-guarded-home")
    server = start_server("chat", home, env={"RAGQA_CHAT_AUTH": "bob:env-s3cret"})
    yield server
    server.stop()


def test_strangers_get_nothing_not_even_uploaded_files(env_guarded_server: ChatServer) -> None:
    url = env_guarded_server.url
    with httpx.Client(base_url=url, timeout=30) as member:
        login = member.post("login", data={"username": "bob", "password": "env-s3cret"})
        assert login.status_code == 200
        uploaded = member.post(
            "gradio_api/upload", files=[("files", ("secret.txt", b"Private notes.", "text/plain"))]
        )
        assert uploaded.status_code == 200, uploaded.text
        (path,) = uploaded.json()
        assert member.get(f"gradio_api/file={path}").text == "Private notes."
        assert member.get("config").status_code == 200
    assert "env-s3cret" not in " ".join(env_guarded_server.process.args)

    with httpx.Client(base_url=url, timeout=30) as stranger:
        wrong = stranger.post("login", data={"username": "bob", "password": "guess"})
        assert wrong.status_code == 400
        refused = {
            "file": stranger.get(f"gradio_api/file={path}"),
            "config": stranger.get("config"),
            "info": stranger.get("gradio_api/info"),
            "openapi": stranger.get("gradio_api/openapi.json"),
            "upload": stranger.post(
                "gradio_api/upload", files=[("files", ("x.txt", b"x", "text/plain"))]
            ),
            "queue": stranger.post(
                "gradio_api/queue/join",
                json={"data": ["Who?"], "fn_index": 0, "session_hash": "s"},
            ),
            "call": stranger.post("gradio_api/call/ask", json={"data": ["Who?"]}),
            "run": stranger.post("gradio_api/run/ask", json={"data": ["Who?"]}),
        }
    for what, response in refused.items():
        assert response.status_code in (401, 403), (what, response.status_code)
        assert "Private notes" not in response.text, what


def test_server_log_shows_no_share_link(chat_server: ChatServer) -> None:
    log = chat_server.log_text()
    assert "127.0.0.1" in log
    assert "gradio.live" not in log
