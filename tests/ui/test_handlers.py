"""The page's callbacks against real assistants: streaming, follow-ups, errors, uploads."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from index import Embedder
from qa import Answer, Assistant, Settings
from tests.conftest import REPO, SEEDS
from tests.ui.chat_server import free_port
from ui.backends import Backends
from ui.handlers import NO_ARTICLES, ChatState, Handlers

SKIP = gr.skip()
FOREIGN_MINISTER = "Who is North Korea's foreign minister?"


def ask(handlers: Handlers, question: str, state: ChatState, **options: Any) -> list[tuple]:
    """Every update the chat callback yields, with the page's default settings."""
    settings = {
        "backend": "",
        "top_k": None,
        "article_ids": None,
        "sources": None,
        "since": None,
        "until": None,
        **options,
    }
    return list(handlers.ask(question, state, **settings))


def last_message(updates: list[tuple]) -> str:
    return updates[-1][0][-1]["content"]


@pytest.fixture
def plain(settings: Settings, embedder: Embedder) -> Assistant:
    """An extractive assistant over a collection of its own, empty."""
    return Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder)


def test_the_answer_streams_then_arrives_with_live_markers_and_sources(
    seeded_assistant: Assistant,
) -> None:
    updates = ask(Handlers(Backends(seeded_assistant)), FOREIGN_MINISTER, ChatState())

    messages, panel, state, box = updates[0]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert "ragqa-streaming" in messages[1]["content"] and panel == SKIP and box == ""
    messages, panel, state, box = updates[-1]
    assert "Choe Son Hui" in messages[1]["content"]
    assert 'class="ragqa-cite"' in messages[1]["content"]
    assert "<mark>Quoting North Korea’s foreign minister Choe Son Hui" in panel
    assert len(state.turns) == 1 and state.answers[1].answerable


class PieceByPiece:
    """Streams a real answer's text in pieces, as finer-grained streaming will."""

    def __init__(self, assistant: Assistant, pieces: list[str]) -> None:
        self.settings = assistant.settings
        self._assistant, self._pieces = assistant, pieces

    def stream(self, question: str, **options: Any) -> Iterator[str | Answer]:
        yield from self._pieces
        yield self._assistant.ask(question, **options)


def test_pieces_are_appended_as_they_come(seeded_assistant: Assistant) -> None:
    fake = PieceByPiece(seeded_assistant, ["Choe ", "Son Hui [1]."])
    updates = ask(Handlers(Backends(fake)), FOREIGN_MINISTER, ChatState())  # type: ignore[arg-type]

    shown = [u[0][-1]["content"] for u in updates]
    assert shown[1] == '<div class="ragqa-answer ragqa-streaming">Choe </div>'
    assert shown[2] == '<div class="ragqa-answer ragqa-streaming">Choe Son Hui [1].</div>'
    assert 'class="ragqa-cite"' in shown[-1]


def test_a_follow_up_is_asked_standalone(seeded_assistant: Assistant) -> None:
    handlers = Handlers(Backends(seeded_assistant))
    first = ask(handlers, "Who is North Korea's ambassador to China?", ChatState())[-1][2]

    updates = ask(handlers, "What did he say about talks with Japan?", first)

    state = updates[-1][2]
    assert [t.question for t in state.turns] == [
        "Who is North Korea's ambassador to China?",
        "What did he say about talks with Japan?",
    ]
    assert state.turns[1].standalone == "What did Ri Ryong Nam say about talks with Japan?"
    assert "Ri Ryong Nam" in updates[-1][1]
    assert last_message(updates).endswith(
        '<div class="ragqa-asked">Asked as: What did Ri Ryong Nam say about talks with Japan?'
        "</div>"
    )
    assert "ragqa-asked" not in state.messages[1]["content"]  # the first was not rewritten
    assert set(state.answers) == {1, 3}
    assert handlers.new_conversation()[2] == ChatState()


def test_an_answer_from_the_latest_of_disagreeing_articles_shows_its_date(
    plain: Assistant,
) -> None:
    plain.ingest(sorted((REPO / "eval" / "time" / "articles").glob("brakel-cycles-*.txt")))

    updates = ask(
        Handlers(Backends(plain)), "Who is the chief executive of Brakel Cycles?", ChatState()
    )

    reply, panel = last_message(updates), updates[-1][1]
    assert "Sanne Hoekstra" in reply and "(as of 2025-06-04)." in reply
    dated = '<span class="ragqa-label">Answer as of</span>2025-06-04 · brakel-cycles-2025-06.txt'
    assert dated in panel and dated in reply  # the card, and the marker's passage
    assert panel.count("Answer as of") == 1


def test_clicking_an_earlier_answer_shows_its_sources(seeded_assistant: Assistant) -> None:
    handlers = Handlers(Backends(seeded_assistant))
    state = ask(handlers, FOREIGN_MINISTER, ChatState())[-1][2]

    shown = handlers.show_sources(state, gr.SelectData(None, {"index": 1, "value": ""}))

    assert "Choe Son Hui" in shown
    assert handlers.show_sources(state, gr.SelectData(None, {"index": 0, "value": ""})) == SKIP


def test_an_answer_given_with_low_confidence_is_labelled_in_the_chat(
    settings: Settings, embedder: Embedder
) -> None:
    lenient = Assistant(
        settings.model_copy(update={"llm": "none", "min_answer_confidence": 0.0}),
        embedder=embedder,
    )
    lenient.ingest([SEEDS])
    handlers = Handlers(Backends(lenient))
    off_topic = last_message(
        ask(handlers, "Which team won the 1998 football World Cup final?", ChatState())
    )
    assert "ragqa-unsure" in off_topic and "Low confidence (" in off_topic
    stated = last_message(ask(handlers, FOREIGN_MINISTER, ChatState()))
    assert "Choe Son Hui" in stated and "Low confidence" not in stated


