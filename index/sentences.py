"""Sentence boundaries: found once when a chunk is made, stored with it, read per question.

Every question ranks the sentences of its candidate chunks; finding them with NLTK's
Punkt (the model llama-index ships, so nothing is downloaded) cost more than the rest of
the rerank, and the boundaries of a chunk never change, so ``index.chunking`` stores them
in the chunk's metadata as ``"start:end start:end ..."`` offsets into the chunk text.
"""

from __future__ import annotations

import re

Spans = tuple[tuple[int, int], ...]


def sentence_spans(text: str) -> Spans:
    """Sentence spans in ``text``; line breaks always end a sentence (headlines, captions)."""
    # Imported here: llama-index and NLTK take seconds to import, and questions over
    # chunks stored with their spans never need them.
    from llama_index.core.utils import globals_helper

    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        for start, end in globals_helper.punkt_tokenizer.span_tokenize(line.group()):
            spans.append((line.start() + start, line.start() + end))
    return tuple(spans)


def encode_spans(spans: Spans) -> str:
    return " ".join(f"{start}:{end}" for start, end in spans)


def decode_spans(encoded: str) -> Spans:
    """The spans ``encode_spans`` wrote; ``ValueError`` when ``encoded`` is not that form."""
    spans = []
    for pair in encoded.split():
        start, end = pair.split(":")
        spans.append((int(start), int(end)))
    return tuple(spans)
