"""Every metric on hand-built answers whose values can be worked out by hand."""

import json

import pytest

from eval.metrics import (
    FAITHFUL_COVERAGE,
    METRICS,
    aggregate,
    check_sentences,
    percentile,
    score_question,
)
from tests.eval.builders import ARTICLE_A, ARTICLE_B, answer, gold, passage

MINISTER = passage(1, ARTICLE_A, "Choe Son Hui is the foreign minister of North Korea.")
SPEECH = passage(2, ARTICLE_B, "Kishida spoke at the UN General Assembly in New York.")
CHOE = gold(["Choe Son Hui"], ARTICLE_A)


def test_a_correct_cited_answer_scores_full_marks() -> None:
    record = score_question(CHOE, answer("Choe Son Hui [1].", [MINISTER, SPEECH], cited=[1]), k=5)
    assert record.hit_rank == 1 and record.hit
    assert record.context_hit and record.correct and record.supported
    assert record.exact_match == 1.0 and record.f1 == 1.0
    assert record.citations_in_gold == 1
    assert [s.supported for s in record.sentences] == [True]
    assert record.answer_words == 3
    assert not record.refused and not record.failed and record.problems == ()


def test_a_longer_correct_answer_keeps_accuracy_but_loses_exact_match() -> None:
    text = "The foreign minister is Choe Son Hui [1]."
    record = score_question(CHOE, answer(text, [MINISTER], cited=[1]))
    assert record.correct
    assert record.exact_match == 0.0
    assert record.f1 == pytest.approx(2 / 3)  # 3 shared tokens; precision 3/6, recall 3/3


def test_best_gold_answer_counts() -> None:
    item = gold(["Korean Central News Agency", "KCNA"])
    record = score_question(item, answer("KCNA [1].", [passage(1, ARTICLE_A, "the KCNA said")]))
    assert record.exact_match == 1.0 and record.f1 == 1.0


def test_hit_rank_is_the_position_of_the_first_gold_article_passage() -> None:
    passages = [SPEECH, passage(2, ARTICLE_B, "Other."), MINISTER]
    assert score_question(CHOE, answer("x [1].", passages), k=5).hit_rank == 3
    assert score_question(CHOE, answer("x [1].", passages), k=3).hit
    assert not score_question(CHOE, answer("x [1].", passages), k=2).hit
    assert score_question(CHOE, answer("x [1].", [SPEECH]), k=5).hit_rank is None


def test_hit_at_k_and_mrr_average_over_answerable_questions() -> None:
    records = [
        score_question(CHOE, answer("a [1].", [MINISTER]), k=3),  # rank 1
        score_question(CHOE, answer("a [1].", [SPEECH, MINISTER]), k=3),  # rank 2
        score_question(CHOE, answer("a [1].", [SPEECH]), k=3),  # miss
        score_question(gold(), answer("none", [SPEECH], answerable=False), k=3),  # not counted
    ]
    metrics = aggregate(records)
    assert metrics["hit_at_k"] == pytest.approx(2 / 3)
    assert metrics["mrr"] == pytest.approx((1 + 1 / 2 + 0) / 3)


def test_context_recall_needs_a_gold_answer_in_some_given_passage() -> None:
    with_answer = score_question(CHOE, answer("wrong [1].", [SPEECH, MINISTER]))
    without = score_question(CHOE, answer("wrong [1].", [SPEECH]))
    assert with_answer.context_hit and not without.context_hit
    assert aggregate([with_answer, without])["context_recall"] == 0.5


def test_accuracy_strips_markers_and_scores_refusals_zero() -> None:
    glued = gold(["Hui 1"])  # "[1]" must not turn "Hui [1]" into "Hui 1"
    assert not score_question(glued, answer("Choe Son Hui [1].", [MINISTER], cited=[1])).correct
    refused = score_question(
        CHOE, answer("The articles do not say. Choe Son Hui?", [MINISTER], answerable=False)
    )
    assert refused.refused and refused.correct is False
    assert refused.exact_match == 0.0 and refused.f1 == 0.0
    assert refused.sentences == () and refused.answer_words is None
    correct = score_question(CHOE, answer("Choe Son Hui [1].", [MINISTER], cited=[1]))
    metrics = aggregate([correct, refused])
    assert metrics["accuracy"] == 0.5 and metrics["exact_match"] == 0.5 and metrics["f1"] == 0.5
    assert metrics["false_refusal_rate"] == 0.5


def test_citation_precision_pools_citations_over_answerable_questions() -> None:
    two = score_question(CHOE, answer("Choe Son Hui [1][2].", [MINISTER, SPEECH], cited=[1, 2]))
    one = score_question(CHOE, answer("Choe Son Hui [1].", [MINISTER], cited=[1]))
    assert two.citations_in_gold == 1
    assert "1 of 2 citations not from the gold article" in two.problems
    assert aggregate([two, one])["citation_precision"] == pytest.approx(2 / 3)
    no_citations = score_question(CHOE, answer("Choe Son Hui.", [MINISTER]))
    assert aggregate([no_citations])["citation_precision"] is None


