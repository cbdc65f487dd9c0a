import json
import math
from pathlib import Path

import pytest

from eval import run_eval, write_json
from tests.eval.builders import (
    ARTICLE_A,
    CannedAssistant,
    RecallingConversation,
    answer,
    gold,
    passage,
)

MINISTER = passage(1, ARTICLE_A, "Choe Son Hui is the foreign minister of North Korea.")


ITEMS = (
    gold(["Choe Son Hui"], item_id="q1", question="Who is the foreign minister?"),
    gold(item_id="q2", question="How old is Kim?"),
)
ANSWERS = {
    "Who is the foreign minister?": answer("Choe Son Hui [1].", [MINISTER], cited=[1]),
    "How old is Kim?": answer("The articles do not say.", [MINISTER], answerable=False),
}


def test_run_eval_asks_every_question_with_k_and_scores_it() -> None:
    assistant = CannedAssistant(ANSWERS)
    result = run_eval(assistant, ITEMS, k=3, corpus="seeds", gold="g.jsonl", llm="none")
    assert assistant.asked == [(i.question, 3) for i in ITEMS]
    assert [r.item.id for r in result.records] == ["q1", "q2"]
    assert all(r.latency_s >= 0 for r in result.records)
    assert result.metrics["accuracy"] == 1.0 and result.metrics["refusal_accuracy"] == 1.0
    config = result.config
    assert (config.corpus, config.gold, config.k, config.llm) == ("seeds", "g.jsonl", 3, "none")
    assert config.backend == "fake" and config.n_questions == 2 and config.total_s >= 0
    assert config.timestamp.endswith("+00:00")


def test_run_eval_with_progress_bar_enabled_still_returns_records() -> None:
    result = run_eval(CannedAssistant(ANSWERS), ITEMS, progress=True)
    assert len(result.records) == 2 and result.config.k is None


def test_errors_from_ask_propagate() -> None:
    with pytest.raises(KeyError):
        run_eval(CannedAssistant({}), ITEMS)


def test_write_json_holds_config_metrics_and_every_question(tmp_path: Path) -> None:
    result = run_eval(CannedAssistant(ANSWERS), ITEMS, k=5, corpus="seeds", llm="none")
    out = tmp_path / "out" / "result.json"
    write_json(result, out)
    data = json.loads(out.read_text())
    assert set(data) == {"config", "metrics", "risk_coverage", "questions"}
    assert data["config"]["k"] == 5 and data["config"]["n_questions"] == 2
    assert data["config"]["timestamp"] == result.config.timestamp
    assert data["metrics"] == dict(result.metrics)
    assert [q["id"] for q in data["questions"]] == ["q1", "q2"]
    assert data["questions"][1]["refusal_correct"] is True


def test_write_json_holds_the_risk_coverage_curve(tmp_path: Path) -> None:
    declined = answer(
        "The articles do not say.",
        [MINISTER],
        answerable=False,
        confidence=0.3,
        withheld="Kim is 40 [1].",
    )
    answers = {
        "Who is the foreign minister?": answer(
            "Choe Son Hui [1].", [MINISTER], cited=[1], confidence=0.8
        ),
        "How old is Kim?": declined,
    }
    result = run_eval(CannedAssistant(answers), ITEMS)
    write_json(result, tmp_path / "result.json")
    data = json.loads((tmp_path / "result.json").read_text())
    assert [(p["threshold"], p["answered"], p["accuracy"]) for p in data["risk_coverage"]] == [
        (math.nextafter(0.8, math.inf), 0, None),
        (0.8, 1, 1.0),
        (0.3, 2, 0.5),  # answering the unanswerable question is wrong
    ]
    assert data["risk_coverage"] == [p.to_dict() for p in result.risk_coverage]
    assert data["metrics"]["answerability_auroc"] == 1.0
    assert data["questions"][1]["withheld"] == "Kim is 40 [1]."
    assert data["questions"][1]["confidence"] == 0.3


