import base64
import re
from pathlib import Path

import pytest

import eval.report
from eval import Baseline, ReportError, Threshold, compare, run_eval, write_report
from tests.eval.builders import (
    ARTICLE_A,
    ARTICLE_B,
    CannedAssistant,
    RecallingConversation,
    answer,
    gold,
    passage,
)

MINISTER = passage(1, ARTICLE_A, "Choe Son Hui is the foreign minister of North Korea.")
HOSTILE = passage(2, ARTICLE_B, "Kishida <script>alert('x')</script> spoke | at the UN.")
ITEMS = (
    gold(["Choe Son Hui"], item_id="right", question="Who is the foreign minister?"),
    gold(["Choe Son Hui"], item_id="wrong", question="Who <b>leads</b> diplomacy?"),
)
ANSWERS = {
    "Who is the foreign minister?": answer("Choe Son Hui [1].", [MINISTER], cited=[1]),
    "Who <b>leads</b> diplomacy?": answer("Kishida spoke [2].", [MINISTER, HOSTILE], cited=[2]),
}


@pytest.fixture
def result():
    return run_eval(CannedAssistant(ANSWERS), ITEMS, k=5, corpus="c", gold="g.jsonl", llm="none")


def test_html_report_has_table_embedded_chart_and_escaped_failures(tmp_path: Path, result) -> None:
    path = tmp_path / "report.html"
    write_report(result, path)
    html = path.read_text()
    assert "<table>" in html and "Accuracy (contains gold)" in html and "0.500" in html
    png = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert png and base64.b64decode(png.group(1)).startswith(b"\x89PNG")
    assert "Failed questions (1)" in html
    assert "wrong: Who &lt;b&gt;leads&lt;/b&gt; diplomacy?" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Choe Son Hui" in html and "no gold answer in the answer text" in html
    assert "of conversation" not in html  # single questions have no turn line


def test_html_report_colours_deltas_by_each_metrics_direction(tmp_path: Path, result) -> None:
    baseline = Baseline(
        {
            "accuracy": Threshold(0.9, 0.05),  # now 0.5: worse, beyond tolerance
            "latency_p95_s": Threshold(10.0, 5.0),  # now ~0: lower is better
        }
    )
    path = tmp_path / "report.html"
    write_report(result, path, compare(result.metrics, baseline))
    html = path.read_text()
    worse = '<td>Accuracy (contains gold)</td><td>0.500</td><td>0.900</td><td><span class="worse">'
    assert worse in html
    assert re.search(r'p95 \(s\)</td><td>[\d.]+</td><td>10.000</td><td><span class="better">', html)
    assert "REGRESSED" in html and "accuracy: 0.500 is 0.400 below the baseline" in html


def test_markdown_report_writes_chart_beside_it(tmp_path: Path, result) -> None:
    path = tmp_path / "report.md"
    write_report(result, path, compare(result.metrics, Baseline({"mrr": Threshold(0.5, 0.05)})))
    markdown = path.read_text()
    assert "| Metric | Value | Baseline | Delta | Tolerance | Status |" in markdown
    assert "| MRR (article) | 1.000 | 0.500 | +0.500 ▲ better | ±0.050 | ok |" in markdown
    assert "![rate metrics chart](report.png)" in markdown
    assert (tmp_path / "report.png").read_bytes().startswith(b"\x89PNG")
    assert "### wrong: Who \\<b\\>leads\\</b\\> diplomacy?" in markdown
    assert "\\<script\\>" in markdown and "spoke \\| at" in markdown


def test_unknown_report_extension_is_an_error(tmp_path: Path, result) -> None:
    with pytest.raises(ReportError, match=r"must end in \.html or \.md"):
        write_report(result, tmp_path / "report.pdf")


CONFIDENT_ITEMS = (
    gold(["Choe Son Hui"], item_id="right", question="Who is the foreign minister?"),
    gold(["Choe Son Hui"], item_id="wrong", question="Who leads diplomacy?"),
    gold(["Choe Son Hui"], item_id="withheld", question="Who is Choe?"),
    gold(item_id="unanswerable", question="How old is Kim?"),
)
CONFIDENT_ANSWERS = {
    "Who is the foreign minister?": answer(
        "Choe Son Hui [1].", [MINISTER], cited=[1], confidence=0.9
    ),
    "Who leads diplomacy?": answer("Kishida [2].", [MINISTER, HOSTILE], cited=[2], confidence=0.4),
    "Who is Choe?": answer(
        "The articles do not say.",
        [MINISTER],
        answerable=False,
        confidence=0.2,
        withheld="<script>x</script> Choe Son Hui [1].",
    ),
    "How old is Kim?": answer(
        "The articles do not say.", [MINISTER], answerable=False, confidence=0.3
    ),
}
# AUROC: 0.9 and 0.4 beat the unanswerable 0.3, 0.2 does not: 2 of 3 pairs. At threshold 0.2
# (the withheld answer given, and right) false refusals reach 0: 3 of 4 answered, 2 rightly.
PICKED_ROW = ["0.200", "3", "0.750", "0.667", "1.000", "0.000"]


@pytest.fixture
def confident_result():
    return run_eval(CannedAssistant(CONFIDENT_ANSWERS), CONFIDENT_ITEMS, k=5)


