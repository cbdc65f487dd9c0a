"""Cold start of the ``ragqa`` command: whole processes, wall time and peak RSS.

    .venv/bin/python bench/cold_start.py [--runs 3] [--json bench/results/cold_start.json]
    .venv/bin/python bench/cold_start.py --runs 1 --no-ask      # the help commands only

Runs the installed console script (``.venv/bin/ragqa``, as a user does) ``--runs`` times
per case and reports the median wall time and the median peak RSS, each run's resource
use read with ``os.wait4`` for that process alone. ``ask`` is a cold process asking one
question with the default LLM over the seeds, ingested (and the Gemma file assembled by
one untimed ask) beforehand in a fresh data directory, so it measures start-up and one
answer, not first-run set-up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RAGQA = Path(sys.executable).parent / "ragqa"
SEEDS = REPO / "seeds"
QUESTION = "Who is North Korea's foreign minister?"


def _run(args: list[str]) -> dict[str, float]:
    """One process: wall seconds and peak RSS in MiB; exits naming the command if it fails."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            [str(RAGQA), *args], cwd=REPO, stdout=subprocess.DEVNULL, stderr=stderr
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            tail = stderr.read().decode(errors="replace")[-500:]
            raise SystemExit(f"ragqa {' '.join(args)} exited {process.returncode}: {tail}")
    return {"seconds": seconds, "peak_rss_mib": usage.ru_maxrss / 1024}


def _case(args: list[str], runs: int) -> dict[str, Any]:
    samples = [_run(args) for _ in range(runs)]
    seconds = [s["seconds"] for s in samples]
    rss = [s["peak_rss_mib"] for s in samples]
    return {
        "command": ["ragqa", *args],
        "runs": runs,
        "median_s": round(statistics.median(seconds), 3),
        "min_s": round(min(seconds), 3),
        "max_s": round(max(seconds), 3),
        "median_peak_rss_mib": round(statistics.median(rss), 1),
        "max_peak_rss_mib": round(max(rss), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=3, help="processes per case (default 3)")
    parser.add_argument(
        "--json",
        type=Path,
        default=REPO / "bench" / "results" / "cold_start.json",
        metavar="OUT",
        help="where to write the results (default: bench/results/cold_start.json)",
    )
    parser.add_argument(
        "--no-ask", action="store_true", help="skip the cold ask (no ingest, no model)"
    )
    args = parser.parse_args()
    if not RAGQA.exists():
        raise SystemExit(f"{RAGQA} not found: run make setup (or pip install -e .) first")

    cases = {
        "help": _case(["--help"], args.runs),
        "ask_help": _case(["ask", "--help"], args.runs),
    }
    if not args.no_ask:
        with tempfile.TemporaryDirectory(prefix="ragqa-cold-start-") as home:
            _run(["ingest", str(SEEDS), "--home", home])
            _run(["ask", QUESTION, "--home", home])  # assembles the Gemma file, untimed
            cases["ask"] = _case(["ask", QUESTION, "--home", home], args.runs)

    print(f"{'case':10s} {'median s':>9s} {'min s':>7s} {'max s':>7s} {'peak RSS MiB':>13s}")
    for name, case in cases.items():
        print(
            f"{name:10s} {case['median_s']:9.2f} {case['min_s']:7.2f} {case['max_s']:7.2f} "
            f"{case['median_peak_rss_mib']:13.1f}"
        )
    results = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "date": datetime.now(UTC).date().isoformat(),
        },
        "cases": cases,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