KISHIDA = passage(2, ARTICLE_A, "Kishida spoke at the UN General Assembly in New York.")
CONVERSATION_ITEMS = (
    gold(["Choe Son Hui"], conversation="c1", turn=1, question="Who is the foreign minister?"),
    gold(["Choe Son Hui"], item_id="q1", question="Who is the foreign minister?"),
    gold(["talks"], conversation="c1", turn=2, question="What did she reject?"),
    gold(["New York"], conversation="c2", turn=1, question="Where did Kishida speak?"),
    gold(["New York"], conversation="c2", turn=2, question="What did she reject?"),
    gold(conversation="c2", turn=3, question="How old is he?"),
)
# Keyed by the question as the conversation asks it: each follow-up is answered only when
# asked after the turns before it in the same conversation.
CONVERSATION_ANSWERS = {
    "Who is the foreign minister?": answer("Choe Son Hui [1].", [MINISTER], cited=[1]),
    "Who is the foreign minister? What did she reject?": answer("All talks [1].", [MINISTER]),
    "Where did Kishida speak?": answer("In Geneva [2].", [KISHIDA], cited=[2]),
    "Where did Kishida speak? What did she reject?": answer("New York [2].", [KISHIDA]),
}


class ConversationFactory:
    """Makes recalling conversations over CONVERSATION_ANSWERS and keeps each one made."""

    def __init__(self) -> None:
        self.made: list[RecallingConversation] = []

    def __call__(self) -> RecallingConversation:
        self.made.append(RecallingConversation(CONVERSATION_ANSWERS))
        return self.made[-1]


def test_each_conversation_is_asked_in_order_through_one_fresh_conversation() -> None:
    assistant = CannedAssistant(ANSWERS)
    factory = ConversationFactory()
    result = run_eval(assistant, CONVERSATION_ITEMS, k=4, conversation_factory=factory)
    assert assistant.asked == [("Who is the foreign minister?", 4)]  # the single question
    first, second = factory.made
    assert [t.question for t in first.turns] == [
        "Who is the foreign minister?",
        "What did she reject?",
    ]
    assert [t.question for t in second.turns] == [
        "Where did Kishida speak?",
        "What did she reject?",
        "How old is he?",
    ]
    records = {r.item.id: r for r in result.records}
    assert [r.item.id for r in result.records] == [i.id for i in CONVERSATION_ITEMS]
    assert records["q1"].standalone is None
    assert records["c1#1"].standalone == "Who is the foreign minister?"
    assert records["c1#2"].standalone == "Who is the foreign minister? What did she reject?"
    assert records["c1#2"].correct and records["c2#2"].correct  # answered in their history
    assert not records["c2#1"].correct and records["c2#3"].refused
    assert result.metrics["first_turn_accuracy"] == 0.5  # c1#1 right, c2#1 wrong
    assert result.metrics["followup_accuracy"] == 1.0  # c1#2, c2#2 right; c2#3 declined
    assert result.metrics["n_followups"] == 3


def test_a_conversation_without_turns_leaves_the_standalone_question_unrecorded() -> None:
    items = CONVERSATION_ITEMS[:1]
    result = run_eval(
        CannedAssistant({}), items, conversation_factory=lambda: CannedAssistant(ANSWERS)
    )
    [record] = result.records
    assert record.correct and record.standalone is None


def test_turns_out_of_order_are_an_error() -> None:
    items = (CONVERSATION_ITEMS[2], CONVERSATION_ITEMS[0])
    with pytest.raises(ValueError, match="conversation 'c1': turn 1 comes after turn 2"):
        run_eval(CannedAssistant({}), items, conversation_factory=ConversationFactory())


def test_write_json_holds_each_turns_conversation_and_standalone_question(tmp_path: Path) -> None:
    result = run_eval(
        CannedAssistant(ANSWERS), CONVERSATION_ITEMS, conversation_factory=ConversationFactory()
    )
    write_json(result, tmp_path / "result.json")
    data = json.loads((tmp_path / "result.json").read_text())
    turn = data["questions"][2]
    assert (turn["id"], turn["conversation"], turn["turn"]) == ("c1#2", "c1", 2)
    assert turn["question"] == "What did she reject?"
    assert turn["standalone"] == "Who is the foreign minister? What did she reject?"
    single = data["questions"][1]
    assert (single["conversation"], single["turn"], single["standalone"]) == (None, 0, None)
    assert data["metrics"]["followup_accuracy"] == 1.0
