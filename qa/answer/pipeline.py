"""Question → ``Answer``: retrieve, rank windows, read, decide, extract, verify citations.

    pipeline = AnswerPipeline(settings, retriever, embedder, llm=..., reader=...)
    for piece in pipeline.stream("Who is North Korea's foreign minister?"):
        ...  # verified text pieces, then the Answer

Evidence comes first in both answer styles: the windows (sentences) of the retrieved
passages are ranked by evidence score, the best of them read by the trained reader and
reordered, and the top one decides whether the articles answer at all, with a calibrated
confidence; between dated articles, the one of the period asked about, or the latest
for a question about the present (``recency``). In the default ``evidence`` style the
answer is then extracted from that window (the reader's span) and cites its exact
span; in the ``cited`` style the LLM writes over the numbered passages and each
sentence it finishes is verified before it is shown. Whatever declines a question,
the answer is ``refusal_text``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from index import Embedder
from qa.answer.citations import Draft, verify_citations
from qa.answer.cited import stream_cited_answer
from qa.answer.confidence import Calibration
from qa.answer.decision import Decision, decide, decide_by_reader
from qa.answer.extraction import extract, text_before
from qa.answer.reader import Reader
from qa.answer.reading import read_windows
from qa.answer.recency import latest_article_window, latest_of_disagreeing, within_period
from qa.answer.referents import wants_a_name
from qa.answer.windows import Window, rank_windows
from qa.errors import CorpusError, QAError
from qa.llm import LLMBackend
from qa.retrieval import Retriever
from qa.settings import Settings
from qa.types import Answer, Passage, RetrievalFilters, Timings

REFUSAL = "The articles do not say."
"""What every declined question is told, whatever declined it; ``refusal_text`` adds the
closest articles."""

_NOTHING = Draft("", ())


def with_as_of(text: str, as_of: str) -> str:
    """ "Mara Ostrow [2]." -> "Mara Ostrow [2] (as of 2024-11-05)." """
    body = text.rstrip()
    stop = "." if body.endswith(".") else ""
    return f"{body.removesuffix(stop)} (as of {as_of}){stop}"


def refusal_text(passages: Sequence[Passage]) -> str:
    titles = list(dict.fromkeys(p.title for p in passages))[:2]
    if not titles:
        return f"{REFUSAL} No articles have been ingested yet."
    closest = " and ".join(f'"{t}"' for t in titles)
    noun = "articles are" if len(titles) > 1 else "article is"
    return f"{REFUSAL} The closest {noun} {closest}."


class AnswerPipeline:
    """Answers questions from one retriever's passages, one stage per module.

    ``llm`` is called only once a question gets past the decision (it may load the
    model); ``backend_name`` names the backend in the ``Answer`` once it is built;
    ``reader`` and ``calibration`` are called on the first question read (they load the
    model and its calibration).
    """

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever,
        embedder: Embedder,
        *,
        llm: Callable[[], LLMBackend | None],
        backend_name: Callable[[], str],
        reader: Callable[[], Reader],
        calibration: Callable[[], Calibration],
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.embedder = embedder
        self._llm = llm
        self._backend_name = backend_name
        self._reader = reader
        self._calibration = calibration

    def stream(
        self,
        question: str,
        *,
        top_k: int | None = None,
        filters: RetrievalFilters | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is verified, then the final ``Answer``.

        One piece for an evidence answer or a refusal, a piece per verified sentence as
        a cited answer is written; joined, the pieces are the final ``Answer.text``.
        """
        question = question.strip()
        if not question:
            raise QAError("the question is empty; ask something about the articles")
        started = time.perf_counter()
        passages = self.retriever.retrieve(
            question, top_k or self.settings.top_k, filters or RetrievalFilters()
        )
        retrieved = time.perf_counter()
        windows = rank_windows(question, passages, self.embedder)
        asked = question
        if self.settings.recency == "auto":
            asked, windows = within_period(question, windows)
        decision = self._decide(asked, windows)
        draft, streamed = _NOTHING, False
        if decision.answers and self._writes_cited_answers():
            for item in stream_cited_answer(question, passages, self._llm(), self.embedder):
                if isinstance(item, Draft):
                    draft = item
                else:
                    streamed = True
                    yield item
        elif decision.answers or decision.withheld:
            draft, passages = self._evidence_answer(question, decision, passages)
        withheld = draft.text if decision.withheld else ""
        if decision.withheld:
            draft = _NOTHING
        answerable = bool(draft.text)
        as_of = decision.as_of if answerable else ""
        text = draft.text if answerable else refusal_text(passages)
        if as_of and streamed:
            # The text is out already: the date follows it, and the final text matches.
            text += f" (as of {as_of})"
            yield f" (as of {as_of})"
        elif as_of:
            text = with_as_of(text, as_of)
        finished = time.perf_counter()
        if not streamed:
            yield text
        yield Answer(
            question=question,
            text=text,
            citations=draft.citations if answerable else (),
            passages=tuple(passages),
            answerable=answerable,
            timings=Timings(
                retrieval_s=retrieved - started,
                generation_s=finished - retrieved,
                total_s=finished - started,
            ),
            backend=self._backend_name(),
            confidence=decision.confidence,
            withheld=withheld,
            as_of=as_of,
        )

    def _decide(self, question: str, windows: Sequence[Window]) -> Decision:
        settings = self.settings
        if not settings.reader:
            return decide(
                question,
                windows,
                settings.min_evidence_score,
                require_answer_type=settings.require_answer_type,
            )
        calibration = self._calibration()
        recency = settings.recency == "auto"
        latest = (
            latest_article_window(question, windows, calibration.windows_read) if recency else []
        )
        read = read_windows(question, windows, self._reader(), calibration, also=latest)
        threshold = settings.min_answer_confidence
        threshold = calibration.threshold if threshold is None else threshold
        as_of = ""
        if recency:
            read, as_of = latest_of_disagreeing(question, read, calibration, threshold)
        decision = decide_by_reader(
            question,
            read,
            calibration,
            threshold,
            require_answer_type=settings.require_answer_type,
        )
        return replace(decision, as_of=as_of) if as_of else decision

    def _writes_cited_answers(self) -> bool:
        # Without an LLM (llm = "none"), answers come from evidence whatever the style says.
        return self.settings.answer_style == "cited" and self._llm() is not None

    def _evidence_answer(
        self, question: str, decision: Decision, passages: Sequence[Passage]
    ) -> tuple[Draft, tuple[Passage, ...]]:
        """The answer extracted from the decided window, if the citation check lets it
        through, and the passages to show with it.

        It is the same check any backend's output goes through: only text the cited
        passage supports is shown. The draft keeps its own citation, the window's span.
        A question that wants a name may also cite the stored chunk before the window's,
        where a "she said" was named; that chunk is then shown too.
        """
        window = decision.window
        assert window is not None
        shown = tuple(passages)
        how = self.settings.answer_extraction
        if wants_a_name(question) and how != "sentence":
            shown += self._chunk_naming_the_speaker(window, passages)
        draft = extract(
            question,
            window,
            self._llm() if how == "llm" else None,
            how=how,
            span=decision.span,
            passages=shown,
        )
        if not verify_citations(draft.text, shown).text:
            return _NOTHING, tuple(passages)
        cited = {c.n for c in draft.citations}
        return draft, shown if cited - {p.n for p in passages} else tuple(passages)

    def _chunk_naming_the_speaker(
        self, window: Window, passages: Sequence[Passage]
    ) -> tuple[Passage, ...]:
        """The article's stored chunk just before the shown text that leads to the window."""
        begin, _ = text_before(window, passages)
        try:
            before = self.retriever.passage_before(
                window.passage.article_id, begin, len(passages) + 1
            )
        except CorpusError:
            return ()  # the answer stands without the speaker's name
        return () if before is None else (before,)
