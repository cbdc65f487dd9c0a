"""The chat page: its events wired to the handlers, and how it is served.

    launch(Assistant.open(), host="127.0.0.1", port=7860)

Every event has an explicit ``api_name``. The page's own events are undocumented
(callable, not listed in the API page); the endpoints meant for scripts are in ``ui.api``.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from qa import Assistant
from ui.api import register_api
from ui.assets import CSS, HEAD
from ui.backends import Backends
from ui.handlers import Handlers
from ui.layout import build_page

_PAGE_EVENT: dict[str, Any] = {"api_visibility": "undocumented"}
PAGE_OPTIONS: dict[str, Any] = {
    "footer_links": ["api"],
    "css": CSS,
    "head": HEAD,
    "mcp_server": False,
    "show_error": False,
}
"""How the page is served, alone (``launch``) or mounted in ``ragqa serve``'s server."""


def build_app(served: Assistant | Backends) -> gr.Blocks:
    """The page for an assistant's collection; other backends share its store.

    Given ``Backends``, the page shares them, and their locks, with another server (the
    HTTP API of ``ragqa serve``). The page is queued: answers (the chat's and the scripted
    ones share the concurrency id ``answers``) run ``concurrent_answers`` at a time, each
    in a worker thread of its own, while uploads and deletes (``collection``) and every
    other event run one at a time; more arrivals wait in Gradio's queue, in order.
    """
    backends = served if isinstance(served, Backends) else Backends(served)
    handlers = Handlers(backends)
    with gr.Blocks(title="ragqa", analytics_enabled=False) as app:
        page = build_page(backends)
        view = [page.table, page.doomed, page.article_filter, page.source_filter]
        ask_inputs = [
            page.question, page.state, page.backend, page.top_k,
            page.article_filter, page.source_filter, page.since, page.until,
        ]
        ask_outputs = [page.chatbot, page.sources, page.state, page.question]
        answers: dict[str, Any] = {
            "concurrency_id": "answers",
            "concurrency_limit": backends.base.settings.concurrent_answers,
            **_PAGE_EVENT,
        }
        gr.on(
            [page.question.submit, page.ask.click], handlers.ask, ask_inputs, ask_outputs,
            api_name="chat", **answers,
        )
        page.chatbot.example_select(
            handlers.pick_example, None, page.question, api_name="pick_example", **_PAGE_EVENT
        ).then(handlers.ask, ask_inputs, ask_outputs, api_name="chat_example", **answers)
        page.chatbot.select(
            handlers.show_sources, page.state, page.sources, api_name="show_sources",
            **_PAGE_EVENT,
        )
        for trigger, name in (
            (page.new_chat.click, "new_conversation"),
            (page.chatbot.clear, "clear_conversation"),
        ):
            trigger(
                handlers.new_conversation, None, [page.chatbot, page.sources, page.state],
                api_name=name, **_PAGE_EVENT,
            )
        collection: dict[str, Any] = {"concurrency_id": "collection", **_PAGE_EVENT}
        page.files.upload(
            handlers.upload, page.files, [page.upload_summary, page.files, *view],
            api_name="upload", **collection,
        )
        page.delete.click(
            handlers.delete, page.doomed, [page.collection_status, *view],
            api_name="delete", **collection,
        )
        for trigger, name in (
            (app.load, "load_collection"),
            (page.collection_tab.select, "refresh_collection"),
        ):
            trigger(
                handlers.refresh_collection, None, [page.collection_status, *view],
                api_name=name, **_PAGE_EVENT,
            )
        register_api(backends)
    app.queue(default_concurrency_limit=1)
    return app


def launch(
    assistant: Assistant,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
) -> None:
    """Serve the chat on ``host:port`` until interrupted; never a public share link."""
    app = build_app(assistant)
    app.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=auth,
        max_file_size=assistant.settings.max_file_bytes,
        **PAGE_OPTIONS,
    )
