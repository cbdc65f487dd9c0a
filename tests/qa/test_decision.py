"""The decision rules on hand-made windows: answer from the best one, or decline."""

from qa.answer.decision import decide
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
    assert decide("How old is Kim Yo Jong?", [window], 0.35, require_answer_type=False).window is window
