"""``ragqa --help`` and every ``ragqa COMMAND --help`` answer without the models' libraries.

Each runs ``ragqa.cli.main`` in a fresh interpreter, as the console script does, and
reports which of the heavy libraries the process imported: none may be, or the cold start
is back to loading torch, Chroma and Gradio before printing a line of help.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

HEAVY = (
    "chromadb",
    "fastapi",
    "gradio",
    "llama_cpp",
    "llama_index",
    "nltk",
    "sentence_transformers",
    "torch",
    "transformers",
    "uvicorn",
)
COMMANDS = ("ingest", "ask", "stats", "check", "chat", "serve", "eval")

# Runs the entry point, then writes its exit code and the heavy modules it left behind to
# stderr as the last line (stdout holds the help).
_PROBE = f"""
import json, sys
from ragqa.cli import main
sys.argv = ["ragqa", *sys.argv[1:]]
try:
    main()
    code = 0
except SystemExit as exit:
    code = exit.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
"""


def _help(*args: str) -> tuple[int, list[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args, "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["code"], report["heavy"], result.stdout


def test_help_lists_every_command_without_the_heavy_libraries() -> None:
    code, heavy, text = _help()
    assert code == 0
    assert heavy == []
    assert "Usage: ragqa [OPTIONS] COMMAND [ARGS]..." in text
    for command in COMMANDS:
        assert f"│ {command} " in text


@pytest.mark.parametrize(
    ("command", "usage", "option"),
    [
        ("ingest", "Usage: ragqa ingest [OPTIONS] {paths}...", "--prune"),
        ("ask", "Usage: ragqa ask [OPTIONS] {question}", "--top-k"),
        ("stats", "Usage: ragqa stats [OPTIONS]", "--collection"),
        ("check", "Usage: ragqa check [OPTIONS]", "--repair"),
        ("chat", "Usage: ragqa chat [OPTIONS]", "--auth"),
        ("serve", "Usage: ragqa serve [OPTIONS]", "--api-key-file"),
        ("eval", "usage: python -m eval", "--baseline"),
    ],
)
def test_command_help_without_the_heavy_libraries(command: str, usage: str, option: str) -> None:
    code, heavy, text = _help(command)
    assert code == 0
    assert heavy == []
    assert usage in text and option in text


def test_python_m_ragqa_is_the_ragqa_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ragqa", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr
    assert "Ask questions about news articles" in result.stdout


TORCH = ("sentence_transformers", "torch", "transformers")
INGEST_ONLY = ("llama_index.", "nltk")
"""Chunking needs llama-index's splitter and NLTK's Punkt; answering never does (finding
NLTK's stop-word list in llama-index's folder imports only the empty namespace package
``llama_index``)."""


def _run(*args: str, env: dict[str, str]) -> tuple[int, list[str], str]:
    """``ragqa ARGS`` in a fresh interpreter: exit code, heavy modules imported, output."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        env={**os.environ, **env},
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["code"], report["heavy"], result.stdout + result.stderr


def _top_level(heavy: list[str], libraries: tuple[str, ...]) -> set[str]:
    return {m.split(".")[0] for m in heavy} & set(libraries)


def test_ingest_runs_without_torch_and_ask_without_llama_index_or_nltk(tmp_path: Path) -> None:
    env = {"RAGQA_HOME": str(tmp_path / "home"), "RAGQA_LLM": "none"}
    code, _, output = _run("ingest", str(REPO / "seeds"), env=env)  # exports, if none yet
    assert code == 0, output
    code, _, output = _run("ask", "Who is Kim Yo Jong?", env=env)
    assert code == 0, output

    code, heavy, output = _run("ingest", str(REPO / "seeds"), "--prune", env=env)
    assert code == 0, output
    assert _top_level(heavy, TORCH) == set()
    code, heavy, output = _run("ask", "Who is North Korea's ambassador to China?", env=env)
    assert code == 0, output
    assert "Ri Ryong Nam" in output
    assert _top_level(heavy, TORCH) == set()
    assert [m for m in heavy if m.startswith(INGEST_ONLY)] == []
    assert "chromadb" in _top_level(heavy, HEAVY)  # the probe sees what the command loads
