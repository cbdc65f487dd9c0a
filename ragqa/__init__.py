"""The ``ragqa`` command: the commands of ``qa``, ``ui`` and ``eval`` under one name.

It sits above every package so that none of them depends on another's commands; see
``ragqa.cli``.
"""

from ragqa.cli import app, main

__all__ = ["app", "main"]
