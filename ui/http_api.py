"""The HTTP API as a FastAPI app: ``/v1`` behind the API key, ``/healthz``, OpenAI-shaped
errors, and the OpenAPI document (``/openapi.json``, ``/docs``).

    app = create_api(AssistantPool.open(settings, ["articles"]), api_key=KEY)

It needs no Gradio: ``ui.server`` mounts the chat beside it, and the committed
``docs/openapi.json`` is generated from this app alone.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.routing import Match

from ui import articles_api, openai_api
from ui.api_deps import require_api_key
from ui.api_errors import APIError, install_error_handlers
from ui.pool import AssistantPool

DESCRIPTION = (
    "Answers from news articles with their citations. `/v1/chat/completions` speaks the "
    "OpenAI chat API (`model` is a collection); every answer carries `citations`, "
    "`answerable` and `confidence` beside its text. With an API key set on the server, "
    "every `/v1` route needs `Authorization: Bearer KEY`."
)


class Health(BaseModel):
    status: Literal["ok"] = "ok"


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


_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


_ROUTERS = (openai_api.router, articles_api.router)


def _no_such_route(request: Request) -> None:
    """405 naming the allowed methods when the path exists, else 404."""
    allowed = sorted(
        method
        for router in _ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and route.matches(request.scope)[0] is Match.PARTIAL
        for method in route.methods
    )
    if allowed:
        raise APIError(
            405,
            f"{request.method} is not allowed on {request.url.path}; use {', '.join(allowed)}",
            code="method_not_allowed",
            headers={"Allow": ", ".join(allowed)},
        )
    raise APIError(
        404, f"No route {request.url.path}: /docs lists the API's routes", code="unknown_url"
    )


def create_api(pool: AssistantPool, *, api_key: str | None) -> FastAPI:
    """The API over ``pool``; without ``api_key`` every request is let in."""
    app = FastAPI(title="ragqa", version=version("ragqa"), description=DESCRIPTION)
    app.state.pool = pool
    app.state.api_key = api_key
    install_error_handlers(app)
    for router in _ROUTERS:
        app.include_router(router, dependencies=[Depends(require_api_key)])

    @app.get("/healthz", tags=["Health"])
    def healthz() -> Health:
        """The server is up and its collections are open; needs no key."""
        return Health()

    # Last among the routes, before the chat is mounted at "/": a /v1 request no route
    # takes gets an API error, not the chat's page.
    app.add_api_route(
        "/v1/{path:path}", _no_such_route, methods=_ANY_METHOD, include_in_schema=False
    )

    app.openapi = lambda: _document(app)  # type: ignore[method-assign]
    return app