def test_html_report_plots_the_risk_coverage_curve_with_the_auroc(
    tmp_path: Path, confident_result
) -> None:
    path = tmp_path / "report.html"
    write_report(confident_result, path)
    html = path.read_text()
    assert "<td>Answerability AUROC (confidence)</td><td>0.667</td>" in html
    assert "Answerability AUROC 0.667: the chance" in html
    curve = re.search(r'alt="risk-coverage curve" src="data:image/png;base64,([^"]+)"', html)
    assert curve and base64.b64decode(curve.group(1)).startswith(b"\x89PNG")
    assert "Highest threshold with false refusals at or under 0.10: 0.200" in html
    assert "<tr>" + "".join(f"<td>{c}</td>" for c in PICKED_ROW) + "</tr>" in html
    assert "<td>above all</td><td>0</td><td>0.000</td><td>n/a</td>" in html
    assert "confidence 0.200" in html and "Withheld under the confidence threshold" in html
    assert "&lt;script&gt;x&lt;/script&gt; Choe Son Hui" in html and "<script>" not in html


def test_the_plot_marks_this_run_and_the_suggested_threshold(
    tmp_path: Path, confident_result, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = {}

    def fake_png(curve, marks, title):
        drawn.update(curve=curve, marks=marks, title=title)
        return b"\x89PNG fake"

    monkeypatch.setattr(eval.report, "risk_coverage_png", fake_png)
    write_report(confident_result, tmp_path / "report.html")
    assert drawn["curve"] == confident_result.risk_coverage
    assert list(drawn["marks"]) == ["this run", "threshold 0.200 (false refusals ≤ 0.10)"]
    this_run, suggested = drawn["marks"].values()
    assert (this_run.threshold, this_run.coverage, this_run.accuracy) == (None, 0.5, 0.5)
    assert (suggested.coverage, suggested.accuracy) == (0.75, 0.666667)
    assert drawn["title"] == "Risk–coverage (answerability AUROC 0.667)"


def test_markdown_report_writes_the_curve_beside_it(tmp_path: Path, confident_result) -> None:
    path = tmp_path / "report.md"
    write_report(confident_result, path)
    markdown = path.read_text()
    assert "![risk-coverage curve](report-risk-coverage.png)" in markdown
    assert (tmp_path / "report-risk-coverage.png").read_bytes().startswith(b"\x89PNG")
    assert "Answerability AUROC 0.667: the chance" in markdown
    assert "| " + " | ".join(PICKED_ROW) + " |" in markdown
    assert "- withheld under the confidence threshold: \\<script\\>x" in markdown


def test_without_confidences_the_report_says_so_and_draws_no_curve(tmp_path: Path, result) -> None:
    write_report(result, tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text()
    assert "Answerability AUROC n/a" in html and "there is no risk–coverage curve" in html
    assert html.count("data:image/png;base64,") == 1
    write_report(result, tmp_path / "report.md")
    assert "![risk-coverage curve]" not in (tmp_path / "report.md").read_text()
    assert not (tmp_path / "report-risk-coverage.png").exists()


TURNS = (
    gold(["Choe Son Hui"], conversation="c1", turn=1, question="Who is the foreign minister?"),
    gold(["talks"], conversation="c1", turn=2, question="What did <i>she</i> reject?"),
)
# The follow-up's rewrite is answered with the wrong text, so turn 2 fails.
TURN_ANSWERS = {
    "Who is the foreign minister?": answer("Choe Son Hui [1].", [MINISTER], cited=[1]),
    "Who is the foreign minister? What did <i>she</i> reject?": answer("Kishida [2].", [HOSTILE]),
}


@pytest.fixture
def conversation_result():
    return run_eval(
        CannedAssistant({}), TURNS, conversation_factory=lambda: RecallingConversation(TURN_ANSWERS)
    )


def test_a_failed_turn_shows_its_conversation_turn_and_standalone_question(
    tmp_path: Path, conversation_result
) -> None:
    path = tmp_path / "report.html"
    write_report(conversation_result, path)
    html = path.read_text()
    assert "Failed questions (1)" in html
    assert "<h3>c1#2: What did &lt;i&gt;she&lt;/i&gt; reject?</h3>" in html
    assert (
        '<p class="meta">Turn 2 of conversation c1; asked as: Who is the foreign minister? '
        "What did &lt;i&gt;she&lt;/i&gt; reject?</p>"
    ) in html
    assert "<td>First-turn accuracy (conversations)</td><td>1.000</td>" in html
    assert "<td>Follow-up accuracy (conversations)</td><td>0.000</td>" in html
    assert "<td>Follow-up turns</td><td>1</td>" in html


def test_markdown_report_shows_a_failed_turns_standalone_question(
    tmp_path: Path, conversation_result
) -> None:
    path = tmp_path / "report.md"
    write_report(conversation_result, path)
    markdown = path.read_text()
    assert "### c1\\#2: What did \\<i\\>she\\</i\\> reject?" in markdown
    assert (
        "_Turn 2 of conversation c1; asked as: Who is the foreign minister? "
        "What did \\<i\\>she\\</i\\> reject?_"
    ) in markdown
    assert "| Follow-up accuracy (conversations) | 0.000 |" in markdown
