"""The reader's torch network: MiniLM with an answer head and span heads, and its file.

Training builds and saves it here; the product runs it through onnxruntime
(``qa.answer.runtime``) and needs torch only to export it once, or when ``runtime`` is
``torch``. See ``qa.answer.reader`` for what the reader reads and gives.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from transformers import BertModel

from index import ModelFileError, verify_sha256
from qa.answer.reader import TRAINED_LAYERS, Batch, Forward, Logits


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


def load_net(path: Path, *, base_dir: Path, sha256: str | None, stamp_dir: Path) -> ReaderNet:
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
    return net.eval()


def tensors(batch: Batch) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The network's four inputs for ``batch``."""
    return (
        torch.from_numpy(batch.input_ids),
        torch.from_numpy(batch.attention_mask),
        torch.from_numpy(batch.token_type_ids),
        torch.from_numpy(batch.sentence_mask),
    )


def torch_forward(net: ReaderNet) -> Forward:
    """``net`` as the reader's ``Forward``: a batch in, numpy logits out."""

    def forward(batch: Batch) -> Logits:
        with torch.inference_mode():
            answer, start, end = net(*tensors(batch))
        return np.asarray(answer), np.asarray(start), np.asarray(end)

    return forward
