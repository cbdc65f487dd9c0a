"""The decision rules on hand-made windows: answer from the best one, or decline."""

from qa.answer.confidence import SPAN_SCORE_FLOOR, Calibration
from qa.answer.decision import decide, decide_by_reader
from qa.answer.reader import Reading
from qa.answer.reading import ReadWindow
from qa.answer.windows import Window
from qa.types import Passage

TEXT = "Tokyo lists 17 Japanese nationals as abductees. Kim Yo Jong spoke for the leader."
PASSAGE = Passage(
    n=1, chunk_id="c1", article_id="a", title="Abductions", file_name="a.txt",
    text=TEXT, start=0, end=len(TEXT), score=0.5,
)  # fmt: skip


def _window(sentence: str, *, similarity: float = 0.6, coverage: float = 0.5) -> Window:
    start = TEXT.index(sentence)
    return Window(
        passage=PASSAGE, start=start, end=start + len(sentence), text=sentence, previous="",
        similarity=similarity, titled_similarity=similarity, coverage=coverage,
    )  # fmt: skip


ABDUCTEES = "Tokyo lists 17 Japanese nationals as abductees."
KIM = "Kim Yo Jong spoke for the leader."


def test_the_best_window_answers_when_it_is_strong_enough() -> None:
    best, other = _window(ABDUCTEES), _window(KIM)
    assert decide("How many abductees does Tokyo list?", [best, other], 0.35).window is best


def test_a_weak_window_or_one_without_a_question_word_declines() -> None:
    question = "How many abductees does Tokyo list?"
    weak = _window(ABDUCTEES, similarity=0.1, coverage=0.1)  # score 0.2
    assert weak.score < 0.35
    assert decide(question, [weak], 0.35).answers is False
    assert decide(question, [_window(ABDUCTEES, coverage=0.0)], 0.35).answers is False
    assert decide(question, [], 0.35).answers is False


def test_a_window_without_the_expected_kind_of_answer_declines_unless_allowed() -> None:
    window = _window(KIM)
    assert decide("How old is Kim Yo Jong?", [window], 0.35).answers is False
    lenient = decide("How old is Kim Yo Jong?", [window], 0.35, require_answer_type=False)
    assert lenient.window is window


# Confidence = sigmoid(logit): the evidence and span scores are given no weight here.
CALIBRATION = Calibration(
    ranking_weight=1.0, windows_read=4, coefficients=(1.0, 0.0, 0.0), intercept=0.0,
    threshold=0.5,
)  # fmt: skip


def _read(sentence: str, logit: float) -> ReadWindow:
    window = _window(sentence)
    return ReadWindow(window, Reading(logit, (0, 5), 1.0), rank=logit)


def test_the_reader_answers_from_the_top_window_when_sure_and_withholds_when_not() -> None:
    question = "How many abductees does Tokyo list?"
    sure = decide_by_reader(question, [_read(ABDUCTEES, 2.0)], CALIBRATION, 0.5)
    assert sure.answers and not sure.withheld
    assert sure.confidence is not None and sure.confidence > 0.85
    assert sure.span == (0, 5) and sure.window is not None and sure.window.text == ABDUCTEES
    unsure = decide_by_reader(question, [_read(ABDUCTEES, -2.0)], CALIBRATION, 0.5)
    assert not unsure.answers and unsure.withheld and unsure.window is not None
    assert unsure.confidence is not None and unsure.confidence < 0.15
    assert decide_by_reader(question, [], CALIBRATION, 0.5).window is None


def test_the_answer_type_rule_still_declines_a_sure_reader_outright() -> None:
    declined = decide_by_reader("How old is Kim Yo Jong?", [_read(KIM, 3.0)], CALIBRATION, 0.5)
    assert not declined.answers and not declined.withheld  # nothing to show as withheld
    lenient = decide_by_reader(
        "How old is Kim Yo Jong?", [_read(KIM, 3.0)], CALIBRATION, 0.5, require_answer_type=False
    )
    assert lenient.answers


def test_a_window_without_any_span_gets_the_floor_span_score_not_an_overflow() -> None:
    spanless = Calibration(
        ranking_weight=1.0, windows_read=4, coefficients=(0.0, 0.0, 1.0), intercept=0.0,
        threshold=0.5,
    )  # fmt: skip
    assert spanless.confidence(0.0, 0.0, float("-inf")) == spanless.confidence(
        0.0, 0.0, SPAN_SCORE_FLOOR
    )
    assert spanless.confidence(0.0, 0.0, 2.0) > spanless.confidence(0.0, 0.0, -2.0)
