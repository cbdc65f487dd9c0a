"""A gold conversation through the real assistant and the real ``qa.Conversation``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import load_gold, run_eval
from qa import Assistant
from tests.conftest import SEEDS

ARTICLE = "north-korea-rules-out-dialogue-with-japan-at-any-level.txt"
CONVERSATION = {
    "id": "conv-01",
    "turns": [
        {
            "question": "Who is North Korea's ambassador to China?",
            "answers": ["Ri Ryong Nam"],
            "article": ARTICLE,
        },
        {
            "question": "What did he say about talks with Japan?",
            "answers": ["reject any talks at any level"],
            "article": ARTICLE,
        },
    ],
    "kind": "pronoun",
}


@pytest.mark.slow
def test_a_conversation_is_asked_through_qa_conversation_and_scored_per_turn(
    seeded_assistant: Assistant, tmp_path: Path
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(CONVERSATION) + "\n", encoding="utf-8")
    result = run_eval(seeded_assistant, load_gold(gold, corpus=SEEDS), k=5)

    first, second = (r.to_dict() for r in result.records)
    assert [(r["id"], r["conversation"], r["turn"]) for r in (first, second)] == [
        ("conv-01#1", "conv-01", 1),
        ("conv-01#2", "conv-01", 2),
    ]
    # The default factory is qa.Conversation, which records what it asked for every turn.
    for record in (first, second):
        assert isinstance(record["standalone"], str) and record["standalone"].strip()
        assert record["gold_extra"] == {"kind": "pronoun"}
        assert isinstance(record["correct"], bool) and record["hit"] is not None
        assert record["answer"] and record["passages"]
    metrics = result.metrics
    assert metrics["n_followups"] == 1 and metrics["n_answerable"] == 2
    assert metrics["first_turn_accuracy"] == float(first["correct"])
    assert metrics["followup_accuracy"] == float(second["correct"])
