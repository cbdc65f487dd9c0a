"""``python -m ragqa``: the same as the ``ragqa`` command."""

from ragqa.cli import main

main()
