"""Gold question files: JSON Lines of questions, or conversations, with acceptable answers.

One object per line, a single question::

    {"id": "q1", "question": "Who is North Korea's foreign minister?",
     "answers": ["Choe Son Hui"], "article": "north-korea-rules-out-dialogue.txt"}
    {"id": "q9", "question": "Who won the 2022 World Cup?", "answers": [], "unanswerable": true}

or a conversation, whose turns are asked in order within one chat::

    {"id": "c1", "turns": [{"question": "Who is North Korea's ambassador to China?",
                            "answers": ["Ri Ryong Nam"], "article": "north-korea.txt"},
                           {"question": "What did he say?", "answers": ["..."],
                            "article": "north-korea.txt"}], "kind": "pronoun"}

Each turn is validated like a single question and becomes a ``GoldItem`` of its own, with id
``c1#1``, ``c1#2``, ... so every scoring and reporting path treats a turn as a question; ids
are unique over the file, conversation ids and turn ids included. Any other field is kept in
``GoldItem.extra`` (a conversation's fields in every turn's) and otherwise ignored, so gold
files can carry notes. Validation is strict and names ``file:line`` (and the turn): a gold
file that silently loses a line would make every metric quietly wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.errors import GoldFileError

_QUESTION_FIELDS = frozenset({"question", "answers", "article", "unanswerable"})
_CONVERSATION_FIELDS = frozenset({"id", "turns"})


@dataclass(frozen=True)
class GoldItem:
    """One gold question. ``article`` is the file name holding the answer (None if unanswerable).

    A conversation's turn names its ``conversation`` (the line's id) and its 1-based ``turn``;
    a single question has ``conversation`` None and ``turn`` 0. ``line`` is the file line.
    """

    id: str
    question: str
    answers: tuple[str, ...]
    article: str | None
    unanswerable: bool
    line: int
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)
    conversation: str | None = None
    turn: int = 0


def load_gold(path: Path, corpus: Path | None = None) -> tuple[GoldItem, ...]:
    """Read and validate a gold file; with ``corpus``, also check every article is in it.

    A conversation's turns come out in order, one item each. Raises GoldFileError naming
    the file and line of the first problem.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldFileError(f"{path}: gold file not found; pass --gold FILE") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"{path}: cannot read gold file ({exc})") from None

    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parsed = _parse_line(raw, path, number)
        for item_id, prefix in _claimed_ids(parsed):
            if item_id in seen:
                raise GoldFileError(
                    f"{path}:{number}: {prefix}duplicate id {item_id!r} "
                    f"(first on line {seen[item_id]})"
                )
            seen[item_id] = number
        items.extend(parsed)
    if not items:
        raise GoldFileError(f"{path}: no questions; add one JSON object per line")
    if corpus is not None:
        check_articles(items, path, corpus)
    return tuple(items)


def check_articles(items: Iterable[GoldItem], path: Path, corpus: Path) -> None:
    """Fail on the first gold article that is not a file under ``corpus``."""
    if not corpus.is_dir():
        raise GoldFileError(f"{corpus}: corpus folder not found; pass --corpus DIR")
    names = {p.name for p in corpus.rglob("*") if p.is_file()}
    for item in items:
        if item.article is not None and item.article not in names:
            raise GoldFileError(
                f"{path}:{item.line}: {_turn_prefix(item)}article {item.article!r} is not in "
                f"the corpus folder {corpus}; fix the file name or pass the right --corpus"
            )


def _claimed_ids(parsed: tuple[GoldItem, ...]) -> list[tuple[str, str]]:
    """The ids one line takes, each with its error prefix; a conversation takes its own id
    as well as its turns', so no single question can share it."""
    first = parsed[0]
    if first.conversation is None:
        return [(first.id, "")]
    return [(first.conversation, ""), *((item.id, _turn_prefix(item)) for item in parsed)]


def _turn_prefix(item: GoldItem) -> str:
    return f"turn {item.turn}: " if item.conversation is not None else ""


