"""Window ranking with the real embedder on hand-made passages."""

from index import Embedder
from qa.answer.windows import rank_windows
from qa.types import Passage

ARTICLE = (
    "Rhine shipping halted\n"
    "Who closed the Rhine to barges? "
    "The Rhine was closed to barges. "
    "Port authorities in Basel closed the river after floods on Monday. "
    "Tourism fell sharply in the spring."
)


def _passage(text: str, start: int) -> Passage:
    return Passage(
        n=1, chunk_id="c1", article_id="a", title="Rhine shipping halted", file_name="a.txt",
        text=text, start=start, end=start + len(text), score=0.5,
    )  # fmt: skip


def test_best_sentence_answers_and_keeps_its_article_span(embedder: Embedder) -> None:
    offset = ARTICLE.index("Who")
    passage = _passage(ARTICLE[offset:], offset)
    ranked = rank_windows("Who closed the Rhine to barges?", [passage], embedder)
    best = ranked[0]
    assert best.text.startswith("Port authorities in Basel")
    assert ARTICLE[best.start : best.end] == best.text


def test_questions_and_restatements_are_never_evidence(embedder: Embedder) -> None:
    passage = _passage(ARTICLE, 0)
    texts = [e.text for e in rank_windows("Who closed the Rhine to barges?", [passage], embedder)]
    assert "Who closed the Rhine to barges?" not in texts
    assert "The Rhine was closed to barges." not in texts
    assert any(t.startswith("Tourism") for t in texts)


def test_a_window_knows_the_sentence_before_it_in_its_passage(embedder: Embedder) -> None:
    question = "Who closed the Rhine to barges?"
    windows = {w.text: w for w in rank_windows(question, [_passage(ARTICLE, 0)], embedder)}
    assert windows["Rhine shipping halted"].previous == ""  # the passage's first sentence
    basel = windows["Port authorities in Basel closed the river after floods on Monday."]
    # A restatement of the question is no window, but it is the context before one.
    assert basel.previous == "The Rhine was closed to barges."
    assert windows["Tourism fell sharply in the spring."].previous == basel.text
