"""``ragqa chat`` options that fail before anything is served."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa import SettingsError
from ragqa.cli import app


@pytest.mark.parametrize("value", ["alice", ":s3cret", "alice:"])
def test_a_malformed_auth_is_a_usage_error(value: str) -> None:
    result = CliRunner().invoke(app, ["chat", "--auth", value])
    assert result.exit_code == 2
    assert "Invalid value for '--auth'" in result.output
    assert "expected USER:PASS" in result.output


def test_an_unknown_answer_style_fails_before_serving(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["chat", "--answer-style", "poem", "--home", str(tmp_path), "--port", "1"]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, SettingsError)
    assert "answer_style" in str(result.exception)
