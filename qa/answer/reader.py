"""The reader: a MiniLM fine-tuned to tell whether a window states the answer, and where.

A window is one candidate sentence with its article's title and the sentence before it
(the name an answer needs often sits in the headline or the previous sentence). The
reader encodes ``[CLS] question [SEP] sentence [SEP] title. previous [SEP]`` with the
bundled all-MiniLM-L6-v2 and gives, per window, an answer logit (from ``[CLS]``: "this
window states the answer") and start/end logits over the candidate sentence's tokens
(the answer span), the extractive reader design of SQuAD 2.0 systems. The sentence
comes first so that truncation cuts the context, never the candidate.

All ``TRAINED_LAYERS`` (six) encoder layers and the two heads are fine-tuned, the word
embeddings stay as bundled; the committed file holds just the tuned tensors (fp16,
21 MB, where a whole MiniLM with its embeddings would exceed 25 MB even at fp16), laid
over the bundled weights, whose SHA-256 is checked like the reader file's own. Measured
on held-out articles, tuning all six layers instead of the top three lifted the share
of questions whose best window holds the answer from 0.79 to 0.81 and the top
window's span F1 from 0.50 to 0.59. ``python -m qa.training`` rebuilds it.

This module reads without torch; the network itself, used to train, to export and on
the ``torch`` runtime, is in ``qa.answer.reader_net``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

MODEL_DIR = Path(__file__).parent / "model"
READER_FILE = MODEL_DIR / "reader.safetensors"
READER_SHA256 = "7403bb36ca69a8c64aea3b9a710b9b529ad00ebe5c92ed42e765fa4a3cdf4467"
"""Pinned SHA-256 of ``READER_FILE``; ``python -m qa.training`` prints the new one."""

TRAINED_LAYERS = 6
MAX_LENGTH = 128
MAX_ANSWER_TOKENS = 24
"""Longest span the reader may pick: answers are a name, a number or a phrase."""


@dataclass(frozen=True)
class WindowText:
    """What the reader sees of one candidate window."""

    sentence: str
    title: str
    previous: str = ""


@dataclass(frozen=True)
class Reading:
    """The reader's verdict on one window.

    ``logit`` is the raw answer score (calibrated into a probability by the decision
    stage); ``span`` is the predicted answer's character offsets in the sentence.
    """

    logit: float
    span: tuple[int, int]
    span_score: float


def context_of(window: WindowText) -> str:
    return f"{window.sentence} [SEP] {window.title}. {window.previous}".rstrip()


@dataclass(frozen=True)
class Batch:
    """Tokenised windows: model inputs plus each token's character offsets in its sentence."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray
    sentence_mask: np.ndarray  # bool
    offsets: list[list[tuple[int, int]]]


Logits = tuple[np.ndarray, np.ndarray, np.ndarray]
Forward = Callable[[Batch], Logits]
"""Runs the network on a batch: answer ``[B]``, start and end ``[B, T]`` logits."""


def load_tokenizer(model_dir: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_LENGTH, strategy="longest_first")
    tokenizer.enable_padding()
    return tokenizer


def encode(tokenizer: Tokenizer, question: str, windows: Sequence[WindowText]) -> Batch:
    """Tokenise one question's windows; the sentence mask marks the candidate's tokens."""
    return encode_pairs(tokenizer, [(question, w) for w in windows])


def encode_pairs(tokenizer: Tokenizer, pairs: Sequence[tuple[str, WindowText]]) -> Batch:
    """Tokenise ``(question, window)`` pairs, each with its own question (as in training)."""
    encodings = tokenizer.encode_batch(
        [(" ".join(question.split()), context_of(w)) for question, w in pairs]
    )
    masks, offsets = [], []
    for (_, window), encoding in zip(pairs, encodings, strict=True):
        limit = len(window.sentence)
        mask = [
            sequence == 1 and 0 < end <= limit
            for sequence, (_, end) in zip(encoding.sequence_ids, encoding.offsets, strict=True)
        ]
        masks.append(mask)
        offsets.append(list(encoding.offsets))
    return Batch(
        input_ids=np.array([e.ids for e in encodings], dtype=np.int64),
        attention_mask=np.array([e.attention_mask for e in encodings], dtype=np.int64),
        token_type_ids=np.array([e.type_ids for e in encodings], dtype=np.int64),
        sentence_mask=np.array(masks, dtype=bool),
        offsets=offsets,
    )


def best_span(start: np.ndarray, end: np.ndarray, mask: np.ndarray) -> tuple[int, int, float]:
    """Token span maximising start + end logits, at most ``MAX_ANSWER_TOKENS`` long."""
    positions = np.flatnonzero(mask)
    if positions.size == 0:
        return 0, 0, float("-inf")
    s, e = start[positions], end[positions]
    scores = s[:, None] + e[None, :]
    gap = positions[None, :] - positions[:, None]
    scores = np.where((gap >= 0) & (gap < MAX_ANSWER_TOKENS), scores, -np.inf)
    i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return int(positions[i]), int(positions[j]), float(scores[i, j])


class Reader:
    """Reads windows in batches through ``forward`` (onnxruntime or torch).

    ``Reader.bundled`` and ``Reader.from_file`` give the committed (or a given) model on
    torch; ``qa.answer.runtime.load_reader`` is what the product uses.
    """

    def __init__(self, tokenizer: Tokenizer, forward: Forward, *, batch_size: int = 16) -> None:
        self.tokenizer = tokenizer
        self.forward = forward
        self.batch_size = batch_size

    @classmethod
    def from_file(
        cls, path: Path, *, base_dir: Path, sha256: str | None, stamp_dir: Path
    ) -> Reader:
        """The fine-tuned layers in ``path`` over the MiniLM in ``base_dir``, on torch.

        ``sha256`` pins the file (None only for a model just trained here).
        """
        from qa.answer.reader_net import load_net, torch_forward

        net = load_net(path, base_dir=base_dir, sha256=sha256, stamp_dir=stamp_dir)
        return cls(load_tokenizer(base_dir), torch_forward(net))

    @classmethod
    def bundled(cls, *, base_dir: Path, stamp_dir: Path) -> Reader:
        return cls.from_file(
            READER_FILE, base_dir=base_dir, sha256=READER_SHA256, stamp_dir=stamp_dir
        )

    def read(self, question: str, windows: Sequence[WindowText]) -> list[Reading]:
        readings: list[Reading] = []
        for first in range(0, len(windows), self.batch_size):
            chunk = windows[first : first + self.batch_size]
            batch = encode(self.tokenizer, question, chunk)
            answer, start, end = self.forward(batch)
            masks = batch.sentence_mask
            for k in range(len(chunk)):
                s, e, score = best_span(start[k], end[k], masks[k])
                span = (
                    (batch.offsets[k][s][0], batch.offsets[k][e][1]) if masks[k].any() else (0, 0)
                )
                readings.append(Reading(float(answer[k]), span, score))
        return readings
