"""The answer path: question → passages → windows → reading → decision → text → Answer.

One module per stage, composed in ``pipeline``:

- ``windows``: rank the sentences of the retrieved passages (``rank_windows``);
- ``recency``: between dated articles, the period asked about or the latest;
- ``reading``: the trained reader (``reader``; ``runtime``: torch or onnxruntime) reads
  the best windows and reorders them (``confidence``: its calibration);
- ``decision``: answer from the best window or decline, with a confidence
  (``decide_by_reader``, ``decide`` without the reader; ``answer_types``);
- ``extraction``: cut the answer from the window (``extract``; ``spans``, ``prompts``;
  ``referents``: a quote's speaker, for "who" questions);
- ``cited``: the cited style, where the LLM writes over the passages instead;
- ``citations``: verify every ``[n]`` marker; the one place a ``Citation`` is built.
"""

from qa.answer.confidence import Calibration
from qa.answer.pipeline import REFUSAL, AnswerPipeline
from qa.answer.reader import Reader
from qa.answer.runtime import load_reader

__all__ = ["REFUSAL", "AnswerPipeline", "Calibration", "Reader", "load_reader"]
