import json
from pathlib import Path

import pytest

from eval import (
    Baseline,
    BaselineError,
    Threshold,
    compare,
    default_tolerance,
    load_baseline,
    save_baseline,
    updated_baseline,
)
from eval.metrics import METRIC_SPECS


def baseline(**entries: tuple[float | None, float]) -> Baseline:
    return Baseline({key: Threshold(v, t) for key, (v, t) in entries.items()}, {"k": 5})


def row(comparison, key):
    return next(r for r in comparison.rows if r.spec.key == key)


def test_a_drop_beyond_tolerance_is_a_regression_with_metric_and_delta() -> None:
    result = compare({"accuracy": 0.8, "mrr": 0.9}, baseline(accuracy=(0.9, 0.05), mrr=(0.9, 0.05)))
    assert not result.ok
    [regression] = result.regressions
    assert regression.spec.key == "accuracy"
    assert regression.delta == pytest.approx(-0.1)
    assert regression.message() == (
        "accuracy: 0.800 is 0.100 below the baseline 0.900 (tolerance 0.050)"
    )


def test_a_drop_within_tolerance_passes_even_at_the_edge() -> None:
    # 17/20 against 0.9 - 0.05: equal on paper, one ulp apart in floating point.
    result = compare({"accuracy": 17 / 20}, baseline(accuracy=(0.9, 0.05)))
    assert result.ok
    assert row(result, "accuracy").better is False  # worse, but tolerated


def test_lower_is_better_metrics_regress_upwards() -> None:
    base = baseline(latency_p95_s=(1.0, 0.5), false_refusal_rate=(0.1, 0.05))
    slower = compare({"latency_p95_s": 1.6, "false_refusal_rate": 0.0}, base)
    assert [r.spec.key for r in slower.regressions] == ["latency_p95_s"]
    assert "0.600 above the baseline 1.000" in slower.regressions[0].message()
    assert row(slower, "false_refusal_rate").better is True

    refusing = compare({"latency_p95_s": 0.2, "false_refusal_rate": 0.2}, base)
    assert [r.spec.key for r in refusing.regressions] == ["false_refusal_rate"]
    assert row(refusing, "latency_p95_s").better is True


def test_improvements_counts_and_unlisted_metrics_never_fail() -> None:
    base = baseline(accuracy=(0.5, 0.05), n_answerable=(40, 0.0))
    result = compare({"accuracy": 0.9, "n_answerable": 3, "mrr": 0.0}, base)
    assert result.ok
    assert row(result, "accuracy").better is True
    assert not row(result, "n_answerable").spec.gated
    assert row(result, "mrr").baseline is None


def test_a_baseline_recorded_before_a_metric_existed_does_not_gate_it() -> None:
    # Baselines written before answerability_auroc was measured have no entry for it.
    result = compare({"accuracy": 0.9, "answerability_auroc": 0.1}, baseline(accuracy=(0.9, 0.05)))
    assert result.ok and result.notes == ()
    auroc = row(result, "answerability_auroc")
    assert auroc.baseline is None and auroc.delta is None and not auroc.regressed
    # Once recorded, it is gated like any rate.
    recorded = compare({"answerability_auroc": 0.7}, baseline(answerability_auroc=(0.8, 0.05)))
    assert [r.spec.key for r in recorded.regressions] == ["answerability_auroc"]


def test_a_metric_the_run_could_not_measure_regresses() -> None:
    result = compare({"refusal_accuracy": None}, baseline(refusal_accuracy=(0.9, 0.05)))
    [regression] = result.regressions
    assert "refusal_accuracy: not measured in this run" in regression.message()
    assert compare({"refusal_accuracy": None}, baseline(refusal_accuracy=(None, 0.05))).ok


def test_different_run_settings_only_add_notes() -> None:
    base = Baseline({"accuracy": Threshold(0.9, 0.05)}, {"k": 5, "llm": "none"})
    result = compare({"accuracy": 0.9}, base, {"k": 1, "llm": "none"})
    assert result.ok
    assert result.notes == ("the baseline was recorded with k=5, this run used k=1",)


def test_default_tolerances() -> None:
    assert default_tolerance(METRIC_SPECS["accuracy"], 0.9) == 0.05
    assert default_tolerance(METRIC_SPECS["latency_p50_s"], 0.1) == 0.5  # floor of 0.5 s
    assert default_tolerance(METRIC_SPECS["latency_p95_s"], 2.0) == 2.0  # 100% of the value
    assert default_tolerance(METRIC_SPECS["answer_words_mean"], 40.0) == 10.0
    assert default_tolerance(METRIC_SPECS["answer_words_mean"], 4.0) == 3.0


