"""Human-readable reports: the metrics beside the baseline, charts, and every failed question.

``write_report`` picks HTML or Markdown from the file extension. The HTML page is one
self-contained file (charts embedded as base64 PNG) so CI can keep it as an artifact; the
Markdown report writes its charts beside it as ``<name>.png`` and ``<name>-risk-coverage.png``.
The confidence section plots the risk–coverage curve with this run marked and names the
highest threshold that keeps false refusals within ``FALSE_REFUSAL_TARGET``, the trade most
archives want. A conversation's turn shows the question the system actually asked after
rewriting it, so a failed follow-up shows whether the rewrite or the answer went wrong. All
article and answer text is escaped: articles are data and may contain markup.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from eval.baseline import Comparison
from eval.chart import rates_chart_png, risk_coverage_png
from eval.confidence import CoveragePoint, operating_point, threshold_for_false_refusals
from eval.errors import ReportError
from eval.metrics import METRICS, MetricSpec, MetricValue, QuestionRecord
from eval.runner import EvalResult

if TYPE_CHECKING:
    from qa import Passage

REPORT_SUFFIXES = (".html", ".md")
FALSE_REFUSAL_TARGET = 0.1


@dataclass(frozen=True)
class TableRow:
    """One metric formatted for display; ``better`` is None when unchanged or no baseline."""

    label: str
    value: str
    baseline: str
    delta: str
    tolerance: str
    status: str
    better: bool | None


def format_value(spec: MetricSpec, value: MetricValue) -> str:
    if value is None:
        return "n/a"
    if spec.kind == "count":
        return str(int(value))
    if spec.kind == "words":
        return f"{value:.1f}"
    return f"{value:.3f}"


def table_rows(result: EvalResult, comparison: Comparison | None = None) -> list[TableRow]:
    """The metrics table shared by the terminal, HTML and Markdown renderings."""
    deltas = {row.spec.key: row for row in comparison.rows} if comparison else {}
    rows = []
    for spec in METRICS:
        current = result.metrics.get(spec.key)
        row = deltas.get(spec.key)
        if row is None or row.baseline is None:
            status = "not gated" if not spec.gated else ("no baseline" if comparison else "")
            rows.append(TableRow(spec.label, format_value(spec, current), "", "", "", status, None))
            continue
        delta = row.delta
        rows.append(
            TableRow(
                label=spec.label,
                value=format_value(spec, current),
                baseline=format_value(spec, row.baseline),
                delta="" if delta is None else f"{delta:+.3f}",
                tolerance="" if row.tolerance is None else f"±{row.tolerance:.3f}",
                status="REGRESSED" if row.regressed else ("ok" if spec.gated else "not gated"),
                better=row.better if spec.gated else None,
            )
        )
    return rows


def write_report(result: EvalResult, path: Path, comparison: Comparison | None = None) -> None:
    """Write ``path`` as HTML or Markdown according to its extension."""
    check_report_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    baseline = {row.spec.key: row.baseline for row in comparison.rows} if comparison else None
    png = rates_chart_png(result.metrics, baseline)
    confidence = _confidence_section(result)
    if path.suffix.lower() == ".html":
        path.write_text(_html(result, comparison, png, confidence), encoding="utf-8")
    else:
        chart = path.with_suffix(".png")
        chart.write_bytes(png)
        curve_chart = path.with_name(f"{path.stem}-risk-coverage.png")
        if confidence.png is not None:
            curve_chart.write_bytes(confidence.png)
        markdown = _markdown(result, comparison, chart.name, confidence, curve_chart.name)
        path.write_text(markdown, encoding="utf-8")


def check_report_path(path: Path) -> None:
    """Fail early (before a long run) on an extension no renderer handles."""
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise ReportError(f"{path}: a report must end in .html or .md")


@dataclass(frozen=True)
class _Confidence:
    """The confidence section's content, shared by both renderings."""

    lines: tuple[str, ...]  # plain text; each renderer escapes it
    curve: tuple[CoveragePoint, ...]
    png: bytes | None  # None when there is no curve to plot


