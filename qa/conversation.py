"""Multi-turn chat: each follow-up is made standalone before it is answered.

    chat = Conversation(assistant)
    chat.ask("When did Koizumi visit Pyongyang?")        # 2002
    chat.ask("How many abductees came back then?")       # asked as "... came back in 2002?"

The rewrite itself is ``qa.followups`` (rules, or the LLM with ``follow_ups = "llm"``);
this module keeps the turns it works from.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qa.assistant import Assistant, final_answer
from qa.followups import Exchange, condensed, is_follow_up, standalone
from qa.types import Answer, RetrievalFilters


@dataclass(frozen=True)
class Turn:
    """A question as asked, as answered (``standalone``), and its answer."""

    question: str
    standalone: str
    answer: Answer


def standalone_question(question: str, history: Sequence[Turn]) -> str:
    """The question to answer after ``history``: pointers to the last turns filled in."""
    return standalone(question, [Exchange(t.standalone, t.answer.text) for t in history])


def resolve_follow_up(question: str, earlier: Sequence[str | tuple[str, str]]) -> str:
    """The question ``Conversation`` would ask after the ``earlier`` exchanges, oldest first.

    For clients that keep the history themselves, as an OpenAI-style message list does:
    each exchange is a question and the answer text it got, or a question alone when
    its answer is not known. The rules rewrite, whatever ``follow_ups`` says.
    """
    history: list[Exchange] = []
    for exchange in earlier:
        asked, answered = (exchange, "") if isinstance(exchange, str) else exchange
        history.append(Exchange(standalone(asked, history), answered))
    return standalone(question, history)


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
        standalone = self._standalone(question)
        for item in self.assistant.stream(standalone, top_k=top_k, filters=filters):
            if isinstance(item, Answer):
                self.turns.append(Turn(question, standalone, item))
            yield item

    def _standalone(self, question: str) -> str:
        """The rules' rewrite, or the LLM's where ``follow_ups = "llm"`` and it holds."""
        rules = standalone_question(question, self.turns)
        llm = self.assistant.llm if self.assistant.settings.follow_ups == "llm" else None
        if llm is None or not self.turns or not is_follow_up(question):
            return rules
        history = [Exchange(t.standalone, t.answer.text) for t in self.turns]
        return condensed(question, history, llm) or rules

    def reset(self) -> None:
        self.turns.clear()
