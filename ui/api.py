"""The endpoints scripts call through ``gradio_client``; stateless, one question each.

    Client("http://127.0.0.1:7860/").predict("Who is ...?", api_name="/ask")

Failures reach the client as ``gradio.Error`` carrying the same friendly message the
page shows, never as a traceback.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from qa import Answer, RetrievalFilters
from ui.backends import Backends
from ui.controls import parse_top_k
from ui.errors import friendly_message


def _quote(text: str) -> str:
    return " ".join(text.split()).replace("*", r"\*")


def answer_markdown(answer: Answer) -> str:
    """The answer, then its sources (or the closest passages), as Markdown."""
    lines = [answer.text, ""]
    if answer.low_confidence:
        lines[1:1] = ["", f"*Low confidence ({answer.confidence:.0%})*"]
    if answer.answerable:
        lines.append("**Sources**")
        passages = {p.n: p for p in answer.passages}
        for citation in answer.citations:
            passage = passages.get(citation.n)
            dated = f", {passage.published}" if passage and passage.published else ""
            lines.append(
                f"- [{citation.n}] *{citation.title}* ({citation.file_name}{dated}, "
                f"characters {citation.start}-{citation.end}): “{_quote(citation.quote)}”"
            )
    elif answer.passages:
        lines.append("**Closest passages**")
        for passage in answer.passages[:2]:
            lines.append(f"- *{passage.title}*: “{_quote(passage.text)[:300]}”")
    return "\n".join(lines).strip()


def register_api(backends: Backends) -> None:
    """Add the scripted endpoints to the ``gr.Blocks`` being built."""

    def _answer(question: str, top_k: int, backend: str) -> Answer:
        name = backend or backends.default
        try:
            with backends.access.reading():
                return backends.get(name).ask(
                    question, top_k=parse_top_k(top_k or None), filters=RetrievalFilters()
                )
        except Exception as exc:  # any failure becomes a message, never a traceback
            raise gr.Error(friendly_message(exc, backend=name)) from exc

    def ask(question: str, top_k: int = 0, backend: str = "") -> str:
        """Answer one question; Markdown with the answer and its numbered sources.

        top_k: passages to use (0 = the configured default); backend: an LLM backend
        name shown in the page's settings ("" = the default).
        """
        return answer_markdown(_answer(question, top_k, backend))

    def ask_json(question: str, top_k: int = 0, backend: str = "") -> dict[str, Any]:
        """Answer one question; the full Answer (text, citations, passages) as JSON."""
        return _answer(question, top_k, backend).to_dict()

    def articles() -> list[dict[str, Any]]:
        """The articles in the collection: id, title, file name and chunk count."""
        try:
            stored = backends.base.stats().articles
        except Exception as exc:  # any failure becomes a message, never a traceback
            raise gr.Error(friendly_message(exc)) from exc
        return [
            {
                "article_id": a.article_id,
                "title": a.title,
                "file_name": a.file_name,
                "chunks": a.chunk_count,
            }
            for a in stored
        ]

    # Gradio takes the smallest limit among events sharing a concurrency id: the page's.
    answers: dict[str, Any] = {
        "concurrency_id": "answers",
        "concurrency_limit": backends.base.settings.concurrent_answers,
    }
    gr.api(ask, api_name="ask", **answers)
    gr.api(ask_json, api_name="ask_json", **answers)
    gr.api(articles, api_name="articles")
