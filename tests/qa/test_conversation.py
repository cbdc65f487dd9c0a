"""Follow-up questions and streaming, through the public API."""

import pytest

from qa import (
    Answer,
    Assistant,
    BackendError,
    Conversation,
    RetrievalFilters,
    resolve_follow_up,
)
from qa.followups import Exchange, condensed, is_follow_up, standalone
from qa.text import content_terms
from tests.qa.scripted import ScriptedLLM

AMBASSADOR = Exchange("Who is North Korea's ambassador to China?", "Ri Ryong Nam [1].")
KOIZUMI = Exchange("When did Koizumi visit Pyongyang?", "2002 [1].")


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("and who replied?", True),
        ("What did he say about talks with Japan?", True),
        ("What about China?", True),
        ("Why?", True),
        ("How many abductees came back then?", True),
        ("Where was that summit held?", True),
        ("Who is North Korea's ambassador to China?", False),
        ("How many Japanese nationals were abducted?", False),
    ],
)
def test_follow_ups_are_recognised(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        # A pronoun stands for the name the previous answer gave...
        ("What did he say about talks with Japan?", AMBASSADOR,
         "What did Ri Ryong Nam say about talks with Japan?"),
        ("What is her country?", AMBASSADOR, "What is Ri Ryong Nam's country?"),
        # ... or, when the answer is no name, for the one the previous question named.
        ("What did she say about the abduction issue?",
         Exchange("Who is Kim Yo Jong?", "sister of the North Korean leader [1]."),
         "What did Kim Yo Jong say about the abduction issue?"),
        ("What did they say?", Exchange("Did Japan propose a summit?", "The articles do not say."),
         "What did Japan say?"),
        # "then" is the date answered or asked about, "there" the place.
        ("How many abductees came back then?", KOIZUMI, "How many abductees came back in 2002?"),
        ("What has happened since then?", KOIZUMI, "What has happened since 2002?"),
        ("Who did he meet there?", Exchange("Where did Koizumi go in 2002?", "Pyongyang [1]."),
         "Who did Koizumi meet in Pyongyang?"),
        # An ellipsis swaps its element into the previous question.
        ("And in February?", Exchange("What did Kim Yo Jong say in August 2022?", "x"),
         "What did Kim Yo Jong say in February?"),
        ("What about Hayashi?", Exchange("What did Kishida say about the statement?", "x"),
         "What did Hayashi say about the statement?"),
        # A question with nothing of its own is asked after the previous one...
        ("Why?", Exchange("Did North Korea reject talks with Japan?", "Yes [1]."),
         "Did North Korea reject talks with Japan? Why?"),
        # ... one with a topic but pointing back gets the previous names as context.
        ("Where was that summit held?", Exchange("When did Koizumi meet Kim Jong Il?", "2002"),
         "Where was that summit held (Koizumi, Kim Jong Il)?"),
        # A topic switch, "there is" and "is it" are left as they are.
        ("How many Japanese nationals does Tokyo list as abductees?", AMBASSADOR,
         "How many Japanese nationals does Tokyo list as abductees?"),
        ("Is there a summit planned with Japan?", AMBASSADOR,
         "Is there a summit planned with Japan?"),
        ("Is it true that Japan asked for a summit?", KOIZUMI,
         "Is it true that Japan asked for a summit?"),
        # After "who did X ...?", "he" is X and "they" both.
        ("Which US administration has he refused to engage with?",
         Exchange("Who did Kim Jong Un last speak to?", "Donald Trump [1]."),
         "Which US administration has Kim Jong Un refused to engage with?"),
        ("Where did they meet?",
         Exchange("Which Japanese prime minister did Kim Jong Il meet?", "Koizumi [1]."),
         "Where did Kim Jong Il and Koizumi meet?"),
        # "that" after "said" is what the last answer said; "there" an answered city.
        ("Who said that?", Exchange("How did Tokyo describe the stance?", "totally unacceptable"),
         'Who said "totally unacceptable"?'),
        ("When was she photographed there?",
         Exchange("In which city was the photo of Kim Yo Jong taken?", "Pyongyang [1]."),
         "When was Kim Yo Jong photographed in Pyongyang?"),
        # An ellipsis led by a preposition replaces the previous question's phrase.
        ("And between the US and North Korea?",
         Exchange("What issue has halted talks between Japan and North Korea?", "x"),
         "What issue has halted talks between the US and North Korea?"),
        # A nationality is no name; a question's opening "In" neither.
        ("Where did he go?", Exchange("In what year did the Japanese prime minister Koizumi "
                                      "visit?", "2002"),
         "Where did Koizumi go?"),
        # A date swaps a date even after another phrase with the same preposition.
        ("and in 2019?", Exchange("Who did Kim meet in Beijing in 2018?", "x"),
         "Who did Kim meet in Beijing in 2019?"),
        # A possessive makes no bare name: "who is Japan's PM?" asked for a name.
        ("What did the U.S. tell him?", Exchange("Who is Japan's PM?", "Fumio Kishida [1]."),
         "What did the U.S. tell Fumio Kishida?"),
        # "it" after "who is X?" does not stand for the person X.
        ("Who told her about it?", Exchange("Who is Kim Yo Jong?", "sister [1]."),
         "Who told Kim Yo Jong about it?"),
    ],
)  # fmt: skip
def test_a_follow_up_is_made_standalone_from_the_previous_exchange(
    question: str, previous: Exchange, expected: str
) -> None:
    assert standalone(question, [previous]) == expected


