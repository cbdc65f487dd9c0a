"""The Gradio chat, a client of ``qa``'s public API."""

import qa  # noqa: F401  (sets the offline switches before gradio is imported)
from ui.app import build_app, launch
from ui.render import answer_markdown

__all__ = ["answer_markdown", "build_app", "launch"]
