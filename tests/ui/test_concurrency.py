"""Many sessions at once against a real ``ragqa chat``: no errors, no cross-talk, and every
answer the one its conversation gets when asked alone.

The server phrases answers with the local LLM (``answer_extraction = "llm"``), so the
answers also go through the model's queue, not only retrieval and the reader.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from gradio_client import Client

from tests.ui.chat_server import SEEDS, ChatServer, ingest, start_server

pytestmark = pytest.mark.slow

CONVERSATIONS = (
    ("Who is North Korea's ambassador to China?", "What did he say about talks with Japan?"),
    ("Who is North Korea's foreign minister?", "What did she say about a summit?"),
    ("How many Japanese nationals does Tokyo list as abductees?", "How many came back?"),
    ("Which Japanese prime minister met Kim Jong Il in 2002?", "What did he want?"),
)
"""Each follow-up means something only after its own first question."""
SESSIONS_PER_CONVERSATION = 2
CONCURRENT_ANSWERS = 3
"""Fewer than the sessions, so Gradio's queue holds some questions back as well."""


@pytest.fixture(scope="module")
def llm_chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    home = tmp_path_factory.mktemp("concurrent-home")
    ingest(home, SEEDS)
    server = start_server(
        "chat",
        home,
        env={
            "RAGQA_ANSWER_EXTRACTION": "llm",
            "RAGQA_CONCURRENT_ANSWERS": str(CONCURRENT_ANSWERS),
        },
    )
    yield server
    server.stop()


def converse(url: str, questions: Sequence[str]) -> list[tuple[Any, Any]]:
    """One browser session's conversation through the page's own chat event: the chat
    and the sources panel after each question."""
    client = Client(url, verbose=False)
    replies = []
    for question in questions:
        chat, sources, _ = client.predict(
            question, "llama-cpp", 5, [], [], "", "", api_name="/chat"
        )
        replies.append((chat, sources))
    return replies


def test_concurrent_sessions_get_their_own_answers(llm_chat: ChatServer) -> None:
    alone = [converse(llm_chat.url, questions) for questions in CONVERSATIONS]
    first_answers = [replies[0][0][1]["content"][0]["text"] for replies in alone]
    for answer, name in zip(
        first_answers, ("Ri Ryong Nam", "Choe Son Hui", "17", "Koizumi"), strict=True
    ):
        assert name in answer
    assert all("ragqa-notice" not in str(replies) for replies in alone)

    sessions = [n for n in range(len(CONVERSATIONS)) for _ in range(SESSIONS_PER_CONVERSATION)]
    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        together = list(
            pool.map(lambda n: converse(llm_chat.url, CONVERSATIONS[n]), sessions)
        )

    for n, replies in zip(sessions, together, strict=True):
        assert replies == alone[n], f"session of conversation {n} differs from it asked alone"
    assert "Traceback" not in llm_chat.log_text()
