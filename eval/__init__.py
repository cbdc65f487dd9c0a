"""Accuracy regression checks for ragqa: gold questions in, metrics, report and a gate out.

    from eval import load_gold, run_eval, threshold_for_false_refusals
    result = run_eval(assistant, load_gold(Path("eval/gold/seeds.jsonl")), k=5)
    result.metrics["accuracy"]
    threshold_for_false_refusals(result.risk_coverage, 0.1)   # .threshold, .coverage, .accuracy

The command line lives in ``eval.cli`` (``python -m eval``, ``ragqa eval``); it is not
imported here, so the scoring functions work without loading the assistant's models.
"""

from eval.baseline import (
    Baseline,
    Comparison,
    MetricDelta,
    Threshold,
    compare,
    default_tolerance,
    load_baseline,
    save_baseline,
    updated_baseline,
)
from eval.confidence import (
    CoveragePoint,
    answerability_auroc,
    operating_point,
    risk_coverage,
    threshold_for_false_refusals,
)
from eval.errors import BaselineError, EvalError, GoldFileError, ReportError
from eval.gold import GoldItem, load_gold
from eval.metrics import (
    METRICS,
    MetricSpec,
    QuestionRecord,
    SentenceCheck,
    aggregate,
    score_question,
)
from eval.report import write_report
from eval.runner import EvalResult, RunConfig, run_eval, write_json

__all__ = [
    "METRICS",
    "Baseline",
    "BaselineError",
    "Comparison",
    "CoveragePoint",
    "EvalError",
    "EvalResult",
    "GoldFileError",
    "GoldItem",
    "MetricDelta",
    "MetricSpec",
    "QuestionRecord",
    "ReportError",
    "RunConfig",
    "SentenceCheck",
    "Threshold",
    "aggregate",
    "answerability_auroc",
    "compare",
    "default_tolerance",
    "load_baseline",
    "load_gold",
    "operating_point",
    "risk_coverage",
    "run_eval",
    "save_baseline",
    "score_question",
    "threshold_for_false_refusals",
    "updated_baseline",
    "write_json",
    "write_report",
]
