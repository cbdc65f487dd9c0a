"""Fine-tune the reader on (question, window) pairs, on CPU, with a fixed seed.

The word embeddings (and any encoder layers below the tuned ones) stay frozen: they are
the bundled weights the product already ships, so the saved file holds only the layers
that changed, and the embeddings (half of MiniLM's parameters) cost no training time.
The loss is the usual extractive-reader one: binary cross-entropy on the answer logit
for every window, plus start/end cross-entropy for windows that state the answer.

sentence-transformers' ``CrossEncoder`` training gives the answer score alone, with no
span heads, so the loop is written here; it is a plain PyTorch loop.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer

from qa.answer.reader import Batch, WindowText, encode_pairs
from qa.answer.reader_net import ReaderNet, tensors
from qa.training.examples import Example


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 1
    batch_size: int = 16
    learning_rate: float = 2e-4
    head_learning_rate: float = 1e-3
    warmup_share: float = 0.06
    span_loss_weight: float = 0.5
    seed: int = 0


def token_targets(batch: Batch, examples: Sequence[Example]) -> tuple[torch.Tensor, torch.Tensor]:
    """Start/end token of each positive's answer span (-100, ignored, for negatives)."""
    starts, ends = [], []
    for offsets, mask, example in zip(batch.offsets, batch.sentence_mask, examples, strict=True):
        start = end = -100
        if example.span is not None:
            a, b = example.span
            inside = [i for i, (s, e) in enumerate(offsets) if mask[i] and s < b and e > a]
            if inside:
                start, end = inside[0], inside[-1]
        starts.append(start)
        ends.append(end)
    return torch.tensor(starts), torch.tensor(ends)


def _loss(net: ReaderNet, tokenizer: Tokenizer, examples: Sequence[Example], config: TrainConfig):
    batch = encode_pairs(
        tokenizer, [(e.question, WindowText(e.sentence, e.title, e.previous)) for e in examples]
    )
    answer, start, end = net(*tensors(batch))
    labels = torch.tensor([float(e.label) for e in examples])
    loss = torch.nn.functional.binary_cross_entropy_with_logits(answer, labels)
    start_target, end_target = token_targets(batch, examples)
    if (start_target >= 0).any():
        span = torch.nn.functional.cross_entropy(start, start_target, ignore_index=-100)
        span = span + torch.nn.functional.cross_entropy(end, end_target, ignore_index=-100)
        loss = loss + config.span_loss_weight * span / 2
    return loss


def _batches(examples: Sequence[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Shuffled batches of similar length: padding to the longest pair wastes less."""
    order = list(examples)
    rng.shuffle(order)
    batches = []
    group = size * 50
    for first in range(0, len(order), group):
        chunk = sorted(
            order[first : first + group], key=lambda e: len(e.question) + len(e.sentence)
        )
        batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def train(
    net: ReaderNet,
    tokenizer: Tokenizer,
    examples: Sequence[Example],
    config: TrainConfig = TrainConfig(),
    *,
    log: Callable[[str], None] = print,
) -> ReaderNet:
    """Fine-tune ``net`` in place on ``examples`` and return it in eval mode."""
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    trainable = set(net.trainable_names())
    for name, parameter in net.named_parameters():
        parameter.requires_grad = name in trainable
    heads = [p for n, p in net.named_parameters() if n in trainable and "_head." in n]
    layers = [p for n, p in net.named_parameters() if n in trainable and "_head." not in n]
    optimizer = torch.optim.AdamW(
        [
            {"params": layers, "lr": config.learning_rate},
            {"params": heads, "lr": config.head_learning_rate},
        ],
        weight_decay=0.01,
    )
    steps = config.epochs * math.ceil(len(examples) / config.batch_size)
    warmup = max(1, int(config.warmup_share * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup))),
    )
    net.train()
    started, step, running = time.perf_counter(), 0, 0.0
    for epoch in range(config.epochs):
        for batch in _batches(examples, config.batch_size, rng):
            loss = _loss(net, tokenizer, batch, config)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*layers, *heads], 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 50 == 0 or step == steps:
                elapsed = time.perf_counter() - started
                pairs = min(step * config.batch_size, len(examples) * (epoch + 1))
                log(
                    f"epoch {epoch + 1} step {step}/{steps} loss {running:.3f} "
                    f"{pairs / elapsed:.1f} pairs/s"
                )
    return net.eval()


def save_trained(net: ReaderNet, path: Path, metadata: dict[str, str]) -> None:
    """Write the fine-tuned tensors only, as fp16: half the size of fp32, loaded back as fp32."""
    path.parent.mkdir(parents=True, exist_ok=True)
    trainable = set(net.trainable_names())
    tensors = {
        name: parameter.detach().to(torch.float16).contiguous()
        for name, parameter in net.named_parameters()
        if name in trainable
    }
    save_file(tensors, str(path), metadata=metadata)
