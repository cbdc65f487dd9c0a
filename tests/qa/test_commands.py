"""The ``ragqa`` command end to end, in subprocesses, as a user runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

RAGQA = [sys.executable, "-m", "ragqa"]


def ragqa(
    *args: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RAGQA, *args, "--home", str(home)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-home")
    result = ragqa("ingest", "seeds", home=home)
    assert result.returncode == 0, result.stderr
    assert "2 added, 0 replaced, 0 skipped, 0 deleted, 0 failed" in result.stdout
    return home


def test_reingest_skips_everything(cli_home: Path) -> None:
    result = ragqa("ingest", "seeds", home=cli_home)
    assert result.returncode == 0
    assert "0 added, 0 replaced, 2 skipped, 0 deleted, 0 failed" in result.stdout


@pytest.mark.slow
def test_ask_prints_the_answer_then_numbered_sources(cli_home: Path) -> None:
    result = ragqa("ask", "Who is North Korea's ambassador to China?", home=cli_home)
    assert result.returncode == 0, result.stderr
    answer, sources = result.stdout.split("\nSources:\n")
    assert "Ri Ryong Nam" in answer and "[" in answer
    assert "Ri Ryong Nam" in sources
    assert "north-korea-rules-out-dialogue-with-japan-at-any-level.txt" in sources


def test_ask_json_is_machine_readable(cli_home: Path) -> None:
    result = ragqa(
        "ask", "How many abductees does Tokyo list?", "--json", "--llm", "none", home=cli_home
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["answerable"] is True
    assert "17" in answer["text"]
    citation = answer["citations"][0]
    article = Path(citation["article_id"]).read_text()
    assert article[citation["start"] : citation["end"]] == citation["quote"]
    assert 0.5 < answer["confidence"] <= 1 and answer["low_confidence"] is False


def test_an_answer_given_with_low_confidence_says_so(cli_home: Path) -> None:
    question = "Which team won the 1998 football World Cup final?"
    default = ragqa("ask", question, "--llm", "none", home=cli_home)
    assert default.returncode == 0, default.stderr
    assert default.stdout.startswith("The articles do not say.")
    assert "low confidence" not in default.stdout

    lenient = ragqa(
        "ask", question, "--llm", "none", home=cli_home, env={"RAGQA_MIN_ANSWER_CONFIDENCE": "0"}
    )
    assert lenient.returncode == 0, lenient.stderr
    answer, _ = lenient.stdout.split("\nSources:\n")
    assert re.search(r"\(low confidence: \d+% that the articles state this\)", answer)


def test_stats_lists_the_articles(cli_home: Path) -> None:
    result = ragqa("stats", home=cli_home)
    assert result.returncode == 0
    assert "2 articles" in result.stdout
    assert "north-korea-rejects-contact-and-summit-with-japan.txt" in result.stdout


def test_missing_path_is_one_line_naming_it(tmp_path: Path) -> None:
    result = ragqa("ingest", str(tmp_path / "nowhere"), home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nowhere'}: no such file or directory; check the path and try again"
    ]


def test_unreadable_and_oversized_files_are_named_and_the_rest_ingested(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00")
    big = tmp_path / "big.txt"
    big.write_text("A long story\n\n" + "More words. " * 1000)
    result = ragqa(
        "ingest", str(bad), str(big), "seeds", home=tmp_path, env={"RAGQA_MAX_FILE_MB": "0.01"}
    )
    assert result.returncode == 1
    assert "2 added" in result.stdout
    assert f"failed: {bad}: binary data, not text" in result.stderr
    assert f"failed: {big}: file is 12,014 bytes, over the limit of 10,000 bytes" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_in_a_legacy_encoding_is_ingested_and_the_guess_named(tmp_path: Path) -> None:
    from tests.index.test_encoding import HEADLINE, PARAGRAPHS

    story = tmp_path / "secheresse.txt"
    story.write_bytes(f"{HEADLINE}\n\n{PARAGRAPHS['fr']}\n".encode("cp1252"))
    result = ragqa("ingest", str(story), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    assert f"{story}: not UTF-8; read as cp1252, a guess" in result.stderr


def test_copies_are_named_and_prune_deletes_articles_whose_file_is_gone(
    tmp_path: Path, seeds_copy: Path
) -> None:
    original = seeds_copy / "north-korea-rejects-contact-and-summit-with-japan.txt"
    copy = seeds_copy / "summit-story-copy.txt"  # read after the original
    copy.write_bytes(original.read_bytes())
    first = ragqa("ingest", str(seeds_copy), home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "2 added, 0 replaced, 1 skipped, 0 deleted, 0 failed" in first.stdout
    assert f"skipped copy: {copy.resolve()}: same content as" in first.stdout

    other = seeds_copy / "north-korea-rules-out-dialogue-with-japan-at-any-level.txt"
    other.unlink()
    pruned = ragqa("ingest", "--prune", str(seeds_copy), home=tmp_path)
    assert pruned.returncode == 0, pruned.stderr
    assert "0 added, 0 replaced, 2 skipped, 1 deleted, 0 failed" in pruned.stdout
    assert f"deleted: {other.resolve()}" in pruned.stdout


def test_bad_setting_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = ragqa("ask", "anything", "--top-k", "0", home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: invalid settings (top_k")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_ask_stream_prints_the_answer_and_its_sources(cli_home: Path) -> None:
    result = ragqa("ask", "Who is North Korea's ambassador to China?", "--stream", home=cli_home)
    assert result.returncode == 0, result.stderr
    answer, sources = result.stdout.split("\nSources:\n")
    assert "Ri Ryong Nam" in answer
    assert "[" in sources


def test_cited_answers_without_an_llm_are_refused_before_anything_runs(tmp_path: Path) -> None:
    result = ragqa("ask", "anything", "--answer-style", "cited", "--llm", "none", home=tmp_path)
    assert result.returncode == 1
    assert "answer_style = 'cited' needs an LLM" in result.stderr
    assert "Traceback" not in result.stderr
    bad = ragqa("ask", "anything", "--answer-style", "poem", home=tmp_path)
    assert bad.returncode == 1 and "answer_style" in bad.stderr


STORY = (
    "Dockworkers end strike at Antwerp\n\n"
    "Dockworkers at the port of Antwerp ended a four-day strike on Thursday after the port "
    "authority agreed to hire 300 more crane operators, the union said.\n"
)


def _junk_folder(root: Path) -> tuple[dict[str, Path], list[Path]]:
    """A folder as users have them: good articles beside every kind of bad file.

    Returns the bad files (by what is wrong with them) and the good ones.
    """
    import io
    import zipfile

    folder = root / "inbox with spaces" / "für die Redaktion"
    folder.mkdir(parents=True)
    good = [folder / "dock strike.txt", folder / "Hafen – Bericht.md"]
    good[0].write_text(STORY, encoding="utf-8")
    good[1].write_text(
        "# Ferry to Lindholm resumes\n\nThe ferry to Lindholm resumed on Monday after a "
        "month of repairs, the operator said.\n",
        encoding="utf-8",
    )
    latin1 = folder / "café prices.txt"
    latin1.write_bytes(
        "Café prices rise in Liège\n\nThe price of a café crème in Liège rose to 3,20 € "
        "on Monday, the city's café owners' association said, blaming the cost of milk. "
        "Owners in the old town said customers had already begun to order smaller cups.\n"
        .replace("€", "euros").encode("latin-1")
    )
    utf16 = folder / "tram line.txt"
    utf16.write_bytes(
        (
            "Tram line extended to the airport\n\nThe city's line 4 tram will run to the "
            "airport from September, the transport authority said on Friday.\n"
        ).encode("utf-16")
    )
    records = folder / "wire.jsonl"
    records.write_text(
        '{"title": "Grain exports rise", "text": "Grain exports rose 12% in March."}\n'
        '{"title": "Cut off", "text": "This line never ends\n'
        '{"title": "No text here"}\n'
        '{"title": "Rail fares frozen", "text": "Rail fares will not rise this year."}\n',
        encoding="utf-8",
    )
    good += [latin1, utf16, records]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("story.txt", STORY * 20)
    bad = {
        "empty": folder / "empty.txt",
        "whitespace": folder / "blank.md",
        "binary": folder / "photo.txt",
        "zip": folder / "archive.md",
        "truncated json": folder / "cut.json",
        "records without text": folder / "titles.json",
        "no article": folder / "menu.html",
        "not a pdf": folder / "report.pdf",
        "huge": folder / "huge.txt",
    }
    bad["empty"].write_bytes(b"")
    bad["whitespace"].write_text(" \n\t\n  \n")
    bad["binary"].write_bytes(bytes(range(256)) * 64)
    bad["zip"].write_bytes(archive.getvalue())
    bad["truncated json"].write_text('[{"title": "Half a record", "text": "It st')
    bad["records without text"].write_text('[{"title": "A title"}, {"headline": "Another"}]')
    bad["no article"].write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    bad["not a pdf"].write_text("This is not a PDF at all.\n")
    with bad["huge"].open("w") as huge:  # 60 MB of text: over the default 50 MB limit
        line = "The quick brown fox jumps over the lazy dog. " * 20 + "\n"
        for _ in range(60_000_000 // len(line) + 1):
            huge.write(line)
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # a symlink loop
    return bad, good


@pytest.mark.slow
def test_a_folder_of_junk_fails_file_by_file_and_keeps_the_good_and_the_stored(
    tmp_path: Path, seeds_copy: Path
) -> None:
    home = tmp_path / "home"
    first = ragqa("ingest", str(seeds_copy), home=home)
    assert first.returncode == 0, first.stderr
    before = ragqa("stats", home=home).stdout
    bad, good = _junk_folder(tmp_path)

    result = ragqa("ingest", str(tmp_path / "inbox with spaces"), home=home)

    assert result.returncode == 1  # something failed, and nothing crashed
    assert "Traceback" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    # One line for each bad file, or for each bad record of one (the two of titles.json).
    for what, path in bad.items():
        named = [line for line in failures if line.startswith(f"failed: {path}")]
        assert len(named) == (2 if what == "records without text" else 1), f"{what}: {failures}"
    huge = next(line for line in failures if line.startswith(f"failed: {bad['huge']}"))
    assert "max_file_mb" in huge
    # Two bad lines of the JSON Lines file fail alone, naming the file and the line.
    assert sum(line.startswith(f"failed: {good[-1]}:") for line in failures) == 2
    assert len(failures) == len(bad) + 1 + 2
    # Nothing else is printed but the encoding guess of the latin-1 file.
    others = [line for line in result.stderr.splitlines() if not line.startswith("failed: ")]
    assert len(others) == 1, others
    assert others[0].startswith(f"{good[2]}: not UTF-8; read as cp1252, a guess")
    # The good: two UTF-8 files, a latin-1 and a UTF-16 one, two good JSON Lines records.
    assert "6 added, 0 replaced, 0 skipped, 0 deleted, 12 failed" in result.stdout
    stats = ragqa("stats", home=home).stdout
    for title in ("Dockworkers end strike at Antwerp", "Café prices rise in Liège"):
        assert title in stats
    assert "Tram line extended to the airport" in stats
    # What was stored before is still there, unchanged.
    for line in before.splitlines():
        if "north-korea" in line:
            assert line in stats
