"""The regression gate against the real assistant: green on the default, red when worse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eval import GoldItem, compare, load_baseline, load_gold, run_eval
from qa import Assistant
from tests.conftest import REPO, SEEDS

BASELINE = REPO / "eval" / "baselines" / "seeds.json"


@pytest.fixture(scope="module")
def seeds_gold() -> list[GoldItem]:
    return list(load_gold(REPO / "eval" / "gold" / "seeds.jsonl", corpus=SEEDS))


@pytest.mark.slow
def test_default_configuration_meets_the_stored_baseline(
    seeded_assistant: Assistant, seeds_gold: list[GoldItem]
) -> None:
    result = run_eval(seeded_assistant, seeds_gold, k=load_baseline(BASELINE).config["k"])
    comparison = compare(result.metrics, load_baseline(BASELINE))
    assert comparison.ok, [row.message() for row in comparison.regressions]


@pytest.mark.slow
def test_starving_the_answerer_of_passages_is_caught(
    seeded_assistant: Assistant, seeds_gold: list[GoldItem]
) -> None:
    result = run_eval(seeded_assistant, seeds_gold, k=1)
    comparison = compare(result.metrics, load_baseline(BASELINE))
    regressed = {row.spec.key for row in comparison.regressions}
    assert not comparison.ok
    assert "context_recall" in regressed


@pytest.mark.slow
def test_cli_exits_1_on_a_regression(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "eval", "--k", "1", "--llm", "none", "--quiet",
            "--baseline", str(BASELINE), "--store", str(tmp_path / "store"),
            "--json", str(tmp_path / "run.json"),
        ],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "context_recall" in result.stdout + result.stderr
    assert (tmp_path / "run.json").exists()
    assert "Traceback" not in result.stderr
