"""Answerability AUROC and the risk–coverage curve on hand-made sets with known values."""

import json
import math

import pytest

from eval import (
    CoveragePoint,
    aggregate,
    answerability_auroc,
    operating_point,
    risk_coverage,
    score_question,
    threshold_for_false_refusals,
)
from eval.confidence import auroc
from eval.metrics import QuestionRecord
from tests.eval.builders import ARTICLE_A, answer, gold, passage

MINISTER = passage(1, ARTICLE_A, "Choe Son Hui is the foreign minister of North Korea.")
REFUSAL = "The articles do not say."


def rounded(expected: object) -> object:
    """Points hold rates rounded to 6 places, like the metrics."""
    return pytest.approx(expected, abs=1e-6)


def answerable(confidence: float | None, item_id: str = "a") -> QuestionRecord:
    text = "Choe Son Hui [1]."
    return score_question(
        gold(["Choe Son Hui"], item_id=item_id), answer(text, [MINISTER], confidence=confidence)
    )


def unanswerable(confidence: float | None, item_id: str = "u") -> QuestionRecord:
    declined = answer(REFUSAL, [MINISTER], answerable=False, confidence=confidence)
    return score_question(gold(item_id=item_id), declined)


@pytest.mark.parametrize(
    ("positives", "negatives", "expected"),
    [
        ([0.9, 0.8], [0.2, 0.1], 1.0),  # perfect separation
        ([0.2, 0.1], [0.9, 0.8], 0.0),  # reversed
        ([0.5, 0.5], [0.5, 0.5, 0.5], 0.5),  # all tied
        # 0.9 beats both, 0.5 ties 0.5 and beats 0.2, 0.3 beats only 0.2: 4.5 of 6 pairs
        ([0.9, 0.5, 0.3], [0.5, 0.2], 0.75),
    ],
)
def test_auroc_counts_pairs_won_with_ties_as_half(
    positives: list[float], negatives: list[float], expected: float
) -> None:
    assert auroc(positives, negatives) == pytest.approx(expected)


def test_auroc_is_none_without_both_classes() -> None:
    assert auroc([0.9], []) is None and auroc([], [0.1]) is None


def test_answerability_auroc_treats_answerable_as_positive_and_skips_missing_confidence() -> None:
    records = [
        answerable(0.9, "a1"),
        answerable(0.5, "a2"),
        answerable(0.3, "a3"),
        answerable(None, "a4"),  # nothing read: left out, not counted as 0
        unanswerable(0.5, "u1"),
        unanswerable(0.2, "u2"),
        unanswerable(None, "u3"),
    ]
    assert answerability_auroc(records) == pytest.approx(0.75)
    assert aggregate(records)["answerability_auroc"] == pytest.approx(0.75)
    # Only unanswerable questions with a confidence: no positives.
    assert answerability_auroc([unanswerable(0.4), answerable(None)]) is None
    assert aggregate([answerable(0.9), unanswerable(None)])["answerability_auroc"] is None


# The risk–coverage set, 4 answerable and 2 unanswerable questions:
#   a_right    answered, right            confidence 0.9
#   a_wrong    answered, wrong            confidence 0.7
#   a_withheld declined for confidence;   confidence 0.5   the withheld answer is right
#   a_other    declined for another reason (nothing withheld), confidence 0.8: never answered
#   u_withheld declined for confidence;   confidence 0.6   answering it is wrong
#   u_unread   declined, nothing read (confidence None): never answered
def curve_records() -> list[QuestionRecord]:
    choe = gold(["Choe Son Hui"], item_id="a")
    return [
        score_question(choe, answer("Choe Son Hui [1].", [MINISTER], cited=[1], confidence=0.9)),
        score_question(choe, answer("Kishida [1].", [MINISTER], cited=[1], confidence=0.7)),
        score_question(
            choe,
            answer(
                REFUSAL, [MINISTER], answerable=False, confidence=0.5, withheld="Choe Son Hui [1]."
            ),
        ),
        score_question(choe, answer(REFUSAL, [MINISTER], answerable=False, confidence=0.8)),
        score_question(
            gold(item_id="u"),
            answer(REFUSAL, [MINISTER], answerable=False, confidence=0.6, withheld="Tokyo [1]."),
        ),
        score_question(gold(item_id="u"), answer(REFUSAL, [], answerable=False)),
    ]


