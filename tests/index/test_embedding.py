"""The bundled MiniLM embedder: query vectors match text vectors and are computed once."""

import numpy as np

from index import Embedder


def test_a_question_is_embedded_once_and_its_vector_cannot_be_altered(embedder: Embedder) -> None:
    question = "Who is North Korea's foreign minister, asked only by this test?"
    first = embedder.embed_query(question)
    first[0] = 99.0  # a caller changing its copy must not change the next answer
    calls = embedder._query_vector.cache_info().hits
    again = embedder.embed_query(question)
    assert embedder._query_vector.cache_info().hits == calls + 1
    assert again[0] != 99.0
    assert len(again) == 384
    assert abs(float(np.linalg.norm(again)) - 1.0) < 1e-4
    # MiniLM embeds queries and texts alike: the cached vector is the text vector.
    assert np.allclose(again, embedder.embed_texts([question])[0], atol=1e-5)
