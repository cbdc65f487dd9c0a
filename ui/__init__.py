"""The Gradio chat, a client of ``qa``'s public API.

    from ui import launch
    launch(Assistant.open(), port=7860)

Every public name needs Gradio, so each is imported on first use: ``ragqa chat --help``
(``ui.commands``) starts without it.
"""

import importlib

import qa  # noqa: F401  (sets the offline switches before gradio is imported)

_LAZY = {
    "answer_markdown": "ui.api",
    "build_app": "ui.app",
    "launch": "ui.app",
}

__all__ = ["answer_markdown", "build_app", "launch"]


def __getattr__(name: str) -> object:
    """Import a ``_LAZY`` name from its module on first use and keep it here."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