def test_answer_supported_is_over_correct_answers_only() -> None:
    supported = score_question(CHOE, answer("Choe Son Hui [1].", [MINISTER, SPEECH], cited=[1]))
    # Right answer, but the cited passage does not hold it.
    unsupported = score_question(CHOE, answer("Choe Son Hui [2].", [MINISTER, SPEECH], cited=[2]))
    wrong = score_question(CHOE, answer("Kishida [2].", [MINISTER, SPEECH], cited=[2]))
    assert unsupported.supported is False and wrong.supported is None
    assert "no cited passage contains a gold answer" in unsupported.problems
    assert aggregate([supported, unsupported, wrong])["answer_supported"] == 0.5


def test_faithfulness_checks_each_sentence_against_the_passages_it_cites() -> None:
    text = (
        "Choe Son Hui is the foreign minister [1]. "  # all 5 content words in [1]
        "Kishida likes sushi [2]. "  # 1 of 3 in [2]
        "North Korea has a foreign minister. "  # no marker
        "Choe Son Hui spoke [7]."  # [7] was never given
    )
    checks = check_sentences(text, [MINISTER, SPEECH])
    assert [c.supported for c in checks] == [True, False, False, False]
    assert [c.coverage for c in checks] == pytest.approx([1.0, 1 / 3, 0.0, 0.0])
    assert [c.markers for c in checks] == [(1,), (2,), (), (7,)]
    record = score_question(CHOE, answer(text, [MINISTER, SPEECH], cited=[1, 2]))
    assert aggregate([record])["faithfulness"] == 0.25
    assert "3 of 4 sentences not supported by the passages they cite" in record.problems


def test_faithfulness_threshold_and_union_of_cited_passages() -> None:
    # 4 of 5 content words (choe, son, hui, minister; not "sushi") are in [1].
    four_of_five = check_sentences("Choe Son Hui minister sushi [1].", [MINISTER])[0]
    assert four_of_five.coverage == pytest.approx(FAITHFUL_COVERAGE) and four_of_five.supported
    # Words split across two cited passages are supported only by citing both.
    across = "Choe Son Hui spoke in New York"
    assert check_sentences(f"{across} [1][2].", [MINISTER, SPEECH])[0].supported
    assert not check_sentences(f"{across} [1].", [MINISTER, SPEECH])[0].supported


def test_faithfulness_skips_refusals_and_unanswerable_questions() -> None:
    refusal = score_question(CHOE, answer("The articles do not say.", [MINISTER], answerable=False))
    hallucinated = score_question(gold(), answer("Made up [1].", [MINISTER], cited=[1]))
    assert aggregate([refusal, hallucinated])["faithfulness"] is None


def test_refusal_accuracy_over_unanswerable_questions() -> None:
    declined = score_question(gold(item_id="u1"), answer("Not said.", [SPEECH], answerable=False))
    answered = score_question(gold(item_id="u2"), answer("Tokyo [2].", [SPEECH], cited=[2]))
    assert declined.refusal_correct is True and not declined.failed
    assert answered.refusal_correct is False and answered.failed
    assert answered.problems == ("answered an unanswerable question",)
    metrics = aggregate([declined, answered])
    assert metrics["refusal_accuracy"] == 0.5
    assert metrics["false_refusal_rate"] is None  # no answerable questions
    assert metrics["n_answerable"] == 0 and metrics["n_unanswerable"] == 2


def test_answer_words_mean_over_non_refused_answers() -> None:
    records = [
        score_question(CHOE, answer("Choe Son Hui [1].", [MINISTER])),  # 3 words
        score_question(gold(), answer("One two three four five [1].", [SPEECH])),  # 5 words
        score_question(CHOE, answer("The articles do not say.", [SPEECH], answerable=False)),
    ]
    assert aggregate(records)["answer_words_mean"] == 4.0


def test_latency_percentiles_interpolate_linearly() -> None:
    records = [
        score_question(CHOE, answer("Choe Son Hui [1].", [MINISTER]), latency_s=s)
        for s in (4.0, 1.0, 3.0, 2.0)
    ]
    metrics = aggregate(records)
    assert metrics["latency_p50_s"] == pytest.approx(2.5)
    assert metrics["latency_p95_s"] == pytest.approx(3.85)
    assert percentile([], 50) is None and percentile([7.0], 95) == 7.0