def _confidence_section(result: EvalResult) -> _Confidence:
    auroc = result.metrics.get("answerability_auroc")
    auroc_text = "n/a" if auroc is None else f"{auroc:.3f}"
    lines = [
        f"Answerability AUROC {auroc_text}: the chance that an answerable question gets a "
        f"higher confidence than an unanswerable one (0.5 is chance, n/a without both kinds)."
    ]
    curve = result.risk_coverage
    if not curve:
        lines.append("No answer has a confidence, so there is no risk–coverage curve.")
        return _Confidence(tuple(lines), (), None)
    operating = operating_point(result.records)
    marks = {"this run": operating}
    picked = threshold_for_false_refusals(curve, FALSE_REFUSAL_TARGET)
    if picked is None:
        lines.append(
            f"No threshold keeps false refusals at or under {FALSE_REFUSAL_TARGET:.2f}: an "
            f"answerable question declined for another reason stays declined at every threshold."
        )
    else:
        lines.append(
            f"Highest threshold with false refusals at or under {FALSE_REFUSAL_TARGET:.2f}: "
            f"{picked.threshold:.3f}, answering {_fraction(picked.coverage)} of the questions "
            f"with accuracy {_fraction(picked.accuracy)} and declining "
            f"{_fraction(picked.refusal_accuracy)} of the unanswerable ones; this run answers "
            f"{_fraction(operating.coverage)} with accuracy {_fraction(operating.accuracy)} and "
            f"declines {_fraction(operating.refusal_accuracy)}."
        )
        label = f"threshold {picked.threshold:.3f} (false refusals ≤ {FALSE_REFUSAL_TARGET:.2f})"
        marks[label] = picked
    png = risk_coverage_png(curve, marks, f"Risk–coverage (answerability AUROC {auroc_text})")
    return _Confidence(tuple(lines), curve, png)


_CURVE_HEAD = (
    "Threshold",
    "Answered",
    "Coverage",
    "Accuracy of answered",
    "Refusal accuracy",
    "False refusal rate",
)


def _curve_cells(point: CoveragePoint) -> list[str]:
    # The point answering nothing sits a hair above the top confidence: it would print alike.
    threshold = "above all" if point.answered == 0 else _fraction(point.threshold)
    rates = (point.coverage, point.accuracy, point.refusal_accuracy, point.false_refusal_rate)
    return [threshold, str(point.answered), *(_fraction(v) for v in rates)]


