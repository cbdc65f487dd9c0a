"""``python -m eval`` / ``ragqa eval``: run the gold questions, report, and gate on a baseline.

Exit codes: 0 when no gated metric regressed (or after ``--update-baseline``), 1 when one
did, 2 when the evaluation could not run (bad option, gold file, baseline, corpus, model).
Errors are printed as one ``error: ...`` line, never a traceback. The assistant (and with
it the models' libraries) is imported only once the options are valid, so ``--help`` and
usage errors answer at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from rich.console import Console
from rich.table import Table

from eval.baseline import (
    ANSWER_SETTINGS,
    Baseline,
    Comparison,
    compare,
    load_baseline,
    save_baseline,
    updated_baseline,
)
from eval.cache import eval_collection
from eval.errors import EvalError
from eval.gold import GoldItem, load_gold
from eval.report import check_report_path, table_rows, write_report
from eval.runner import EvalResult, run_eval, write_json
from qa import QAError, Settings

if TYPE_CHECKING:
    from qa import Assistant

DEFAULT_CORPUS = Path("seeds")
DEFAULT_GOLD = Path("eval/gold/seeds.jsonl")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors like every other error (``error: ...``, exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise _UsageError(message)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m eval",
        description="Score the assistant's answers to gold questions; exit 1 on a regression.",
        epilog="exit status: 0 no regression, 1 a gated metric regressed beyond its tolerance, "
        "2 the evaluation could not run",
    )
    add = parser.add_argument
    add(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        metavar="DIR",
        help="folder of articles to ingest (default: seeds)",
    )
    add(
        "--gold",
        type=Path,
        default=DEFAULT_GOLD,
        metavar="FILE",
        help="gold questions, JSON Lines (default: eval/gold/seeds.jsonl)",
    )
    add(
        "--k",
        type=_positive,
        metavar="N",
        help="passages retrieved per question (default: the top_k setting)",
    )
    add("--llm", metavar="NAME", help="answer backend: llama-cpp, openai, ollama or none")
    add(
        "--store",
        type=Path,
        metavar="DIR",
        help="data directory (default: the usual one); the corpus goes in a collection "
        "named after its fingerprint, reused while the corpus is unchanged",
    )
    add(
        "--chroma-url",
        metavar="URL",
        help="Chroma server to keep the corpus's collection on (default: RAGQA_CHROMA_URL, "
        "else the embedded store)",
    )
    add("--json", type=Path, metavar="OUT", help="write metrics and every question as JSON")
    add(
        "--report",
        type=Path,
        metavar="OUT",
        help="write a report, HTML or Markdown by extension (.html/.md)",
    )
    add(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="compare with this baseline; exit 1 on a regression beyond tolerance",
    )
    add(
        "--update-baseline",
        action="store_true",
        help="rewrite --baseline with this run's values, keeping its tolerances",
    )
    add("--limit", type=_positive, metavar="N", help="only the first N gold questions")
    add("--quiet", action="store_true", help="no progress bar or progress notes")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 regression, 2 error)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as exc:
        err.print(f"error: {exc}", markup=False)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        return _run(args, err)
    except (EvalError, QAError) as exc:
        err.print(f"error: {exc}", markup=False)
        return 2
    except OSError as exc:
        err.print(f"error: {exc.filename or ''}: {exc.strerror or exc}", markup=False)
        return 2
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return 130


def _run(args: argparse.Namespace, err: Console) -> int:
    # Everything that can be wrong with the inputs fails here, before minutes of answering.
    if args.update_baseline and args.baseline is None:
        raise EvalError("--update-baseline needs --baseline FILE (the file to rewrite)")
    if args.report is not None:
        check_report_path(args.report)
    baseline = None
    if args.baseline is not None and (not args.update_baseline or args.baseline.exists()):
        baseline = load_baseline(args.baseline)
    items = load_gold(args.gold, args.corpus)[: args.limit]
    settings = _settings(args)
    show_progress = not args.quiet and err.is_terminal

    from qa import Assistant

    assistant = Assistant.open(settings)
    try:
        _ingest(assistant, args.corpus, items, err, quiet=args.quiet)
        result = run_eval(
            assistant,
            items,
            k=settings.top_k,
            progress=show_progress,
            corpus=args.corpus.as_posix(),
            gold=args.gold.as_posix(),
            llm=settings.llm,
            answer_settings=settings.model_dump(include=set(ANSWER_SETTINGS)),
        )
    finally:
        assistant.close()

    comparison = compare(result.metrics, baseline, _config(result)) if baseline else None
    Console(highlight=False).print(_metrics_table(result, comparison))
    if args.json is not None:
        write_json(result, args.json)
    if args.report is not None:
        write_report(result, args.report, comparison)
    failed = sum(r.failed for r in result.records)
    err.print(
        f"{result.config.n_questions} questions, {failed} failed, {result.config.total_s:.1f} s"
        + "".join(f"; wrote {p}" for p in (args.json, args.report) if p is not None),
        markup=False,
    )
    return _gate(args, result, baseline, comparison, err)


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from file and environment with the flags on top, in this corpus's collection."""
    flags = {"llm": args.llm, "top_k": args.k, "home": args.store, "chroma_url": args.chroma_url}
    settings = Settings.from_env(**flags)
    collection = eval_collection(
        args.corpus, chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap
    )
    return Settings.from_env(**flags, collection=collection)


