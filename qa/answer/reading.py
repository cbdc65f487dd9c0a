"""Stage "read": the reader's verdict on the best windows, and their final order.

The evidence score (``windows``) is cheap and ranks every window; the reader is not, so
it reads only the first ``Calibration.windows_read`` of them (the cap keeps the share of
questions whose top window holds the answer within half a point of reading them all).
Windows are then ordered by the blend of the reader's logit and the evidence score:
measured on held-out articles, the blend beat either alone (``model/calibration.json``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.answer.confidence import Calibration
from qa.answer.reader import Reader, Reading, WindowText
from qa.answer.windows import Window


@dataclass(frozen=True)
class ReadWindow:
    """A window with the reader's verdict and its place in the blended order."""

    window: Window
    reading: Reading
    rank: float

    @property
    def answer_span(self) -> tuple[int, int]:
        """The reader's answer, as character offsets in ``window.text``."""
        return self.reading.span


def read_windows(
    question: str,
    windows: Sequence[Window],
    reader: Reader,
    calibration: Calibration,
    *,
    also: Sequence[Window] = (),
) -> list[ReadWindow]:
    """The first windows (evidence order) read by the reader, best blended score first.

    ``also`` are read as well, wherever they rank (``recency`` adds the latest article's).
    """
    chosen = list(windows[: calibration.windows_read])
    chosen += [w for w in also if w not in chosen]
    readings = reader.read(
        question, [WindowText(w.text, w.passage.title, w.previous) for w in chosen]
    )
    read = [
        ReadWindow(w, r, calibration.ranking_score(r.logit, w.score))
        for w, r in zip(chosen, readings, strict=True)
    ]
    return sorted(read, key=lambda r: r.rank, reverse=True)
