"""Cited answers: a model writes the answer, each sentence is verified as it is finished.

The control flow is tested with a scripted model that hands out its reply piece by
piece; the last tests run the real bundled Gemma through the public API.
"""

import re
from collections.abc import Generator, Iterator, Sequence

import pytest

from qa import Answer, Assistant, Settings, SettingsError
from qa.answer.citations import Draft
from qa.answer.cited import declines, stream_cited_answer
from qa.types import Passage
from tests.conftest import SEEDS, RecordingLLM

PASSAGES = (
    Passage(
        n=1,
        chunk_id="a:0",
        article_id="a",
        title="Tokyo rejects North Korea's stance",
        file_name="a.txt",
        text="Chief Cabinet Secretary Yoshimasa Hayashi called the stance totally "
        "unacceptable. Tokyo lists 17 nationals as abductees.",
        start=0,
        end=120,
        score=0.9,
    ),
    Passage(
        n=2,
        chunk_id="b:0",
        article_id="b",
        title="North Korea wants no summit with Japan",
        file_name="b.txt",
        text="Quoting foreign minister Choe Son Hui, the agency said there was no interest "
        "in a summit. The ambassador to China, Ri Ryong Nam, agreed.",
        start=40,
        end=175,
        score=0.8,
    ),
)


class ScriptedStream:
    """Hands out ``pieces`` one at a time and records how far the reader got."""

    name = "scripted"

    def __init__(self, pieces: Sequence[str]) -> None:
        self.pieces = list(pieces)
        self.handed_out = 0
        self.closed = False

    def complete(self, prompt: str) -> str:
        return "".join(self.pieces)

    def stream(self, prompt: str) -> Generator[str, None, None]:
        self.prompt = prompt
        try:
            for piece in self.pieces:
                self.handed_out += 1
                yield piece
        finally:
            self.closed = True


def _run(pieces: Sequence[str]) -> tuple[list[tuple[str, int]], Draft, ScriptedStream]:
    """(each released piece with how many model pieces had been read), the result, the model."""
    model = ScriptedStream(pieces)
    released: list[tuple[str, int]] = []
    result = None
    for item in stream_cited_answer("Who said what?", PASSAGES, model):
        if isinstance(item, Draft):
            result = item
        else:
            released.append((item, model.handed_out))
    assert result is not None
    return released, result, model


def test_each_sentence_is_released_once_finished_and_the_pieces_join_to_the_answer() -> None:
    pieces = [
        "Choe Son Hui is the foreign",
        " minister [2].",
        " Hayashi called the stance",
        " totally unacceptable [1].",
    ]
    released, result, model = _run(pieces)
    assert [text for text, _ in released] == [
        "Choe Son Hui is the foreign minister [2].",
        " Hayashi called the stance totally unacceptable [1].",
    ]
    # The first sentence went out as soon as the second began, before the model finished.
    assert released[0][1] == 3 < len(pieces)
    assert "".join(text for text, _ in released) == result.text
    assert [c.n for c in result.citations] == [2, 1]
    assert result.citations[0].quote.startswith("Quoting foreign minister Choe Son Hui")
    assert result.citations[0].start == PASSAGES[1].start  # article coordinates
    assert "[1]" in model.prompt and "[2]" in model.prompt  # passages numbered as shown


def test_a_marker_after_the_full_stop_stays_with_its_sentence() -> None:
    released, result, _ = _run(["Tokyo lists 17 nationals as abductees.", " [1]", " The Olympics"])
    assert released[0][0] == "Tokyo lists 17 nationals as abductees [1]."
    assert result.text == "Tokyo lists 17 nationals as abductees [1]."  # fragment unsupported


def test_wrong_markers_move_and_unsupported_sentences_never_appear() -> None:
    released, result, _ = _run(
        [
            "Tokyo lists 17 nationals as abductees [2]. ",  # wrong passage: moved to [1]
            "Tokyo lists 40 nationals as abductees [1]. ",  # invented number: dropped
            "Pyongyang will host the Olympics [7].",  # nothing supports it: dropped
        ]
    )
    assert result.text == "Tokyo lists 17 nationals as abductees [1]."
    assert "".join(text for text, _ in released) == result.text
    assert [c.n for c in result.citations] == [1]


