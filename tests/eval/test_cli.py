"""The CLI's control flow with a fake assistant; the real-model gate runs elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

import qa
from eval.cache import eval_collection
from eval.cli import main
from eval.metrics import METRICS
from qa import Answer, FailedFile, IngestReport, QAError, Settings
from tests.eval.builders import answer, passage

ARTICLES = {
    "minister.txt": "Choe Son Hui is the foreign minister of North Korea.",
    "speech.txt": "Kishida spoke at the UN General Assembly in New York.",
}
GOLD = [
    {"id": "q1", "question": "Who is the foreign minister?", "answers": ["Choe Son Hui"],
     "article": "minister.txt"},
    {"id": "q2", "question": "Where did Kishida speak?", "answers": ["UN General Assembly"],
     "article": "speech.txt", "note": "extra fields are fine"},
    {"id": "q3", "question": "How old is Kim?", "answers": [], "unanswerable": True},
]  # fmt: skip


class FakeAssistant:
    """Answers right with top_k >= 2 and wrong with top_k == 1, like a starved retriever."""

    opened: ClassVar[list[FakeAssistant]] = []
    failed_files: ClassVar[tuple[FailedFile, ...]] = ()
    error: ClassVar[QAError | None] = None

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ingested: list[Path] = []
        self.closed = False

    @classmethod
    def open(cls, settings: Settings) -> FakeAssistant:
        assistant = cls(settings)
        cls.opened.append(assistant)
        return assistant

    def ingest(self, paths: list[Path]) -> IngestReport:
        self.ingested.extend(paths)
        return IngestReport(skipped=tuple(ARTICLES), failed=self.failed_files)

    def ask(self, question: str, *, top_k: int | None = None) -> Answer:
        if self.error:
            raise self.error
        minister = passage(1, "minister.txt", ARTICLES["minister.txt"])
        speech = passage(2, "speech.txt", ARTICLES["speech.txt"])
        if question.startswith("How old") or top_k == 1:
            return answer("The articles do not say.", [speech], answerable=False)
        if "Kishida" in question:
            return answer("At the UN General Assembly [2].", [speech], cited=[2])
        return answer("Choe Son Hui [1].", [minister], cited=[1])

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repo-like working directory: seeds/ and eval/gold/seeds.jsonl, a private home."""
    (tmp_path / "seeds").mkdir()
    for name, text in ARTICLES.items():
        (tmp_path / "seeds" / name).write_text(f"Title\n\n{text}\n")
    (tmp_path / "eval" / "gold").mkdir(parents=True)
    write_lines(tmp_path / "eval" / "gold" / "seeds.jsonl", GOLD)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RAGQA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(qa, "Assistant", FakeAssistant)
    monkeypatch.setattr(FakeAssistant, "opened", [])
    return tmp_path


def write_lines(path: Path, lines: list[object]) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


