"""Where the training data lives and how its articles split into validation folds.

Two SQuAD 2.0 sets (CC BY-SA 4.0) ship in the shared ``devsets`` folder: ``squad_train10``
(10 articles, always trained on) and ``squad_dev15`` (15 articles whose ``train.jsonl``
is trained on, and whose ``gold.jsonl`` is the eval gold). Validation leaves whole
articles out: the 15 dev articles split into two folds, and a fold model never sees a
question on its held-out fold's articles.
"""

from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_DEVSETS = REPOSITORY.parent / "shared" / "devsets"
FOLDS = ("a", "b")
SHIPPED_HOLD_OUT = "a"
"""The fold the shipped reader never sees: it calibrates and measures that model."""


def training_sources(devsets: Path) -> list[tuple[Path, Path]]:
    """``(questions.jsonl, articles_dir)`` of every set trained on."""
    return [
        (devsets / "squad_train10" / "train.jsonl", devsets / "squad_train10" / "articles"),
        (devsets / "squad_dev15" / "train.jsonl", devsets / "squad_dev15" / "articles"),
    ]


def fold_articles(devsets: Path, fold: str) -> frozenset[str]:
    """The dev articles held out by ``fold`` (alternate files in name order)."""
    names = sorted(p.name for p in (devsets / "squad_dev15" / "articles").glob("*.txt"))
    index = FOLDS.index(fold)
    return frozenset(name for i, name in enumerate(names) if i % len(FOLDS) == index)
