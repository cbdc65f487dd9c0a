"""Eval's exceptions, one base for the family.

    EvalError                 anything that stops an evaluation from running
    ├── GoldFileError         the gold file is missing, malformed, or names an absent article
    ├── BaselineError         the baseline file is missing or malformed
    └── ReportError           the report path has an unsupported extension

Messages name the file (and line, where there is one) and say how to fix it, because the
CLI prints them as they are, prefixed with ``error:``.
"""

from __future__ import annotations


class EvalError(Exception):
    """Base of every error eval raises on purpose."""


class GoldFileError(EvalError):
    """The gold file cannot be used as it is."""


class BaselineError(EvalError):
    """The baseline file cannot be read or has the wrong shape."""


class ReportError(EvalError):
    """A report cannot be written to the requested path."""
