"""Read the settings panel: top-k and the retrieval filters, checked before any search."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from qa import RetrievalFilters
from ui.errors import InputError


def parse_date(value: str | None, label: str) -> date | None:
    """An ISO date from a date field; empty means no bound."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        # The date picker sends "YYYY-MM-DD"; a typed value may carry a time, ignored here.
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(
            f"“{label}” must be a date like 2024-03-31, not “{text}”; fix it under Settings."
        ) from None


def parse_top_k(value: float | int | None) -> int | None:
    """The slider's value as a passage count; ``None`` keeps the configured default."""
    if value is None:
        return None
    top_k = int(value)
    if top_k < 1:
        raise InputError(f"“Passages per question” must be at least 1, not {top_k}.")
    return top_k


def build_filters(
    article_ids: Sequence[str] | None,
    sources: Sequence[str] | None,
    since: str | None,
    until: str | None,
) -> RetrievalFilters:
    """The filters the settings panel describes; empty fields do not filter."""
    start = parse_date(since, "From date")
    end = parse_date(until, "To date")
    if start and end and start > end:
        raise InputError(
            f"“From date” ({start}) is after “To date” ({end}); swap them under Settings."
        )
    return RetrievalFilters(
        article_ids=tuple(a for a in article_ids or () if a),
        sources=tuple(s.strip() for s in sources or () if s and s.strip()),
        since=start,
        until=end,
    )
