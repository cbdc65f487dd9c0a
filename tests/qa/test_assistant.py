"""End to end through the public API: real MiniLM, real Chroma on disk, real Gemma."""

import re

import pytest

from qa import Answer, Assistant, QAError
from tests.conftest import SEEDS

ARTICLE_TEXT = {p.resolve().as_posix(): p.read_text() for p in SEEDS.glob("*.txt")}


def _assert_citations_are_real(answer: Answer) -> None:
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers, answer.text
    assert markers == {c.n for c in answer.citations}
    shown = {p.n: p for p in answer.passages}
    for citation in answer.citations:
        passage = shown[citation.n]
        article = ARTICLE_TEXT[citation.article_id]
        assert article[citation.start : citation.end] == citation.quote
        assert citation.quote in passage.text
        assert passage.start <= citation.start and citation.end <= passage.end


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Who is North Korea's foreign minister?", "Choe Son Hui"),
        ("How many Japanese nationals does Tokyo list as abductees?", "17"),
        ("Who is North Korea's ambassador to China?", "Ri Ryong Nam"),
        ("Which Japanese prime minister met Kim Jong Il in 2002?", "Koizumi"),
        ("What did Hayashi call North Korea's stance?", "totally unacceptable"),
    ],
)
def test_answers_state_the_fact_and_cite_the_passage_holding_it(
    seeded_assistant: Assistant, question: str, fact: str
) -> None:
    answer = seeded_assistant.ask(question)
    assert answer.answerable
    assert fact.lower() in answer.text.lower()
    _assert_citations_are_real(answer)
    assert any(fact.lower() in c.quote.lower() for c in answer.citations)
    assert len(answer.text.split()) <= 40
    assert answer.backend == "llama-cpp"
    assert answer.timings.total_s >= answer.timings.retrieval_s > 0


@pytest.mark.slow
def test_a_question_the_articles_cannot_answer_is_declined(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("What is the boiling point of mercury in kelvin?")
    assert not answer.answerable
    assert answer.citations == ()
    assert answer.text.startswith("The articles do not say.")
    assert answer.passages[0].title in answer.text  # names the closest article


def test_an_empty_question_is_a_clear_error(seeded_assistant: Assistant) -> None:
    with pytest.raises(QAError, match="empty"):
        seeded_assistant.ask("   ")


def test_extractive_mode_answers_with_the_evidence_sentence(settings, embedder) -> None:
    assistant = Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder)
    assistant.ingest([SEEDS])
    answer = assistant.ask("How many Japanese nationals does Tokyo list as abductees?")
    assert answer.backend == "none"
    assert "17 Japanese nationals" in answer.text
    _assert_citations_are_real(answer)


def test_an_empty_collection_declines_and_says_nothing_is_ingested(settings, embedder) -> None:
    assistant = Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder)
    answer = assistant.ask("Who is the foreign minister?")
    assert not answer.answerable
    assert "No articles have been ingested" in answer.text


def test_the_answer_type_refusal_can_be_turned_off(settings, embedder) -> None:
    question = "How old is Kim Yo Jong?"  # the articles give no age
    strict = Assistant(settings.model_copy(update={"llm": "none"}), embedder=embedder)
    strict.ingest([SEEDS])
    assert not strict.ask(question).answerable
    lenient = Assistant(
        settings.model_copy(update={"llm": "none", "require_answer_type": False}),
        embedder=embedder,
        store=strict.store,
    )
    answer = lenient.ask(question)
    assert answer.answerable and "Kim Yo Jong" in answer.text  # the closest sentence, cited
    _assert_citations_are_real(answer)
