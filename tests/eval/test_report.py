import base64
import re
from pathlib import Path

import pytest

from eval import Baseline, ReportError, Threshold, compare, run_eval, write_report
from tests.eval.builders import ARTICLE_A, ARTICLE_B, CannedAssistant, answer, gold, passage

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
