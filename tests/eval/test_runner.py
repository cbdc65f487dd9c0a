import json
import math
from pathlib import Path

import pytest

from eval import run_eval, write_json
from tests.eval.builders import ARTICLE_A, CannedAssistant, answer, gold, passage

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