def _parse_line(raw: str, path: Path, number: int) -> tuple[GoldItem, ...]:
    where = f"{path}:{number}"
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldFileError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise GoldFileError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    if "id" not in obj:
        raise GoldFileError(f"{where}: missing field 'id'")
    item_id = obj["id"]
    if isinstance(item_id, bool) or not isinstance(item_id, str | int) or item_id == "":
        raise GoldFileError(f"{where}: field 'id' must be a non-empty string")
    if "turns" in obj:
        return _parse_conversation(obj, str(item_id), where, number)
    extra = {k: v for k, v in obj.items() if k not in _QUESTION_FIELDS | {"id"}}
    return (_parse_question(obj, where, item_id=str(item_id), line=number, extra=extra),)


def _parse_conversation(
    obj: Mapping[str, Any], conversation: str, where: str, number: int
) -> tuple[GoldItem, ...]:
    misplaced = sorted(_QUESTION_FIELDS & obj.keys())
    if misplaced:
        raise GoldFileError(
            f"{where}: field {misplaced[0]!r} goes inside each of 'turns', not beside it "
            f"(a line is one question or one conversation)"
        )
    turns = obj["turns"]
    if not isinstance(turns, list) or not turns:
        raise GoldFileError(f"{where}: field 'turns' must be a non-empty list of objects")
    shared = {k: v for k, v in obj.items() if k not in _CONVERSATION_FIELDS}
    items = []
    for turn, entry in enumerate(turns, start=1):
        at = f"{where}: turn {turn}"
        item_id = f"{conversation}#{turn}"
        if not isinstance(entry, dict):
            raise GoldFileError(f"{at}: expected a JSON object, got {type(entry).__name__}")
        nested = sorted(_CONVERSATION_FIELDS & entry.keys())
        if nested:
            raise GoldFileError(
                f"{at}: field {nested[0]!r} belongs to the conversation line, not a turn "
                f"(this turn's id is {item_id!r})"
            )
        extra = {**shared, **{k: v for k, v in entry.items() if k not in _QUESTION_FIELDS}}
        items.append(
            _parse_question(
                entry,
                at,
                item_id=item_id,
                line=number,
                extra=extra,
                conversation=conversation,
                turn=turn,
            )
        )
    return tuple(items)


def _parse_question(
    obj: Mapping[str, Any],
    where: str,
    *,
    item_id: str,
    line: int,
    extra: Mapping[str, Any],
    conversation: str | None = None,
    turn: int = 0,
) -> GoldItem:
    """Validate the question fields of a line or a turn; ``where`` prefixes every error."""
    for name in ("question", "answers"):
        if name not in obj:
            raise GoldFileError(f"{where}: missing field {name!r}")
    question = obj["question"]
    if not isinstance(question, str) or not question.strip():
        raise GoldFileError(f"{where}: field 'question' must be a non-empty string")
    answers = obj["answers"]
    if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
        raise GoldFileError(f"{where}: field 'answers' must be a list of non-empty strings")
    unanswerable = obj.get("unanswerable", False)
    if not isinstance(unanswerable, bool):
        raise GoldFileError(f"{where}: field 'unanswerable' must be true or false")

    if unanswerable and answers:
        raise GoldFileError(f'{where}: an unanswerable question must have "answers": []')
    if not unanswerable and not answers:
        raise GoldFileError(
            f"{where}: field 'answers' is empty; list the acceptable answers, or mark the "
            f'question with "unanswerable": true'
        )
    article = obj.get("article")
    if article is None and not unanswerable:
        raise GoldFileError(f"{where}: missing field 'article'")
    if article is not None and (not isinstance(article, str) or not article.strip()):
        raise GoldFileError(f"{where}: field 'article' must be a file name")

    return GoldItem(
        id=item_id,
        question=question.strip(),
        answers=tuple(answers),
        article=article,
        unanswerable=unanswerable,
        line=line,
        extra=extra,
        conversation=conversation,
        turn=turn,
    )
