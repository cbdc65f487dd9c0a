"""Training pairs for the reader: (question, window) with a label and the answer's span.

A window is what the answer path shows the reader: one candidate sentence, its
article's title and the sentence before it. SQuAD 2.0 questions (``../shared/devsets``,
CC BY-SA 4.0) give one positive window per answerable question (the sentence holding
the gold answer, with the answer's character span in it) and hard negatives:

- other sentences of the same paragraph, the ones sharing most words with the question
  first (the near misses a word-overlap ranking would pick);
- for an unanswerable question, the sentence holding its ``plausible_answers`` span (the
  tempting wrong answer the question was written around), where the data gives one;
- one sentence from another paragraph of the article, as retrieval brings those in too.

The sentence right after the positive is left out: its window carries the answer in its
previous sentence, so it is neither a clean positive nor a negative.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index import sentence_spans
from qa.text import content_terms


@dataclass(frozen=True)
class Example:
    """One (question, window) pair; ``span`` is the answer's offsets in ``sentence``."""

    question: str
    sentence: str
    title: str
    previous: str
    label: int
    span: tuple[int, int] | None
    article: str


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    text: str
    terms: frozenset[str]


def read_questions(path: Path) -> list[dict]:
    """The gold-format questions of one SQuAD-derived JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _sentences(text: str) -> list[_Sentence]:
    return [
        _Sentence(a, b, text[a:b], frozenset(content_terms(text[a:b])))
        for a, b in sentence_spans(text)
        if len(text[a:b].strip()) >= 3
    ]


def _answer_offset(row: dict, paragraph: str) -> tuple[int, int] | None:
    """The gold answer's span in its paragraph: the given offset, else its first occurrence."""
    answer = row["answers"][0]
    starts = row.get("answer_starts") or []
    if starts and paragraph[starts[0] : starts[0] + len(answer)] == answer:
        return starts[0], starts[0] + len(answer)
    found = paragraph.find(answer)
    return (found, found + len(answer)) if found >= 0 else None


def _hardest(question_terms: set[str], pool: Iterable[_Sentence], n: int) -> list[_Sentence]:
    ranked = sorted(pool, key=lambda s: len(question_terms & s.terms), reverse=True)
    return ranked[:n]


def _window(
    row: dict, title: str, sentences: Sequence[_Sentence], i: int, label: int, span=None
) -> Example:
    return Example(
        question=row["question"],
        sentence=sentences[i].text,
        title=title,
        previous=sentences[i - 1].text if i > 0 else "",
        label=label,
        span=span,
        article=row["article"],
    )


def question_examples(
    row: dict,
    title: str,
    other_paragraphs: Sequence[str],
    rng: random.Random,
    *,
    paragraph_negatives: int = 2,
) -> list[Example]:
    """The positive (if any) and hard-negative windows for one question."""
    paragraph = row["evidence_paragraph"]
    sentences = _sentences(paragraph)
    if not sentences:
        return []
    question_terms = set(content_terms(row["question"]))
    examples: list[Example] = []
    excluded: set[int] = set()
    if not row.get("unanswerable"):
        offset = _answer_offset(row, paragraph)
        holder = None
        if offset is not None:
            holder = next(
                (i for i, s in enumerate(sentences) if s.start <= offset[0] and offset[1] <= s.end),
                None,
            )
        if holder is None:
            return []  # the answer crosses a sentence boundary or is not found: skip
        s = sentences[holder]
        examples.append(
            _window(row, title, sentences, holder, 1, (offset[0] - s.start, offset[1] - s.start))
        )
        excluded = {holder, holder + 1}
    else:
        plausible = row.get("plausible_answers") or []
        found = paragraph.find(plausible[0]) if plausible else -1
        if found >= 0:
            holder = next((i for i, s in enumerate(sentences) if s.start <= found < s.end), None)
            if holder is not None:
                examples.append(_window(row, title, sentences, holder, 0))
                excluded = {holder}
    wanted = paragraph_negatives - (1 if row.get("unanswerable") and excluded else 0)
    pool = [s for i, s in enumerate(sentences) if i not in excluded]
    for s in _hardest(question_terms, pool, wanted):
        examples.append(_window(row, title, sentences, sentences.index(s), 0))
    if other_paragraphs:
        other = _sentences(rng.choice(other_paragraphs))
        for s in _hardest(question_terms, other, 1):
            examples.append(_window(row, title, other, other.index(s), 0))
    return examples


def build_examples(
    sources: Sequence[tuple[Path, Path]],
    *,
    exclude_articles: frozenset[str] = frozenset(),
    max_questions: int | None = None,
    seed: int = 0,
) -> list[Example]:
    """Examples from ``(questions.jsonl, articles_dir)`` pairs, shuffled with ``seed``.

    ``exclude_articles`` leaves whole articles out (grouped cross-validation);
    ``max_questions`` samples that many questions, answerable and unanswerable alike.
    """
    rng = random.Random(seed)
    rows: list[tuple[dict, Path]] = []
    for questions, articles_dir in sources:
        rows += [
            (r, articles_dir)
            for r in read_questions(questions)
            if r["article"] not in exclude_articles
        ]
    rng.shuffle(rows)
    if max_questions is not None:
        rows = rows[:max_questions]
    titles: dict[tuple[Path, str], str] = {}
    paragraphs: dict[tuple[Path, str], list[str]] = {}
    examples: list[Example] = []
    for row, articles_dir in rows:
        key = (articles_dir, row["article"])
        if key not in titles:
            text = (articles_dir / row["article"]).read_text(encoding="utf-8")
            titles[key] = text.split("\n", 1)[0].strip()
            paragraphs[key] = [p for p in text.split("\n\n")[1:] if p.strip()]
        others = [p for p in paragraphs[key] if p.strip() != row["evidence_paragraph"].strip()]
        examples += question_examples(row, titles[key], others, rng)
    rng.shuffle(examples)
    return examples
