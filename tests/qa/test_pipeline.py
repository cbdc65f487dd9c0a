"""The pipeline's own parts; answers end to end are in test_assistant."""

from qa.answer.pipeline import refusal_text


def test_refusal_without_articles_says_so() -> None:
    assert "No articles have been ingested" in refusal_text([])
