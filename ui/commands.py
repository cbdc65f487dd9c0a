"""``ragqa chat``: serve the Gradio chat over an ``Assistant``.

Gradio and the assistant are imported inside the command, so ``ragqa chat --help`` and a
malformed ``--auth`` answer without loading them.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from qa import Settings
from qa.commands import ChromaUrlOption, CollectionOption, HomeOption

__all__ = ["app"]

app = typer.Typer()
err = Console(stderr=True, highlight=False, soft_wrap=True)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _check_auth(value: str | None) -> str | None:
    """``--auth`` must be USER:PASS; the password may itself contain colons."""
    if value is not None:
        user, colon, password = value.partition(":")
        if not (colon and user and password):
            raise typer.BadParameter(
                "expected USER:PASS with both parts non-empty, e.g. --auth alice:s3cret"
            )
    return value


@app.command()
def chat(
    host: Annotated[
        str,
        typer.Option(
            help="Interface to listen on; anything but loopback is reachable from other machines."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 7860,
    auth: Annotated[
        str | None,
        typer.Option(
            metavar="USER:PASS",
            callback=_check_auth,
            help="Ask for this user name and password before showing the page.",
        ),
    ] = None,
    answer_style: Annotated[
        str | None,
        typer.Option(
            "--answer-style",
            help="evidence (default) or cited (the configured LLM writes and cites answers).",
        ),
    ] = None,
    home: HomeOption = None,
    collection: CollectionOption = None,
    chroma_url: ChromaUrlOption = None,
) -> None:
    """Open the chat in the browser (served on 127.0.0.1 by default, never shared)."""
    from qa import Assistant
    from ui.app import launch

    credentials = None
    if auth is not None:
        user, _, password = auth.partition(":")
        credentials = (user, password)
    if host not in _LOOPBACK and credentials is None:
        err.print(
            f"warning: serving on {host} without --auth: anyone who can reach this machine "
            "can read and change the collection",
            markup=False,
        )
    settings = Settings.from_env(
        home=home, collection=collection, chroma_url=chroma_url, answer_style=answer_style
    )
    launch(Assistant.open(settings), host=host, port=port, auth=credentials)