def test_an_empty_collection_asks_for_articles(plain: Assistant) -> None:
    updates = ask(Handlers(Backends(plain)), FOREIGN_MINISTER, ChatState())
    assert NO_ARTICLES.split(".")[0] in last_message(updates)
    assert updates[-1][2].turns == []


def test_a_bad_setting_is_explained_before_searching(plain: Assistant) -> None:
    updates = ask(Handlers(Backends(plain)), FOREIGN_MINISTER, ChatState(), since="31/12/2023")
    assert "“From date” must be a date like 2024-03-31" in last_message(updates)


def test_an_unreachable_backend_is_explained_and_another_one_still_answers(
    settings: Settings, embedder: Embedder
) -> None:
    offline_server = settings.model_copy(
        update={
            "llm": "openai",
            "llm_base_url": f"http://127.0.0.1:{free_port()}/v1",
            "llm_model": "m",
            "llm_timeout_s": 5.0,
            "answer_extraction": "llm",  # the default span answers never call the backend
        }
    )
    assistant = Assistant(offline_server, embedder=embedder)
    assistant.ingest([SEEDS])
    handlers = Handlers(Backends(assistant))

    failed = last_message(ask(handlers, FOREIGN_MINISTER, ChatState()))
    answered = last_message(ask(handlers, FOREIGN_MINISTER, ChatState(), backend="none"))

    assert "The answer backend “openai” is unavailable" in failed
    assert "Pick another backend under Settings" in failed
    assert "Traceback" not in failed
    assert "Choe Son Hui" in answered


class Broken:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def stream(self, question: str, **options: Any) -> Iterator[str | Answer]:
        raise RuntimeError("disk on fire")


def test_an_unexpected_error_is_logged_and_summarised(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    handlers = Handlers(Backends(Broken(settings)))  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="ui"):
        shown = last_message(ask(handlers, FOREIGN_MINISTER, ChatState()))

    assert "Something went wrong on the server" in shown and "disk on fire" not in shown
    assert "disk on fire" in caplog.text


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_uploads_are_ingested_summarised_and_replaced_in_place(
    plain: Assistant, tmp_path: Path
) -> None:
    handlers = Handlers(Backends(plain))
    good = write(tmp_path, "harbour.txt", "Harbour news\n\nThe mascot is a heron named Quillon.")
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00")

    progress: list[tuple[Any, str]] = []

    def record(value: Any, desc: str = "", **_: Any) -> None:
        progress.append((value, desc))

    summary, box, rows, *_ = handlers.upload(
        [good, str(bad)],
        progress=record,  # type: ignore[arg-type]
    )

    assert progress[0][1].startswith("Adding ") and progress[0][1] != "Adding articles"
    done, total = progress[-1][0]
    assert done == total > 0
    assert "1 added" in summary and "Harbour news" in summary
    assert "broken.txt: not UTF-8 text" in summary
    assert box is None
    assert [row[0] for row in rows] == ["Harbour news"]
    uploads = plain.settings.home / "uploads" / plain.settings.collection
    assert (uploads / "harbour.txt").exists()

    write(tmp_path, "harbour.txt", "Harbour news\n\nThe mascot is a heron named Quillon II.")
    summary, *_ = handlers.upload([good])
    assert "0 added, 1 replaced" in summary
    assert len(plain.stats().articles) == 1


def test_delete_removes_the_article_from_the_collection(plain: Assistant, tmp_path: Path) -> None:
    handlers = Handlers(Backends(plain))
    handlers.upload(
        [
            write(tmp_path, "a.txt", "Alpha news\n\nAlpha text."),
            write(tmp_path, "b.txt", "Beta news\n\nBeta text."),
        ]
    )
    (alpha,) = [a.article_id for a in plain.stats().articles if a.title == "Alpha news"]

    status, rows, *_ = handlers.delete(alpha)

    assert "Deleted “Alpha news”" in status
    assert [row[0] for row in rows] == ["Beta news"]
    assert [a.title for a in plain.stats().articles] == ["Beta news"]
    assert "Pick an article" in handlers.delete(None)[0]


def test_filters_from_the_settings_panel_limit_the_passages(
    plain: Assistant, tmp_path: Path
) -> None:
    handlers = Handlers(Backends(plain))
    records = write(
        tmp_path,
        "wire.jsonl",
        '{"title": "Dam opens", "source": "North Wire", "published": "2024-05-02", '
        '"text": "The Velmora dam opened. Its chief engineer is Ilse Varga."}\n'
        '{"title": "Dam inspected", "source": "South Post", "published": "2023-01-10", '
        '"text": "Inspectors visited the Velmora dam. Tomas Reyes led them."}\n',
    )
    handlers.upload([records])
    question = "Who works on the Velmora dam?"

    def shown(**options: Any) -> set[str]:
        state = ask(handlers, question, ChatState(), **options)[-1][2]
        (answer,) = state.answers.values()
        return {p.source for p in answer.passages}

    assert shown() == {"North Wire", "South Post"}
    assert shown(since="2024-01-01") == {"North Wire"}
    assert shown(until="2023-12-31", sources=["South Post"]) == {"South Post"}
    assert "No article matches the filters" in last_message(
        ask(handlers, question, ChatState(), sources=["Nobody"])
    )
