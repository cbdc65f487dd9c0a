"""``ragqa chat`` options that fail before anything is served."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa import Settings, SettingsError
from ragqa.cli import app
from ui.commands import read_auth


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


def test_the_password_comes_from_the_option_else_the_file_else_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ragqa.toml of the developer's
    monkeypatch.setenv("RAGQA_CHAT_AUTH", "env-user:env:pass\n")
    auth_file = tmp_path / "auth"
    auth_file.write_text("file-user:file-pass\n")
    settings = Settings.from_env()
    assert read_auth("cli-user:cli-pass", auth_file, settings) == ("cli-user", "cli-pass")
    assert read_auth(None, auth_file, settings) == ("file-user", "file-pass")
    assert read_auth(None, None, settings) == ("env-user", "env:pass")
    monkeypatch.delenv("RAGQA_CHAT_AUTH")
    assert read_auth(None, None, Settings.from_env()) is None


def test_a_malformed_or_missing_auth_file_is_a_usage_error(tmp_path: Path) -> None:
    malformed = tmp_path / "auth"
    malformed.write_text("just-a-password\n")
    for path, reason in ((malformed, "expected USER:PASS"), (tmp_path / "absent", "cannot read")):
        result = CliRunner().invoke(
            app, ["chat", "--auth-file", str(path), "--home", str(tmp_path), "--port", "1"]
        )
        assert result.exit_code == 2
        assert reason in " ".join(result.output.split())
        assert "--auth-file" in result.output
