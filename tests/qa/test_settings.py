from pathlib import Path

import pytest

from qa import Settings, SettingsError


def test_precedence_is_defaults_toml_env_then_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env().top_k == 5
    (tmp_path / "ragqa.toml").write_text('top_k = 7\ncollection = "from-toml"\n')
    assert Settings.from_env().top_k == 7
    monkeypatch.setenv("RAGQA_TOP_K", "9")
    settings = Settings.from_env()
    assert (settings.top_k, settings.collection) == (9, "from-toml")
    assert Settings.from_env(top_k=3, collection=None).top_k == 3


def test_invalid_values_name_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAGQA_LLM", "gpt-99")
    with pytest.raises(SettingsError, match="llm"):
        Settings.from_env()


def test_home_moves_every_piece_of_state(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert settings.store_dir.parent == tmp_path
    assert settings.models_dir.parent == tmp_path
