"""Multi-turn chat: follow-ups are made standalone before retrieval.

    chat = Conversation(assistant)
    chat.ask("Did Japan propose a summit with North Korea?")
    chat.ask("and who replied?")   # asked as "Did Japan propose ...? Who replied?"

The default model is too small to rewrite questions reliably, so the rewrite is
deterministic: a question that leans on the previous turn (it opens with a connective,
uses a pronoun, or names almost nothing) is joined to the previous standalone question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qa.assistant import Assistant, final_answer
from qa.text import content_terms, words
from qa.types import Answer, RetrievalFilters

_CONNECTIVE = re.compile(r"^\s*(and|but|also|so|then|what about|how about)\b[\s,]*", re.I)
_REFERRING = frozenset(
    {"he", "she", "it", "they", "him", "her", "them", "his", "hers", "its", "their"}
    | {"theirs", "this", "that", "these", "those"}
)


@dataclass(frozen=True)
class Turn:
    question: str
    standalone: str
    answer: Answer


def is_follow_up(question: str) -> bool:
    """True when the question cannot stand on its own."""
    return (
        bool(_CONNECTIVE.match(question))
        or bool(_REFERRING & set(words(question)))
        or len(content_terms(question)) <= 1
    )


def _joined(question: str, previous: str | None) -> str:
    """``question`` joined to ``previous`` (a standalone question) when it is a follow-up."""
    question = " ".join(question.split())
    if not previous or not is_follow_up(question):
        return question
    rest = _CONNECTIVE.sub("", question)
    rest = rest[:1].upper() + rest[1:]
    previous = previous.rstrip()
    if not previous.endswith(("?", ".", "!")):
        previous += "?"
    return f"{previous} {rest}"


def standalone_question(question: str, history: Sequence[Turn]) -> str:
    """The question to retrieve with: the previous standalone question joined to a follow-up."""
    return _joined(question, history[-1].standalone if history else None)


def resolve_follow_up(question: str, earlier_questions: Sequence[str]) -> str:
    """The question ``Conversation`` would ask after ``earlier_questions`` (oldest first).

    For clients that keep the history themselves, as an OpenAI-style message list does:
    only the user's questions matter, since each follow-up is joined to the standalone
    form of the question before it.
    """
    previous: str | None = None
    for earlier in earlier_questions:
        previous = _joined(earlier, previous)
    return _joined(question, previous)


class Conversation:
    """An ``Assistant`` with memory of the turns so far."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.turns: list[Turn] = []

    def ask(
        self,
        question: str,
        *,
        top_k: int | None = None,
        filters: RetrievalFilters | None = None,
    ) -> Answer:
        return final_answer(self.stream(question, top_k=top_k, filters=filters))

    def stream(
        self,
        question: str,
        *,
        top_k: int | None = None,
        filters: RetrievalFilters | None = None,
    ) -> Iterator[str | Answer]:
        """Like ``Assistant.stream``, remembering the final answer."""
        standalone = standalone_question(question, self.turns)
        for item in self.assistant.stream(standalone, top_k=top_k, filters=filters):
            if isinstance(item, Answer):
                self.turns.append(Turn(question, standalone, item))
            yield item

    def reset(self) -> None:
        self.turns.clear()
