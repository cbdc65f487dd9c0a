"""A plain Gradio chat over ``Assistant``: a question in, a cited answer out."""

from __future__ import annotations

from typing import Any

import gradio as gr

from qa import Assistant, QAError
from ui.render import answer_markdown

EXAMPLES = [
    "Who is North Korea's foreign minister?",
    "How many Japanese nationals does Tokyo list as abductees?",
    "When did Japan and North Korea hold their first summit?",
]


def build_app(assistant: Assistant) -> gr.ChatInterface:
    """The chat page; its API endpoint is ``/respond``."""

    def respond(message: str, history: list[dict[str, Any]]) -> str:
        try:
            return answer_markdown(assistant.ask(message))
        except QAError as exc:
            return f"Sorry, I could not answer: {exc}"

    return gr.ChatInterface(
        respond,
        title="ragqa",
        description="Ask about the news articles; every answer cites the passage it rests on.",
        examples=EXAMPLES,
        api_name="respond",
        analytics_enabled=False,
        flagging_mode="never",
    )


def launch(assistant: Assistant, *, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the chat on ``host:port``; never a public share link."""
    build_app(assistant).launch(
        server_name=host, server_port=port, share=False, footer_links=["api"]
    )
