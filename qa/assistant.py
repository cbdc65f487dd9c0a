"""``Assistant``: the public door to ingesting articles and asking questions.

    assistant = Assistant.open()                     # Settings.from_env()
    assistant.ingest([Path("seeds")])
    answer = assistant.ask("Who is North Korea's foreign minister?")
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import index
from index import (
    ArticleStore,
    Embedder,
    IndexingError,
    IngestReport,
    ModelFileError,
    ServerUnreachableError,
    StoredArticle,
)
from qa.answer import AnswerPipeline, Calibration, Reader, load_reader
from qa.errors import CorpusError, ModelError, QAError
from qa.llm import LLMBackend, make_backend
from qa.retrieval import Retriever
from qa.settings import Settings
from qa.types import Answer, Passage, RetrievalFilters

if TYPE_CHECKING:  # ingest's modules (file formats, llama-index's splitter) load on first ingest
    from index import Chunker, ProgressCallback


@dataclass(frozen=True)
class CollectionStats:
    """``location`` is the store's folder, or the Chroma server's URL."""

    collection: str
    store_dir: str
    articles: tuple[StoredArticle, ...]
    chunks: int
    location: str = ""


@contextmanager
def _index_errors() -> Iterator[None]:
    """Present index failures as qa errors, so clients catch one family."""
    try:
        yield
    except ModelFileError as exc:
        raise ModelError(str(exc)) from exc
    except IndexingError as exc:
        raise CorpusError(str(exc)) from exc


def final_answer(stream: Iterable[str | Answer]) -> Answer:
    """The ``Answer`` that ends an answer stream, the text pieces before it read and dropped."""
    for item in stream:
        if isinstance(item, Answer):
            return item
    raise AssertionError("an answer stream always ends with an Answer")


def _open_store(settings: Settings) -> ArticleStore:
    """The collection ``settings`` name: embedded in the data directory, or on a server."""
    server = settings.chroma_server
    try:
        if server is None:
            return ArticleStore.persistent(settings.store_dir, settings.collection)
        return ArticleStore.server(server, settings.collection, settings.store_dir)
    except ServerUnreachableError as exc:
        raise CorpusError(
            f"{exc}; check the chroma_url setting (RAGQA_CHROMA_URL or --chroma-url)"
        ) from exc
    except IndexingError as exc:
        raise CorpusError(str(exc)) from exc


class Assistant:
    """Answers questions over one article collection, citing the passages it used.

    Backends (embedder, store, LLM, retriever) are injected for tests and for sharing
    between assistants; by default they are built from ``settings``. Questions are
    answered by ``qa.answer.AnswerPipeline``, which asks for the LLM only when a question
    needs it: the LLM loads then, so ingesting never waits for it.

    Asking is safe from several threads at once (the chat serves sessions in parallel):
    the models load once, whichever question needs them first, and a local LLM takes
    its callers in turn.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        store: ArticleStore | None = None,
        llm: LLMBackend | None = None,
        retriever: Retriever | None = None,
        reader: Reader | None = None,
        calibration: Calibration | None = None,
    ) -> None:
        self.settings = settings
        # The store first: a server that cannot be reached is reported before models load.
        self.store = store or _open_store(settings)
        with _index_errors():
            self.embedder = embedder or Embedder.bundled(
                stamp_dir=settings.models_dir,
                runtime=settings.runtime,
                export_dir=settings.model_cache,
            )
        self._llm = llm
        self._llm_loaded = llm is not None or settings.llm == "none"
        # Held while a model loads, so concurrent first questions load it once.
        self._loading = threading.Lock()
        self.retriever = retriever or Retriever.from_settings(settings, self.store, self.embedder)
        self._reader = reader
        self._calibration = calibration
        self._answers = AnswerPipeline(
            settings,
            self.retriever,
            self.embedder,
            llm=lambda: self.llm,
            backend_name=lambda: self.backend_name,
            reader=lambda: self.reader,
            calibration=lambda: self.calibration,
        )

    @classmethod
    def open(cls, settings: Settings | None = None, **backends: object) -> Assistant:
        """Open the collection named in ``settings`` (default: from file and environment)."""
        return cls(settings or Settings.from_env(), **backends)  # type: ignore[arg-type]

    @property
    def llm(self) -> LLMBackend | None:
        if not self._llm_loaded:
            with self._loading:
                if not self._llm_loaded:
                    self._llm = make_backend(self.settings)
                    self._llm_loaded = True
        return self._llm

    @property
    def reader(self) -> Reader:
        """The trained reader, loaded (and its file checked) on first use."""
        if self._reader is None:
            with self._loading, _index_errors():
                if self._reader is not None:
                    return self._reader
                self._reader = load_reader(
                    base_dir=self.embedder.model_dir,
                    stamp_dir=self.settings.models_dir,
                    export_dir=self.settings.model_cache,
                    runtime=self.settings.runtime,
                )
        return self._reader

    @property
    def calibration(self) -> Calibration:
        """The reader's fitted calibration, read (and its file checked) on first use."""
        if self._calibration is None:
            with self._loading, _index_errors():
                if self._calibration is not None:
                    return self._calibration
                self._calibration = Calibration.bundled(stamp_dir=self.settings.models_dir)
        return self._calibration

    @property
    def backend_name(self) -> str:
        return self._llm.name if self._llm is not None else self.settings.llm

    @cached_property
    def _chunker(self) -> Chunker:
        """Made on the first ingest: llama-index's splitter is not needed to answer."""
        return index.Chunker(
            chunk_size=self.settings.chunk_size,
            chunk_overlap=self.settings.chunk_overlap,
            tokenizer=self.embedder.token_counter,
        )

    def ingest(
        self,
        paths: Iterable[Path | str],
        *,
        prune: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Add or update articles from files and folders; unchanged ones are skipped.

        ``prune`` also deletes stored articles whose source file no longer exists.
        """
        with _index_errors():
            report = index.ingest_paths(
                [Path(p) for p in paths],
                store=self.store,
                embedder=self.embedder,
                chunker=self._chunker,
                prune=prune,
                on_progress=on_progress,
                max_file_bytes=self.settings.max_file_bytes,
            )
            self.retriever.refresh()  # rebuild BM25 now rather than on the next question
            return report

    def stats(self) -> CollectionStats:
        with _index_errors():
            articles = tuple(
                sorted(
                    self.store.stored_articles().values(),
                    key=lambda a: (a.file_name, a.title, a.article_id),
                )
            )
            return CollectionStats(
                collection=self.store.name,
                store_dir=str(self.settings.store_dir),
                articles=articles,
                chunks=self.store.chunk_total(),
                location=self.store.location,
            )

    def delete_article(self, article_id: str) -> None:
        """Remove one article and all its chunks from the collection."""
        with _index_errors():
            self.store.delete_article(article_id)
            self.retriever.refresh()

    def ask(
        self,
        question: str,
        *,
        top_k: int | None = None,
        filters: RetrievalFilters | None = None,
    ) -> Answer:
        """Answer ``question`` from the articles, citing the evidence, or decline.

        ``filters`` restricts which articles may be retrieved (by id, source or date).
        """
        return final_answer(self.stream(question, top_k=top_k, filters=filters))

    def search(
        self,
        query: str,
        *,
        top_k: int | None = None,
        filters: RetrievalFilters | None = None,
    ) -> tuple[Passage, ...]:
        """The passages a question on ``query`` would be answered from, numbered 1..k; no answer.

        The same retrieval as ``ask`` (filters, fusion, rerank), for clients that show or
        rank passages themselves.
        """
        query = query.strip()
        if not query:
            raise QAError("the search query is empty; say what to look for in the articles")
        passages = self.retriever.retrieve(
            query, top_k or self.settings.top_k, filters or RetrievalFilters()
        )
        return tuple(passages)

    def stream(
        self,
        question: str,
        *,
        top_k: int | None = None,
        filters: RetrievalFilters | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is verified, then the final ``Answer``.

        Model output is checked against the passages before anyone sees it, so text is
        released per verified sentence: one piece for an evidence answer, a piece per
        sentence as a cited answer is written. Joined, the pieces are the final text;
        the final ``Answer`` carries the sources, so they cannot get lost.
        """
        return self._answers.stream(question, top_k=top_k, filters=filters)

    def close(self) -> None:
        """Release the LLM; the store needs no closing."""
        self._llm = None
        self._llm_loaded = self.settings.llm == "none"

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