def test_withheld_answers_are_scored_like_answers_with_markers_stripped() -> None:
    records = curve_records()
    assert [r.withheld_correct for r in records] == [None, None, True, None, None, None]
    wrong = answer(REFUSAL, [MINISTER], answerable=False, confidence=0.4, withheld="Kishida [1].")
    assert score_question(gold(["Choe Son Hui"]), wrong).withheld_correct is False
    # "[1]" must not turn "Hui [1]" into "Hui 1", as for accuracy.
    glued = answer(REFUSAL, [MINISTER], answerable=False, confidence=0.4, withheld="Hui [1].")
    assert score_question(gold(["Hui 1"]), glued).withheld_correct is False
    # A refusal is still a refusal for every other metric.
    assert records[2].refused and records[2].correct is False and records[2].failed


def test_risk_coverage_replays_every_threshold_that_changes_the_outcome() -> None:
    curve = risk_coverage(curve_records())
    assert curve[0].threshold == math.nextafter(0.9, math.inf)  # just above the top: answers none
    assert [p.threshold for p in curve[1:]] == [0.9, 0.7, 0.6, 0.5]  # 0.8 answers nothing new
    assert [p.answered for p in curve] == [0, 1, 2, 3, 4]
    assert [p.coverage for p in curve] == rounded([0, 1 / 6, 2 / 6, 3 / 6, 4 / 6])
    # At 0.6 the unanswerable question's withheld answer is given, and wrong; at 0.5 the
    # answerable one's withheld answer is given, and right.
    assert [p.accuracy for p in curve] == rounded([None, 1.0, 1 / 2, 1 / 3, 2 / 4])
    assert [p.refusal_accuracy for p in curve] == [1.0, 1.0, 1.0, 0.5, 0.5]
    # a_other is declined at every threshold, so false refusals never go under 1 of 4.
    assert [p.false_refusal_rate for p in curve] == [1.0, 0.75, 0.5, 0.5, 0.25]


def test_questions_sharing_a_confidence_enter_at_one_threshold() -> None:
    curve = risk_coverage([answerable(0.8, "a1"), answerable(0.8, "a2"), unanswerable(0.8)])
    top = math.nextafter(0.8, math.inf)
    assert [(p.threshold, p.answered) for p in curve] == [(top, 0), (0.8, 2)]


def test_no_confidence_means_no_curve() -> None:
    assert risk_coverage([answerable(None), unanswerable(None)]) == ()
    # A confidence on a question that can never be answered draws no curve either.
    assert risk_coverage([unanswerable(0.7)]) == ()


def test_operating_point_is_the_run_as_it_was() -> None:
    point = operating_point(curve_records())
    assert point.threshold is None and point.answered == 2
    assert point.coverage == rounded(2 / 6) and point.accuracy == pytest.approx(0.5)
    assert point.refusal_accuracy == 1.0 and point.false_refusal_rate == 0.5


@pytest.mark.parametrize(
    ("target", "threshold"), [(0.75, 0.9), (0.5, 0.7), (0.25, 0.5), (0.1, None)]
)
def test_threshold_for_false_refusals_picks_the_highest_within_target(
    target: float, threshold: float | None
) -> None:
    picked = threshold_for_false_refusals(risk_coverage(curve_records()), target)
    assert (None if picked is None else picked.threshold) == threshold


def test_threshold_for_false_refusals_ignores_unmeasured_rates() -> None:
    only_unanswerable = risk_coverage([score_question(gold(), answer("Tokyo.", confidence=0.6))])
    assert only_unanswerable and only_unanswerable[-1].false_refusal_rate is None
    assert threshold_for_false_refusals(only_unanswerable) is None


def test_points_and_records_serialise_to_strict_json() -> None:
    records = curve_records()
    strict = {"parse_constant": pytest.fail}  # Infinity or NaN would not be JSON
    points = json.loads(json.dumps([p.to_dict() for p in risk_coverage(records)]), **strict)
    assert points[-1] == {
        "threshold": 0.5,
        "answered": 4,
        "coverage": 0.666667,
        "accuracy": 0.5,
        "refusal_accuracy": 0.5,
        "false_refusal_rate": 0.25,
    }
    assert CoveragePoint(**points[1]) == risk_coverage(records)[1]
    withheld = json.loads(json.dumps(records[2].to_dict()))
    assert withheld["confidence"] == 0.5 and withheld["withheld"] == "Choe Son Hui [1]."
    assert withheld["withheld_correct"] is True and withheld["refused"] is True
    unread = records[5].to_dict()
    assert unread["confidence"] is None and unread["withheld"] == ""
