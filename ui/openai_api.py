"""``/v1/chat/completions`` and ``/v1/models`` in the OpenAI schema, with the citations kept.

    client = openai.OpenAI(base_url="http://127.0.0.1:8000/v1", api_key=KEY)
    reply = client.chat.completions.create(model="articles", messages=[...])
    reply.choices[0].message.content, reply.citations

``model`` names a served collection. The last user message with text is the question;
the earlier user messages and the assistant's replies to them make a follow-up
standalone, as ``qa.Conversation`` does with its rules (``follow_ups = "rules"``).
Beside the answer text (with its ``[n]`` markers) go ``citations``, ``answerable``,
``confidence`` and ``as_of``; a streamed answer sends them in one chunk after the last
piece of text and before ``[DONE]``, so a client never gets the text without its sources.
Fields of the OpenAI request that ragqa does not use (``temperature``, ``max_tokens``,
``tools``...) are accepted and ignored.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, field_validator

from qa import Answer, QAError, resolve_follow_up
from ui.api_deps import NOT_BLANK, Pool, served
from ui.api_errors import ERROR_RESPONSES, error_payload, qa_error, unexpected_error
from ui.backends import Backends

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible chat"])


class ContentPart(BaseModel):
    """One part of a message's content; only text parts are read."""

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        """The message's text; of a list of parts, the text parts joined."""
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


_ASKS_SOMETHING = {
    "type": "object",
    "required": ["role", "content"],
    "properties": {
        "role": {"const": "user"},
        "content": {
            "anyOf": [
                {"type": "string", "pattern": NOT_BLANK},
                {
                    "type": "array",
                    "contains": {
                        "type": "object",
                        "required": ["type", "text"],
                        "properties": {
                            "type": {"const": "text"},
                            "text": {"type": "string", "pattern": NOT_BLANK},
                        },
                    },
                },
            ]
        },
    },
}
"""A user message with some text, as JSON Schema: ``messages`` must contain one."""


class ChatCompletionRequest(BaseModel):
    """The OpenAI chat request; the fields ragqa does not use are accepted and ignored."""

    model: str = Field(description="The collection to answer from (GET /v1/models).")
    messages: list[ChatMessage] = Field(
        min_length=1,
        description="The conversation. The last user message with text is the question; "
        "the user's messages before it, each with the assistant's reply after it, make a "
        "follow-up standalone; the other roles' messages are not read.",
        json_schema_extra={"contains": _ASKS_SOMETHING},
    )
    stream: bool | None = Field(
        False, description="Send the answer as server-sent chunks, the citations last."
    )

    @field_validator("messages")
    @classmethod
    def _asks_something(cls, messages: list[ChatMessage]) -> list[ChatMessage]:
        if not _exchanges(messages):
            raise ValueError("there is no user message with text to answer")
        return messages

    def question(self) -> str:
        """The last user message with text, made standalone by the exchanges before it."""
        exchanges = _exchanges(self.messages)
        return resolve_follow_up(exchanges[-1][0], exchanges[:-1])


def _exchanges(messages: list[ChatMessage]) -> list[tuple[str, str]]:
    """Each user message with text, and the assistant's reply after it ("" for none)."""
    exchanges: list[tuple[str, str]] = []
    for message in messages:
        if message.role == "user" and re.search(NOT_BLANK, message.text()):
            exchanges.append((message.text(), ""))
        elif message.role == "assistant" and exchanges and not exchanges[-1][1]:
            exchanges[-1] = (exchanges[-1][0], message.text())
    return exchanges


class CitationOut(BaseModel):
    """A marker ``[n]`` in the answer: the article and the exact span its claim rests on."""

    n: int
    article_id: str
    title: str
    url: str = Field(description="The article's address, empty when it has none.")
    file_name: str
    start: int = Field(description="Where the quote starts in the article's text.")
    end: int = Field(description="Where the quote ends in the article's text.")
    quote: str


