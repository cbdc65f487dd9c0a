"""``ragqa eval``: ``python -m eval`` under the ``ragqa`` command, arguments passed through.

``eval.cli`` is imported when the command runs, not when ``ragqa --help`` lists it.
"""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer()


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def eval(ctx: typer.Context) -> None:
    """Score answers against gold questions (same options as python -m eval)."""
    from eval.cli import main as eval_main

    raise typer.Exit(eval_main(list(ctx.args)))
