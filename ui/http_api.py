"""The HTTP API as a FastAPI app: ``/v1`` behind the API key, ``/healthz``, OpenAI-shaped
errors, and the OpenAPI document (``/openapi.json``). FastAPI's ``/docs`` and ``/redoc``
pages are off: they load their scripts from a CDN, and ragqa loads nothing from outside
the machine.

    app = create_api(AssistantPool.open(settings, ["articles"]), api_key=KEY)

It needs no Gradio: ``ui.server`` mounts the chat beside it, and the committed
``docs/openapi.json`` is generated from this app alone.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from ui import articles_api, openai_api
from ui.api_deps import require_api_key
from ui.api_errors import APIError, install_error_handlers
from ui.pool import AssistantPool

DESCRIPTION = (
    "Answers from news articles with their citations. `/v1/chat/completions` speaks the "
    "OpenAI chat API (`model` is a collection); every answer carries `citations`, "
    "`answerable`, `confidence` and `as_of` beside its text. With an API key set on the "
    "server, every `/v1` route needs `Authorization: Bearer KEY`."
)


class Health(BaseModel):
    status: Literal["ok"] = "ok"


health = APIRouter(tags=["Health"])


@health.get("/healthz")
async def healthz() -> Health:
    """The server is up and its collections are open; needs no key."""
    return Health()


def _document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document less its 422 responses: bad input is a 400 in the OpenAI shape."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        for operations in document["paths"].values():
            for operation in operations.values():
                operation["responses"].pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            document["components"]["schemas"].pop(name, None)
        app.openapi_schema = document
    return app.openapi_schema


_GUARDED = (openai_api.router, articles_api.router)
_ROUTERS = (*_GUARDED, health)


class _NoSuchRoute:
    """The API's answer to a request no route takes: 405 naming the allowed methods when
    the path exists, else 404, in the OpenAI shape rather than the chat's page.

    An ASGI app rather than an endpoint, so its route takes every method, however new
    (TRACE, QUERY...), and a wrong method on a known path is answered here too.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        allowed = sorted(
            method
            for router in _ROUTERS
            for route in router.routes
            if isinstance(route, APIRoute) and route.matches(scope)[0] is Match.PARTIAL
            for method in route.methods
        )
        if allowed:
            raise APIError(
                405,
                f"{request.method} is not allowed on {request.url.path}; "
                f"use {', '.join(allowed)}",
                code="method_not_allowed",
                headers={"Allow": ", ".join(allowed)},
            )
        raise APIError(
            404,
            f"No route {request.url.path}: /openapi.json lists the API's routes",
            code="unknown_url",
        )


def create_api(pool: AssistantPool, *, api_key: str | None) -> FastAPI:
    """The API over ``pool``; without ``api_key`` every request is let in."""
    app = FastAPI(
        title="ragqa",
        version=version("ragqa"),
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    app.state.pool = pool
    app.state.api_key = api_key
    install_error_handlers(app)
    for router in _GUARDED:
        app.include_router(router, dependencies=[Depends(require_api_key)])
    app.include_router(health)
    # Last among the routes, before the chat is mounted at "/": a request for the API that
    # no route takes gets an API error, not the chat's page.
    for path in ("/v1/{path:path}", "/healthz"):
        app.router.add_route(path, _NoSuchRoute(), include_in_schema=False)

    app.openapi = lambda: _document(app)  # type: ignore[method-assign]
    return app
