"""The ways people and programs reach ragqa: the Gradio chat and the HTTP API, clients
of ``qa``'s public API.

    from ui import launch
    launch(Assistant.open(), port=7860)

    from ui import AssistantPool, create_server
    app = create_server(AssistantPool.open(Settings.from_env(), []), api_key=None)

Every public name needs Gradio or FastAPI, so each is imported on first use: ``ragqa chat
--help`` and ``ragqa serve --help`` (``ui.commands``) start without them.
"""

import importlib

import qa  # noqa: F401  (sets the offline switches before gradio is imported)

_LAZY = {
    "AssistantPool": "ui.pool",
    "answer_markdown": "ui.api",
    "build_app": "ui.app",
    "create_api": "ui.http_api",
    "create_server": "ui.server",
    "launch": "ui.app",
}

__all__ = ["AssistantPool", "answer_markdown", "build_app", "create_api", "create_server", "launch"]


def __getattr__(name: str) -> object:
    """Import a ``_LAZY`` name from its module on first use and keep it here."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