def _ingest(
    assistant: Assistant, corpus: Path, items: tuple[GoldItem, ...], err: Console, *, quiet: bool
) -> None:
    """Bring the store up to date with the corpus (a no-op on a cached, unchanged store)."""
    report = assistant.ingest([corpus])
    if not quiet:
        err.print(f"ingest {corpus}: {report.summary()}", markup=False)
    failed = {Path(f.path).name: f.reason for f in report.failed}
    for name, reason in failed.items():
        err.print(f"warning: could not ingest {name}: {reason}", markup=False)
    for item in items:
        if item.article in failed:
            raise EvalError(
                f"gold article {item.article} could not be ingested ({failed[item.article]}); "
                f"fix the file or drop its questions"
            )


def _config(result: EvalResult) -> dict[str, Any]:
    c = result.config
    return {"corpus": c.corpus, "gold": c.gold, "k": c.k, "llm": c.llm, **c.answer_settings}


def _metrics_table(result: EvalResult, comparison: Comparison | None) -> Table:
    table = Table(title="ragqa eval", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    if comparison:
        for name in ("baseline", "delta", "tolerance", "status"):
            table.add_column(name, justify="right")
    for row in table_rows(result, comparison):
        cells = [row.label, row.value]
        if comparison:
            colour = {True: "green", False: "red", None: ""}[row.better]
            status = "[bold red]REGRESSED[/]" if row.status == "REGRESSED" else row.status
            delta = f"[{colour}]{row.delta}[/]" if colour else row.delta
            cells += [row.baseline, delta, row.tolerance, status]
        table.add_row(*cells)
    return table


def _gate(
    args: argparse.Namespace,
    result: EvalResult,
    baseline: Baseline | None,
    comparison: Comparison | None,
    err: Console,
) -> int:
    for note in comparison.notes if comparison else ():
        err.print(f"note: {note}", markup=False)
    if args.update_baseline:
        config = {
            **_config(result),
            "n_questions": result.config.n_questions,
            "updated": result.config.timestamp,
        }
        save_baseline(args.baseline, updated_baseline(result.metrics, config, baseline))
        err.print(f"baseline updated: {args.baseline}", markup=False)
        return 0
    if comparison is None:
        return 0
    for row in comparison.regressions:
        err.print(f"regression: {row.message()}", markup=False)
    if comparison.regressions:
        return 1
    err.print(f"no regression against {args.baseline}", markup=False)
    return 0
