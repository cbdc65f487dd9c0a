"""Cold-start costs of the CLI: seed ingest and one ``ragqa ask``, wall time and peak RSS.

    .venv/bin/python bench/cli_costs.py [--out bench/results/cli_costs.json]

Each command runs in a fresh process against a fresh data directory (the Gemma file is
assembled on the first ask, as a new user would see), then once more warm.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUESTION = "Who is North Korea's foreign minister?"


def _run_isolated(args: list[str]) -> dict[str, float]:
    # RUSAGE_CHILDREN is a high-water mark over all children: measure each in its own helper.
    code = (
        "import json,sys,subprocess,resource,time;"
        "t=time.perf_counter();r=subprocess.run(sys.argv[1:],capture_output=True);"
        "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'rc':r.returncode,'seconds':round(time.perf_counter()-t,2),"
        "'peak_rss_mib':round(u.ru_maxrss/1024,1),'err':r.stderr.decode()[-500:]}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, sys.executable, "-m", "ragqa", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    if result.pop("rc") != 0:
        raise SystemExit(f"ragqa {' '.join(args)} failed: {result['err']}")
    result.pop("err")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "cli_costs.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        results = {
            "ingest_seeds_cold": _run_isolated(["ingest", "seeds", "--home", home]),
            "ingest_seeds_unchanged": _run_isolated(["ingest", "seeds", "--home", home]),
            "ask_cold_first_run": _run_isolated(["ask", QUESTION, "--home", home]),
            "ask_cold": _run_isolated(["ask", QUESTION, "--home", home]),
            "ask_cold_extractive": _run_isolated(
                ["ask", QUESTION, "--llm", "none", "--home", home]
            ),
        }
    for name, value in results.items():
        print(f"{name:26s} {value['seconds']:6.2f} s   peak RSS {value['peak_rss_mib']:7.1f} MiB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
