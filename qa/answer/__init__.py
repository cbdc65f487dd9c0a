"""The answer path: question → passages → windows → decision → extracted text → Answer.

One module per stage, composed in ``pipeline``:

- ``windows``: rank the sentences of the retrieved passages (``rank_windows``);
- ``decision``: answer from the best window or decline (``decide``; ``answer_types``);
- ``extraction``: cut the answer from the window (``extract``; ``spans``, ``prompts``);
- ``cited``: the cited style, where the LLM writes over the passages instead;
- ``citations``: verify every ``[n]`` marker; the one place a ``Citation`` is built.
"""

from qa.answer.pipeline import AnswerPipeline

__all__ = ["AnswerPipeline"]
