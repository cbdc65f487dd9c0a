"""``/v1/articles`` (add, list, delete) and ``/v1/search`` (passages, no answer).

Articles arrive as uploaded files (``multipart/form-data``, field ``files``) or as JSON
records (``{"articles": [{"text": ..., "title": ..., ...}]}``). Both are kept under
``<home>/uploads/`` before ingesting, as the chat's uploads are: a file uploaded again
under the same name replaces its article, and the same records sent twice are one file
(named after their content), so they are skipped as unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile

from qa import IngestReport, Passage, RetrievalFilters, Settings, StoredArticle
from ui.api_deps import NOT_BLANK, Pool, served
from ui.api_errors import ERROR_RESPONSES, APIError, ErrorResponse
from ui.backends import Backends
from ui.uploads import UploadRejected, unsupported, upload_name, uploads_dir

router = APIRouter(prefix="/v1", tags=["Articles and search"])


class CollectionParams(BaseModel):
    """Query parameters; an unknown one is refused, so a misspelt filter is never ignored."""

    model_config = ConfigDict(extra="forbid")

    collection: str | None = Field(
        None, description="The collection (a model of GET /v1/models); default: the first served."
    )


CollectionQuery = Annotated[CollectionParams, Query()]


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic alone would also read a number as a Unix time."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"expected a date like 2024-05-31, not {value!r}")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class SearchParams(CollectionParams):
    q: str = Field(pattern=NOT_BLANK, description="What to look for.")
    k: int | None = Field(None, ge=1, le=50, description="Passages to return (default: top_k).")
    source: list[str] = Field(
        default_factory=list, description="Only these publishers; repeat for several."
    )
    since: IsoDate | None = Field(None, description="Published on or after (YYYY-MM-DD).")
    until: IsoDate | None = Field(
        None, description="Published on or before (YYYY-MM-DD); not before since."
    )


class ArticleRecord(BaseModel):
    """One article; only ``text`` is required."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article's text.")
    title: str = Field("", description="Default: the text's first line or words.")
    url: str = Field("", description="Also the article's id when given.")
    published: str = Field(
        "", description="ISO 8601 or RFC 2822 date; anything else is stored as unknown."
    )
    source: str = Field("", description="The publisher.")
    authors: list[str] = Field(default_factory=list)


class ArticleRecords(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleRecord] = Field(min_length=1)


def _records_schema() -> dict[str, Any]:
    """``ArticleRecords`` as one self-contained JSON schema (the record inlined)."""
    return {
        "type": "object",
        "properties": {
            "articles": {"type": "array", "minItems": 1, "items": ArticleRecord.model_json_schema()}
        },
        "required": ["articles"],
        "additionalProperties": False,
    }


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _records_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "format": "binary"},
                        }
                    },
                    "required": ["files"],
                }
            },
        },
    }
}


class ArticleList(BaseModel):
    object: Literal["list"] = "list"
    data: list[StoredArticle]


class ArticleDeleted(BaseModel):
    id: str
    object: Literal["article"] = "article"
    deleted: bool = True


class PassageList(BaseModel):
    object: Literal["list"] = "list"
    data: list[Passage]


def _upload_name(upload: UploadFile) -> str:
    """The uploaded file's own name, without any folder; 400 when it cannot be kept."""
    try:
        return upload_name(upload.filename)
    except UploadRejected as exc:
        raise APIError(400, f"files: {exc}", param="files") from None


def _check_size(upload: UploadFile, name: str, settings: Settings) -> None:
    """413 for a file over ``max_file_mb``, the limit ingest itself applies, before it is
    read into memory."""
    if upload.size is not None and upload.size > settings.max_file_bytes:
        raise APIError(
            413,
            f"files: {name} is {upload.size / 1_000_000:.1f} MB; the limit is "
            f"{settings.max_file_mb:g} MB a file (the max_file_mb setting)",
            param="files",
            code="file_too_large",
        )


Staged = list[tuple[str, bytes]]
"""Files to write into the collection's upload folder, by name, before they are ingested."""


async def _read_files(request: Request, settings: Settings) -> Staged:
    form = await request.form()
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    if not uploads:
        raise APIError(
            400, "files: send one or more files in the form field 'files'", param="files"
        )
    names = [_upload_name(upload) for upload in uploads]
    for upload, name in zip(uploads, names, strict=True):
        _check_size(upload, name, settings)
    return [(name, await upload.read()) for upload, name in zip(uploads, names, strict=True)]


