"""Citation checking on hand-made passages: lexical by default, the real embedder once."""

import pytest

from index import Embedder
from qa.answer.citations import (
    MIN_SUPPORT,
    CitationChecker,
    split_sentences,
    verify_citations,
    with_markers,
)
from qa.types import Passage

ARTICLE = (
    "Rhine shipping halted\n"
    "Port authorities in Basel closed the river after floods on Monday. "
    "The Rhine was closed to barges for three days. "
    "Tourism in Basel fell sharply after the floods. "
    "Hotel bookings dropped by 12 percent. "
    "The city council approved a budget of 40 million francs for schools. "
    "Teachers welcomed the new funding."
)


def _passage(n: int, first: str, last: str) -> Passage:
    start = ARTICLE.index(first)
    end = ARTICLE.index(last) + len(last)
    return Passage(
        n=n, chunk_id=f"c{n}", article_id="rhine", title="Rhine shipping halted",
        file_name="rhine.txt", text=ARTICLE[start:end], start=start, end=end, score=0.5,
    )  # fmt: skip


PASSAGES = (
    _passage(1, "Port authorities", "three days."),
    _passage(2, "Tourism in Basel", "12 percent."),
    _passage(3, "The city council", "new funding."),
)


def test_correct_marker_is_kept_with_the_exact_article_span() -> None:
    verified = verify_citations("The council approved 40 million francs for schools [3].", PASSAGES)
    assert verified.text == "The council approved 40 million francs for schools [3]."
    assert verified.dropped == ()
    [citation] = verified.citations
    assert (citation.n, citation.article_id, citation.file_name) == (3, "rhine", "rhine.txt")
    assert citation.quote == "The city council approved a budget of 40 million francs for schools."
    assert ARTICLE[citation.start : citation.end] == citation.quote
    assert MIN_SUPPORT <= citation.score <= 1


def test_wrong_marker_moves_to_the_passage_that_supports_the_sentence() -> None:
    verified = verify_citations("Hotel bookings dropped by 12 percent [1].", PASSAGES)
    assert verified.text == "Hotel bookings dropped by 12 percent [2]."
    [citation] = verified.citations
    assert citation.n == 2
    assert citation.quote == "Hotel bookings dropped by 12 percent."
    assert ARTICLE[citation.start : citation.end] == citation.quote


def test_marker_beyond_the_shown_passages_never_survives() -> None:
    verified = verify_citations(
        "The Rhine was closed to barges [7]. Teachers welcomed the funding [7][3].", PASSAGES
    )
    assert "[7]" not in verified.text
    assert verified.text == (
        "The Rhine was closed to barges [1]. Teachers welcomed the funding [3]."
    )
    assert [c.n for c in verified.citations] == [1, 3]


def test_unsupported_sentences_are_dropped_and_supported_ones_stay() -> None:
    verified = verify_citations(
        "Port authorities closed the river after floods [1]. "
        "The mayor resigned after a corruption scandal [1]. "
        "Hotel bookings dropped by 30 percent [2].",
        PASSAGES,
    )
    assert verified.text == "Port authorities closed the river after floods [1]."
    # The invented figure shares every other word with its source sentence.
    assert verified.dropped == (
        "The mayor resigned after a corruption scandal.",
        "Hotel bookings dropped by 30 percent.",
    )
    assert [c.n for c in verified.citations] == [1]


def test_sentence_without_a_marker_gets_the_supporting_passage() -> None:
    verified = verify_citations("Teachers welcomed the new funding", PASSAGES)
    assert verified.text == "Teachers welcomed the new funding [3]."
    assert [c.quote for c in verified.citations] == ["Teachers welcomed the new funding."]


def test_duplicate_markers_merge_and_several_markers_close_the_sentence() -> None:
    verified = verify_citations(
        "Floods hit Basel [1][1][2]. Tourism fell sharply! [2, 2]", PASSAGES
    )
    assert verified.text == "Floods hit Basel [1][2]. Tourism fell sharply! [2]"
    assert [c.n for c in verified.citations] == [1, 2]  # one per marker, in order of first use


