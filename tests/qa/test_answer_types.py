import pytest

from qa.answer_types import can_supply, expected_answer_type


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many missiles were fired?", "number"),
        ("How old is Kim Yo Jong?", "number"),
        ("What percentage approved of the cabinet?", "number"),
        ("When did the summit take place?", "date"),
        ("In what year was the first summit?", "date"),
        ("On which day did Tokyo reply?", "date"),
        ("Who is the foreign minister?", None),
        ("Where did Kishida speak?", None),
    ],
)
def test_expected_answer_type(question: str, kind: str | None) -> None:
    assert expected_answer_type(question) == kind


def test_a_sentence_must_hold_the_expected_kind() -> None:
    assert can_supply("Tokyo lists a total of 17 abductees.", "number")
    assert can_supply("Five abductees came home.", "number")
    assert not can_supply("Kim Yo Jong is the leader's sister.", "number")
    assert can_supply("She spoke on Tuesday.", "date")
    assert can_supply("The summit took place in 2002.", "date")
    assert not can_supply("The summit took place in Pyongyang.", "date")
    assert can_supply("Anything at all.", None)
