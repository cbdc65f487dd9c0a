"""The Gradio chat, a client of ``qa``'s public API.

    from ui import launch
    launch(Assistant.open(), port=7860)
"""

import qa  # noqa: F401  (sets the offline switches before gradio is imported)
from ui.api import answer_markdown
from ui.app import build_app, launch

__all__ = ["answer_markdown", "build_app", "launch"]
