"""Many people at once: a real ``ragqa chat`` under concurrent sessions, checked and timed.

    .venv/bin/python bench/load.py [--sessions 50] [--questions 500] \
        [--concurrent-answers 1 4] [--extraction span] [--json bench/results/load.json]

The seed articles are ingested into a fresh data directory, and for each value of
``--concurrent-answers`` a ``ragqa chat`` is started over it on a free loopback port
(``RAGQA_CONCURRENT_ANSWERS``; 1 serves one question at a time, as the chat did before).
Each of ``--sessions`` sessions is its own ``gradio_client`` connection holding one
conversation through the page's own chat event: it asks its share of ``--questions``
seeds gold questions (``eval/gold/seeds.jsonl``, in a rotation of its own), one after
another, while every other session does the same.

Every reply is checked, not only timed: no error, the session's chat shows only its
own questions (no cross-talk), and each reply equals the one its conversation gets when
asked alone, on the same server before the load. Reported per server: throughput
(questions per second over the load), seconds per answer as one person waits for it
(p50, p95, max), and the checks' failures (0 expected).

``--extraction llm`` makes every answer go through the local LLM (and its queue).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from answers import percentiles  # bench/answers.py's, run from bench/
from gradio_client import Client

from eval.gold import load_gold

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the chat server launcher the UI tests use
from tests.ui.chat_server import SEEDS, ingest, start_server  # noqa: E402

GOLD = REPO / "eval" / "gold" / "seeds.jsonl"
Reply = tuple[Any, Any]
"""The chat (every message so far) and the sources panel after a question."""


def conversations(questions: Sequence[str], sessions: int, total: int) -> list[tuple[str, ...]]:
    """Each session's questions: ``total`` shared out, each session starting elsewhere."""
    per_session = [total // sessions + (i < total % sessions) for i in range(sessions)]
    return [
        tuple(questions[(i * 7 + j) % len(questions)] for j in range(count))
        for i, count in enumerate(per_session)
    ]


def ask(client: Client, question: str) -> Reply:
    chat, sources, _ = client.predict(question, "llama-cpp", 5, [], [], "", "", api_name="/chat")
    return chat, sources


def _asked(reply: Reply) -> list[str]:
    """The user's questions in a reply's chat, as the page shows them."""
    return [m["content"][0]["text"] for m in reply[0] if m["role"] == "user"]


@dataclass
class SessionResult:
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cross_talk: int = 0
    differing: int = 0


def run_session(url: str, questions: Sequence[str], alone: Sequence[Reply]) -> SessionResult:
    result = SessionResult()
    try:
        client = Client(url, verbose=False)
    except Exception as exc:  # counted, and the load goes on
        result.errors.append(f"connect: {exc}")
        return result
    for n, question in enumerate(questions):
        start = time.perf_counter()
        try:
            reply = ask(client, question)
        except Exception as exc:  # counted, and the session goes on
            result.errors.append(f"{question!r}: {exc}")
            continue
        result.seconds.append(time.perf_counter() - start)
        if "ragqa-notice" in str(reply[0][-1]):
            result.errors.append(f"{question!r}: {reply[0][-1]}")
        if len(_asked(reply)) != n + 1 or _asked(reply) != _asked(alone[n]):
            result.cross_talk += 1
        elif reply != alone[n]:
            result.differing += 1
    return result


Conversation = tuple[str, ...]


def alone_replies(url: str, wanted: Sequence[Conversation]) -> dict[Conversation, list[Reply]]:
    """Each distinct conversation asked alone, one question at a time."""
    replies = {}
    for questions in dict.fromkeys(wanted):
        client = Client(url, verbose=False)
        replies[questions] = [ask(client, question) for question in questions]
    return replies


def load(home: Path, plan: list[tuple[str, ...]], concurrent: int, extraction: str) -> dict:
    server = start_server(
        "chat",
        home,
        env={"RAGQA_CONCURRENT_ANSWERS": str(concurrent), "RAGQA_ANSWER_EXTRACTION": extraction},
    )
    try:
        alone = alone_replies(server.url, plan)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(plan)) as pool:
            results = list(
                pool.map(lambda qs: run_session(server.url, qs, alone[qs]), plan)
            )
        wall = time.perf_counter() - started
    finally:
        server.stop()
    seconds = [s for r in results for s in r.seconds]
    errors = [e for r in results for e in r.errors]
    return {
        "concurrent_answers": concurrent,
        "wall_s": round(wall, 2),
        "questions_per_s": round(len(seconds) / wall, 2),
        "answer": percentiles(seconds) if seconds else None,
        "errors": len(errors),
        "error_examples": errors[:5],
        "cross_talk": sum(r.cross_talk for r in results),
        "differing_from_alone": sum(r.differing for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--questions", type=int, default=500, help="in total, over all sessions")
    parser.add_argument(
        "--concurrent-answers", type=int, nargs="+", default=[1, 4], metavar="N",
        help="one server per value (RAGQA_CONCURRENT_ANSWERS)",
    )
    parser.add_argument("--extraction", choices=("span", "llm", "sentence"), default="span")
    parser.add_argument(
        "--json", type=Path, default=REPO / "bench" / "results" / "load.json", metavar="OUT"
    )
    args = parser.parse_args()
    if not 1 <= args.sessions <= args.questions:
        parser.error("need 1 <= --sessions <= --questions")
    # A follow-up asked alone is not the question it stands for: single questions only.
    questions = [item.question for item in load_gold(GOLD) if item.conversation is None]
    plan = conversations(questions, args.sessions, args.questions)
    runs = []
    with tempfile.TemporaryDirectory(prefix="ragqa-load-") as home:
        ingest(Path(home), SEEDS)
        for concurrent in args.concurrent_answers:
            runs.append(load(Path(home), plan, concurrent, args.extraction))
    print(
        f"{args.sessions} sessions, {args.questions} questions, answer_extraction "
        f"{args.extraction}, {os.cpu_count()} cores"
    )
    print(
        f"{'concurrent':>10s} {'q/s':>6s} {'p50 s':>7s} {'p95 s':>7s} {'max s':>7s} "
        f"{'errors':>6s} {'cross-talk':>10s} {'differ':>6s}"
    )
    for run in runs:
        answer = run["answer"] or {"p50_s": 0.0, "p95_s": 0.0, "max_s": 0.0}
        print(
            f"{run['concurrent_answers']:10d} {run['questions_per_s']:6.2f} "
            f"{answer['p50_s']:7.3f} {answer['p95_s']:7.3f} {answer['max_s']:7.3f} "
            f"{run['errors']:6d} {run['cross_talk']:10d} {run['differing_from_alone']:6d}"
        )
        for example in run["error_examples"]:
            print(f"  error: {example}")
    results = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "date": datetime.now(UTC).date().isoformat(),
        },
        "sessions": args.sessions,
        "questions": args.questions,
        "answer_extraction": args.extraction,
        "runs": runs,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.json}")
    if any(run["errors"] or run["cross_talk"] or run["differing_from_alone"] for run in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
