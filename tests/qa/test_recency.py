"""Dated articles of one story: the period a question names, or the latest for the present."""

from datetime import date
from pathlib import Path

import pytest

from qa import Assistant, Settings
from qa.answer.recency import Period, asked_period, latest_article_window
from qa.answer.windows import Window, _without_dateline
from qa.types import Passage

MARCH = """Dockworkers' union elects Jonas Berg as its leader

Published: 2023-03-14

Crane operator Jonas Berg was elected president of the Harbour Dockworkers' Union on
Monday. Berg, 51, has worked at the container terminal for twenty years.
"""
NOVEMBER = """Mara Ostrow takes over the dockworkers' union

HARBOURTON, November 5, 2024 (Ragqa Wire) — Mara Ostrow was elected president of the
Harbour Dockworkers' Union on Tuesday. Ostrow, a former pilot, promised talks on night
shifts.
"""


END_OF_2022 = date(2022, 12, 31)


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("Who led the union in 2023?", Period(date(2023, 1, 1), date(2023, 12, 31))),
        ("Who led the union in March 2023?", Period(date(2023, 3, 1), date(2023, 3, 31))),
        ("Who was president during Sept. 2024?", Period(date(2024, 9, 1), date(2024, 9, 30))),
        ("What did a pass cost in the 2022-23 season?", Period(date(2022, 1, 1), END_OF_2022)),
        ("Who leads the union?", None),
        ("Who led the union last March?", None),
        ("How many people work at Terminal 2024?", None),
        ("Who lit the cauldron in Tokyo 2020?", None),
    ],
)
def test_a_question_names_a_year_or_month_of_a_year(question: str, period: Period | None) -> None:
    assert asked_period(question) == period


def test_a_dateline_is_not_part_of_the_sentence_it_opens() -> None:
    text = "HARBOURTON, November 5, 2024 (Ragqa Wire) — The union elected Mara Ostrow."
    start, end = _without_dateline(text, 0, len(text))
    assert text[start:end] == "The union elected Mara Ostrow."
    plain = "North Korea on Tuesday - rejected any contact."
    assert _without_dateline(plain, 0, len(plain)) == (0, len(plain))
    for sentence in (
        "NATO, the EU and the UN - all three - condemned the strike.",
        "Date: the union will meet on the 5th of May and vote after a long debate.",
    ):
        assert _without_dateline(sentence, 0, len(sentence)) == (0, len(sentence))
    headed = "Ostrow takes over\nPublished: November 5, 2024\n\nThe union elected her."
    start, end = _without_dateline(headed, 0, len(headed))
    assert headed[start:end] == "The union elected her."


@pytest.fixture(scope="module")
def union_story(tmp_path_factory: pytest.TempPathFactory, shared_home: Path) -> Path:
    folder = tmp_path_factory.mktemp("union")
    (folder / "union-2023-03.txt").write_text(MARCH, encoding="utf-8")
    (folder / "union-2024-11.txt").write_text(NOVEMBER, encoding="utf-8")
    return folder


def _assistant(shared_home: Path, embedder, folder: Path, recency: str) -> Assistant:
    settings = Settings(home=shared_home, collection=f"union-{recency}", recency=recency)
    assistant = Assistant(settings, embedder=embedder)
    assistant.ingest([folder])
    return assistant


@pytest.mark.slow
def test_the_present_is_answered_from_the_latest_article_and_says_as_of_when(
    shared_home: Path, embedder, union_story: Path
) -> None:
    assistant = _assistant(shared_home, embedder, union_story, "auto")
    dates = {a.file_name: a.published for a in assistant.stats().articles}
    assert dates == {"union-2023-03.txt": "2023-03-14", "union-2024-11.txt": "2024-11-05"}

    answer = assistant.ask("Who is the president of the Harbour Dockworkers' Union?")
    assert "Mara Ostrow" in answer.text
    assert answer.as_of == "2024-11-05"
    assert answer.text.endswith("(as of 2024-11-05).")
    assert {c.file_name for c in answer.citations} == {"union-2024-11.txt"}

    earlier = assistant.ask("Who was the president of the Harbour Dockworkers' Union in 2023?")
    assert "Jonas Berg" in earlier.text
    assert earlier.as_of == ""
    assert {c.file_name for c in earlier.citations} == {"union-2023-03.txt"}


@pytest.mark.slow
def test_with_recency_off_dates_do_not_choose(
    shared_home: Path, embedder, union_story: Path
) -> None:
    assistant = _assistant(shared_home, embedder, union_story, "off")
    answer = assistant.ask("Who is the president of the Harbour Dockworkers' Union?")
    assert answer.as_of == ""
    assert "(as of" not in answer.text


def _window(published: str, text: str) -> Window:
    passage = Passage(
        n=1, chunk_id=text, article_id=published, title="Union", file_name=f"{published}.txt",
        text=text, start=0, end=len(text), score=0.0, published=published,
    )  # fmt: skip
    return Window(passage, 0, len(text), text, "", 0.5, 0.5, 0.5)


def test_the_latest_articles_best_window_is_read_even_below_the_evidence_cut() -> None:
    old, older, newest_best, newest_next = (
        _window("2023-03-14", "Berg leads the union."),
        _window("2022-01-02", "Aune led it."),
        _window("2024-11-05", "Ostrow leads the union."),
        _window("2024-11-05", "Ostrow was a pilot."),
    )
    ranked = [old, older, newest_best, newest_next]
    assert latest_article_window("Who leads the union?", ranked, 2) == [newest_best]
    # Already among those read, or a question about a period: nothing is added.
    assert latest_article_window("Who leads the union?", ranked, 3) == []
    assert latest_article_window("Who led the union in 2023?", ranked, 2) == []
    undated = [_window("", "Berg leads the union."), _window("", "Aune led it.")]
    assert latest_article_window("Who leads the union?", undated, 1) == []