def _fraction(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _config_line(result: EvalResult) -> str:
    c = result.config
    return (
        f"corpus {c.corpus}, gold {c.gold}, k={c.k}, llm {c.llm} (backend {c.backend}), "
        f"{c.n_questions} questions in {c.total_s:.1f} s, started {c.timestamp}"
    )


def _split_questions(result: EvalResult) -> tuple[list[QuestionRecord], list[QuestionRecord]]:
    failed = [r for r in result.records if r.failed]
    warned = [r for r in result.records if not r.failed and r.problems]
    return failed, warned


def _turn_note(record: QuestionRecord) -> str | None:
    """Which conversation and turn a record is, and what was asked; None for a question."""
    item = record.item
    if item.conversation is None:
        return None
    asked = record.standalone if record.standalone is not None else "not recorded"
    return f"Turn {item.turn} of conversation {item.conversation}; asked as: {asked}"


def _shown_passages(record: QuestionRecord) -> tuple[str, list[Passage]]:
    cited = {c.n for c in record.answer.citations}
    passages = [p for p in record.answer.passages if p.n in cited]
    if passages:
        return "Cited passages", passages
    return "Passages given to the answerer (none cited)", list(record.answer.passages)


# -- HTML ---------------------------------------------------------------------------------

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
       color: #1f2328; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .8rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.better { color: #1a7f37; } .worse { color: #cf222e; }
.regressed { color: #cf222e; font-weight: 700; }
.question { border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem 1rem; margin: 1rem 0; }
.problems { color: #cf222e; } .meta { color: #656d76; font-size: 90%; }
blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 3px solid #d0d7de;
             white-space: pre-wrap; }
"""


def _html(
    result: EvalResult, comparison: Comparison | None, png: bytes, confidence: _Confidence
) -> str:
    failed, warned = _split_questions(result)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8"><title>ragqa eval report</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>ragqa eval report</h1>",
        f'<p class="meta">{escape(_config_line(result))}</p>',
        _html_verdict(comparison),
        _html_table(table_rows(result, comparison), with_baseline=comparison is not None),
        _html_image("rate metrics chart", png),
        _html_confidence(confidence),
        f"<h2>Failed questions ({len(failed)})</h2>",
        *(_html_question(r) for r in failed),
    ]
    if not failed:
        parts.append("<p>None.</p>")
    if warned:
        parts.append(f"<h2>Correct, with warnings ({len(warned)})</h2>")
        parts.append("<details><summary>right answer, but another check failed</summary>")
        parts.extend(_html_question(r) for r in warned)
        parts.append("</details>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_image(alt: str, png: bytes) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _html_confidence(confidence: _Confidence) -> str:
    parts = ["<h2>Confidence threshold</h2>"]
    parts += [f"<p>{escape(line)}</p>" for line in confidence.lines]
    if confidence.png is not None:
        parts.append(_html_image("risk-coverage curve", confidence.png))
    if confidence.curve:
        head = "".join(f"<th>{escape(h)}</th>" for h in _CURVE_HEAD)
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in _curve_cells(p)) + "</tr>"
            for p in confidence.curve
        )
        parts.append(
            f"<details><summary>every threshold</summary><table><tr>{head}</tr>{rows}</table>"
            "</details>"
        )
    return "\n".join(parts)


def _html_verdict(comparison: Comparison | None) -> str:
    if comparison is None:
        return "<p>No baseline given.</p>"
    notes = "".join(f"<li>{escape(note)}</li>" for note in comparison.notes)
    if comparison.ok:
        verdict = '<p class="better">No regression against the baseline.</p>'
    else:
        items = "".join(f"<li>{escape(r.message())}</li>" for r in comparison.regressions)
        verdict = f'<p class="regressed">Regressions:</p><ul class="problems">{items}</ul>'
    return verdict + (f'<ul class="meta">{notes}</ul>' if notes else "")


def _html_table(rows: list[TableRow], *, with_baseline: bool) -> str:
    head = ["Metric", "Value"]
    if with_baseline:
        head += ["Baseline", "Delta", "Tolerance", "Status"]
    lines = ["<table>", "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = [escape(row.label), row.value]
        if with_baseline:
            tone = {True: "better", False: "worse", None: ""}[row.better]
            status = "regressed" if row.status == "REGRESSED" else ""
            cells += [
                row.baseline,
                f'<span class="{tone}">{row.delta}</span>' if tone else row.delta,
                row.tolerance,
                f'<span class="{status}">{row.status}</span>' if status else row.status,
            ]
        lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _html_question(record: QuestionRecord) -> str:
    item, answer = record.item, record.answer
    gold = (
        "unanswerable"
        if item.unanswerable
        else " | ".join(escape(a) for a in item.answers) + f" (in {escape(str(item.article))})"
    )
    problems = "".join(f"<li>{escape(p)}</li>" for p in record.problems)
    retrieved = ", ".join(f"[{p.n}] {escape(p.file_name)} ({p.score:.3f})" for p in answer.passages)
    title, passages = _shown_passages(record)
    shown = "".join(
        f'<p class="meta">[{p.n}] {escape(p.title)} — {escape(p.file_name)}, '
        f"chars {p.start}–{p.end}, score {p.score:.3f}</p><blockquote>{escape(p.text)}</blockquote>"
        for p in passages
    )
    withheld = (
        f"<p><b>Withheld under the confidence threshold:</b> {escape(answer.withheld)}</p>"
        if answer.withheld
        else ""
    )
    turn = _turn_note(record)
    turn_html = f'<p class="meta">{escape(turn)}</p>' if turn else ""
    return (
        f'<div class="question"><h3>{escape(item.id)}: {escape(item.question)}</h3>'
        f"{turn_html}"
        f'<ul class="problems">{problems}</ul>'
        f"<p><b>Gold:</b> {gold}</p>"
        f"<p><b>Answer</b> ({'answered' if answer.answerable else 'refused'}, "
        f"{record.latency_s:.2f} s{_confidence_note(record)}): {escape(answer.text)}</p>"
        f"{withheld}"
        f'<p class="meta">Retrieved: {retrieved or "nothing"}</p>'
        f"<p><b>{title}:</b></p>{shown or '<p>none</p>'}</div>"
    )


# -- Markdown -----------------------------------------------------------------------------


def _markdown(
    result: EvalResult,
    comparison: Comparison | None,
    chart_name: str,
    confidence: _Confidence,
    curve_chart_name: str,
) -> str:
    failed, warned = _split_questions(result)
    lines = ["# ragqa eval report", "", f"_{_md(_config_line(result))}_", ""]
    if comparison is None:
        lines += ["No baseline given.", ""]
    elif comparison.ok:
        lines += ["**No regression against the baseline.**", ""]
    else:
        lines += ["**Regressions:**", ""]
        lines += [f"- {_md(r.message())}" for r in comparison.regressions] + [""]
    lines += [f"- note: {_md(note)}" for note in (comparison.notes if comparison else ())]
    lines += ["", *_md_table(table_rows(result, comparison), comparison is not None), ""]
    lines += [f"![rate metrics chart]({chart_name})", ""]
    lines += ["## Confidence threshold", ""]
    lines += [line for text in confidence.lines for line in (_md(text), "")]
    if confidence.png is not None:
        lines += [f"![risk-coverage curve]({curve_chart_name})", ""]
    if confidence.curve:
        lines += ["| " + " | ".join(_CURVE_HEAD) + " |", "|" + "---|" * len(_CURVE_HEAD)]
        lines += [
            "| " + " | ".join(_md(c) for c in _curve_cells(p)) + " |" for p in confidence.curve
        ]
        lines.append("")
    lines += [f"## Failed questions ({len(failed)})", ""]
    lines += [line for r in failed for line in _md_question(r)] or ["None.", ""]
    if warned:
        lines += [f"## Correct, with warnings ({len(warned)})", ""]
        lines += [line for r in warned for line in _md_question(r)]
    return "\n".join(lines) + "\n"


def _md_table(rows: list[TableRow], with_baseline: bool) -> list[str]:
    head = ["Metric", "Value"] + (
        ["Baseline", "Delta", "Tolerance", "Status"] if with_baseline else []
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row.label, row.value]
        if with_baseline:
            mark = {True: " ▲ better", False: " ▼ worse", None: ""}[row.better]
            cells += [row.baseline, row.delta + mark, row.tolerance, row.status]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return lines


def _md_question(record: QuestionRecord) -> list[str]:
    item, answer = record.item, record.answer
    gold = (
        "unanswerable"
        if item.unanswerable
        else " / ".join(f"`{a}`" for a in item.answers) + f" (in `{item.article}`)"
    )
    title, passages = _shown_passages(record)
    retrieved = ", ".join(f"[{p.n}] `{p.file_name}` ({p.score:.3f})" for p in answer.passages)
    lines = [f"### {_md(item.id)}: {_md(item.question)}", ""]
    turn = _turn_note(record)
    if turn:
        lines += [f"_{_md(turn)}_", ""]
    lines += [f"- problem: {_md(p)}" for p in record.problems]
    lines += [
        f"- gold: {gold}",
        f"- answer ({'answered' if answer.answerable else 'refused'}, "
        f"{record.latency_s:.2f} s{_confidence_note(record)}): {_md(answer.text)}",
        *(
            [f"- withheld under the confidence threshold: {_md(answer.withheld)}"]
            if answer.withheld
            else []
        ),
        f"- retrieved: {retrieved or 'nothing'}",
        "",
        f"{title}:",
        "",
    ]
    for p in passages:
        lines += [f"[{p.n}] **{_md(p.title)}** (`{p.file_name}`, chars {p.start}–{p.end})", ""]
        lines += [f"> {_md(line)}" for line in p.text.splitlines() if line.strip()] + [""]
    return lines


def _confidence_note(record: QuestionRecord) -> str:
    confidence = record.answer.confidence
    return "" if confidence is None else f", confidence {confidence:.3f}"


def _md(text: str) -> str:
    """Escape what would break a table cell or turn article text into markup."""
    text = " ".join(text.split()) if "\n" in text else text
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text
