"""The page's callbacks: ask (streaming), start over, show sources, upload, delete.

Each callback is a method of ``Handlers`` so the app wires them without globals. Every
callback catches all errors and shows them as friendly messages (``ui.errors``), so no
traceback reaches the page and the server keeps serving.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import gradio as gr

from qa import Answer, Conversation, RetrievalFilters, StoredArticle, Turn
from ui.backends import Backends
from ui.collection import (
    article_choices,
    done_summary_html,
    ingest_summary_html,
    notice_summary_html,
    source_choices,
    table_rows,
)
from ui.controls import build_filters, parse_top_k
from ui.errors import friendly_message
from ui.render import (
    EMPTY_SOURCES,
    answer_html,
    notice_html,
    sources_html,
    streaming_html,
)
from ui.uploads import stage_uploads, uploads_dir

Message = dict[str, str]

NO_ARTICLES = (
    "There are no articles yet. Add some under “Add articles” (or run "
    "`ragqa ingest PATH`), then ask again."
)
NO_MATCH = (
    "No article matches the filters under Settings. Widen or clear them, then ask again."
)


@dataclass
class ChatState:
    """One browser session's conversation; plain data, as Gradio copies session state."""

    messages: list[Message] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)
    """The answer shown by each assistant message, by message index."""


@dataclass(frozen=True)
class CollectionView:
    """Everything on the page that lists articles, refreshed together."""

    rows: list[list[str | int]]
    articles: list[tuple[str, str]]
    sources: list[str]

    @classmethod
    def of(cls, articles: Sequence[StoredArticle]) -> CollectionView:
        return cls(table_rows(articles), article_choices(articles), source_choices(articles))

    def updates(self) -> tuple[Any, ...]:
        """Values for: the table, the delete picker, the article filter, the source filter."""
        return (
            self.rows,
            gr.Dropdown(choices=self.articles, value=None),
            gr.Dropdown(choices=self.articles),
            gr.Dropdown(choices=self.sources),
        )


_UNCHANGED_VIEW = (gr.skip(),) * 4
"""Leaves the table and the three pickers as they are."""


def _user(text: str) -> Message:
    return {"role": "user", "content": html.escape(text)}


def _assistant(content: str) -> Message:
    return {"role": "assistant", "content": content}


def _replace_reply(messages: list[Message], content: str) -> list[Message]:
    """A new list with the last (assistant) message replaced: yielded lists stay as sent."""
    return [*messages[:-1], _assistant(content)]


class Handlers:
    def __init__(self, backends: Backends) -> None:
        self.backends = backends

    # --- chat ---------------------------------------------------------------------

    def ask(
        self,
        message: str,
        state: ChatState,
        backend: str,
        top_k: float | None,
        article_ids: Sequence[str] | None,
        sources: Sequence[str] | None,
        since: str | None,
        until: str | None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat; yields (chat, sources panel, state, input box)."""
        question = (message or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), state, ""
            return
        messages = [*state.messages, _user(question), _assistant(streaming_html(""))]
        yield messages, gr.skip(), state, ""
        name = backend or self.backends.default
        try:
            filters = build_filters(article_ids, sources, since, until)
            conversation = Conversation(self.backends.get(name))
            conversation.turns = list(state.turns)
            text = ""
            wanted = parse_top_k(top_k)
            stream = self.backends.in_turn(
                lambda: conversation.stream(question, top_k=wanted, filters=filters)
            )
            for item in stream:
                if isinstance(item, Answer):
                    yield self._finish(messages, state, conversation.turns, item, filters)
                    return
                text += item
                messages = _replace_reply(messages, streaming_html(text))
                yield messages, gr.skip(), state, ""
            raise RuntimeError("the answer stream ended without an Answer")
        except Exception as exc:  # shown in the chat; the session and server go on
            messages = _replace_reply(messages, notice_html(friendly_message(exc, backend=name)))
            yield messages, gr.skip(), replace(state, messages=messages), ""

    @staticmethod
    def _finish(
        messages: list[Message],
        state: ChatState,
        turns: list[Turn],
        answer: Answer,
        filters: RetrievalFilters,
    ) -> tuple[Any, ...]:
        """The final chat, sources panel and state once the ``Answer`` has arrived."""
        if not answer.passages:
            notice = NO_ARTICLES if filters.is_empty() else NO_MATCH
            messages = _replace_reply(messages, notice_html(notice))
            return messages, EMPTY_SOURCES, replace(state, messages=messages), ""
        messages = _replace_reply(messages, answer_html(answer, turns[-1].question))
        answers = {**state.answers, len(messages) - 1: answer}
        return messages, sources_html(answer), ChatState(messages, turns, answers), ""

    def new_conversation(self) -> tuple[list[Message], str, ChatState]:
        return [], EMPTY_SOURCES, ChatState()

    def show_sources(self, state: ChatState, event: gr.SelectData) -> Any:
        """Clicking an earlier answer shows its sources in the panel again."""
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        answer = state.answers.get(int(index)) if isinstance(index, int) else None
        return sources_html(answer) if answer else gr.skip()

    @staticmethod
    def pick_example(event: gr.SelectData) -> str:
        value = event.value
        return str(value.get("text", "")) if isinstance(value, dict) else str(value)

    # --- collection ---------------------------------------------------------------

    def _view(self) -> CollectionView:
        return CollectionView.of(self.backends.base.stats().articles)

    def refresh_collection(self) -> tuple[Any, ...]:
        """Read the collection again: (status, table, delete picker, article and source filters)."""
        try:
            return (gr.skip(), *self._view().updates())
        except Exception as exc:  # shown in the page; the server goes on
            return (notice_summary_html(friendly_message(exc)), *_UNCHANGED_VIEW)

    def upload(
        self, files: Sequence[str] | None, progress: gr.Progress = gr.Progress()  # noqa: B008
    ) -> tuple[Any, ...]:
        """Ingest uploaded files with a progress bar; (summary, file box, table, pickers...)."""
        if not files:
            return (gr.skip(), gr.skip(), *_UNCHANGED_VIEW)
        assistant = self.backends.base
        try:

            def on_progress(done: int, total: int, path: str) -> None:
                name = Path(path).name if path else "articles"
                progress((done, total), desc=f"Adding {name}", unit="files")

            settings = assistant.settings
            with self.backends.access.writing():
                staged, refused = stage_uploads(
                    files, uploads_dir(settings.home, settings.collection)
                )
                report = assistant.ingest(staged, on_progress=on_progress)
            report = replace(report, failed=(*refused, *report.failed))
            stored = assistant.stats().articles
        except Exception as exc:  # shown in the page; the server goes on
            return (notice_summary_html(friendly_message(exc)), None, *_UNCHANGED_VIEW)
        titles = {a.article_id: a.title for a in stored}
        return (ingest_summary_html(report, titles), None, *CollectionView.of(stored).updates())

    def delete(self, article_id: str | None) -> tuple[Any, ...]:
        """Remove the picked article; (status, table, pickers...)."""
        if not article_id:
            return (notice_summary_html("Pick an article to delete first."), *_UNCHANGED_VIEW)
        assistant = self.backends.base
        try:
            titles = {a.article_id: a.title for a in assistant.stats().articles}
            with self.backends.access.writing():
                assistant.delete_article(article_id)
            view = self._view()
        except Exception as exc:  # shown in the page; the server goes on
            return (notice_summary_html(friendly_message(exc)), *_UNCHANGED_VIEW)
        title = titles.get(article_id, article_id)
        return (done_summary_html(f"Deleted “{title}”."), *view.updates())

