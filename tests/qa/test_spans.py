"""Short answers are cut from the evidence sentence and widened to the whole answer."""

import pytest

from qa.answer.spans import complete_answer, locate


def _answer(sentence: str, phrase: str) -> str:
    located = locate(phrase, sentence)
    assert located is not None, phrase
    start, end = complete_answer(sentence, *located)
    return sentence[start:end]


@pytest.mark.parametrize(
    ("sentence", "phrase", "expected"),
    [
        ("Kim attended a meeting in Pyongyang in August 2022.", "2022", "August 2022"),
        ("The record was set on July 8, 1905, in Fresno.", "1905", "July 8, 1905"),
        ("Agents kidnapped them in the 1970s and 1980s.", "1970s", "1970s and 1980s"),
        (
            "It was based on a 1999 paper by Michael E. Mann, Raymond S. Bradley and "
            "Malcolm K. Hughes.",
            "Michael E. Mann",
            "Michael E. Mann, Raymond S. Bradley and Malcolm K. Hughes",
        ),
        ("The record high is 115 °F (46.1 °C).", "115", "115 °F"),
        ("It has been 20 years since the summit.", "20", "20 years"),
        ("Tokyo lists 17 Japanese nationals.", "17 japanese national", "17 Japanese nationals"),
        # Nothing to widen: an unrelated word after the answer stays out.
        ("Choe Son Hui said no.", "Choe Son Hui", "Choe Son Hui"),
        ("The plague reached Crimea by 1343 and spread.", "Crimea", "Crimea"),
    ],
)
def test_answers_are_widened_to_the_whole_unit(sentence: str, phrase: str, expected: str) -> None:
    assert _answer(sentence, phrase) == expected


def test_a_phrase_not_in_the_sentence_in_order_is_not_found() -> None:
    assert locate("nationals Japanese", "Tokyo lists 17 Japanese nationals.") is None
    assert locate("", "Tokyo lists 17 Japanese nationals.") is None


def test_a_span_without_a_whole_word_is_left_as_it_is() -> None:
    sentence = "The plan (announced on Monday) was dropped."
    assert complete_answer(sentence, 9, 10) == (9, 10)
