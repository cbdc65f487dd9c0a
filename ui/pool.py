"""The collections ``ragqa serve`` answers from, each opened once and shared by every client.

One ``Backends`` per collection (its ``Assistant`` and the readers–writer lock that lets
answers run together and a write alone): the chat is built over the first, the HTTP API
reaches each by name (its OpenAI ``model``). The collections share the first one's
embedder and reader; each has its own LLM backend (loaded on its first LLM-phrased
answer, if ever) with its own queue, so one collection's questions never wait for
another's model.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from qa import Assistant, Settings
from ui.backends import Backends


class AssistantPool:
    """The served collections by name; the first is the default (and the chat's)."""

    def __init__(self, collections: Mapping[str, Backends]) -> None:
        self._collections = dict(collections)
        self.opened_at = int(time.time())
        """When the collections were opened: the ``created`` time ``/v1/models`` reports."""

    @classmethod
    def open(cls, settings: Settings, names: Sequence[str]) -> AssistantPool:
        """Open every collection in ``names`` (``settings.collection`` when empty) now.

        A store that cannot be opened fails here, before the server listens.
        """
        names = list(dict.fromkeys(names)) or [settings.collection]
        first = Assistant.open(settings.model_copy(update={"collection": names[0]}))
        assistants = [first]
        for name in names[1:]:
            assistants.append(
                Assistant(
                    settings.model_copy(update={"collection": name}),
                    embedder=first.embedder,
                    reader=first.reader,
                    calibration=first.calibration,
                )
            )
        return cls({a.settings.collection: Backends(a) for a in assistants})

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._collections)

    @property
    def default(self) -> str:
        return self.names[0]

    def get(self, name: str) -> Backends | None:
        """The collection ``name``, or ``None`` when it is not served."""
        return self._collections.get(name)
