"""``python -m qa.training``: train the reader from the shared SQuAD 2.0 data.

    python -m qa.training                      # the shipped model: dev fold a held out
    python -m qa.training --hold-out b         # its twin, for validating on fold a

The shipped model never sees the articles of dev fold a: their questions calibrate its
confidence and choose the refusal threshold, and their gold questions measure it. The
twin holds out fold b instead, so every dev gold question can be scored by a model that
never saw its article. The shipped model is written to ``qa/answer/model/`` with a JSON
of its training statistics beside it; pin the printed SHA-256 in ``qa.answer.reader``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from index.embedding import bundled_model_dir
from index.integrity import sha256_of
from qa.answer.reader import READER_FILE, TRAINED_LAYERS, load_tokenizer
from qa.answer.reader_net import build_net
from qa.training.card import write_card
from qa.training.examples import build_examples, read_questions
from qa.training.folds import (
    DEFAULT_DEVSETS,
    FOLDS,
    REPOSITORY,
    SHIPPED_HOLD_OUT,
    fold_articles,
    training_sources,
)
from qa.training.train import TrainConfig, save_trained, train

DEFAULT_THREADS = 1
"""One thread: 8.7 pairs/s (about 48 minutes for the shipped model), and unlike two it
keeps that pace when anything else runs; the file is reproducible at a given count."""


def fold_model_path(fold: str) -> Path:
    """Where a validation model lives: outside the package, it is never shipped."""
    return REPOSITORY / "build" / "reader" / f"reader-holdout-{fold}.safetensors"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m qa.training", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--devsets", type=Path, default=DEFAULT_DEVSETS)
    parser.add_argument(
        "--hold-out",
        choices=FOLDS,
        default=SHIPPED_HOLD_OUT,
        help=f"leave this fold's dev articles out (default {SHIPPED_HOLD_OUT}: the shipped model)",
    )
    parser.add_argument(
        "--questions", type=int, help="sample this many questions (default: all of them)"
    )
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument(
        "--layers", type=int, default=TRAINED_LAYERS, help="top encoder layers fine-tuned"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--out", type=Path, help="default: the shipped file, or build/ for folds")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    held_out = fold_articles(args.devsets, args.hold_out)
    shipped = args.hold_out == SHIPPED_HOLD_OUT
    out = args.out or (READER_FILE if shipped else fold_model_path(args.hold_out))
    examples = build_examples(
        training_sources(args.devsets),
        exclude_articles=held_out,
        max_questions=args.questions,
        seed=args.seed,
    )
    questions = args.questions or sum(
        1
        for path, _ in training_sources(args.devsets)
        for row in read_questions(path)
        if row["article"] not in held_out
    )
    positives = sum(e.label for e in examples)
    print(f"{len(examples)} pairs ({positives} positive) from {questions} questions")
    base = bundled_model_dir()
    config = TrainConfig(epochs=args.epochs, seed=args.seed)
    started = time.perf_counter()
    net = train(build_net(base, args.layers), load_tokenizer(base), examples, config)
    seconds = time.perf_counter() - started
    metadata = {
        "trained_layers": str(args.layers),
        "held_out_articles": ",".join(sorted(held_out)),
        "questions": str(questions),
        "seed": str(args.seed),
    }
    save_trained(net, out, metadata)
    stats = {
        "file": out.name,
        "sha256": sha256_of(out),
        "bytes": out.stat().st_size,
        "pairs": len(examples),
        "positive_pairs": positives,
        "questions": questions,
        "held_out_articles": sorted(held_out),
        "epochs": args.epochs,
        "trained_layers": args.layers,
        "seed": args.seed,
        "threads": args.threads,
        "train_seconds": round(seconds, 1),
        "config": config.__dict__,
        "command": "python -m qa.training" + ("" if shipped else f" --hold-out {args.hold_out}"),
    }
    out.with_suffix(".json").write_text(json.dumps(stats, indent=2) + "\n")
    print(f"wrote {out} ({stats['bytes'] / 1e6:.1f} MB) sha256 {stats['sha256']}")
    if out == READER_FILE:
        print(f"wrote {write_card(out.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