def test_aggregate_has_exactly_the_documented_keys_in_range() -> None:
    records = [
        score_question(
            CHOE, answer("Choe Son Hui [1].", [MINISTER], cited=[1], confidence=0.9), latency_s=0.2
        ),
        score_question(
            gold(item_id="u"), answer("No.", [SPEECH], answerable=False, confidence=0.2)
        ),
        score_question(gold(["Choe Son Hui"], conversation="c", turn=1), answer("Choe [1].")),
        score_question(gold(conversation="c", turn=2), answer("No.", answerable=False)),
    ]
    metrics = aggregate(records)
    assert list(metrics) == [spec.key for spec in METRICS]
    for spec in METRICS:
        if spec.kind == "rate":
            assert 0.0 <= metrics[spec.key] <= 1.0, spec.key


def conversation_turn(turn: int, right: bool, *, answerable: bool = True, name: str = "c"):
    """A scored turn whose outcome is right or wrong, answerable or not."""
    if not answerable:
        declined = answer("The articles do not say.", answerable=not right)
        return score_question(gold(conversation=name, turn=turn), declined)
    text = "Choe Son Hui [1]." if right else "Kishida [1]."
    item = gold(["Choe Son Hui"], conversation=name, turn=turn)
    return score_question(item, answer(text, [MINISTER], cited=[1]))


def test_followup_and_first_turn_accuracy_score_the_outcome_of_each_kind_of_turn() -> None:
    records = [
        score_question(CHOE, answer("Kishida [1].", [MINISTER], cited=[1])),  # not a turn
        conversation_turn(1, right=True, name="a"),
        conversation_turn(2, right=False, name="a"),
        conversation_turn(3, right=True, answerable=False, name="a"),  # declined: right
        conversation_turn(1, right=False, name="b"),
        conversation_turn(2, right=True, name="b"),
        conversation_turn(3, right=False, answerable=False, name="b"),  # answered: wrong
        conversation_turn(1, right=True, name="c"),  # a one-turn conversation
    ]
    metrics = aggregate(records)
    assert metrics["first_turn_accuracy"] == round(2 / 3, 6)  # a1, c1 of a1, b1, c1
    assert metrics["followup_accuracy"] == 0.5  # a3, b2 of a2, a3, b2, b3
    assert metrics["n_followups"] == 4
    # Turns count as questions in every other metric: 3 of 6 answerable are correct.
    assert metrics["accuracy"] == round(3 / 6, 6)
    assert metrics["n_answerable"] == 6 and metrics["n_unanswerable"] == 2


def test_conversation_metrics_do_not_apply_without_conversations() -> None:
    metrics = aggregate([score_question(CHOE, answer("Choe Son Hui [1].", [MINISTER], cited=[1]))])
    assert metrics["first_turn_accuracy"] is None and metrics["followup_accuracy"] is None
    assert metrics["n_followups"] == 0
    only_first = aggregate([conversation_turn(1, right=True)])
    assert only_first["first_turn_accuracy"] == 1.0 and only_first["followup_accuracy"] is None


def test_conversation_accuracies_are_gated_rates_and_the_followup_count_is_not() -> None:
    specs = {s.key: s for s in METRICS}
    for key in ("first_turn_accuracy", "followup_accuracy"):
        assert specs[key].kind == "rate" and specs[key].gated and not specs[key].lower_is_better
    assert specs["n_followups"].kind == "count" and not specs["n_followups"].gated


def test_answerability_auroc_is_a_gated_rate_where_higher_is_better() -> None:
    spec = next(s for s in METRICS if s.key == "answerability_auroc")
    assert spec.kind == "rate" and spec.gated and not spec.lower_is_better


def test_record_to_dict_is_json_with_every_flag() -> None:
    record = score_question(CHOE, answer("Choe Son Hui [1].", [MINISTER], cited=[1]), k=5)
    data = json.loads(json.dumps(record.to_dict()))
    assert data["id"] == "q1" and data["gold_answers"] == ["Choe Son Hui"]
    assert data["answer"] == "Choe Son Hui [1]." and data["answerable"] is True
    assert data["passages"][0]["file_name"] == ARTICLE_A
    assert data["passages"][0]["text"] == MINISTER.text
    assert data["citations"][0]["n"] == 1
    flags = "hit_rank hit context_hit correct exact_match f1 supported refusal_correct sentences"
    flags += " confidence withheld withheld_correct"
    for flag in [*flags.split(), "latency_s", "problems"]:
        assert flag in data
    assert (data["conversation"], data["turn"], data["standalone"]) == (None, 0, None)


def test_a_turns_record_carries_its_conversation_turn_and_standalone_question() -> None:
    item = gold(["Choe Son Hui"], conversation="c1", turn=2, question="And she?")
    record = score_question(item, answer("Choe Son Hui."), standalone="Who is it? And she?")
    data = json.loads(json.dumps(record.to_dict()))
    assert data["id"] == "c1#2" and data["question"] == "And she?"
    assert (data["conversation"], data["turn"]) == ("c1", 2)
    assert data["standalone"] == "Who is it? And she?" and data["correct"] is True
