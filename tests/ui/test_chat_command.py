"""``ragqa chat`` options that fail before anything is served."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from qa.cli import app


@pytest.mark.parametrize("value", ["alice", ":s3cret", "alice:"])
def test_a_malformed_auth_is_a_usage_error(value: str) -> None:
    result = CliRunner().invoke(app, ["chat", "--auth", value])
    assert result.exit_code == 2
    assert "Invalid value for '--auth'" in result.output
    assert "expected USER:PASS" in result.output
