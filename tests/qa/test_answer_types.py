import pytest

from qa.answer.answer_types import can_supply, expected_answer_type


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many missiles were fired?", "number"),
        ("How old is Kim Yo Jong?", "age"),
        ("What percentage approved of the cabinet?", "percentage"),
        ("How long did the talks last?", "number"),
        ("When did the summit take place?", "date"),
        ("In what year was the first summit?", "date"),
        ("On which day did Tokyo reply?", "day"),
        ("On what calendar date did she speak?", "day"),
        ("In which month did she speak?", "date"),
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


def test_age_and_percentage_need_their_own_kind_of_number() -> None:
    assert not can_supply("She attended a meeting in August 2022.", "age")
    assert can_supply("The 36-year-old sister spoke.", "age")
    assert can_supply("She was aged 36 at the time.", "age")
    assert can_supply("The fossils date back about 515 million years.", "age")
    assert can_supply("Approval fell to 25% in May.", "percentage")
    assert not can_supply("Approval fell to a record low in May.", "percentage")


def test_a_day_is_named_or_dated_not_a_year() -> None:
    assert can_supply("She spoke on Tuesday.", "day")
    assert can_supply("The statement is dated 2024/03/26.", "day")
    assert can_supply("The talks opened on the 15th.", "day")
    assert not can_supply("She spoke a day after the abductions of the 1970s.", "day")
    assert not can_supply("The summit took place in 2002.", "day")


def test_what_the_question_already_states_does_not_count() -> None:
    question = "How many of the 17 abductees are still alive?"
    assert not can_supply("Tokyo lists a total of 17 abductees.", "number", question)
    assert can_supply("Tokyo believes 12 of the 17 are alive.", "number", question)
    assert can_supply("Tokyo lists a total of 17 abductees.", "number", "How many abductees?")
    # "17" in the question does not cover the digits of another number.
    assert can_supply("They were taken in 1977.", "date", "When were the 17 taken?")
    assert not can_supply("Tokyo sold 1000 cars.", "number", "How many of the 1,000 cars?")