def test_a_run_prints_the_table_and_writes_json_and_report(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--json", "out/result.json", "--report", "out/report.html", "--llm", "none"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "Accuracy (contains gold)" in out and "1.000" in out
    assert "3 questions, 0 failed" in err
    [assistant] = FakeAssistant.opened
    assert assistant.ingested == [Path("seeds")] and assistant.closed
    assert assistant.settings.llm == "none" and assistant.settings.top_k == 5
    data = json.loads((project / "out" / "result.json").read_text())
    assert data["config"]["corpus"] == "seeds" and data["config"]["k"] == 5
    assert data["config"]["gold"] == "eval/gold/seeds.jsonl" and data["config"]["llm"] == "none"
    assert data["metrics"]["accuracy"] == 1.0 and len(data["questions"]) == 3
    assert "data:image/png;base64," in (project / "out" / "report.html").read_text()


def test_the_corpus_gets_a_collection_per_content_in_the_chosen_home(project: Path) -> None:
    collection = eval_collection(project / "seeds", chunk_size=160, chunk_overlap=32)
    assert main(["--quiet"]) == 0
    assert main(["--quiet"]) == 0
    (project / "seeds" / "speech.txt").write_text("Title\n\nEdited.\n")
    assert main(["--quiet"]) == 0
    assert main(["--quiet", "--store", "my-store"]) == 0
    first, again, edited, stored = (a.settings for a in FakeAssistant.opened)
    assert first.home == again.home == edited.home == project / "home"  # RAGQA_HOME
    assert first.collection == again.collection == collection
    assert edited.collection != collection and edited.collection.startswith("eval-")
    assert stored.home == Path("my-store") and stored.collection == edited.collection


def test_the_gate_exits_1_on_a_regression_and_0_within_tolerance(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = project / "eval" / "baselines" / "seeds.json"
    assert main(["--quiet", "--baseline", str(baseline), "--update-baseline"]) == 0
    stored = json.loads(baseline.read_text())
    assert stored["k"] == 5 and stored["metrics"]["accuracy"] == {"value": 1.0, "tolerance": 0.05}
    assert stored["answer_style"] == "evidence" and stored["require_answer_type"] is True
    capsys.readouterr()

    assert main(["--quiet", "--baseline", str(baseline)]) == 0
    assert "no regression against" in capsys.readouterr().err

    assert main(["--quiet", "--baseline", str(baseline), "--k", "1"]) == 1
    err = capsys.readouterr().err
    assert "regression: accuracy: 0.000 is 1.000 below the baseline 1.000" in err
    assert "regression: false_refusal_rate: 1.000 is 1.000 above the baseline 0.000" in err
    assert "note: the baseline was recorded with k=5, this run used k=1" in err

    monkeypatch.setenv("RAGQA_REQUIRE_ANSWER_TYPE", "false")
    assert main(["--quiet", "--baseline", str(baseline)]) == 0
    err = capsys.readouterr().err
    assert "recorded with require_answer_type=True, this run used require_answer_type=False" in err


def test_the_table_shows_every_metric_and_a_missing_baseline_entry_is_not_gated(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    old = {"k": 5, "metrics": {"accuracy": {"value": 1.0, "tolerance": 0.05}}}
    assert main(["--quiet", "--baseline", str(write_lines(project / "old.json", [old]))]) == 0
    out = capsys.readouterr().out
    for spec in METRICS:
        assert spec.label in out, spec.key
    [auroc] = [line for line in out.splitlines() if "Answerability AUROC" in line]
    assert "n/a" in auroc and "no baseline" in auroc  # the fake reports no confidence


def test_update_baseline_keeps_hand_tuned_tolerances(project: Path) -> None:
    baseline = write_lines(
        project / "b.json", [{"k": 5, "metrics": {"accuracy": {"value": 0.2, "tolerance": 0.3}}}]
    )
    assert main(["--quiet", "--baseline", str(baseline), "--update-baseline", "--limit", "1"]) == 0
    stored = json.loads(baseline.read_text())
    assert stored["metrics"]["accuracy"] == {"value": 1.0, "tolerance": 0.3}
    assert stored["n_questions"] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--update-baseline"], "error: --update-baseline needs --baseline FILE"),
        (["--report", "r.pdf"], "error: r.pdf: a report must end in .html or .md"),
        (["--k", "0"], "error: argument --k: must be 1 or more, got 0"),
        (["--limit", "x"], "error: argument --limit: invalid _positive value: 'x'"),
        (["--bogus"], "error: unrecognized arguments: --bogus"),
        (["--gold", "none.jsonl"], "error: none.jsonl: gold file not found"),
        (["--corpus", "nowhere"], "error: nowhere: corpus folder not found"),
        (["--baseline", "none.json"], "error: none.json: baseline not found"),
        (["--llm", "gpt-9"], "error: invalid settings (llm:"),
    ],
)
def test_usage_errors_exit_2_with_one_line_before_any_work(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert FakeAssistant.opened == [] or argv[0] == "--llm"


def test_gold_errors_name_file_and_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_lines(project / "bad.jsonl", [GOLD[0], '{"id": "q2", "answers": ["x"]'])
    assert main(["--gold", "bad.jsonl"]) == 2
    assert "error: bad.jsonl:2: invalid JSON" in capsys.readouterr().err

    write_lines(project / "bad.jsonl", [GOLD[0], {**GOLD[1], "article": "gone.txt"}])
    assert main(["--gold", "bad.jsonl"]) == 2
    assert "error: bad.jsonl:2: article 'gone.txt' is not in the corpus" in capsys.readouterr().err
    assert FakeAssistant.opened == []


def test_assistant_errors_exit_2_and_close_the_assistant(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(FakeAssistant, "error", QAError("the LLM backend failed; check --llm"))
    assert main(["--quiet"]) == 2
    assert "error: the LLM backend failed; check --llm" in capsys.readouterr().err
    assert FakeAssistant.opened[0].closed


def test_a_gold_article_that_fails_to_ingest_stops_the_run(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failed = (FailedFile("seeds/speech.txt", "not UTF-8 text"),)
    monkeypatch.setattr(FakeAssistant, "failed_files", failed)
    assert main(["--quiet"]) == 2
    err = capsys.readouterr().err
    assert "warning: could not ingest speech.txt: not UTF-8 text" in err
    assert "error: gold article speech.txt could not be ingested" in err


def test_python_dash_m_eval_exits_with_mains_code(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "eval", "--update-baseline"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("error: --update-baseline needs --baseline FILE")
    assert "Traceback" not in run.stderr
