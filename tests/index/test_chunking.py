import pytest

from index import Chunker, Embedder, load_article
from index.chunking import _locate
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def chunker(embedder: Embedder) -> Chunker:
    return Chunker(chunk_size=96, chunk_overlap=16, tokenizer=embedder.token_counter)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_chunks_are_exact_spans_that_cover_the_article(
    chunker: Chunker, embedder: Embedder, path
) -> None:
    article = load_article(path)
    chunks = chunker.chunk(article)
    assert len(chunks) > 3
    covered = set()
    for ordinal, chunk in enumerate(chunks):
        assert chunk.text == article.text[chunk.start : chunk.end]
        assert chunk.ordinal == ordinal and chunk.chunk_count == len(chunks)
        assert embedder.count_tokens(chunk.text) <= 96
        covered.update(range(chunk.start, chunk.end))
    uncovered = "".join(c for i, c in enumerate(article.text) if i not in covered)
    assert uncovered.strip() == ""
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_locate_tolerates_changed_whitespace() -> None:
    text = "First line.\n\nSecond   sentence here."
    assert _locate(text, "Second sentence here.", 0) == (13, len(text))