async def _read_records(request: Request) -> Staged:
    body = await request.body()
    try:
        records = ArticleRecords.model_validate_json(body)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None
    content = records.model_dump_json(exclude_defaults=True).encode()
    return [(f"records-{hashlib.sha256(content).hexdigest()[:16]}.json", content)]


def _ingest(backends: Backends, staged: Staged) -> IngestReport:
    """Write the files and ingest them holding the collection's write lock, so two uploads
    of one name cannot swap contents between writing and reading. A file of a type no
    loader reads is listed as failed, never written."""
    settings = backends.base.settings
    target = uploads_dir(settings.home, settings.collection)
    refused = [failure for name, _ in staged if (failure := unsupported(name)) is not None]
    with backends.access.writing():
        paths = []
        for name, content in staged:
            if unsupported(name) is not None:
                continue
            try:
                target.mkdir(parents=True, exist_ok=True)
                (target / name).write_bytes(content)
            except (OSError, ValueError) as exc:  # a name the file system refuses, a full disk
                raise APIError(
                    400, f"files: cannot keep {name!r} in {target}: {exc}", param="files"
                ) from None
            paths.append(target / name)
        report = backends.base.ingest(paths)
    return replace(report, failed=(*refused, *report.failed))


@router.post(
    "/articles",
    response_model=IngestReport,
    responses=ERROR_RESPONSES
    | {
        413: {
            "model": ErrorResponse,
            "description": "A file is larger than the max_file_mb setting (50 MB unless set).",
        },
        415: {
            "model": ErrorResponse,
            "description": "The body is neither JSON records nor a multipart form of files.",
        },
    },
    openapi_extra=_UPLOAD_BODY,
)
async def add_articles(request: Request, pool: Pool, params: CollectionQuery) -> IngestReport:
    """Add articles from uploaded files or JSON records; returns the ingest report.

    A file or record that cannot be read is listed under ``failed`` with the reason, and
    the others are still added.
    """
    backends = served(pool, params.collection, param="collection")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        staged = await _read_records(request)
    elif content_type == "multipart/form-data":
        staged = await _read_files(request, backends.base.settings)
    else:
        raise APIError(
            415,
            "Send JSON records (application/json) or files (multipart/form-data, field 'files').",
        )
    return await run_in_threadpool(_ingest, backends, staged)


@router.get("/articles", response_model=ArticleList, responses=ERROR_RESPONSES)
def list_articles(pool: Pool, params: CollectionQuery) -> ArticleList:
    """The articles in the collection: id, title, file, source, date, chunks."""
    backends = served(pool, params.collection, param="collection")
    return ArticleList(data=list(backends.base.stats().articles))


@router.delete(
    "/articles/{article_id:path}", response_model=ArticleDeleted, responses=ERROR_RESPONSES
)
def delete_article(article_id: str, pool: Pool, params: CollectionQuery) -> ArticleDeleted:
    """Remove one article and all its chunks; percent-encode the id (it may be a path or URL)."""
    backends = served(pool, params.collection, param="collection")
    with backends.access.writing():
        stored = {a.article_id for a in backends.base.stats().articles}
        if article_id not in stored:
            raise APIError(
                404,
                f"article_id: no article {article_id!r} in this collection "
                "(GET /v1/articles lists them)",
                param="article_id",
                code="article_not_found",
            )
        backends.base.delete_article(article_id)
    return ArticleDeleted(id=article_id)


@router.get("/search", response_model=PassageList, responses=ERROR_RESPONSES)
def search(pool: Pool, params: Annotated[SearchParams, Query()]) -> PassageList:
    """The passages a question would be answered from, best first; no answer.

    With ``since`` or ``until``, articles without a known date are left out.
    """
    backends = served(pool, params.collection, param="collection")
    sources = tuple(s.strip() for s in params.source if s.strip())
    filters = RetrievalFilters(sources=sources, since=params.since, until=params.until)
    with backends.access.reading():
        passages = backends.base.search(params.q, top_k=params.k, filters=filters)
    return PassageList(data=list(passages))
