"""A quote's speaker: named in the sentence, or the name its "she" or "the sister" points to."""

from collections.abc import Sequence
from pathlib import Path

import pytest

from qa import Assistant, Citation
from qa.answer.referents import Speaker, sentence_speaker, wants_a_name

NAMED_BEFORE = (
    "Kim Yo Jong said in February that a visit by Kishida would be possible. "
    "Tokyo officially lists a total of 17 Japanese nationals as abductees. "
)


def test_a_pronoun_speaker_is_the_last_name_that_spoke_before_it() -> None:
    sentence = 'Japan "knocked at the door first," she said Tuesday.'
    assert sentence_speaker(sentence, NAMED_BEFORE) == Speaker("Kim Yo Jong", 0, before=True)


def test_a_described_speaker_is_the_last_name_described_or_speaking_before_it() -> None:
    before = (
        "Kim Yo Jong, sister of the North Korean leader, clarified the stance. "
        "Chief Cabinet Secretary Yoshimasa Hayashi on Monday called that stance unacceptable. "
        "Japan and North Korea have no official diplomatic ties. "
    )
    speaker = sentence_speaker("The sister also claimed Japan's policy is interference.", before)
    assert speaker is not None and speaker.name == "Chief Cabinet Secretary Yoshimasa Hayashi"
    # The nearest one wins: without Hayashi's sentence, the sister is Kim Yo Jong.
    nearer = before.replace(
        "Chief Cabinet Secretary Yoshimasa Hayashi on Monday called that stance unacceptable. ",
        "",
    )
    speaker = sentence_speaker("The sister, a senior official, criticized Japan.", nearer)
    assert speaker == Speaker("Kim Yo Jong", 0, before=True)


def test_a_named_speaker_is_taken_from_the_sentence_itself() -> None:
    sentence = "Asked about it, Kishida told reporters on Tuesday that Japan will continue."
    assert sentence_speaker(sentence, NAMED_BEFORE) == Speaker(
        "Kishida", sentence.index("Kishida"), before=False
    )


def test_a_name_that_speaks_first_is_the_speaker_whatever_pronoun_follows() -> None:
    before = "Choe Son Hui, the foreign minister, spoke first. "
    for sentence in ("Kishida said he asked for talks.", "Kishida told reporters it was off."):
        assert sentence_speaker(sentence, before) == Speaker("Kishida", 0, before=False)


def test_long_runs_of_capitals_are_read_in_linear_time() -> None:
    # Both patterns once backtracked exponentially or quadratically on such input.
    assert wants_a_name("WHO IS " + "A" * 60 + "!") is True
    assert sentence_speaker("A" * 20000, "A-" * 10000) is None


def test_no_speaker_without_a_name_to_point_to() -> None:
    assert sentence_speaker("she said on Tuesday.", "Japan and North Korea have no ties. ") is None
    assert sentence_speaker("The summit was held in 2002.", NAMED_BEFORE) is None


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("Who said Japan knocked at the door first?", True),
        ("Who is North Korea's ambassador to China?", True),
        ("Whom did Kishida want to meet?", True),
        ("Who is Kim Yo Jong?", False),
        ("What did she say?", False),
    ],
)
def test_which_questions_want_a_name(question: str, wanted: bool) -> None:
    assert wants_a_name(question) is wanted


@pytest.mark.slow
def test_who_said_a_quote_is_answered_with_the_name_and_cites_where_it_stands(
    seeded_assistant: Assistant,
) -> None:
    answer = seeded_assistant.ask("Who said Japan knocked at the door first?")
    assert answer.text.startswith("Kim Yo Jong")
    (citation,) = answer.citations
    assert citation.quote.startswith("Kim Yo Jong")
    assert "knocked at the door first" in citation.quote
    _assert_quotes_are_the_articles_text(seeded_assistant, answer.citations)


@pytest.mark.slow
def test_a_speaker_named_in_the_chunk_before_is_found_there_and_both_are_cited(
    seeded_assistant: Assistant,
) -> None:
    # "The sister, who is ..., criticized Japan" opens a chunk; the chunk before it holds
    # "Kim Yo Jong, sister of the North Korean leader, ...".
    answer = seeded_assistant.ask("Who accused Japan of clinging to unattainable issues?")
    assert answer.text.startswith("Kim Yo Jong")
    naming, saying = answer.citations
    assert naming.quote.startswith("Kim Yo Jong")
    assert "clinging to the unattainable issues" in saying.quote
    shown = {p.n: p for p in answer.passages}
    assert naming.n in shown and shown[naming.n].start < shown[saying.n].start
    _assert_quotes_are_the_articles_text(seeded_assistant, answer.citations)


def _assert_quotes_are_the_articles_text(
    assistant: Assistant, citations: Sequence[Citation]
) -> None:
    """Every quote is the article's own text at the citation's span."""
    articles = assistant.store.stored_articles()
    for citation in citations:
        text = Path(articles[citation.article_id].source_path).read_text(encoding="utf-8")
        assert text[citation.start : citation.end] == citation.quote
