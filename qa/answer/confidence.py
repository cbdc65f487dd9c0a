"""The reader's calibration: how windows are ordered and how sure an answer is.

The numbers come from ``python -m qa.training.calibrate``, fitted on questions about
articles the reader never saw, and live in ``model/calibration.json`` beside the reader
(checked against a pinned SHA-256 like it). The confidence is a logistic regression on
the top window's reader logit and its evidence score, so it is a probability that the
question is answerable, and blends what the reader saw with the retrieval-side signal.

Its features are the top window's answer logit, its evidence score and the score of the
reader's best span in it (start + end logits, the usual SQuAD 2.0 answerability signal
beside the no-answer score). Leaving one held-out article out at a time, adding the span
score lifted the AUROC from 0.686 to 0.696 and the refusals at 0.1 false refusals from
0.29 to 0.34 (``python -m qa.training.calibrate``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from index import ModelFileError, verify_sha256
from qa.answer.reader import MODEL_DIR

CALIBRATION_FILE = MODEL_DIR / "calibration.json"
SPAN_SCORE_FLOOR = -10.0
"""The span score given a window with no span at all (its ``Reading.span_score`` is -inf);
the lowest real one among 18,120 calibration windows was -9.9."""
CALIBRATION_SHA256 = "709057dc2818f6d80e4bc1ce5360fafa5e651ca1c96c8c446b5a747f5c627387"


@dataclass(frozen=True)
class Calibration:
    """``ranking_weight``: evidence score's weight beside the reader logit when ordering
    windows; ``windows_read``: how many windows (best evidence first) the reader reads;
    ``threshold``: the default ``min_answer_confidence``."""

    ranking_weight: float
    windows_read: int
    coefficients: tuple[float, float, float]
    intercept: float
    threshold: float

    @classmethod
    def bundled(cls, *, stamp_dir: Path) -> Calibration:
        verify_sha256(CALIBRATION_FILE, CALIBRATION_SHA256, stamp_dir=stamp_dir)
        try:
            fitted = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))["calibration"]
            return cls(**{**fitted, "coefficients": tuple(fitted["coefficients"])})
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(
                f"reader calibration {CALIBRATION_FILE} is unusable: {exc}"
            ) from exc

    def ranking_score(self, logit: float, evidence: float) -> float:
        return logit + self.ranking_weight * evidence

    def confidence(self, logit: float, evidence: float, span_score: float) -> float:
        """Probability that the question is answerable, from its top window."""
        a, b, c = self.coefficients
        span_score = max(span_score, SPAN_SCORE_FLOOR)
        return 1 / (1 + math.exp(-(self.intercept + a * logit + b * evidence + c * span_score)))
