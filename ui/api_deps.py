"""What every ``/v1`` route depends on: the API key check and the served collections.

The key is compared in constant time (``hmac.compare_digest``) and read from
``Authorization: Bearer KEY``, the header every OpenAI client sends. Without a key set on
the server every request passes (``ragqa serve`` then listens on loopback only).

The dependencies here, ``/healthz`` and the models routes are ``async``: they never block,
so they answer on the event loop even while every worker thread waits for a collection's
lock (behind an ingest) or for the local model.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ui.api_errors import APIError
from ui.backends import Backends
from ui.pool import AssistantPool

NOT_BLANK = "[^\\s\x1c-\x1f\x85\ufeff]"
"""Matches text holding something besides whitespace, alike in Python, pydantic and the
JSON Schema of the OpenAPI document (whose ``\\s`` differ on a few control characters)."""

_bearer = HTTPBearer(
    auto_error=False,
    description="The server's API key (RAGQA_API_KEY or --api-key-file), when it has one.",
)


def key_matches(given: str, key: str) -> bool:
    """Constant-time comparison, so the time taken says nothing about the key."""
    return hmac.compare_digest(given.encode(), key.encode())


async def require_api_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    key: str | None = request.app.state.api_key
    if key is None:
        return
    if credentials is None or not key_matches(credentials.credentials, key):
        raise APIError(
            401,
            "Incorrect or missing API key: send the server's key as 'Authorization: Bearer KEY'.",
            code="invalid_api_key",
            headers={"WWW-Authenticate": "Bearer"},
        )


async def get_pool(request: Request) -> AssistantPool:
    return request.app.state.pool


Pool = Annotated[AssistantPool, Depends(get_pool)]


def served(pool: AssistantPool, name: str | None, *, param: str) -> Backends:
    """The collection ``name`` (the default when ``None``); 404 naming ``param`` if not served."""
    backends = pool.get(pool.default if name is None else name)
    if backends is None:
        raise APIError(
            404,
            f"The model '{name}' does not exist: this server answers from "
            f"{', '.join(repr(n) for n in pool.names)} (GET /v1/models lists them).",
            param=param,
            code="model_not_found",
        )
    return backends
