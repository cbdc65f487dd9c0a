"""The HTTP API as a FastAPI app: ``/v1`` behind the API key, ``/healthz``, OpenAI-shaped
errors, and the OpenAPI document (``/openapi.json``, ``/docs``).

    app = create_api(AssistantPool.open(settings, ["articles"]), api_key=KEY)

It needs no Gradio: ``ui.server`` mounts the chat beside it, and the committed
``docs/openapi.json`` is generated from this app alone.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any, Literal

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from ui import articles_api, openai_api
from ui.api_deps import require_api_key
from ui.api_errors import install_error_handlers
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


def create_api(pool: AssistantPool, *, api_key: str | None) -> FastAPI:
    """The API over ``pool``; without ``api_key`` every request is let in."""
    app = FastAPI(title="ragqa", version=version("ragqa"), description=DESCRIPTION)
    app.state.pool = pool
    app.state.api_key = api_key
    install_error_handlers(app)
    guarded = [Depends(require_api_key)]
    app.include_router(openai_api.router, prefix="/v1", dependencies=guarded)
    app.include_router(articles_api.router, prefix="/v1", dependencies=guarded)

    @app.get("/healthz", tags=["Health"])
    def healthz() -> Health:
        """The server is up and its collections are open; needs no key."""
        return Health()

    app.openapi = lambda: _document(app)  # type: ignore[method-assign]
    return app
