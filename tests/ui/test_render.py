"""The HTML of answers and sources: exact highlighted spans, live markers, escaping."""

from __future__ import annotations

from dataclasses import replace

from qa import Answer, Assistant, Citation, Passage, Timings
from ui.render import (
    EMPTY_SOURCES,
    answer_html,
    highlighted_passage,
    sources_html,
    streaming_html,
)

TEXT = "Officials met on Monday. The minister is Ana <Ruiz> & co. Talks ended."


def passage(n: int = 1, *, text: str = TEXT, start: int = 100, **extra: str) -> Passage:
    fields = {
        "chunk_id": f"c{n}",
        "article_id": f"a{n}",
        "title": f"Title {n}",
        "file_name": f"f{n}.txt",
        "score": 0.8,
        **extra,
    }
    return Passage(n=n, text=text, start=start, end=start + len(text), **fields)  # type: ignore[arg-type]


def citation(n: int, start: int, end: int) -> Citation:
    return Citation(
        n=n,
        article_id=f"a{n}",
        title=f"Title {n}",
        file_name=f"f{n}.txt",
        start=start,
        end=end,
        quote="",
        score=0.9,
    )


def answer(
    text: str,
    passages: list[Passage],
    citations: list[Citation],
    ok: bool = True,
    confidence: float | None = None,
) -> Answer:
    return Answer(
        question="q",
        text=text,
        citations=tuple(citations),
        passages=tuple(passages),
        answerable=ok,
        timings=Timings(0, 0, 0),
        backend="none",
        confidence=confidence,
    )


# "The minister is Ana <Ruiz> & co." starts at offset 25 of TEXT.
SENTENCE = (125, 125 + len("The minister is Ana <Ruiz> & co."))


def test_the_cited_span_is_marked_at_its_exact_offsets_and_escaped() -> None:
    html = highlighted_passage(passage(), [citation(1, *SENTENCE)])
    assert html == (
        "Officials met on Monday. <mark>The minister is Ana &lt;Ruiz&gt; &amp; co.</mark>"
        " Talks ended."
    )


def test_spans_are_clamped_to_the_passage_merged_and_kept_to_their_own_passage() -> None:
    cited = [citation(1, 90, 109), citation(1, 105, 113), citation(2, 100, 170)]
    assert highlighted_passage(passage(), cited).startswith("<mark>Officials met</mark> on")


def test_markers_become_links_with_the_passage_as_tooltip() -> None:
    html = answer_html(answer("Ana <Ruiz> [1]. Also [7].", [passage()], [citation(1, *SENTENCE)]))
    assert html.startswith('<div class="ragqa-answer">Ana &lt;Ruiz&gt; <a class="ragqa-cite"')
    assert 'href="#ragqa-source-1"' in html
    assert '<span class="ragqa-tip-title">Title 1</span>' in html
    assert "<mark>The minister is Ana &lt;Ruiz&gt; &amp; co.</mark>" in html
    assert html.endswith(". Also [7].</div>")  # no passage 7: left as plain text


def test_a_refusal_is_labelled_and_lists_the_closest_articles_once_each() -> None:
    shown = [passage(1), passage(2, article_id="a1"), passage(3)]
    refusal = answer('The articles do not say. The closest is "Title 1".', shown, [], ok=False)
    assert "Not in the articles" in answer_html(refusal)
    panel = sources_html(refusal)
    assert panel.count('class="ragqa-source"') == 2
    assert 'id="ragqa-source-1"' in panel and 'id="ragqa-source-3"' in panel
    assert "<mark>" not in panel


def test_sources_list_only_cited_passages_with_date_source_and_safe_links() -> None:
    cited = passage(1, published="2023-09-30", source="Kyodo", url="https://example.org/a")
    other = passage(2, url="javascript:alert(1)")
    panel = sources_html(answer("Ana [1].", [cited, other], [citation(1, *SENTENCE)]))
    assert "2023-09-30 · Kyodo · " in panel
    assert '<a href="https://example.org/a" target="_blank"' in panel
    assert "ragqa-source-2" not in panel and "javascript" not in panel
    assert sources_html(None) == EMPTY_SOURCES


def test_the_passage_an_answer_is_as_of_has_its_date_labelled() -> None:
    latest = passage(1, published="2024-11-05", source="Kyodo")
    older = passage(2, published="2023-02-01", source="Kyodo")
    cited = [citation(1, *SENTENCE), citation(2, *SENTENCE)]
    dated = replace(
        answer("Ana [1][2] (as of 2024-11-05).", [latest, older], cited), as_of="2024-11-05"
    )
    label = '<span class="ragqa-label">Answer as of</span>2024-11-05 · Kyodo'
    panel = sources_html(dated)
    assert label in panel and panel.count("Answer as of") == 1
    assert '<p class="ragqa-meta">2023-02-01 · Kyodo' in panel
    assert label in answer_html(dated)  # in the marker's passage too
    undated = sources_html(replace(dated, as_of=""))
    assert "Answer as of" not in undated and "2024-11-05 · Kyodo" in undated


def test_a_low_confidence_answer_is_labelled_with_its_confidence() -> None:
    cited = [citation(1, *SENTENCE)]
    unsure = answer_html(answer("Ana [1].", [passage()], cited, confidence=0.31))
    assert unsure.startswith('<div class="ragqa-answer ragqa-unsure">')
    assert '<span class="ragqa-label">Low confidence (31%)</span> Ana <a' in unsure
    sure = answer_html(answer("Ana [1].", [passage()], cited, confidence=0.93))
    assert "Low confidence" not in sure and sure.startswith('<div class="ragqa-answer">')
    refusal = answer_html(answer("The articles do not say.", [passage()], [], False, 0.1))
    assert "Low confidence" not in refusal and "Not in the articles" in refusal


def test_a_rewritten_follow_up_is_shown_under_its_answer_escaped() -> None:
    answered = replace(
        answer("Ana [1].", [passage()], [citation(1, *SENTENCE)]),
        question="What did <script>Ana</script> say?",
    )
    html = answer_html(answered, "What did she say?")
    assert html.endswith(
        '</div><div class="ragqa-asked">Asked as: What did &lt;script&gt;Ana&lt;/script&gt; '
        "say?</div>"
    )
    assert "<script>" not in html
    refusal = replace(answer("The articles do not say.", [passage()], [], ok=False), question="Q?")
    assert answer_html(refusal, "It?").endswith('<div class="ragqa-asked">Asked as: Q?</div>')


def test_a_question_asked_as_typed_gets_no_small_print() -> None:
    answered = replace(answer("Ana [1].", [passage()], []), question="Who is the minister?")
    assert "ragqa-asked" not in answer_html(answered, "  Who is the minister?")
    assert "ragqa-asked" not in answer_html(answered, "Who  is the\nminister?")
    assert "ragqa-asked" not in answer_html(answered)


def test_streaming_text_is_escaped() -> None:
    assert streaming_html("<b>x</b> [1") == (
        '<div class="ragqa-answer ragqa-streaming">&lt;b&gt;x&lt;/b&gt; [1</div>'
    )


def test_a_real_answer_highlights_its_evidence_sentence(seeded_assistant: Assistant) -> None:
    real = seeded_assistant.ask("Who is North Korea's foreign minister?")
    (cited,) = real.citations
    panel = sources_html(real)
    assert f'id="ragqa-source-{cited.n}"' in panel
    assert "<mark>Quoting North Korea’s foreign minister Choe Son Hui" in panel
    assert f"[{cited.n}]" in answer_html(real)
