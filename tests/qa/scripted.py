"""An LLM that replies with a fixed line: for tests of control flow around an LLM's reply."""

from collections.abc import Iterator


class ScriptedLLM:
    """Replies ``reply`` to every prompt and keeps the prompts it was sent."""

    name = "scripted"

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.prompts: list[str] = []

    def complete(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.reply

    def stream(self, prompt: str) -> Iterator[str]:
        yield self.complete(prompt)
