"""Ingest against the real embedder and a real on-disk Chroma store."""

from pathlib import Path

import pytest

from index import ArticleStore, Chunker, Embedder, SourceNotFoundError, ingest_paths, load_article
from index.store import _node_from_chunk


def _ingest(paths: list[Path], store: ArticleStore, embedder: Embedder):
    chunker = Chunker(chunk_size=160, chunk_overlap=32, tokenizer=embedder.token_counter)
    return ingest_paths(paths, store=store, embedder=embedder, chunker=chunker)


def _chunk_ids_by_article(store: ArticleStore) -> dict[str, set[str]]:
    got = store.vector_store._collection.get(include=["metadatas"])
    by_article: dict[str, set[str]] = {}
    for chunk_id, meta in zip(got["ids"], got["metadatas"], strict=True):
        by_article.setdefault(meta["article_id"], set()).add(chunk_id)
    return by_article


def test_ingest_is_idempotent_and_replaces_only_changed_articles(
    tmp_path: Path, seeds_copy: Path, embedder: Embedder
) -> None:
    store = ArticleStore.persistent(tmp_path / "chroma", "news")
    first = _ingest([seeds_copy], store, embedder)
    assert len(first.added) == 2 and first.ok
    total = store.chunk_total()
    assert total == first.chunks_written > 0
    before = _chunk_ids_by_article(store)

    again = _ingest([seeds_copy], store, embedder)
    assert (again.added, again.replaced, again.chunks_written) == ((), (), 0)
    assert len(again.skipped) == 2
    assert store.chunk_total() == total

    edited = seeds_copy / "north-korea-rules-out-dialogue-with-japan-at-any-level.txt"
    edited.write_text(edited.read_text() + "\nTalks resumed in Ulaanbaatar in a later round.\n")
    third = _ingest([seeds_copy], store, embedder)
    assert third.replaced == (load_article(edited).article_id,)
    assert len(third.skipped) == 1
    after = _chunk_ids_by_article(store)
    untouched = next(a for a in before if a != third.replaced[0])
    assert after[untouched] == before[untouched]
    assert after[third.replaced[0]].isdisjoint(before[third.replaced[0]])
    stored = store.stored_articles()[third.replaced[0]]
    assert stored.complete and stored.content_hash == load_article(edited).content_hash

    reopened = ArticleStore.persistent(tmp_path / "chroma", "news")
    assert reopened.chunk_total() == store.chunk_total()


def test_a_failed_file_is_reported_and_the_rest_ingested(
    tmp_path: Path, seeds_copy: Path, embedder: Embedder
) -> None:
    (seeds_copy / "broken.txt").write_bytes(b"\xff\xfe\xfa")
    store = ArticleStore.persistent(tmp_path / "chroma", "news")
    report = _ingest([seeds_copy], store, embedder)
    assert len(report.added) == 2
    assert [Path(f.path).name for f in report.failed] == ["broken.txt"]
    assert "UTF-8" in report.failed[0].reason


def test_missing_path_fails_before_the_store_is_touched(
    tmp_path: Path, seeds_copy: Path, embedder: Embedder
) -> None:
    store = ArticleStore.persistent(tmp_path / "chroma", "news")
    with pytest.raises(SourceNotFoundError):
        _ingest([seeds_copy, tmp_path / "nope"], store, embedder)
    assert store.chunk_total() == 0


def test_an_interrupted_replacement_is_finished_by_the_next_ingest(
    tmp_path: Path, seeds_copy: Path, embedder: Embedder
) -> None:
    """Old and new chunks both present (a crash between write and cleanup) is repaired."""
    store = ArticleStore.persistent(tmp_path / "chroma", "news")
    _ingest([seeds_copy], store, embedder)
    path = seeds_copy / "north-korea-rules-out-dialogue-with-japan-at-any-level.txt"
    path.write_text(path.read_text() + "\nA new closing paragraph.\n")
    article = load_article(path)
    chunker = Chunker(chunk_size=160, chunk_overlap=32, tokenizer=embedder.token_counter)
    half = chunker.chunk(article)[:2]
    embeddings = embedder.embed_texts([c.text for c in half])
    store.vector_store.add(
        [_node_from_chunk(c, e) for c, e in zip(half, embeddings, strict=True)]
    )
    assert not store.stored_articles()[article.article_id].complete

    report = _ingest([seeds_copy], store, embedder)
    assert report.replaced == (article.article_id,)
    stored = store.stored_articles()[article.article_id]
    assert stored.complete and stored.content_hash == article.content_hash