def test_repeats_are_shown_once_and_the_model_is_stopped_after_two_sentences() -> None:
    minister = "Choe Son Hui is the foreign minister [2]. "
    pieces = [minister, minister, "Tokyo lists 17 nationals as abductees [1]. ", "Ri", " Ryong"]
    released, result, model = _run(pieces)
    assert result.text == (
        "Choe Son Hui is the foreign minister [2]. Tokyo lists 17 nationals as abductees [1]."
    )
    assert "".join(text for text, _ in released) == result.text
    assert model.closed and model.handed_out == 4  # the second sentence ended at " Ri"


@pytest.mark.parametrize(
    "pieces",
    [
        ["NOT", " FOUND"],
        ["NOT FOUND.", " The passages", " talk about", " something else."],
        ["Not found."],
    ],
)
def test_not_found_is_a_refusal_and_stops_the_model(pieces: list[str]) -> None:
    released, result, model = _run(pieces)
    assert released == []
    assert result.text == "" and result.citations == ()
    assert model.closed
    assert model.handed_out <= 2  # it stopped reading once the reply declined


def test_declines_only_at_the_start() -> None:
    assert declines("NOT FOUND.")
    assert declines("not found [1]")
    assert not declines("The minister was not found guilty.")


def test_a_reply_with_nothing_supported_is_empty() -> None:
    released, result, _ = _run(["Pyongyang will host the Olympics [1]."])
    assert released == [] and result.text == ""


def test_cited_answers_need_an_llm() -> None:
    with pytest.raises(SettingsError, match="answer_style"):
        Settings(answer_style="cited", llm="none")


def test_the_reply_limit_follows_the_style() -> None:
    assert Settings().answer_token_limit == 40
    assert Settings(answer_style="cited").answer_token_limit == 160
    assert Settings(answer_style="cited", max_answer_tokens=64).answer_token_limit == 64


def test_a_backend_streaming_a_plain_iterator_works() -> None:
    class PlainIterator(ScriptedStream):
        def stream(self, prompt: str) -> Iterator[str]:  # type: ignore[override]
            return iter(self.pieces)

    model = PlainIterator(["Tokyo lists 17 nationals as abductees [1]."])
    *_, result = stream_cited_answer("How many?", PASSAGES, model)
    assert isinstance(result, Draft)
    assert result.text == "Tokyo lists 17 nationals as abductees [1]."


def test_a_reader_that_stops_early_stops_the_model(settings, embedder) -> None:
    """The chat may drop a stream (the user left); the model must not write on."""
    sentence = "Tokyo officially lists 17 Japanese nationals as abductees [1]. "
    model = ScriptedStream([sentence, "Tokyo says", " more."])
    assistant = Assistant(
        settings.model_copy(update={"answer_style": "cited"}), embedder=embedder, llm=model
    )
    assistant.ingest([SEEDS])
    stream = assistant.stream("How many Japanese nationals does Tokyo list as abductees?")
    first = next(stream)
    assert "17 Japanese nationals" in first and model.handed_out == 2
    stream.close()
    assert model.closed and model.handed_out == 2


ARTICLE_TEXT = {p.resolve().as_posix(): p.read_text() for p in SEEDS.glob("*.txt")}


def _assert_verified(answer: Answer) -> None:
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers and markers == {c.n for c in answer.citations}
    shown = {p.n: p for p in answer.passages}
    for citation in answer.citations:
        assert ARTICLE_TEXT[citation.article_id][citation.start : citation.end] == citation.quote
        assert citation.quote in shown[citation.n].text


@pytest.mark.slow
def test_real_model_cited_answers_stream_verified_text_with_real_sources(
    settings, embedder, gemma
) -> None:
    model = RecordingLLM(gemma)
    assistant = Assistant(
        settings.model_copy(update={"answer_style": "cited"}), embedder=embedder, llm=model
    )
    assistant.ingest([SEEDS])
    answered = []
    for question in (
        "How many Japanese nationals does Tokyo list as abductees?",
        "At which international gathering did Kishida say he wanted to talk to Kim Jong Un?",
        "How is Kim Yo Jong related to Kim Jong Un?",
    ):
        *pieces, final = assistant.stream(question)
        assert isinstance(final, Answer)
        assert "".join(pieces) == final.text
        assert "[1]" in model.prompts[-1] and question in model.prompts[-1]
        if final.answerable:
            _assert_verified(final)
            answered.append(final)
        else:
            assert final.text.startswith("The articles do not say.")
    assert len(model.prompts) == 3  # each question reached the model
    assert answered, "the bundled model answered none of three answerable questions"
