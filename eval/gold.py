"""Gold question files: JSON Lines of questions with their acceptable answers.

One object per line::

    {"id": "q1", "question": "Who is North Korea's foreign minister?",
     "answers": ["Choe Son Hui"], "article": "north-korea-rules-out-dialogue.txt"}
    {"id": "q9", "question": "Who won the 2022 World Cup?", "answers": [], "unanswerable": true}

Any other field is kept in ``GoldItem.extra`` and otherwise ignored, so gold files can carry
notes. Validation is strict and names ``file:line``: a gold file that silently loses a line
would make every metric quietly wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.errors import GoldFileError

_KNOWN_FIELDS = frozenset({"id", "question", "answers", "article", "unanswerable"})


@dataclass(frozen=True)
class GoldItem:
    """One gold question. ``article`` is the file name holding the answer (None if unanswerable)."""

    id: str
    question: str
    answers: tuple[str, ...]
    article: str | None
    unanswerable: bool
    line: int
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


def load_gold(path: Path, corpus: Path | None = None) -> tuple[GoldItem, ...]:
    """Read and validate a gold file; with ``corpus``, also check every article is in it.

    Raises GoldFileError naming the file and line of the first problem.
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
        item = _parse_line(raw, path, number)
        if item.id in seen:
            raise GoldFileError(
                f"{path}:{number}: duplicate id {item.id!r} (first on line {seen[item.id]})"
            )
        seen[item.id] = number
        items.append(item)
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
                f"{path}:{item.line}: article {item.article!r} is not in the corpus folder "
                f"{corpus}; fix the file name or pass the right --corpus"
            )


def _parse_line(raw: str, path: Path, number: int) -> GoldItem:
    where = f"{path}:{number}"
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldFileError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise GoldFileError(f"{where}: expected a JSON object, got {type(obj).__name__}")

    for name in ("id", "question", "answers"):
        if name not in obj:
            raise GoldFileError(f"{where}: missing field {name!r}")
    item_id = obj["id"]
    if isinstance(item_id, bool) or not isinstance(item_id, str | int) or item_id == "":
        raise GoldFileError(f"{where}: field 'id' must be a non-empty string")
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
        id=str(item_id),
        question=question.strip(),
        answers=tuple(answers),
        article=article,
        unanswerable=unanswerable,
        line=number,
        extra={k: v for k, v in obj.items() if k not in _KNOWN_FIELDS},
    )
