"""The report's charts: rate metrics as horizontal bars, this run beside the baseline, and
the risk–coverage curve of the reader's confidence.

Drawn on a bare ``Figure`` with the Agg canvas, never pyplot, so no GUI backend or global
figure state is touched (eval runs headless in CI). matplotlib is imported with the first
chart, so importing ``eval`` (and ``ragqa --help``) does not pay for it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from eval.confidence import CoveragePoint
from eval.metrics import METRICS, MetricValue

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_CURRENT = "#0969da"
_BASELINE = "#8c959f"
_MARK_STYLES = (("o", "#cf222e"), ("s", "#1a7f37"), ("D", "#8250df"))


def rates_chart_png(
    metrics: Mapping[str, MetricValue], baseline: Mapping[str, float | None] | None = None
) -> bytes:
    """PNG bytes of every rate metric (0..1); a value this run could not measure reads n/a."""
    specs = [s for s in METRICS if s.kind == "rate"]
    labels = [f"{s.label} (lower is better)" if s.lower_is_better else s.label for s in specs]
    current = [float(metrics.get(s.key) or 0.0) for s in specs]
    rows = range(len(specs))

    figure = _figure(7.5, 0.42 * len(specs) + 1.2)
    axes = figure.add_subplot()
    height = 0.38 if baseline else 0.6
    offset = height / 2 if baseline else 0.0
    bars = axes.barh([y - offset for y in rows], current, height, color=_CURRENT, label="this run")
    texts = ["n/a" if metrics.get(s.key) is None else f"{metrics[s.key]:.2f}" for s in specs]
    axes.bar_label(bars, texts, padding=3, fontsize=8)
    if baseline:
        previous = [float(baseline.get(s.key) or 0.0) for s in specs]
        axes.barh([y + offset for y in rows], previous, height, color=_BASELINE, label="baseline")
        axes.legend(
            loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False, fontsize=8
        )
    axes.set_yticks(list(rows), labels, fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, 1.1)  # room for the value labels
    axes.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    return _png(figure)


def risk_coverage_png(
    curve: Sequence[CoveragePoint], marks: Mapping[str, CoveragePoint], title: str
) -> bytes:
    """PNG bytes of accuracy of the answered questions against the share answered.

    ``marks`` are points to single out by label (the run as it was, a suggested threshold);
    points that answer nothing have no accuracy and are left out.
    """
    figure = _figure(6.5, 4.5)
    axes = figure.add_subplot()
    drawn = [p for p in curve if p.coverage is not None and p.accuracy is not None]
    axes.plot(
        [p.coverage for p in drawn],
        [p.accuracy for p in drawn],
        marker=".",
        color=_CURRENT,
        label="as the threshold moves",
    )
    for (label, point), (marker, colour) in zip(marks.items(), _MARK_STYLES, strict=False):
        if point.coverage is not None and point.accuracy is not None:
            axes.plot([point.coverage], [point.accuracy], marker, color=colour, ms=8, label=label)
    axes.set_xlim(-0.02, 1.02)
    axes.set_ylim(-0.02, 1.02)
    axes.set_xlabel("coverage (share of questions answered)")
    axes.set_ylabel("accuracy of the answered questions")
    axes.set_title(title, fontsize=10)
    axes.grid(alpha=0.3)
    axes.legend(loc="lower left", fontsize=8)
    return _png(figure)


def _figure(width: float, height: float) -> Figure:
    """A bare figure on the Agg canvas, in inches at 100 dpi."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
