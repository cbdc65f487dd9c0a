"""``ragqa chat``: serve the Gradio chat over an ``Assistant``; ``ragqa serve``: the chat
and the HTTP API in one process.

Gradio, FastAPI and the assistant are imported inside the commands, so ``--help``, a
malformed ``--auth`` and a refused ``--host`` answer without loading them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from qa import Settings
from qa.commands import ChromaUrlOption, CollectionOption, HomeOption

__all__ = ["app"]

app = typer.Typer()
err = Console(stderr=True, highlight=False, soft_wrap=True)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


AUTH_ENV = "RAGQA_CHAT_AUTH"


def _credentials(value: str, source: str | None = None) -> tuple[str, str]:
    """USER:PASS as a pair; the password may itself contain colons."""
    user, colon, password = value.partition(":")
    if not (colon and user and password):
        raise typer.BadParameter(
            "expected USER:PASS with both parts non-empty, e.g. alice:s3cret",
            param_hint=source,
        )
    return user, password


def _check_auth(value: str | None) -> str | None:
    if value is not None:
        _credentials(value)
    return value


def read_auth(
    auth: str | None, auth_file: Path | None, settings: Settings
) -> tuple[str, str] | None:
    """The chat's user name and password: ``--auth``, else the file, else the setting.

    A file or the environment keeps the password out of process listings (``ps``) and
    shell history, where a command-line value shows.
    """
    if auth is not None:
        return _credentials(auth)
    if auth_file is not None:
        try:
            text = auth_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise typer.BadParameter(
                f"cannot read {auth_file}: {exc}", param_hint="--auth-file"
            ) from None
        return _credentials(text.strip(), f"--auth-file ({auth_file})")
    if settings.chat_auth is not None:
        return _credentials(settings.chat_auth.get_secret_value().strip(), AUTH_ENV)
    return None


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
            help="Ask for this user name and password before showing the page (visible "
            f"to ps: prefer --auth-file or the {AUTH_ENV} environment variable).",
        ),
    ] = None,
    auth_file: Annotated[
        Path | None,
        typer.Option(
            "--auth-file",
            metavar="PATH",
            help="File holding USER:PASS, asked for before showing the page.",
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

    settings = Settings.from_env(
        home=home, collection=collection, chroma_url=chroma_url, answer_style=answer_style
    )
    credentials = read_auth(auth, auth_file, settings)
    if host not in _LOOPBACK and credentials is None:
        err.print(
            f"warning: serving on {host} without --auth: anyone who can reach this machine "
            "can read and change the collection",
            markup=False,
        )
    launch(Assistant.open(settings), host=host, port=port, auth=credentials)


API_KEY_ENV = "RAGQA_API_KEY"


def read_api_key(key_file: Path | None, settings: Settings) -> str | None:
    """The key in ``key_file`` (surrounding whitespace dropped), else the ``api_key`` setting.

    Never a command-line value: arguments show in process listings and shell history.
    """
    if key_file is None:
        configured = settings.api_key.get_secret_value() if settings.api_key else ""
        return configured.strip() or None
    try:
        key = key_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(
            f"cannot read {key_file}: {exc}", param_hint="--api-key-file"
        ) from None
    if not key:
        raise typer.BadParameter(f"{key_file} is empty", param_hint="--api-key-file")
    return key


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(help="Interface to listen on; anything but loopback needs an API key."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    api_key_file: Annotated[
        Path | None,
        typer.Option(
            "--api-key-file",
            metavar="PATH",
            help=f"File holding the API key (default: the {API_KEY_ENV} environment "
            "variable). With a key, /v1 needs 'Authorization: Bearer KEY' and the chat "
            "asks for it as its password.",
        ),
    ] = None,
    collections: Annotated[
        list[str] | None,
        typer.Option(
            "--collection",
            help="A collection to serve, named by the API's model field; repeat for "
            "several. The first is the chat's (default: the collection setting).",
        ),
    ] = None,
    home: HomeOption = None,
    chroma_url: ChromaUrlOption = None,
) -> None:
    """Serve the chat at / and an OpenAI-compatible HTTP API at /v1 (127.0.0.1:8000)."""
    settings = Settings.from_env(
        home=home, chroma_url=chroma_url, collection=collections[0] if collections else None
    )
    api_key = read_api_key(api_key_file, settings)
    if api_key is None and host not in _LOOPBACK:
        raise typer.BadParameter(
            f"serving on {host} needs an API key, or anyone who can reach this machine could "
            f"read and change the collection: set {API_KEY_ENV} or pass --api-key-file PATH",
            param_hint="--host",
        )
    import uvicorn

    from ui.pool import AssistantPool
    from ui.server import create_server

    pool = AssistantPool.open(settings, collections or [])
    guarded = "needs the API key" if api_key else "open to this machine only (no API key)"
    address = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    err.print(
        f"chat: {address}/  API: {address}/v1 ({guarded}); models: {', '.join(pool.names)}",
        markup=False,
    )
    # On Ctrl-C or SIGTERM, requests in flight get up to 10 s, so connections a client
    # keeps open cannot hold the shutdown.
    uvicorn.run(
        create_server(pool, api_key=api_key, host=host, port=port),
        host=host,
        port=port,
        timeout_graceful_shutdown=10,
    )
