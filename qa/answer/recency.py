"""Stage "recency": which of several dated articles a question about a role or figure means.

A news archive keeps every version of the truth: "who leads the dockworkers' union?" is
answered by one name in the March article and another in November's. A question that
names a period ("in 2019", "in March 2023") is answered from the articles published in
it, when any was retrieved: windows from articles dated outside it are dropped before
reading (undated articles stay, since nothing says they are outside it). A question
about the present ("now", "current", "latest", or no time at all) is answered from the
latest article when articles of different dates each give an answer the reader is sure
of and the answers differ (the latest article's best window is read for this even when
the evidence score would not have it read); the answer then says "as of" that
article's date. Dates are the articles' publication dates (``Passage.published``),
never read from their text.
Setting ``recency = "off"`` turns both off.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from qa.answer.confidence import Calibration
from qa.answer.reading import ReadWindow
from qa.answer.spans import complete_answer
from qa.answer.windows import Window
from qa.text import content_terms

__all__ = [
    "Period",
    "asked_period",
    "latest_article_window",
    "latest_of_disagreeing",
    "within_period",
]

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
} | {"sept": 9}
# "in 2023", "in March 2023", "during Sept. 2024", "in the 2022-23 season" (the first
# year: a season is reported as it starts), "March 2023".
_PERIOD = re.compile(
    r"\b(?:in|during|throughout|of)\s+(?:the\s+)?(?:(?:early|mid|late)[- ])?"
    r"(?:(?P<month>[A-Za-z]{3,9})\.?\s+)?(?P<year>(?:1[89]|20)\d\d)(?:[-/–]\d\d(?:\d\d)?)?\b"
    r"|\b(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<year2>(?:1[89]|20)\d\d)\b",
    re.I,
)


@dataclass(frozen=True)
class Period:
    """An inclusive range of publication dates a question names."""

    first: date
    last: date

    def holds(self, published: str) -> bool:
        return self.first <= date.fromisoformat(published) <= self.last


def asked_period(question: str) -> Period | None:
    """The year or month-and-year the question names ("in 2019", "in March 2023"), if any.

    A month without a year ("last March") names no period: it depends on today's date.
    """
    found = _period_match(question)
    return found[0] if found else None


def _period_match(question: str) -> tuple[Period, re.Match[str]] | None:
    for match in _PERIOD.finditer(question):
        year = int(match.group("year") or match.group("year2"))
        month_name = (match.group("month") or match.group("month2") or "").lower()
        if month_name and month_name not in _MONTHS:
            continue  # "in Tokyo 2020", "Korea 2024": a name with a year, not a period
        if month_name:
            month = _MONTHS[month_name]
            last_day = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), date(year, month, last_day)), match
        return Period(date(year, 1, 1), date(year, 12, 31)), match
    return None



def within_period(question: str, windows: Sequence[Window]) -> tuple[str, list[Window]]:
    """The question to read, and ``windows`` without those dated outside its period.

    When articles dated within the period the question names were retrieved, windows of
    articles dated outside it are dropped and the period's words are taken out of the
    question: the dates have answered them, and the article's text seldom repeats them.
    Unchanged when the question names no period, or when no retrieved article is dated
    within it (then the period may be when something happened, not when it was reported).
    """
    found = _period_match(question)
    if found is None:
        return question, list(windows)
    period, match = found
    dated_within = [w for w in windows if w.passage.published and period.holds(w.passage.published)]
    if not dated_within:
        return question, list(windows)
    kept = [w for w in windows if not w.passage.published or period.holds(w.passage.published)]
    rest = question[: match.start()] + question[match.end() :]
    return " ".join(rest.split()).replace(" ?", "?"), kept


def latest_article_window(question: str, windows: Sequence[Window], read: int) -> list[Window]:
    """The best window of the latest dated article, when the first ``read`` hold none of it.

    The reader reads only the best few windows by evidence score; for a question about
    the present, the latest article must be among them to be weighed at all.
    """
    if asked_period(question) is not None:
        return []
    dated = [w for w in windows if w.passage.published]
    if not dated:
        return []
    latest = max(w.passage.published for w in dated)
    if any(w.passage.published == latest for w in windows[:read]):
        return []
    return [next(w for w in dated if w.passage.published == latest)]


def _answer_terms(read: ReadWindow) -> frozenset[str]:
    start, end = read.answer_span
    if end <= start:
        return frozenset(content_terms(read.window.text))
    start, end = complete_answer(read.window.text, start, end)
    return frozenset(content_terms(read.window.text[start:end]))


def latest_of_disagreeing(
    question: str, read: Sequence[ReadWindow], calibration: Calibration, threshold: float
) -> tuple[list[ReadWindow], str]:
    """``read`` (best first) with the latest article's answer first, and its date.

    Only for a question that names no period, and only when windows of differently dated
    articles are each confident enough to be answered and give different answers; else
    ``read`` unchanged and "".
    """
    if not read or asked_period(question) is not None:
        return list(read), ""
    sure = [
        r
        for r in read
        if r.window.passage.published
        and calibration.confidence(r.reading.logit, r.window.score, r.reading.span_score)
        >= threshold
    ]
    if len({r.window.passage.published for r in sure}) < 2:
        return list(read), ""
    latest_date = max(r.window.passage.published for r in sure)
    latest = next(r for r in sure if r.window.passage.published == latest_date)
    if all(_answer_terms(r) == _answer_terms(latest) for r in sure):
        return list(read), ""
    return [latest, *(r for r in read if r is not latest)], latest_date
