"""How the HTTP API reports ``qa``'s errors: the request's fault (400) or the server's (503)."""

from __future__ import annotations

import pytest

from qa import BackendError, CorpusError, ModelError, QAError, SettingsError
from ui.api_errors import qa_error


@pytest.mark.parametrize("error", [CorpusError, ModelError, BackendError, SettingsError])
def test_what_the_server_cannot_do_is_a_503(error: type[QAError]) -> None:
    status, detail = qa_error(error("llm_base_url is required for llm = 'openai'"))
    assert status == 503
    assert detail.type == "server_error"
    assert detail.message == "llm_base_url is required for llm = 'openai'"


def test_a_question_ragqa_cannot_take_is_the_requests_fault() -> None:
    status, detail = qa_error(QAError("the question is empty"))
    assert (status, detail.type) == (400, "invalid_request_error")
