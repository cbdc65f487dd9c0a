"""The settings panel read into top-k and filters; bad values are named, not raised raw."""

from __future__ import annotations

from datetime import date

import pytest

from qa import RetrievalFilters
from ui.controls import build_filters, parse_top_k
from ui.errors import InputError


def test_filled_fields_become_filters_and_empty_ones_do_not_filter() -> None:
    assert build_filters(None, None, None, "") == RetrievalFilters()
    assert build_filters(["a1", ""], [" Kyodo ", " "], "2023-09-01", "2023-09-30") == (
        RetrievalFilters(
            article_ids=("a1",),
            sources=("Kyodo",),
            since=date(2023, 9, 1),
            until=date(2023, 9, 30),
        )
    )


def test_a_date_with_a_time_keeps_the_day() -> None:
    assert build_filters(None, None, "2023-09-01 10:00:00", None).since == date(2023, 9, 1)


def test_a_malformed_date_names_the_field() -> None:
    with pytest.raises(InputError, match="“From date” must be a date like 2024-03-31, not “31/12”"):
        build_filters(None, None, "31/12", None)


def test_a_reversed_range_is_explained() -> None:
    with pytest.raises(InputError, match="after “To date”"):
        build_filters(None, None, "2024-03-02", "2024-03-01")


def test_top_k_comes_from_the_slider() -> None:
    assert parse_top_k(None) is None
    assert parse_top_k(3.0) == 3
    with pytest.raises(InputError, match="at least 1"):
        parse_top_k(0)
