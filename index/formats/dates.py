"""Publication dates written in an article's own lines: a header line or a news dateline.

Plain text and Markdown carry no metadata, so a date is read only where news writes one
on purpose: a ``Published:``/``Date:`` line, or a dateline such as ``GENEVA, March 5,
2024 —``. Every accepted form spells out day, month and a four-digit year, and is
matched by an explicit pattern; a date without a year or in free text gives ``""``
(unknown), because a guessing parser would invent the missing parts.
"""

from __future__ import annotations

import re
from datetime import date

from index.formats.fields import iso_date

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SPACE = r"[^\S\n]+"
_WEEKDAY = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?),?" + _SPACE
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
# "March 5, 2024", "Mar. 5, 2024", "5 March 2024", "Tuesday, March 5, 2024"; the weekday
# is read past, as RFC 2822 dates' are.
_WRITTEN = (
    rf"(?:{_WEEKDAY})?"
    rf"(?:(?P<month>{_MONTH}){_SPACE}(?P<day>[0-3]?\d){_ORDINAL},?"
    rf"|(?P<day_first>[0-3]?\d){_ORDINAL}{_SPACE}(?P<month_after>{_MONTH}),?)"
    rf"{_SPACE}(?P<year>\d{{4}})(?!\d)"
)
# "09:30", "9.30 a.m. EST", "at 14:00 GMT", "10:30 +0100" after a written date.
_TIME = (
    rf"(?:,?{_SPACE}(?:at{_SPACE})?\d{{1,2}}"
    r"(?:[:.]\d{2}(?:[:.]\d{2})?(?:[^\S\n]?[ap]\.?m\.?)?|[^\S\n]?[ap]\.?m\.?)"
    r"(?:[^\S\n]?\(?[a-z]{1,5}\)?)?(?:[^\S\n]?[+-]\d{1,2}(?::?\d{2})?)?)?"
)
_WRITTEN_VALUE = re.compile(rf"{_WRITTEN}{_TIME}", re.IGNORECASE)

# "Published: ...", "Date: ...", also as a Markdown list item or in emphasis
# ("**Published:** ...", "- *Date*: ...").
_HEADER = re.compile(
    r"(?:[-*+][^\S\n]+)?[*_]{0,2}(?:published|date)[*_]{0,2}[^\S\n]*:[*_]{0,2}"
    r"[^\S\n]*(?P<value>.*?)[^\S\n]*[*_]{0,2}",
    re.IGNORECASE,
)

# PLACE[, Region], <date>[ (Agency)] — the place's first part in capitals.
_PLACE_WORD = r"[^\W\d_][\w.'’&-]*"
_PLACE_PART = rf"{_PLACE_WORD}(?:[^\S\n]{_PLACE_WORD})*"
_DATELINE = re.compile(
    rf"[*_]{{0,2}}(?P<place>{_PLACE_PART}(?:,{_SPACE}{_PLACE_PART})*?),{_SPACE}{_WRITTEN}"
    r"[*_]{0,2}(?:[^\S\n]+\([^()\n]{1,80}\))?[^\S\n]*(?:--?|–|—)",
    re.IGNORECASE,
)
_DATELINE_CHARS = 200  # a dateline is short: long lines are not searched further


def header_value(line: str) -> str | None:
    """The value of a ``Published:`` or ``Date:`` line; ``None`` when the line is not one.

    The key is the line's own first word, so a sentence that mentions a date is never a
    header line.
    """
    match = _HEADER.fullmatch(line.strip())
    return None if match is None else match["value"]


def header_date(value: str) -> str:
    """``YYYY-MM-DD`` from a header line's value, or ``""`` when it is not a full date.

    ISO 8601 and RFC 2822 (as ``iso_date`` reads them), or a written date with its year,
    optionally followed by a time: the whole value must be the date.
    """
    value = value.strip().rstrip(".").strip()
    if not value:
        return ""
    found = iso_date(value)
    if found:
        return found
    match = _WRITTEN_VALUE.fullmatch(value)
    return "" if match is None else _date_of(match)


def dateline_date(line: str) -> str:
    """``YYYY-MM-DD`` from a dateline opening ``line``, or ``""`` when there is none.

    A dateline is a place whose first part is in capitals, a comma, a written date with
    its year, an optional ``(Agency)`` and a dash; a dateline without a year
    (``MANCHESTER, November 3 (Wire) -``) gives ``""``, never a guessed year.
    """
    match = _DATELINE.match(line.strip()[:_DATELINE_CHARS])
    if match is None or not match["place"].split(",", 1)[0].isupper():
        return ""
    return _date_of(match)


def _date_of(match: re.Match[str]) -> str:
    month = (match["month"] or match["month_after"]).rstrip(".").lower()[:3]
    day = int(match["day"] or match["day_first"])
    try:
        return date(int(match["year"]), _MONTHS.index(month) + 1, day).isoformat()
    except ValueError:  # 30 February, day 0
        return ""
