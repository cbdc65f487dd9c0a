"""Training the reader (``python -m qa.training``); never imported by the answer path.

It needs torch and the shared SQuAD 2.0 data (CC BY-SA 4.0) in ``../shared/devsets``.
"""
