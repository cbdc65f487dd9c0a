"""Turn an ``Answer`` into the Markdown the chat shows: the answer, then its sources."""

from __future__ import annotations

from qa import Answer


def _quote(text: str) -> str:
    return " ".join(text.split()).replace("*", r"\*")


def answer_markdown(answer: Answer) -> str:
    lines = [answer.text, ""]
    if answer.answerable:
        lines.append("**Sources**")
        for citation in answer.citations:
            lines.append(
                f"- [{citation.n}] *{citation.title}* ({citation.file_name}, "
                f"characters {citation.start}-{citation.end}): “{_quote(citation.quote)}”"
            )
    elif answer.passages:
        lines.append("**Closest passages**")
        for passage in answer.passages[:2]:
            lines.append(f"- *{passage.title}*: “{_quote(passage.text)[:300]}”")
    return "\n".join(lines).strip()
