"""The components of the page and where they sit; ``ui.app`` wires their events."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ui.backends import Backends
from ui.collection import TABLE_HEADERS
from ui.handlers import ChatState
from ui.render import EMPTY_SOURCES
from ui.uploads import SUPPORTED_UPLOADS

EXAMPLES = [
    "Who is North Korea's foreign minister?",
    "How many Japanese nationals does Tokyo list as abductees?",
    "When did Japan and North Korea hold their first summit?",
    "Who is North Korea's ambassador to China?",
]
INTRO = (
    "Ask about the news articles. Every claim in an answer ends with a marker like "
    "**[1]**: hover over it or click it to read the passage it rests on; the sources "
    "panel shows each cited passage with the supporting words highlighted."
)


@dataclass(frozen=True)
class Page:
    state: gr.State
    chatbot: gr.Chatbot
    question: gr.Textbox
    ask: gr.Button
    new_chat: gr.Button
    top_k: gr.Slider
    backend: gr.Dropdown
    article_filter: gr.Dropdown
    source_filter: gr.Dropdown
    since: gr.DateTime
    until: gr.DateTime
    sources: gr.HTML
    files: gr.File
    upload_summary: gr.HTML
    collection_tab: gr.Tab
    table: gr.Dataframe
    doomed: gr.Dropdown
    delete: gr.Button
    collection_status: gr.HTML


def _chat() -> tuple[gr.Chatbot, gr.Textbox, gr.Button, gr.Button]:
    chatbot = gr.Chatbot(
        label="Chat",
        elem_id="ragqa-chat",
        height=520,
        # Messages are HTML built by ui.render, so article text never becomes Markdown.
        render_markdown=False,
        latex_delimiters=[],
        examples=[{"text": q} for q in EXAMPLES],
        placeholder="Ask a question, or start with an example:",
        feedback_options=None,
        buttons=["copy"],
    )
    with gr.Row():
        question = gr.Textbox(
            show_label=False,
            placeholder="Ask about the articles…",
            elem_id="ragqa-question",
            scale=5,
            autofocus=True,
        )
        ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ragqa-ask")
    new_chat = gr.Button("New conversation", elem_id="ragqa-new", size="sm")
    return chatbot, question, ask, new_chat


def _settings(
    backends: Backends,
) -> tuple[gr.Slider, gr.Dropdown, gr.Dropdown, gr.Dropdown, gr.DateTime, gr.DateTime]:
    with gr.Accordion("Settings", open=False, elem_id="ragqa-settings"):
        top_k = gr.Slider(
            1, 20, value=backends.base.settings.top_k, step=1, label="Passages per question"
        )
        backend = gr.Dropdown(
            choices=list(backends.names),
            value=backends.default,
            label="Answer backend",
            info="none answers with the evidence sentence itself; openai and ollama "
            "are listed once configured (see Settings in the README).",
            elem_id="ragqa-backend",
        )
        # Custom values allowed: a filter naming an article deleted meanwhile must not
        # fail the question, it just matches nothing.
        article_filter = gr.Dropdown(
            multiselect=True,
            allow_custom_value=True,
            label="Only these articles",
            elem_id="ragqa-filter-articles",
        )
        source_filter = gr.Dropdown(
            multiselect=True,
            allow_custom_value=True,
            label="Only these sources",
            elem_id="ragqa-filter-sources",
        )
        with gr.Row():
            since = gr.DateTime(
                include_time=False, type="string", label="From date", elem_id="ragqa-since"
            )
            until = gr.DateTime(
                include_time=False, type="string", label="To date", elem_id="ragqa-until"
            )
    return top_k, backend, article_filter, source_filter, since, until


def _uploads() -> tuple[gr.File, gr.HTML]:
    with gr.Accordion("Add articles", open=True):
        files = gr.File(
            file_count="multiple",
            file_types=list(SUPPORTED_UPLOADS),
            label="Drop " + " ".join(SUPPORTED_UPLOADS) + " files",
            elem_id="ragqa-upload",
        )
        summary = gr.HTML(elem_id="ragqa-upload-summary")
    return files, summary


def _collection() -> tuple[gr.Tab, gr.Dataframe, gr.Dropdown, gr.Button, gr.HTML]:
    with gr.Tab("Collection", id="collection", elem_id="ragqa-collection-tab") as tab:
        table = gr.Dataframe(
            headers=TABLE_HEADERS,
            datatype=["str", "str", "number", "str"],
            interactive=False,
            wrap=True,
            elem_id="ragqa-articles",
        )
        with gr.Row():
            doomed = gr.Dropdown(label="Article", elem_id="ragqa-delete-pick", scale=4)
            delete = gr.Button("Delete article", variant="stop", elem_id="ragqa-delete", scale=1)
        status = gr.HTML(elem_id="ragqa-collection-status")
    return tab, table, doomed, delete, status


def build_page(backends: Backends) -> Page:
    """Lay out the page inside the ``gr.Blocks`` being built."""
    state = gr.State(ChatState())
    gr.Markdown(f"# ragqa\n{INTRO}")
    with gr.Tabs():
        with gr.Tab("Chat", id="chat"), gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot, question, ask, new_chat = _chat()
                top_k, backend, article_filter, source_filter, since, until = _settings(backends)
            with gr.Column(scale=2):
                sources = gr.HTML(EMPTY_SOURCES, elem_id="ragqa-sources")
                files, upload_summary = _uploads()
        collection_tab, table, doomed, delete, collection_status = _collection()
    return Page(
        state=state,
        chatbot=chatbot,
        question=question,
        ask=ask,
        new_chat=new_chat,
        top_k=top_k,
        backend=backend,
        article_filter=article_filter,
        source_filter=source_filter,
        since=since,
        until=until,
        sources=sources,
        files=files,
        upload_summary=upload_summary,
        collection_tab=collection_tab,
        table=table,
        doomed=doomed,
        delete=delete,
        collection_status=collection_status,
    )
