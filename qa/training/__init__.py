"""Training the reader (``python -m qa.training``); never imported by the answer path.

It needs torch and the shared SQuAD 2.0 data (CC BY-SA 4.0) in ``../shared/devsets``.
Validation leaves whole articles out; ``fold_articles`` names the dev articles a fold
holds out, and the shipped reader never saw those of ``SHIPPED_HOLD_OUT``.
"""

from qa.training.folds import DEFAULT_DEVSETS, SHIPPED_HOLD_OUT, fold_articles

__all__ = ["DEFAULT_DEVSETS", "SHIPPED_HOLD_OUT", "fold_articles"]
