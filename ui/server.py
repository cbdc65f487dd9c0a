"""The one web server of ``ragqa serve``: the HTTP API under ``/v1`` and the chat at ``/``.

    app = create_server(AssistantPool.open(settings, ["articles"]), api_key=KEY)

One process, one ``AssistantPool``: the chat and the API answer from the same
``Assistant`` per collection and share its readers–writer lock. With an API key, every
``/v1`` route needs it, and the chat asks for it as the password of its login form (any
user name), so the key guards everything that reads or changes the collection.
``/healthz`` and the OpenAPI document need no key.
"""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr
from fastapi import FastAPI

from ui.api_deps import key_matches
from ui.app import PAGE_OPTIONS, build_app
from ui.http_api import create_api
from ui.pool import AssistantPool


def _key_login(api_key: str) -> Callable[[str, str], bool]:
    """The chat's login check: any user name, the API key as the password."""

    def login(user: str, password: str) -> bool:
        return key_matches(password, api_key)

    return login


def create_server(
    pool: AssistantPool, *, api_key: str | None, host: str = "127.0.0.1", port: int = 8000
) -> FastAPI:
    """The API with the chat over the pool's default collection mounted at ``/``."""
    app = create_api(pool, api_key=api_key)
    chat_backends = pool.get(pool.default)
    assert chat_backends is not None  # the default is always served
    return gr.mount_gradio_app(
        app,
        build_app(chat_backends),
        path="/",
        server_name=host,
        server_port=port,
        auth=None if api_key is None else _key_login(api_key),
        auth_message="Enter any user name and the server's API key as the password.",
        max_file_size=chat_backends.base.settings.max_file_bytes,
        **PAGE_OPTIONS,
    )
