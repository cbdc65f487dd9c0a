"""The regression gate: compare a run's metrics with a committed baseline, or rewrite it.

A baseline file looks like::

    {"corpus": "seeds", "gold": "eval/gold/seeds.jsonl", "k": 5, "llm": "llama-cpp",
     "metrics": {"accuracy": {"value": 0.9, "tolerance": 0.05}, ...}}

A metric regresses when it is worse than its baseline value by more than its tolerance,
"worse" following the metric's direction (``MetricSpec.lower_is_better``). A metric the
baseline does not list, or lists with ``"value": null``, is not gated; a metric the baseline
has but this run could not measure (for example no unanswerable questions) regresses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.errors import BaselineError
from eval.metrics import METRIC_SPECS, METRICS, MetricSpec, MetricValue

RATE_TOLERANCE = 0.05
LATENCY_MIN_TOLERANCE_S = 0.5
LATENCY_RELATIVE_TOLERANCE = 1.0
WORDS_MIN_TOLERANCE = 3.0
WORDS_RELATIVE_TOLERANCE = 0.25
# Rates are ratios of small counts, so 17/20 must not fail against 0.9 - 0.05 by rounding.
_EPSILON = 1e-9
ANSWER_SETTINGS = (
    "retrieval",
    "rerank",
    "chunk_size",
    "chunk_overlap",
    "answer_style",
    "reader",
    "min_answer_confidence",
    "answer_extraction",
    "min_evidence_score",
    "require_answer_type",
    "recency",
    "follow_ups",
)
"""Settings that change answers: a run and its baseline should agree on them."""
_CONFIG_KEYS = ("corpus", "gold", "k", "llm", *ANSWER_SETTINGS)


def default_tolerance(spec: MetricSpec, value: float | None) -> float:
    """The tolerance a metric gets when it first enters a baseline.

    Rates (all in [0, 1]) get 0.05: on a small gold file one question flipping moves a rate
    by 1/n, and the gate should catch real drops, not that noise. Latency gets
    max(0.5 s, 100% of the value), because CI machines differ in speed and load: the gate
    fails only when latency more than doubles, so it catches a slow path (a model loaded
    per question) without making CI flaky. Mean answer length gets max(3 words, 25%).
    """
    current = value or 0.0
    if spec.kind == "seconds":
        return round(max(LATENCY_MIN_TOLERANCE_S, LATENCY_RELATIVE_TOLERANCE * current), 6)
    if spec.kind == "words":
        return round(max(WORDS_MIN_TOLERANCE, WORDS_RELATIVE_TOLERANCE * current), 6)
    return RATE_TOLERANCE


@dataclass(frozen=True)
class Threshold:
    value: float | None
    tolerance: float


@dataclass(frozen=True)
class Baseline:
    """Gated metric values with tolerances, plus the run settings they were measured with."""

    metrics: Mapping[str, Threshold]
    config: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.config,
            "metrics": {
                key: {"value": t.value, "tolerance": t.tolerance} for key, t in self.metrics.items()
            },
        }


@dataclass(frozen=True)
class MetricDelta:
    """One row of the comparison table."""

    spec: MetricSpec
    current: MetricValue
    baseline: float | None
    tolerance: float | None

    @property
    def delta(self) -> float | None:
        if self.current is None or self.baseline is None:
            return None
        return self.current - self.baseline

    @property
    def better(self) -> bool | None:
        """Whether the change is an improvement; None when unchanged or not comparable."""
        delta = self.delta
        if delta is None or abs(delta) <= _EPSILON:
            return None
        return (delta < 0) == self.spec.lower_is_better

    @property
    def regressed(self) -> bool:
        if not self.spec.gated or self.baseline is None:
            return False
        if self.current is None:
            return True
        worse_by = -self.delta if not self.spec.lower_is_better else self.delta
        return worse_by > (self.tolerance or 0.0) + _EPSILON

    def message(self) -> str:
        key, base = self.spec.key, self.baseline
        if self.current is None:
            return (
                f"{key}: not measured in this run (baseline {base:.3f}); check the gold "
                f"file, or run --update-baseline"
            )
        direction = "above" if (self.delta or 0.0) > 0 else "below"
        return (
            f"{key}: {self.current:.3f} is {abs(self.delta or 0.0):.3f} {direction} the "
            f"baseline {base:.3f} (tolerance {self.tolerance:.3f})"
        )


@dataclass(frozen=True)
class Comparison:
    rows: tuple[MetricDelta, ...]
    notes: tuple[str, ...] = ()

    @property
    def regressions(self) -> tuple[MetricDelta, ...]:
        return tuple(row for row in self.rows if row.regressed)

    @property
    def ok(self) -> bool:
        return not self.regressions


def compare(
    metrics: Mapping[str, MetricValue],
    baseline: Baseline,
    config: Mapping[str, Any] | None = None,
) -> Comparison:
    """Compare every known metric; ``config`` (corpus, gold, k, llm, answer settings) only
    adds notes."""
    rows = []
    for spec in METRICS:
        threshold = baseline.metrics.get(spec.key)
        rows.append(
            MetricDelta(
                spec=spec,
                current=metrics.get(spec.key),
                baseline=threshold.value if threshold else None,
                tolerance=threshold.tolerance if threshold else None,
            )
        )
    notes = [
        f"baseline metric {key!r} is unknown to this version of eval; ignored"
        for key in baseline.metrics
        if key not in METRIC_SPECS
    ]
    for key in _CONFIG_KEYS:
        if config and key in baseline.config and baseline.config[key] != config.get(key):
            notes.append(
                f"the baseline was recorded with {key}={baseline.config[key]!r}, "
                f"this run used {key}={config.get(key)!r}"
            )
    return Comparison(tuple(rows), tuple(notes))


def updated_baseline(
    metrics: Mapping[str, MetricValue],
    config: Mapping[str, Any],
    previous: Baseline | None = None,
) -> Baseline:
    """A baseline holding ``metrics``; tolerances already in ``previous`` are kept."""
    kept = previous.metrics if previous else {}
    thresholds = {}
    for spec in METRICS:
        if not spec.gated:
            continue
        value = metrics.get(spec.key)
        old = kept.get(spec.key)
        tolerance = old.tolerance if old else default_tolerance(spec, value)
        thresholds[spec.key] = Threshold(None if value is None else float(value), tolerance)
    return Baseline(thresholds, dict(config))


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; BaselineError says what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: baseline not found; create it with --baseline {path} --update-baseline"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc})") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise BaselineError(f'{path}: expected an object with a "metrics" object')

    thresholds = {}
    for key, entry in data["metrics"].items():
        value = entry.get("value") if isinstance(entry, dict) else None
        tolerance = entry.get("tolerance") if isinstance(entry, dict) else None
        if (
            not isinstance(entry, dict)
            or not (value is None or _is_number(value))
            or not _is_number(tolerance)
            or tolerance < 0
        ):
            raise BaselineError(
                f'{path}: metric {key!r} must be {{"value": number or null, '
                f'"tolerance": number >= 0}}'
            )
        thresholds[key] = Threshold(value, tolerance)
    config = {k: v for k, v in data.items() if k != "metrics"}
    return Baseline(thresholds, config)


def save_baseline(path: Path, baseline: Baseline) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(baseline.to_dict(), indent=2) + "\n", encoding="utf-8")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