def test_the_first_question_is_asked_as_it_is() -> None:
    assert standalone("and who  replied?", []) == "and who replied?"


@pytest.mark.parametrize("question", ["what about ?", "Okay, and?", "?", "", "¿Y él?"])
def test_odd_follow_ups_never_fail_nor_invent_a_subject(question: str) -> None:
    asked = standalone(question, [Exchange("Who did Kim Jong Un speak to?", "Ri [1].")])
    assert "did and" not in asked and "did  " not in asked


def test_a_follow_up_after_a_message_history_is_resolved_as_conversation_would() -> None:
    ambassador = (AMBASSADOR.question, AMBASSADOR.answer)
    assert (
        resolve_follow_up("What did he say?", [ambassador]) == "What did Ri Ryong Nam say?"
    )
    # Each exchange is made standalone in turn, so a pointer chain is followed.
    assert (
        resolve_follow_up(
            "And what did he say then?",
            [("When did Koizumi visit Pyongyang?", "2002 [1]."), ("Who did he meet?", "")],
        )
        == "What did Koizumi say in 2002?"
    )
    assert resolve_follow_up("How old is  Kim Jong Un?", [ambassador]) == "How old is Kim Jong Un?"
    # A question whose answer is not known may come alone.
    assert resolve_follow_up("What did he say?", ["Did Kishida ask for talks?"]) == (
        "What did Kishida say?"
    )
    assert resolve_follow_up("and who replied?", []) == "and who replied?"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("first", "follow_up", "standalone_question", "expected"),
    [
        ("When did Koizumi visit Pyongyang?", "How many abductees came back then?",
         "How many abductees came back in 2002?", "five"),
        ("Who said Japan knocked at the door first?", "What position does she hold?",
         "What position does Kim Yo Jong hold?", None),
    ],
)  # fmt: skip
def test_a_follow_up_is_answered_from_its_own_words(
    seeded_assistant: Assistant,
    first: str,
    follow_up: str,
    standalone_question: str,
    expected: str | None,
) -> None:
    chat = Conversation(seeded_assistant)
    chat.ask(first)
    answer = chat.ask(follow_up)
    assert chat.turns[-1].standalone == standalone_question
    assert answer.question == standalone_question
    if expected is not None:
        assert expected in answer.text


@pytest.mark.slow
def test_conversation_answers_a_follow_up_from_the_right_passage(
    seeded_assistant: Assistant,
) -> None:
    chat = Conversation(seeded_assistant)
    first = chat.ask("Who is North Korea's ambassador to China?")
    assert "Ri Ryong Nam" in first.text
    follow_up = chat.ask("What did he say about talks with Japan?")
    assert follow_up.question == "What did Ri Ryong Nam say about talks with Japan?"
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


class _FailingLLM(ScriptedLLM):
    def __init__(self) -> None:
        super().__init__("")

    def complete(self, prompt: str) -> str:
        raise BackendError("the LLM server is gone")


def test_an_llm_condensed_question_is_kept_only_when_every_word_was_said() -> None:
    grounded = ScriptedLLM("How many abductees came back after Koizumi visited Pyongyang?")
    assert condensed("How many abductees came back then?", [KOIZUMI], grounded) == grounded.reply
    # llama-index's condense-question prompt, with the conversation so far.
    assert "standalone question" in grounded.prompts[0]
    assert "Human: When did Koizumi visit Pyongyang?\nAssistant: 2002" in grounded.prompts[0]
    invented = ScriptedLLM("How many abductees came back after the World Cup?")
    assert condensed("How many came back then?", [KOIZUMI], invented) is None
    assert condensed("How many came back then?", [KOIZUMI], ScriptedLLM("  ")) is None
    assert condensed("How many came back then?", [KOIZUMI], _FailingLLM()) is None
    # A reply that still points back, or repeats the last question, is no rewrite.
    echo = ScriptedLLM("How many abductees came back then?")
    assert condensed("How many abductees came back then?", [KOIZUMI], echo) is None
    again = ScriptedLLM("When did Koizumi visit Pyongyang?")
    assert condensed("How many abductees came back then?", [KOIZUMI], again) is None


@pytest.mark.slow
def test_with_follow_ups_by_llm_the_bundled_model_never_adds_a_topic(
    seeded_assistant: Assistant,
) -> None:
    settings = seeded_assistant.settings.model_copy(update={"follow_ups": "llm"})
    assistant = Assistant(
        settings,
        embedder=seeded_assistant.embedder,
        store=seeded_assistant.store,
        llm=seeded_assistant.llm,
        retriever=seeded_assistant.retriever,
    )
    chat = Conversation(assistant)
    chat.ask("When did Koizumi visit Pyongyang?")
    chat.ask("How many abductees came back then?")
    asked = chat.turns[-1].standalone
    rules = standalone("How many abductees came back then?", [Exchange(*_first(chat))])
    said = set(content_terms(f"{_first(chat)} How many abductees came back then?"))
    assert asked == rules or set(content_terms(asked)) <= said


def _first(chat: Conversation) -> tuple[str, str]:
    turn = chat.turns[0]
    return turn.standalone, turn.answer.text