def test_markers_written_after_the_full_stop_stay_with_their_sentence() -> None:
    assert split_sentences("Dr. Smith saw the U.S. team. [1] It won.[2]") == [
        "Dr. Smith saw the U.S. team. [1]",
        "It won.[2]",
    ]


def test_nothing_supported_leaves_nothing_to_say() -> None:
    verified = verify_citations(
        "The mayor resigned [1]. Parliament banned cars in Zurich [2].", PASSAGES
    )
    assert verified.text == ""
    assert verified.citations == ()
    assert verified.dropped == ("The mayor resigned.", "Parliament banned cars in Zurich.")
    assert verify_citations("Anything [1].", []).text == ""


def test_embedder_lets_a_paraphrase_through(embedder: Embedder) -> None:
    paraphrase = "Officials in Basel shut the waterway because of flooding [2]."
    assert verify_citations(paraphrase, PASSAGES).text == ""  # too few shared words

    verified = verify_citations(paraphrase, PASSAGES, embedder)
    assert verified.text == "Officials in Basel shut the waterway because of flooding [1]."
    [citation] = verified.citations
    assert citation.quote == "Port authorities in Basel closed the river after floods on Monday."
    assert ARTICLE[citation.start : citation.end] == citation.quote
    assert verify_citations("The mayor resigned [1].", PASSAGES, embedder).text == ""


def test_a_negation_the_source_does_not_make_is_unsupported(embedder: Embedder) -> None:
    # Every content word is in passage 1 and the cosine is high: only "not" differs.
    claims = ("The Rhine was not closed to barges [1].", "Barges cannot use the Rhine [1].")
    for checker in (None, embedder):
        for claim in claims:
            assert verify_citations(claim, PASSAGES, checker).text == "", claim
    positive = "Barges can use the Rhine [1]."
    assert verify_citations(positive, PASSAGES).text == positive  # supported without "cannot"
    negated_source = Passage(
        n=4, chunk_id="c4", article_id="rhine", title="Rhine shipping halted",
        file_name="rhine.txt", text="No barges sailed on Monday.", start=0, end=27, score=0.5,
    )  # fmt: skip
    assert verify_citations("No barges sailed [4].", (negated_source,)).text == (
        "No barges sailed [4]."
    )


def test_a_quoted_negation_is_supported_when_an_earlier_sentence_ties() -> None:
    text = (
        "Japan said it had strong interest in a summit. "
        "North Korea said there was no interest in a summit."
    )
    passage = Passage(
        n=1, chunk_id="c1", article_id="talks", title="Talks", file_name="talks.txt",
        text=text, start=0, end=len(text), score=0.5,
    )  # fmt: skip
    verified = verify_citations("there was no interest in a summit [1].", (passage,))
    assert verified.text == "there was no interest in a summit [1]."
    assert verified.citations[0].quote == "North Korea said there was no interest in a summit."


def test_a_checker_embeds_the_passages_once_and_agrees_with_verify(embedder: Embedder) -> None:
    class CountingEmbedder:
        def __init__(self) -> None:
            self.texts: list[str] = []

        def embed_texts(self, texts: list[str]) -> list[list[float]]:
            self.texts.extend(texts)
            return embedder.embed_texts(texts)

    counting = CountingEmbedder()
    checker = CitationChecker(PASSAGES, counting)  # type: ignore[arg-type]
    passage_sentences = len(counting.texts)
    answers = [
        "Officials in Basel shut the waterway because of flooding [2].",
        "Hotel bookings dropped by 12 percent [1].",
        "The mayor resigned [3].",
    ]
    for answer in answers:
        assert checker.verify(answer) == verify_citations(answer, PASSAGES, embedder)
    assert len(counting.texts) == passage_sentences + len(answers)  # one per answer sentence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Paris", "Paris [2]."),
        ("It was Paris.", "It was Paris [2]."),
        ('He called it "unacceptable."', 'He called it "unacceptable." [2]'),
        ("Was it?", "Was it? [2]"),
    ],
)
def test_markers_close_the_sentence(text: str, expected: str) -> None:
    assert with_markers(text, [2]) == expected
