"""Answers with the default LLM: ask latency, time to the first streamed piece, peak memory.

    .venv/bin/python bench/answers.py [--json bench/results/answers.json] [--limit N]

The seed articles are ingested into a fresh data directory and every seeds gold question
(``eval/gold/seeds.jsonl``) is asked twice over it:

- in this process through ``Assistant.stream`` (what ``ragqa ask`` and the chat run):
  seconds to the first piece of answer text and to the final ``Answer``, p50 and p95,
  after one untimed question that loads the models;
- through a real ``ragqa chat`` server on a free loopback port, by ``gradio_client``
  calling its ``/ask`` endpoint as a script would: seconds per answer, and the server
  process's peak RSS (``VmHWM``) once every question is answered.

Cold ``ragqa ask`` and ``ragqa --help`` are ``bench/cold_start.py``'s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gradio_client import Client

from eval.gold import load_gold
from qa import Answer, Assistant, Settings

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the chat server launcher the UI tests use
from tests.ui.chat_server import start_chat  # noqa: E402

SEEDS = REPO / "seeds"
GOLD = REPO / "eval" / "gold" / "seeds.jsonl"


def percentiles(seconds: list[float]) -> dict[str, float]:
    """Median, 95th percentile and maximum, in seconds (``bench/load.py`` uses it too)."""
    ordered = sorted(seconds)
    return {
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 3),
        "max_s": round(ordered[-1], 3),
    }


def _stream_once(assistant: Assistant, question: str) -> tuple[float, float]:
    """Seconds to the first piece of answer text and to the final ``Answer``."""
    start = time.perf_counter()
    first = None
    for piece in assistant.stream(question):
        if first is None and isinstance(piece, str) and piece:
            first = time.perf_counter() - start
        if isinstance(piece, Answer):
            break
    total = time.perf_counter() - start
    return (total if first is None else first), total


def _in_process(home: Path, questions: list[str]) -> dict[str, Any]:
    with Assistant.open(Settings(home=home)) as assistant:
        assistant.ingest([SEEDS])
        assistant.ask(questions[0])  # loads the models, untimed
        timed = [_stream_once(assistant, q) for q in questions]
        return {
            "backend": assistant.backend_name,
            "first_piece": percentiles([first for first, _ in timed]),
            "answer": percentiles([total for _, total in timed]),
        }


def _peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def _chat_server(home: Path, questions: list[str]) -> dict[str, Any]:
    server = start_chat(home)
    try:
        client = Client(server.url, verbose=False)
        client.predict(questions[0], api_name="/ask")  # loads the models, untimed
        seconds = []
        for question in questions:
            start = time.perf_counter()
            client.predict(question, api_name="/ask")
            seconds.append(time.perf_counter() - start)
        return {
            "answer": percentiles(seconds),
            "peak_rss_mib": round(_peak_rss_mib(server.process.pid), 1),
        }
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--json", type=Path, default=REPO / "bench" / "results" / "answers.json", metavar="OUT"
    )
    parser.add_argument("--limit", type=int, help="ask only the first N gold questions")
    args = parser.parse_args()
    # A follow-up asked alone is not the question it stands for: single questions only.
    questions = [i.question for i in load_gold(GOLD) if i.conversation is None][: args.limit]
    with tempfile.TemporaryDirectory(prefix="ragqa-answers-") as home:
        in_process = _in_process(Path(home), questions)
        chat = _chat_server(Path(home), questions)
    print(f"{len(questions)} seeds gold questions, backend {in_process['backend']}")
    print(f"{'path':22s} {'p50 s':>7s} {'p95 s':>7s} {'max s':>7s}")
    for name, row in (
        ("first streamed piece", in_process["first_piece"]),
        ("answer (in process)", in_process["answer"]),
        ("answer (chat server)", chat["answer"]),
    ):
        print(f"{name:22s} {row['p50_s']:7.3f} {row['p95_s']:7.3f} {row['max_s']:7.3f}")
    print(f"chat server peak RSS {chat['peak_rss_mib']:.0f} MiB")
    results = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "date": datetime.now(UTC).date().isoformat(),
        },
        "questions": len(questions),
        "in_process": in_process,
        "chat_server": chat,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
