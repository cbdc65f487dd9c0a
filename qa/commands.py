"""``ragqa ingest``, ``ask``, ``stats`` and ``check``: the library's own commands.

Each command parses its options, calls the public API (``Assistant``, and
``check_collection`` for ``check``) and renders the result. ``ragqa``
(the top-level ``ragqa.cli``) assembles these with the commands of ``ui`` and ``eval`` and
turns errors into one line on stderr. ``Assistant`` is imported inside the commands, so
``--help`` runs without the models' libraries.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from qa.settings import Settings
from qa.types import Answer, RetrievalFilters

if TYPE_CHECKING:
    from index import StoreCheck, StoreProblem
    from qa.assistant import Assistant

__all__ = ["ChromaUrlOption", "CollectionOption", "HomeOption", "app"]

app = typer.Typer()
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="Data directory (default: RAGQA_HOME or ~/.local/share/ragqa)."),
]
CollectionOption = Annotated[
    str | None, typer.Option("--collection", help="Chroma collection to use.")
]
ChromaUrlOption = Annotated[
    str | None,
    typer.Option(
        "--chroma-url",
        metavar="URL",
        help="Chroma server to use instead of the embedded store, e.g. http://127.0.0.1:8000 "
        "(default: RAGQA_CHROMA_URL).",
    ),
]


def _assistant(
    home: Path | None, collection: str | None, chroma_url: str | None, **overrides: object
) -> Assistant:
    from qa.assistant import Assistant

    settings = Settings.from_env(
        home=home, collection=collection, chroma_url=chroma_url, **overrides
    )
    return Assistant.open(settings)


@contextmanager
def _progress(doing: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr (when it is a terminal), and the callback that moves it."""
    with Progress(
        TextColumn(doing),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("", total=None)

        def on_progress(done: int, total: int, path: str) -> None:
            progress.update(task, completed=done, total=total, description=Path(path).name)

        yield on_progress


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Also delete stored articles whose file no longer exists."),
    ] = False,
    home: HomeOption = None,
    collection: CollectionOption = None,
    chroma_url: ChromaUrlOption = None,
) -> None:
    """Add articles to the collection; unchanged ones are skipped, copies stored once."""
    assistant = _assistant(home, collection, chroma_url)
    with _progress("ingesting") as on_progress:
        report = assistant.ingest(paths, prune=prune, on_progress=on_progress)
    out.print(report.summary())
    for duplicate in report.duplicates:
        out.print(f"skipped copy: {duplicate.path}: {duplicate.reason}", markup=False)
    for article_id in report.deleted:
        out.print(f"deleted: {article_id}", markup=False)
    for failure in report.failed:
        err.print(f"failed: {failure.path}: {failure.reason}", markup=False)
    if report.failed:
        raise typer.Exit(1)


def _print_confidence(answer: Answer) -> None:
    if answer.low_confidence:
        out.print(
            f"\n(low confidence: {answer.confidence:.0%} that the articles state this)",
            style="yellow",
            markup=False,
        )


def _print_sources(answer: Answer) -> None:
    shown = answer.cited_passages() if answer.answerable else answer.passages[:2]
    if not shown:
        return
    out.print("\nSources:" if answer.answerable else "\nClosest passages:")
    quotes = {c.n: c.quote for c in answer.citations}
    for passage in shown:
        quote = " ".join(quotes.get(passage.n, passage.text).split())
        out.print(f"  [{passage.n}] {passage.title} ({passage.file_name})", markup=False)
        out.print(f'      "{quote}"', markup=False)


_ISO_DATE = "%Y-%m-%d"


