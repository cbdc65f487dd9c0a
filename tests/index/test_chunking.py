import pytest

from index import Chunker, Embedder, load_article, load_articles, sentence_spans
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


def test_chunks_carry_their_sentences_as_spans_of_their_text(chunker: Chunker) -> None:
    chunks = chunker.chunk(load_article(SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]))
    for chunk in chunks:
        assert chunk.sentences == sentence_spans(chunk.text)
        assert len(chunk.sentences) >= 1
        assert all(0 <= a < b <= len(chunk.text) for a, b in chunk.sentences)


def test_sentence_spans_end_at_line_breaks_and_full_stops() -> None:
    text = "Port Reopens\nThe port reopened on Monday. Ships queued."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Port Reopens",
        "The port reopened on Monday.",
        "Ships queued.",
    ]


def test_locate_tolerates_changed_whitespace() -> None:
    text = "First line.\n\nSecond   sentence here."
    assert _locate(text, "Second sentence here.", 0) == (13, len(text))


def test_spans_are_exact_for_every_format(embedder: Embedder, formats_corpus) -> None:
    """Small chunks, so every article of every format is cut in several places."""
    small = Chunker(chunk_size=16, chunk_overlap=2, tokenizer=embedder.token_counter)
    suffixes = set()
    for path in sorted(formats_corpus.iterdir()):
        for article in load_articles(path).articles:
            chunks = small.chunk(article)
            assert len(chunks) >= 2, article.title
            for chunk in chunks:
                assert chunk.text == article.text[chunk.start : chunk.end]
                assert (chunk.file_path, chunk.source, chunk.url, chunk.published) == (
                    article.source_path,
                    article.source,
                    article.url,
                    article.published,
                )
            suffixes.add(path.suffix)
    assert suffixes == {".txt", ".md", ".html", ".jsonl", ".json", ".rss", ".atom", ".pdf"}