def test_update_round_trip_keeps_tolerances_and_defaults_new_metrics(tmp_path: Path) -> None:
    path = tmp_path / "baselines" / "seeds.json"
    previous = baseline(accuracy=(0.5, 0.1), retired_metric=(1.0, 0.0))
    metrics = {"accuracy": 0.9, "mrr": 0.75, "latency_p95_s": 0.2, "n_answerable": 40}
    save_baseline(path, updated_baseline(metrics, {"k": 5, "llm": "none"}, previous))

    data = json.loads(path.read_text())
    assert data["k"] == 5 and data["llm"] == "none"
    assert data["metrics"]["accuracy"] == {"value": 0.9, "tolerance": 0.1}  # kept
    assert data["metrics"]["mrr"] == {"value": 0.75, "tolerance": 0.05}  # new: default
    assert data["metrics"]["latency_p95_s"] == {"value": 0.2, "tolerance": 0.5}
    assert data["metrics"]["refusal_accuracy"] == {"value": None, "tolerance": 0.05}
    assert "n_answerable" not in data["metrics"] and "retired_metric" not in data["metrics"]

    loaded = load_baseline(path)
    assert loaded.metrics["accuracy"] == Threshold(0.9, 0.1)
    assert compare(metrics, loaded).ok


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"k": 5}', 'expected an object with a "metrics" object'),
        ('{"metrics": {"accuracy": 0.9}}', "metric 'accuracy' must be"),
        ('{"metrics": {"accuracy": {"value": 0.9, "tolerance": -1}}}', "must be"),
        ('{"metrics": {"accuracy": {"value": "high", "tolerance": 0.1}}}', "must be"),
    ],
)
def test_malformed_baselines_are_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(BaselineError, match=message):
        load_baseline(path)


def test_missing_baseline_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="--update-baseline"):
        load_baseline(tmp_path / "none.json")


def test_conversation_metrics_are_gated_only_where_the_baseline_measured_them() -> None:
    measured = {"accuracy": 0.9, "followup_accuracy": 0.2, "first_turn_accuracy": 0.9}
    absent = {"accuracy": 0.9, "followup_accuracy": None, "first_turn_accuracy": None}
    # A baseline from before conversations existed, or from gold without them.
    for base in (
        baseline(accuracy=(0.9, 0.05)),
        baseline(accuracy=(0.9, 0.05), followup_accuracy=(None, 0.05)),
    ):
        for metrics in (measured, absent):
            result = compare(metrics, base)
            assert result.ok, [r.message() for r in result.regressions]
            assert not row(result, "followup_accuracy").regressed
    # A baseline with conversations gates them like any rate.
    base = baseline(followup_accuracy=(0.6, 0.05), first_turn_accuracy=(0.9, 0.05))
    dropped = compare({"followup_accuracy": 0.4, "first_turn_accuracy": 0.9}, base)
    assert [r.spec.key for r in dropped.regressions] == ["followup_accuracy"]
    assert dropped.regressions[0].message() == (
        "followup_accuracy: 0.400 is 0.200 below the baseline 0.600 (tolerance 0.050)"
    )


def test_a_run_without_the_baselines_conversations_says_so() -> None:
    base = baseline(followup_accuracy=(0.6, 0.05), first_turn_accuracy=(0.9, 0.05))
    result = compare({"followup_accuracy": None, "first_turn_accuracy": None}, base)
    assert [r.message() for r in result.regressions] == [
        "first_turn_accuracy: not measured in this run (baseline 0.900); check the gold "
        "file, or run --update-baseline",
        "followup_accuracy: not measured in this run (baseline 0.600); check the gold "
        "file, or run --update-baseline",
    ]


def test_an_updated_baseline_records_conversation_rates_but_not_the_followup_count(
    tmp_path: Path,
) -> None:
    path = tmp_path / "b.json"
    metrics = {"followup_accuracy": 0.5, "first_turn_accuracy": None, "n_followups": 4}
    save_baseline(path, updated_baseline(metrics, {"k": 5}))
    data = json.loads(path.read_text())["metrics"]
    assert data["followup_accuracy"] == {"value": 0.5, "tolerance": 0.05}
    assert data["first_turn_accuracy"] == {"value": None, "tolerance": 0.05}
    assert "n_followups" not in data
    assert compare(metrics, load_baseline(path)).ok