def _article_ids(assistant: Assistant, wanted: list[str]) -> tuple[str, ...]:
    """Stored article ids for ``--article`` values: an id, a file's path or its name."""
    if not wanted:
        return ()
    stored = assistant.stats().articles
    found: list[str] = []
    for value in wanted:
        path = Path(value).resolve().as_posix()
        matches = [
            a.article_id
            for a in stored
            if value in (a.article_id, a.file_name) or path == a.source_path
        ]
        if not matches:
            raise typer.BadParameter(
                f"no article {value!r} in collection {assistant.store.name}; "
                "'ragqa stats' lists them",
                param_hint="'--article'",
            )
        found.extend(matches)
    return tuple(dict.fromkeys(found))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the articles.")],
    top_k: Annotated[int | None, typer.Option("--top-k", "-k", help="Passages to use.")] = None,
    llm: Annotated[
        str | None, typer.Option("--llm", help="Backend: llama-cpp, openai, ollama or none.")
    ] = None,
    answer_style: Annotated[
        str | None,
        typer.Option(
            "--answer-style",
            help="evidence (default) or cited (the LLM writes and cites the answer).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    stream: Annotated[
        bool, typer.Option("--stream", help="Print the answer as it is produced.")
    ] = False,
    article: Annotated[
        list[str] | None,
        typer.Option(
            "--article",
            help="Only this article (id, file path or file name as 'ragqa stats' lists it); "
            "repeat for several.",
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Only articles from this source; repeat for several."),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            formats=[_ISO_DATE],
            help="Only articles published on or after this date (YYYY-MM-DD); "
            "undated articles are left out.",
        ),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(
            "--until",
            formats=[_ISO_DATE],
            help="Only articles published on or before this date (YYYY-MM-DD); "
            "undated articles are left out.",
        ),
    ] = None,
    home: HomeOption = None,
    collection: CollectionOption = None,
    chroma_url: ChromaUrlOption = None,
) -> None:
    """Answer one question with cited passages."""
    assistant = _assistant(
        home, collection, chroma_url, top_k=top_k, llm=llm, answer_style=answer_style
    )
    filters = RetrievalFilters(
        article_ids=_article_ids(assistant, article or []),
        sources=tuple(source or ()),
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    if stream and not as_json:
        for piece in assistant.stream(question, filters=filters):
            if isinstance(piece, Answer):
                out.print()
                _print_confidence(piece)
                _print_sources(piece)
            else:
                out.print(piece, end="", markup=False)
                out.file.flush()
        return
    answer = assistant.ask(question, filters=filters)
    if as_json:
        out.print_json(json.dumps(answer.to_dict()))
    else:
        out.print(answer.text, markup=False)
        _print_confidence(answer)
        _print_sources(answer)


@app.command()
def stats(
    home: HomeOption = None,
    collection: CollectionOption = None,
    chroma_url: ChromaUrlOption = None,
) -> None:
    """Show what the collection holds."""
    info = _assistant(home, collection, chroma_url, llm="none").stats()
    out.print(f"collection {info.collection} at {info.location}")
    out.print(f"{len(info.articles)} articles, {info.chunks} chunks")
    for article in info.articles:
        state = "" if article.complete else "  (incomplete: re-run ingest)"
        out.print(
            f"  {article.file_name}: {article.title} [{article.chunk_count} chunks]{state}",
            markup=False,
        )


def _print_problems(label: str, problems: tuple[StoreProblem, ...], *, stderr: bool) -> None:
    for problem in problems:
        (err if stderr else out).print(f"{label}: {problem}", markup=False)


def _verdict(report: StoreCheck, *, repaired: bool) -> str:
    if report.ok:
        return "no problems found" if not repaired else "the collection is consistent"
    count = len(report.problems)
    noun = "problem" if count == 1 else "problems"
    if any(problem.repairable for problem in report.problems) and not repaired:
        return f"{count} {noun}; 'ragqa check --repair' repairs what it can"
    return f"{count} {noun} left that --repair cannot fix: see above"


@app.command()
def check(
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Also repair: rebuild the manifest, ingest again what an interrupted run "
            "left incomplete, rebuild the BM25 index, remove temporary files. Run it while "
            "nothing else writes to the collection.",
        ),
    ] = False,
    home: HomeOption = None,
    collection: CollectionOption = None,
    chroma_url: ChromaUrlOption = None,
) -> None:
    """Check that the collection, its manifest and BM25 index agree; exit 1 on a problem."""
    from qa.check import check_collection

    settings = Settings.from_env(home=home, collection=collection, chroma_url=chroma_url)
    with _progress("repairing") as on_progress:
        report = check_collection(settings, repair=repair, on_progress=on_progress)
    out.print(
        f"collection {report.collection} at {report.location}: "
        f"{report.articles} articles, {report.chunks} chunks",
        markup=False,
    )
    for problem in report.repaired:  # what was wrong, and what --repair did
        out.print(f"repaired: {problem.subject}: {problem.message}", markup=False)
    _print_problems("problem", report.problems, stderr=True)
    _print_problems("note", report.notes, stderr=False)
    out.print(_verdict(report, repaired=repair))
    if not report.ok:
        raise typer.Exit(1)
