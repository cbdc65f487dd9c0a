"""``ArticleStore``'s read side: dense search with filters, stored vectors, the chunk
snapshot and the revision, on a real on-disk Chroma store and on a real Chroma server."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from index import (
    ArticleStore,
    Chunk,
    ChunkFilter,
    LexicalIndex,
    ServerUnreachableError,
    StoredChunk,
    parse_chroma_url,
)
from tests.chroma_server import free_port

DIMENSIONS = 8


def _vector(*weights: float) -> list[float]:
    vector = np.zeros(DIMENSIONS)
    vector[: len(weights)] = weights
    return list(vector / np.linalg.norm(vector))


def _chunks(article: str, *, source: str, published: str, texts: tuple[str, ...]) -> list[Chunk]:
    starts = [sum(len(t) for t in texts[:i]) for i in range(len(texts))]
    return [
        Chunk(
            chunk_id=f"{article}:{i}",
            article_id=article,
            title=f"{article} title",
            file_name=f"{article}.txt",
            text=text,
            start=start,
            end=start + len(text),
            ordinal=i,
            chunk_count=len(texts),
            content_hash=f"hash-{article}",
            file_path=f"/news/{article}.txt",
            source=source,
            url=f"https://example.org/{article}",
            published=published,
        )
        for i, (text, start) in enumerate(zip(texts, starts, strict=True))
    ]


@pytest.fixture(params=["embedded", "server"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ArticleStore:
    name = f"store-{request.node.name.split('[')[0][-40:].replace('_', '-')}"
    if request.param == "embedded":
        store = ArticleStore.persistent(tmp_path / "chroma", name)
    else:
        url = request.getfixturevalue("chroma_url")
        store = ArticleStore.server(parse_chroma_url(url), f"{name}-{tmp_path.name}", tmp_path)
    store.write_article(
        _chunks("mill", source="Ledger", published="2024-01-10", texts=("Mill reopens. ", "Pay.")),
        [_vector(1, 0), _vector(1, 1)],
    )
    store.write_article(
        _chunks("port", source="Herald", published="", texts=("Port dredging.",)),
        [_vector(0, 1)],
    )
    return store


def test_search_scores_by_cosine_and_returns_typed_chunks(store: ArticleStore) -> None:
    hits = store.search(_vector(1, 0), top_k=3)
    assert [h.chunk_id for h in hits] == ["mill:0", "mill:1", "port:0"]
    assert [round(h.score, 6) for h in hits] == [1.0, round(2**-0.5, 6), 0.0]
    assert hits[0].chunk == StoredChunk(
        chunk_id="mill:0",
        text="Mill reopens. ",
        article_id="mill",
        title="mill title",
        file_name="mill.txt",
        start=0,
        end=14,
        source="Ledger",
        url="https://example.org/mill",
        published="2024-01-10",
        published_day=date(2024, 1, 10).toordinal(),
    )


def test_a_chunks_sentences_are_stored_with_it_and_read_back(store: ArticleStore) -> None:
    # Spans no sentence splitter would find, so reading them back proves they were stored.
    chunk = replace(
        _chunks("wire", source="Wire", published="", texts=("One two. Three four.",))[0],
        sentences=((0, 3), (4, 20)),
    )
    store.write_article([chunk], [_vector(1, 0, 1)])
    (hit,) = store.search(_vector(1, 0, 1), top_k=1, where=ChunkFilter(article_ids=("wire",)))
    assert hit.chunk.stored_sentences == "0:3 4:20"
    assert hit.chunk.sentence_spans == ((0, 3), (4, 20))


@pytest.mark.parametrize("stored", ["", "0:3 4:", "garbled"])
def test_a_chunk_stored_without_readable_sentences_finds_them(stored: str) -> None:
    chunk = StoredChunk(
        chunk_id="c",
        text="One two. Three four.",
        article_id="a",
        title="t",
        file_name="a.txt",
        start=0,
        end=20,
        stored_sentences=stored,
    )
    assert chunk.sentence_spans == ((0, 8), (9, 20))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (ChunkFilter(article_ids=("port",)), ["port:0"]),
        (ChunkFilter(sources=("Ledger",)), ["mill:0", "mill:1"]),
        (ChunkFilter(first_day=1), ["mill:0", "mill:1"]),  # undated chunks are out
        (ChunkFilter(last_day=date(2023, 12, 31).toordinal(), first_day=1), []),
        (ChunkFilter(sources=("Herald", "Ledger"), article_ids=("mill", "port")), None),
    ],
)
def test_search_applies_filters_as_bm25_does(
    store: ArticleStore, where: ChunkFilter, expected: list[str] | None, tmp_path: Path
) -> None:
    found = [h.chunk_id for h in store.search(_vector(0, 1), top_k=5, where=where)]
    assert sorted(found) == (expected if expected is not None else ["mill:0", "mill:1", "port:0"])
    # The same filter over the snapshot agrees, and so does the BM25 index's own mask
    # ("title" is in every chunk's indexed text).
    assert sorted(c.chunk_id for c in store.chunks() if where.accepts(c)) == sorted(found)
    lexical = LexicalIndex.beside(store, tmp_path)
    assert sorted(h.chunk_id for h in lexical.search("title", top_k=5, where=where)) == sorted(
        found
    )


def test_vectors_are_the_stored_embeddings_of_the_ids_held(store: ArticleStore) -> None:
    vectors = store.vectors(["port:0", "mill:1", "missing"])
    assert set(vectors) == {"port:0", "mill:1"}
    assert np.allclose(vectors["mill:1"], _vector(1, 1), atol=1e-6)
    assert store.vectors([]) == {}
    assert store.held(["port:0", "missing", "mill:0"]) == {"port:0", "mill:0"}
    assert store.held([]) == set()


def test_the_revision_changes_with_every_write_and_delete_and_only_then(
    store: ArticleStore,
) -> None:
    first = store.revision()
    assert first and store.revision() == first
    store.search(_vector(1), top_k=1)
    store.chunks()
    store.stored_articles()
    assert store.revision() == first

    store.write_article(
        _chunks("port", source="Herald", published="", texts=("Port dredging ends.",)),
        [_vector(0, 1)],
    )
    second = store.revision()
    store.delete_article("mill")
    third = store.revision()
    assert len({first, second, third}) == 3
    store.delete_articles([])  # nothing to delete: nothing changed
    assert store.revision() == third
    assert [c.chunk_id for c in store.chunks()] == ["port:0"]


def test_a_new_collection_gets_a_revision_of_its_own(tmp_path: Path) -> None:
    first = ArticleStore.persistent(tmp_path / "a", "news").revision()
    second = ArticleStore.persistent(tmp_path / "b", "news").revision()
    assert first and second and first != second


def test_no_server_at_the_url_is_a_server_unreachable_error(tmp_path: Path) -> None:
    server = parse_chroma_url(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ServerUnreachableError, match=f"no Chroma server answers at {server.url}"):
        ArticleStore.server(server, "news", tmp_path / "local")
    assert not (tmp_path / "local").exists()


def test_a_server_that_never_replies_is_unreachable_within_the_timeout(tmp_path: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # the kernel accepts the connection; nothing ever replies
        server = parse_chroma_url(f"http://127.0.0.1:{silent.getsockname()[1]}")
        with pytest.raises(ServerUnreachableError, match=r"no reply within 0\.5 s"):
            ArticleStore.server(server, "news", tmp_path / "local", answer_timeout_s=0.5)
    assert not (tmp_path / "local").exists()


@pytest.mark.parametrize(
    ("url", "normal", "key"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000", "http-127.0.0.1-8000"),
        ("https://chroma.example.org/", "https://chroma.example.org:443", None),
        ("http://Chroma.Local", "http://chroma.local:80", "http-chroma.local-80"),
        ("http://[::1]:9000", "http://[::1]:9000", "http-__1-9000"),
    ],
)
def test_a_chroma_url_is_read_into_host_port_and_tls(
    url: str, normal: str, key: str | None
) -> None:
    server = parse_chroma_url(url)
    assert server.url == normal
    assert parse_chroma_url(server.url) == server
    assert server.ssl == url.startswith("https")
    if key is not None:
        assert server.key == key


def test_a_collection_past_sqlites_variable_limit_is_read_deleted_and_indexed_whole(
    tmp_path: Path,
) -> None:
    """Chroma's embedded store reads a ``get``'s metadata with one SQL statement holding
    every id, and SQLite refuses more than 32,766 variables: the whole-collection reads
    (the BM25 snapshot, the manifest check) and article deletes must work in pages."""
    import chromadb

    articles, per_article = 331, 100  # 33,100 chunks
    store = ArticleStore.persistent(tmp_path / "chroma", "big")
    # Written straight into the collection in large batches (about 15 s); through
    # ``write_article`` one article at a time the same chunks take three times as long.
    collection = chromadb.PersistentClient(path=str(tmp_path / "chroma")).get_collection("big")
    ids = [f"a{a}:{i}" for a in range(articles) for i in range(per_article)]
    vectors = np.random.default_rng(0).normal(size=(len(ids), DIMENSIONS)).astype(np.float32)
    for first in range(0, len(ids), 5000):
        batch = ids[first : first + 5000]
        collection.upsert(
            ids=batch,
            embeddings=vectors[first : first + len(batch)],
            documents=[f"dispatch {chunk_id.replace(':', ' part ')}" for chunk_id in batch],
            metadatas=[
                {
                    "article_id": chunk_id.split(":")[0],
                    "ordinal": int(chunk_id.split(":")[1]),
                    "chunk_count": per_article,
                    "content_hash": "same",
                }
                for chunk_id in batch
            ],
        )

    chunks = store.chunks()
    assert len(chunks) == len({c.chunk_id for c in chunks}) == len(ids)
    assert store.sync()  # the manifest was empty: rebuilt from every chunk's metadata
    stored = store.stored_articles()
    assert len(stored) == articles
    assert {a.chunk_count for a in stored.values()} == {per_article}

    lexical = LexicalIndex.beside(store, tmp_path)
    assert lexical.refresh()
    assert [hit.chunk_id for hit in lexical.search("dispatch a330 part 99", 1)] == ["a330:99"]

    store.delete_articles([f"a{a}" for a in range(200)])  # 20,000 chunks
    assert store.chunk_total() == (articles - 200) * per_article
    assert set(store.stored_articles()) == {f"a{a}" for a in range(200, articles)}


def test_articles_listed_while_an_ingest_writes_are_never_lost(tmp_path: Path) -> None:
    """The chat and the HTTP API list articles (a ``sync`` that may rebuild the manifest)
    while another thread writes: neither may fail, and every written article stays listed."""
    import threading

    store = ArticleStore.persistent(tmp_path / "chroma", "busy")
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for n in range(40):
                texts = (f"Dispatch {n} opens. ", "It closes.")
                store.write_article(
                    _chunks(f"a{n}", source="Ledger", published="2024-01-10", texts=texts),
                    [_vector(1, n), _vector(n, 1)],
                )
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    while writer.is_alive():
        store.stored_articles()
    writer.join()
    assert errors == []
    stored = store.stored_articles()
    assert set(stored) == {f"a{n}" for n in range(40)}
    assert all(a.complete and a.chunk_count == 2 for a in stored.values())
