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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from tokenizers import Tokenizer
from transformers import BertModel

from index import ModelFileError, verify_sha256

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


class ReaderNet(torch.nn.Module):
    """MiniLM with an answer head on ``[CLS]`` and start/end heads on every token."""

    def __init__(self, encoder: BertModel, trained_layers: int = TRAINED_LAYERS) -> None:
        super().__init__()
        self.encoder = encoder
        self.trained_layers = trained_layers
        hidden = encoder.config.hidden_size
        self.answer_head = torch.nn.Linear(hidden, 1)
        self.span_head = torch.nn.Linear(hidden, 2)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
        sentence_mask: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Answer logits ``[B]`` and start/end logits ``[B, T]`` (-1e4 outside the sentence)."""
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        answer = self.answer_head(hidden[:, 0]).squeeze(-1)
        start, end = self.span_head(hidden).unbind(-1)
        outside = ~sentence_mask
        return answer, start.masked_fill(outside, -1e4), end.masked_fill(outside, -1e4)

    def trainable_names(self) -> list[str]:
        """Parameters fine-tuned (and saved): the top encoder layers and the heads."""
        layers = self.encoder.config.num_hidden_layers
        first = layers - self.trained_layers
        top = tuple(f"encoder.encoder.layer.{i}." for i in range(first, layers))
        return [
            name
            for name, _ in self.named_parameters()
            if name.startswith(top) or name.startswith(("answer_head.", "span_head."))
        ]


@dataclass(frozen=True)
class Batch:
    """Tokenised windows: model inputs plus each token's character offsets in its sentence."""

    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    token_type_ids: torch.Tensor
    sentence_mask: torch.Tensor
    offsets: list[list[tuple[int, int]]]


Logits = tuple[np.ndarray, np.ndarray, np.ndarray]
Forward = Callable[[Batch], Logits]
"""Runs the network on a batch: answer ``[B]``, start and end ``[B, T]`` logits."""


def torch_forward(net: ReaderNet, batch: Batch) -> Logits:
    with torch.inference_mode():
        answer, start, end = net(
            batch.input_ids, batch.attention_mask, batch.token_type_ids, batch.sentence_mask
        )
    return answer.numpy(), start.numpy(), end.numpy()


def load_tokenizer(model_dir: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_LENGTH, strategy="longest_first")
    tokenizer.enable_padding()
    return tokenizer


def encode(tokenizer: Tokenizer, question: str, windows: Sequence[WindowText]) -> Batch:
    """Tokenise ``(question, window)`` pairs; the sentence mask marks the candidate's tokens."""
    encodings = tokenizer.encode_batch(
        [(" ".join(question.split()), context_of(w)) for w in windows]
    )
    masks, offsets = [], []
    for window, encoding in zip(windows, encodings, strict=True):
        limit = len(window.sentence)
        mask = [
            sequence == 1 and 0 < end <= limit
            for sequence, (_, end) in zip(encoding.sequence_ids, encoding.offsets, strict=True)
        ]
        masks.append(mask)
        offsets.append(list(encoding.offsets))
    return Batch(
        input_ids=torch.tensor([e.ids for e in encodings]),
        attention_mask=torch.tensor([e.attention_mask for e in encodings]),
        token_type_ids=torch.tensor([e.type_ids for e in encodings]),
        sentence_mask=torch.tensor(masks),
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


def build_net(base_dir: Path, trained_layers: int = TRAINED_LAYERS) -> ReaderNet:
    """An untrained reader over the bundled MiniLM weights (heads freshly initialised)."""
    encoder = BertModel.from_pretrained(str(base_dir), add_pooling_layer=False)
    return ReaderNet(encoder, trained_layers)


def _read_tuned(path: Path) -> tuple[int, dict[str, torch.Tensor]]:
    """The file's layer count (from the metadata training writes) and its tensors as fp32."""
    with safe_open(str(path), framework="pt") as tensors:
        layers = int((tensors.metadata() or {}).get("trained_layers", TRAINED_LAYERS))
        names = tensors.keys()  # a safe_open handle lists its tensors but is not iterable
        return layers, {name: tensors.get_tensor(name).float() for name in names}


class Reader:
    """Reads windows in batches; ``Reader.bundled`` loads the committed model."""

    def __init__(
        self,
        net: ReaderNet,
        tokenizer: Tokenizer,
        *,
        batch_size: int = 16,
        forward: Forward | None = None,
    ) -> None:
        """``forward`` runs the network (default: torch; ``reader_onnx`` gives onnxruntime)."""
        self.net = net.eval()
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.forward: Forward = forward or (lambda batch: torch_forward(self.net, batch))

    @classmethod
    def from_file(
        cls, path: Path, *, base_dir: Path, sha256: str | None, stamp_dir: Path
    ) -> Reader:
        """Lay the fine-tuned layers in ``path`` over the MiniLM in ``base_dir``.

        ``sha256`` pins the file (None only for a model just trained here).
        """
        if sha256 is not None:
            verify_sha256(path, sha256, stamp_dir=stamp_dir)
        try:
            layers, tuned = _read_tuned(path)
            net = build_net(base_dir, layers)
        except (OSError, ValueError, SafetensorError) as exc:
            raise ModelFileError(f"reader model {path} cannot be read: {exc}") from exc
        expected = set(net.trainable_names())
        if set(tuned) != expected:
            raise ModelFileError(
                f"reader model {path} does not fit this reader (tensors differ from "
                f"{net.trained_layers} top layers and two heads); rebuild it with "
                "python -m qa.training"
            )
        net.load_state_dict(tuned, strict=False)
        return cls(net, load_tokenizer(base_dir))

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
            masks = batch.sentence_mask.numpy()
            for k in range(len(chunk)):
                s, e, score = best_span(start[k], end[k], masks[k])
                span = (
                    (batch.offsets[k][s][0], batch.offsets[k][e][1]) if masks[k].any() else (0, 0)
                )
                readings.append(Reading(float(answer[k]), span, score))
        return readings
