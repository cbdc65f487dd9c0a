"""``ragqa``: assemble each package's commands into one command line.

``qa`` owns ingest, ask and stats, ``ui`` owns chat, ``eval`` owns eval; this module only
lists them (in the order ``ragqa --help`` shows) and turns a ``QAError`` into one line.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from eval.commands import app as eval_commands
from qa import QAError
from qa.commands import app as qa_commands
from ui.commands import app as ui_commands

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Ask questions about news articles and get answers with cited passages.",
)
app.add_typer(qa_commands)
app.add_typer(ui_commands)
app.add_typer(eval_commands)


def main() -> None:
    """Entry point: usage errors exit 2 (click), ragqa errors print one line and exit 1."""
    try:
        app()
    except QAError as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {exc}", markup=False)
        sys.exit(1)
