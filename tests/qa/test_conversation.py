"""Follow-up questions and streaming, through the public API."""

import pytest

from qa import Answer, Assistant, Conversation, RetrievalFilters, resolve_follow_up
from qa.conversation import Turn, is_follow_up, standalone_question


def _turn(standalone: str, answer: Answer) -> Turn:
    return Turn(question=standalone, standalone=standalone, answer=answer)


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("and who replied?", True),
        ("What did he say about talks with Japan?", True),
        ("What about China?", True),
        ("Why?", True),
        ("Who is North Korea's ambassador to China?", False),
        ("How many Japanese nationals were abducted?", False),
    ],
)
def test_follow_ups_are_recognised(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


def test_a_follow_up_is_joined_to_the_previous_standalone_question(
    seeded_assistant: Assistant,
) -> None:
    first = seeded_assistant.ask("Did Japan ask North Korea for a summit")
    history = [_turn("Did Japan ask North Korea for a summit", first)]
    assert (
        standalone_question("and who replied?", history)
        == "Did Japan ask North Korea for a summit? Who replied?"
    )
    assert standalone_question("How old is Kim Jong Un?", history) == "How old is Kim Jong Un?"
    assert standalone_question("and who replied?", []) == "and who replied?"


def test_a_follow_up_after_a_message_history_is_resolved_as_conversation_would() -> None:
    summit = "Did Japan ask North Korea for a summit"
    assert resolve_follow_up("and who replied?", [summit]) == f"{summit}? Who replied?"
    assert (
        resolve_follow_up("What did he say?", [summit, "and who replied?"])
        == f"{summit}? Who replied? What did he say?"
    )
    assert resolve_follow_up("How old is  Kim Jong Un?", [summit]) == "How old is Kim Jong Un?"
    assert resolve_follow_up("and who replied?", []) == "and who replied?"


@pytest.mark.slow
def test_conversation_answers_a_follow_up_from_the_right_passage(
    seeded_assistant: Assistant,
) -> None:
    chat = Conversation(seeded_assistant)
    first = chat.ask("Who is North Korea's ambassador to China?")
    assert "Ri Ryong Nam" in first.text
    follow_up = chat.ask("What did he say about talks with Japan?")
    assert follow_up.question.startswith("Who is North Korea's ambassador to China?")
    assert follow_up.answerable
    assert any("Ri Ryong Nam" in c.quote and "reject" in c.quote for c in follow_up.citations)
    assert [t.question for t in chat.turns] == [
        "Who is North Korea's ambassador to China?",
        "What did he say about talks with Japan?",
    ]
    chat.reset()
    assert chat.turns == []


@pytest.mark.slow
def test_stream_yields_text_then_the_same_answer_as_ask(seeded_assistant: Assistant) -> None:
    question = "How many Japanese nationals does Tokyo list as abductees?"
    pieces = list(seeded_assistant.stream(question))
    *texts, final = pieces
    assert texts and all(isinstance(t, str) for t in texts)
    assert isinstance(final, Answer)
    assert "".join(texts) == final.text
    asked = seeded_assistant.ask(question)
    assert (final.text, final.citations) == (asked.text, asked.citations)
    assert final.citations, "sources must arrive with the streamed answer"


@pytest.mark.slow
def test_conversation_stream_remembers_the_turn(seeded_assistant: Assistant) -> None:
    chat = Conversation(seeded_assistant)
    final = list(chat.stream("Who is North Korea's foreign minister?"))[-1]
    assert chat.turns[-1].answer == final


@pytest.mark.slow
def test_conversation_passes_top_k_and_filters_on(seeded_assistant: Assistant) -> None:
    chat = Conversation(seeded_assistant)
    question = "Who is North Korea's foreign minister?"
    assert len(chat.ask(question, top_k=2).passages) == 2
    *_, final = chat.stream(question, top_k=3)
    assert isinstance(final, Answer) and len(final.passages) == 3
    one_article = final.passages[0].article_id
    only = chat.ask(question, filters=RetrievalFilters(article_ids=(one_article,)))
    assert {p.article_id for p in only.passages} == {one_article}
