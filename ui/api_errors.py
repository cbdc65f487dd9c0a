"""Every failure of the HTTP API as an OpenAI-shaped error: ``{"error": {"message", "type",
"param", "code"}}``, so OpenAI clients raise their usual exceptions with ragqa's message.

Bad input is a 400 naming the field, an unknown collection or article a 404, a missing or
wrong key a 401; a store or model that cannot be used is a 503. Only a bug is a 500,
logged in full on the server and summarised to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from qa import BackendError, CorpusError, ModelError, QAError, SettingsError

log = logging.getLogger("ui.server")


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (400, "The request is malformed; the message names the field."),
        (401, "The API key is missing or wrong."),
        (404, "The collection (model) or article does not exist."),
        (503, "The store or a model cannot be used; the message says why."),
    )
}
"""The error responses every ``/v1`` route documents."""


class APIError(Exception):
    """An error the routes raise on purpose, with the status and OpenAI fields to send."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        type: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.detail = ErrorDetail(message=message, type=type, param=param, code=code)
        self.headers = headers


def error_payload(detail: ErrorDetail) -> dict[str, Any]:
    return ErrorResponse(error=detail).model_dump()


def _respond(
    status: int, detail: ErrorDetail, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_payload(detail), status_code=status, headers=headers)


def _field(location: Sequence[int | str]) -> str:
    """``("body", "messages", 0, "role")`` as ``messages.0.role``: the field, not where it was."""
    parts = [str(p) for p in location]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts)


def validation_detail(errors: Sequence[Any]) -> ErrorDetail:
    """The first validation error, its field named: what to fix first."""
    first = errors[0]
    if first.get("type") == "json_invalid":
        reason = first.get("ctx", {}).get("error", "")
        return ErrorDetail(
            message=f"The request body is not valid JSON: {reason}".rstrip(": "),
            type="invalid_request_error",
        )
    field = _field(first.get("loc", ()))
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if field:
        message = f"{field}: {message}"
    return ErrorDetail(message=message, type="invalid_request_error", param=field or None)


def qa_error(exc: QAError) -> tuple[int, ErrorDetail]:
    """The status and detail for an error from ``qa``: its message already says how to fix it.

    A setting ragqa cannot use (an LLM backend without its URL, say) is the server's
    configuration, not the request's: 503 like a store or model that cannot be used.
    """
    if isinstance(exc, CorpusError | ModelError | BackendError | SettingsError):
        return 503, ErrorDetail(message=str(exc), type="server_error", code="unavailable")
    return 400, ErrorDetail(message=str(exc), type="invalid_request_error")


def unexpected_error(exc: BaseException) -> ErrorDetail:
    log.error("unexpected error in the HTTP API", exc_info=exc)
    return ErrorDetail(
        message="Something went wrong on the server (the details are in its log).",
        type="server_error",
    )


def install_error_handlers(app: FastAPI) -> None:
    """Send every error of ``app``'s own routes in the OpenAI shape."""

    async def api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, APIError)
        return _respond(exc.status, exc.detail, exc.headers)

    async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _respond(400, validation_detail(exc.errors()))

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        detail = ErrorDetail(message=str(exc.detail), type="invalid_request_error")
        return _respond(exc.status_code, detail, exc.headers)

    async def from_qa(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, QAError)
        return _respond(*qa_error(exc))

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _respond(500, unexpected_error(exc))

    app.add_exception_handler(APIError, api_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(QAError, from_qa)
    app.add_exception_handler(Exception, unexpected)
