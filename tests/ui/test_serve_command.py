"""``ragqa serve``'s key and host rules, checked before anything is loaded or served."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa import Settings
from ragqa.cli import app
from ui.commands import read_api_key


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_without_a_key_only_loopback_is_served(host: str) -> None:
    result = CliRunner().invoke(app, ["serve", "--host", host], env={"RAGQA_API_KEY": ""})
    assert result.exit_code == 2
    assert "Invalid value for --host" in result.output
    assert "needs an API key" in " ".join(result.output.split())


def test_an_empty_or_missing_key_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "key"
    empty.write_text("  \n")
    for path, reason in ((empty, "is empty"), (tmp_path / "absent", "cannot read")):
        result = CliRunner().invoke(app, ["serve", "--api-key-file", str(path)])
        assert result.exit_code == 2
        assert reason in " ".join(result.output.split())


def test_the_key_comes_from_the_file_else_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ragqa.toml of the developer's
    monkeypatch.setenv("RAGQA_API_KEY", " from-env \n")
    assert read_api_key(None, Settings.from_env()) == "from-env"
    key_file = tmp_path / "key"
    key_file.write_text("from-file\n")
    assert read_api_key(key_file, Settings.from_env()) == "from-file"
    monkeypatch.setenv("RAGQA_API_KEY", "")
    assert read_api_key(None, Settings.from_env()) is None
    monkeypatch.delenv("RAGQA_API_KEY")
    (tmp_path / "ragqa.toml").write_text('api_key = "from-toml"\n')
    assert read_api_key(None, Settings.from_env()) == "from-toml"