class AnswerFacts(BaseModel):
    """What ragqa adds to an OpenAI reply: the sources and whether the articles answer."""

    citations: list[CitationOut]
    answerable: bool = Field(description="False when the articles do not hold the answer.")
    confidence: float | None = Field(
        description="Calibrated probability that the articles state the answer; "
        "null when nothing was read."
    )
    as_of: str = Field(
        description="The publication date (YYYY-MM-DD) of the article the answer comes from "
        "when dated articles gave different answers and the latest was chosen (the text then "
        'ends with "(as of ...)"); empty otherwise.'
    )

    @classmethod
    def of(cls, answer: Answer) -> AnswerFacts:
        urls = {p.n: p.url for p in answer.passages}
        return cls(
            citations=[
                CitationOut(
                    n=c.n,
                    article_id=c.article_id,
                    title=c.title,
                    url=urls.get(c.n, ""),
                    file_name=c.file_name,
                    start=c.start,
                    end=c.end,
                    quote=c.quote,
                )
                for c in answer.citations
            ],
            answerable=answer.answerable,
            confidence=answer.confidence,
            as_of=answer.as_of,
        )


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class ChatCompletion(AnswerFacts):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]


class ChunkChoice(BaseModel):
    index: int = 0
    delta: dict[str, str]
    finish_reason: Literal["stop"] | None = None


class ChatCompletionChunk(BaseModel):
    """A piece of a streamed answer (``delta.content``)."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]


class CitationsChunk(ChatCompletionChunk, AnswerFacts):
    """The chunk after the text: ``finish_reason`` "stop", the citations beside it."""


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "ragqa"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def _event(payload: BaseModel | dict[str, Any]) -> str:
    """One server-sent event carrying ``payload`` as JSON."""
    data = payload.model_dump_json() if isinstance(payload, BaseModel) else json.dumps(payload)
    return f"data: {data}\n\n"


def _stream_events(backends: Backends, question: str, head: ChatCompletionChunk) -> Iterator[str]:
    """Server-sent events: role, text pieces, the citations chunk, ``[DONE]``.

    A failure after the response has started is sent as an OpenAI error event, which
    OpenAI clients raise.
    """

    def chunk(delta: dict[str, str]) -> ChatCompletionChunk:
        return head.model_copy(update={"choices": [ChunkChoice(delta=delta)]})

    yield _event(chunk({"role": "assistant", "content": ""}))
    try:
        for item in backends.in_turn(lambda: backends.base.stream(question)):
            if isinstance(item, Answer):
                answer = item
                break
            yield _event(chunk({"content": item}))
        else:
            raise RuntimeError("the answer stream ended without an Answer")
    except QAError as exc:
        yield _event(error_payload(qa_error(exc)[1]))
        return
    except Exception as exc:  # the response has started: the error goes in the stream
        yield _event(error_payload(unexpected_error(exc)))
        return
    finish = [ChunkChoice(delta={}, finish_reason="stop")]
    facts = AnswerFacts.of(answer).model_dump()
    yield _event(CitationsChunk(**head.model_dump(exclude={"choices"}), choices=finish, **facts))
    yield "data: [DONE]\n\n"


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {
            "description": "The answer; with stream: true, server-sent chat.completion.chunk "
            "events, the citations in the last one before [DONE].",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        **ERROR_RESPONSES,
    },
)
def chat_completions(
    request: ChatCompletionRequest, pool: Pool
) -> ChatCompletion | StreamingResponse:
    """Answer the last user message from the articles of collection ``model``, citing them."""
    backends = served(pool, request.model, param="model")
    question = request.question()
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if request.stream:
        head = ChatCompletionChunk(
            id=completion_id, created=created, model=request.model, choices=[]
        )
        return StreamingResponse(
            _stream_events(backends, question, head), media_type="text/event-stream"
        )
    with backends.access.reading():
        answer = backends.base.ask(question)
    return ChatCompletion(
        id=completion_id,
        created=created,
        model=request.model,
        choices=[Choice(message=AssistantMessage(content=answer.text))],
        **AnswerFacts.of(answer).model_dump(),
    )


@router.get("/models", response_model=ModelList, responses=ERROR_RESPONSES)
async def list_models(pool: Pool) -> ModelList:
    """The served collections, each a model to ask."""
    return ModelList(data=[ModelCard(id=name, created=pool.opened_at) for name in pool.names])


@router.get("/models/{model}", response_model=ModelCard, responses=ERROR_RESPONSES)
async def get_model(model: str, pool: Pool) -> ModelCard:
    """One served collection as a model; 404 when it is not served."""
    served(pool, model, param="model")
    return ModelCard(id=model, created=pool.opened_at)
